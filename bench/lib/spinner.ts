/**
 * A scalar busy loop on another core, to measure what this machine's second core costs a workload
 * that runs alone on the first: run the workload once alone and once beside the spinner; twice the
 * ratio of the two rates is the best any 2-way split of that workload can reach here (the loop
 * touches no memory, so what it takes away is what the two cores share: caches, memory bandwidth,
 * power and clock budget, or a hypervisor's hardware thread).
 */
import { Worker } from "node:worker_threads";

const LOOP = `
const { workerData } = require("node:worker_threads");
const flag = new Int32Array(workerData);
let x = 0;
while (Atomics.load(flag, 0) === 0) for (let i = 0; i < 1e6; i++) x = (x * 1.0000001 + i) % 1e9;
`;

export interface Spinner {
  stop(): Promise<void>;
}

export async function startSpinner(): Promise<Spinner> {
  const sab = new SharedArrayBuffer(4);
  const worker = new Worker(LOOP, { eval: true, workerData: sab });
  await new Promise<void>((resolve, reject) => {
    worker.once("online", () => resolve());
    worker.once("error", reject);
  });
  return {
    async stop() {
      Atomics.store(new Int32Array(sab), 0, 1);
      await new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    },
  };
}
