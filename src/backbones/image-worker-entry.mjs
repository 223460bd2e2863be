// Worker bootstrap for image feature extraction, plain JavaScript so it runs without a loader (as
// src/sim/parallel/worker-entry.mjs): the built package loads ./image-worker.js; the source tree
// (tests, tsx) registers tsx in this thread and loads ./image-worker.ts.
// A child process given QMTL_IMAGE_CPU first pins itself (every thread, and so every thread it starts
// later: libuv's, libvips's, onnxruntime's) to that CPU with taskset, before anything starts a thread
// pool; QMTL_IMAGE_PINNED tells the worker whether that worked (no taskset: it runs unpinned).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
const cpu = process.env.QMTL_IMAGE_CPU;
if (cpu !== undefined) {
  const r = spawnSync("taskset", ["-a", "-p", "-c", cpu, String(process.pid)], { stdio: "ignore" });
  process.env.QMTL_IMAGE_PINNED = r.status === 0 ? "1" : "0";
}
const built = new URL("./image-worker.js", import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./image-worker.ts");
}
