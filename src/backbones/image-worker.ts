/**
 * Worker side of the image feature pool (started through
 * image-worker-entry.mjs): loads its own ONNX session with one intra-op
 * thread and sharp with one libvips thread, then answers batch requests.
 */
import { parentPort, workerData } from "node:worker_threads";
import sharp from "sharp";
import { loadCnnBackbone, type CnnBackboneSpec } from "./onnx-cnn.ts";
import { runImageBatch, type BatchItem } from "./image-batch.ts";

interface Init {
  readonly spec: CnnBackboneSpec;
  readonly cacheDir: string;
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

port.on("message", (req: Request) => {
  void (async () => {
    try {
      const backbone = await ready;
      if ("close" in req) {
        await backbone.close();
        port.postMessage({ id: req.id, closed: true });
        port.close();
        return;
      }
      const r = await runImageBatch(backbone, req.items);
      const data = r.data.slice();
      port.postMessage({ id: req.id, data, dim: r.dim, errors: r.errors }, [data.buffer]);
    } catch (e) {
      port.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) });
    }
  })();
});
