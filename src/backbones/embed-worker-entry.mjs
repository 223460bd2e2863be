// Embedding worker bootstrap, plain JavaScript so it runs without a loader. In the built package it
// loads ./embed-worker.js; in the source tree (tests, tsx) it registers tsx in this thread and loads
// ./embed-worker.ts (as src/sim/parallel/worker-entry.mjs does).
import { existsSync } from "node:fs";
const built = new URL("./embed-worker.js", import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./embed-worker.ts");
}
