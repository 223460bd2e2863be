/**
 * Worker side of the image feature pools (started through
 * image-worker-entry.mjs, as a worker thread or a child process): loads its own ONNX session with one intra-op
 * thread and sharp with one libvips thread, then answers batch requests in
 * the order they came.
 *
 * Pipelined (workerData.pipeline): a batch's decode starts as soon as its
 * request arrives, and the CNN runs the batches one after another as their
 * decodes finish; with two or more requests in flight (the pool's `depth`),
 * sharp decodes the next batch on libuv threads while the CNN holds this
 * thread. Serial: each batch is decoded, then run, before the next starts.
 * Every reply carries the batch's timing and `gapMs`, the time this thread's
 * CNN stood idle before the batch (waiting for work or for its decode).
 */
import { parentPort, workerData } from "node:worker_threads";
import sharp from "sharp";
import { loadCnnBackbone, type CnnBackbone, type CnnBackboneSpec } from "./onnx-cnn.ts";
import { decodeImageBatch, embedDecoded, type BatchItem, type DecodedBatch } from "./image-batch.ts";

export interface ImageWorkerInit {
  readonly spec: CnnBackboneSpec;
  readonly cacheDir: string;
  readonly pipeline: boolean;
}
type Request =
  | { readonly id: number; readonly items: readonly BatchItem[] }
  | { readonly id: number; readonly close: true };

/** The parent's end: a worker thread's port, or a child process's IPC channel (image-proc-pool.ts). */
interface Port {
  post(msg: object, transfer?: ArrayBuffer[]): void;
  on(f: (req: Request) => void): void;
  close(): void;
}
function openPort(): { port: Port; init: ImageWorkerInit } {
  const pp = parentPort;
  if (pp !== null)
    return {
      port: {
        post: (m, t) => pp.postMessage(m, t),
        on: (f) => pp.on("message", f),
        close: () => pp.close(),
      },
      init: workerData as ImageWorkerInit,
    };
  const send = process.send?.bind(process);
  const env = process.env.QMTL_IMAGE_WORKER;
  if (send === undefined || env === undefined)
    throw new Error("image-worker: must run in a worker thread or a child process with an IPC channel");
  // the parent gone (even killed), this process has nothing left to do
  process.on("disconnect", () => process.exit(0));
  return {
    port: {
      post: (m) => void send(m),
      on: (f) => process.on("message", f),
      close: () => process.disconnect(),
    },
    init: JSON.parse(env) as ImageWorkerInit,
  };
}

const { port, init } = openPort();
sharp.concurrency(1);
const ready = loadCnnBackbone(init.spec, { threads: 1, cacheDir: init.cacheDir });
ready.then(
  () => port.post({ id: -1, ready: true, pinned: process.env.QMTL_IMAGE_PINNED === "1" }),
  (e: unknown) => port.post({ id: -1, error: e instanceof Error ? e.message : String(e) }),
);

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** the CNN's queue: each batch runs after the one before it */
let chain: Promise<void> = Promise.resolve();
/** a child process's CPU ms (all its threads) since its previous reply; null in a worker thread */
let cpuMark = process.cpuUsage();
function cpuSince(): number | null {
  if (parentPort !== null) return null;
  const d = process.cpuUsage(cpuMark);
  cpuMark = process.cpuUsage();
  return (d.user + d.system) / 1000;
}
/** when the CNN last finished (null before the first batch) */
let lastEnd: number | null = null;

async function decode(backbone: CnnBackbone, items: readonly BatchItem[]): Promise<DecodedBatch> {
  return decodeImageBatch(backbone.spec.preprocess, items, { parallel: init.pipeline });
}

async function answer(
  id: number,
  decoded: () => Promise<DecodedBatch>,
  backbone: CnnBackbone,
): Promise<void> {
  try {
    const d = await decoded();
    const start = performance.now();
    const gapMs = lastEnd === null ? 0 : start - lastEnd;
    const r = await embedDecoded(backbone, d);
    lastEnd = performance.now();
    const data = r.data.slice();
    port.post({ id, data, dim: r.dim, errors: r.errors, timing: r.timing, gapMs, cpuMs: cpuSince() }, [
      data.buffer,
    ]);
  } catch (e) {
    lastEnd = performance.now();
    port.post({ id, error: message(e) });
  }
}

/** set by a close request: later requests are refused, so nothing runs on when the parent ends this worker */
let closed = false;

port.on((req: Request) => {
  if (closed) return port.post({ id: req.id, error: "this image worker is closing" });
  if ("close" in req) {
    closed = true;
    chain = chain.then(async () => {
      try {
        await (await ready).close();
        port.post({ id: req.id, closed: true });
      } catch (e) {
        port.post({ id: req.id, error: message(e) });
      }
      port.close();
    });
    return;
  }
  if (init.pipeline) {
    const early = ready.then((b) => decode(b, req.items));
    early.catch(() => undefined); // awaited in the chain; this only marks it handled meanwhile
    chain = chain.then(async () => {
      const b = await ready.catch(() => null);
      if (b === null) return port.post({ id: req.id, error: "the model did not load" });
      await answer(req.id, () => early, b);
    });
  } else {
    chain = chain.then(async () => {
      const b = await ready.catch(() => null);
      if (b === null) return port.post({ id: req.id, error: "the model did not load" });
      await answer(req.id, () => decode(b, req.items), b);
    });
  }
});
