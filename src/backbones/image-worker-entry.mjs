// Worker bootstrap for image feature extraction, plain JavaScript so it runs without a loader (as
// src/sim/parallel/worker-entry.mjs): the built package loads ./image-worker.js; the source tree
// (tests, tsx) registers tsx in this thread and loads ./image-worker.ts.
import { existsSync } from "node:fs";
const built = new URL("./image-worker.js", import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./image-worker.ts");
}
