// Worker bootstrap: plain JavaScript so it runs without a loader; registers tsx in this
// thread (as src/sim/parallel/worker-entry.mjs does) and then loads the TypeScript worker.
import { register } from "tsx/esm/api";
register();
await import("./image-worker.ts");
