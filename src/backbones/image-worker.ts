/**
 * Worker side of the image feature pool (started through
 * image-worker-entry.mjs): loads its own ONNX session with one intra-op
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

interface Init {
  readonly spec: CnnBackboneSpec;
  readonly cacheDir: string;
  readonly pipeline: boolean;
}
type Request =
  | { readonly id: number; readonly items: readonly BatchItem[] }
  | { readonly id: number; readonly close: true };

const port = parentPort;
if (port === null) throw new Error("image-worker: must run in a worker thread");
sharp.concurrency(1);
const init = workerData as Init;
const ready = loadCnnBackbone(init.spec, { threads: 1, cacheDir: init.cacheDir });
ready.then(
  () => port.postMessage({ id: -1, ready: true }),
  (e: unknown) => port.postMessage({ id: -1, error: e instanceof Error ? e.message : String(e) }),
);

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** the CNN's queue: each batch runs after the one before it */
let chain: Promise<void> = Promise.resolve();
/** when the CNN last finished (null before the first batch) */
let lastEnd: number | null = null;

async function decode(backbone: CnnBackbone, items: readonly BatchItem[]): Promise<DecodedBatch> {
  return decodeImageBatch(backbone.spec.preprocess, items, { parallel: init.pipeline });
}

async function answer(id: number, decoded: () => Promise<DecodedBatch>, backbone: CnnBackbone): Promise<void> {
  try {
    const d = await decoded();
    const start = performance.now();
    const gapMs = lastEnd === null ? 0 : start - lastEnd;
    const r = await embedDecoded(backbone, d);
    lastEnd = performance.now();
    const data = r.data.slice();
    port!.postMessage({ id, data, dim: r.dim, errors: r.errors, timing: r.timing, gapMs }, [data.buffer]);
  } catch (e) {
    lastEnd = performance.now();
    port!.postMessage({ id, error: message(e) });
  }
}

port.on("message", (req: Request) => {
  if ("close" in req) {
    chain = chain.then(async () => {
      try {
        await (await ready).close();
        port.postMessage({ id: req.id, closed: true });
      } catch (e) {
        port.postMessage({ id: req.id, error: message(e) });
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
      if (b === null) return port.postMessage({ id: req.id, error: "the model did not load" });
      await answer(req.id, () => early, b);
    });
  } else {
    chain = chain.then(async () => {
      const b = await ready.catch(() => null);
      if (b === null) return port.postMessage({ id: req.id, error: "the model did not load" });
      await answer(req.id, () => decode(b, req.items), b);
    });
  }
});
