// Worker bootstrap, plain JavaScript so it runs without a loader. In the built package it loads
// ./worker.js; in the source tree (tests, tsx) it registers tsx in this thread and loads ./worker.ts.
import { existsSync } from "node:fs";
const built = new URL("./worker.js", import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./worker.ts");
}
