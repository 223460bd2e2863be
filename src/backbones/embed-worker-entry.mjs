// Embedding worker bootstrap: plain JavaScript so it runs without a loader; registers tsx in this
// thread (as bin/qmtl.js does for the CLI) and then loads the TypeScript worker.
import { register } from "tsx/esm/api";
register();
await import("./embed-worker.ts");
