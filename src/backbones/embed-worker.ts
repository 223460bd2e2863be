import { parentPort, workerData } from "node:worker_threads";
import { buildEmbedder, type EmbedRecipe } from "./embed-recipe.ts";

/**
 * One embedding worker thread (started through embed-worker-entry.mjs): builds
 * its own encoder from the recipe (USE-lite: its own TensorFlow.js instance and
 * wasm backend), says it is ready, then embeds each chunk of texts it is sent
 * and posts the float32 vectors back (the buffer is transferred, not copied).
 */
export type WorkerRequest =
  { readonly op: "embed"; readonly id: number; readonly texts: readonly string[] } | { readonly op: "close" };
export type WorkerReply =
  | { readonly op: "ready"; readonly dim: number; readonly backend: string }
  | { readonly op: "done"; readonly id: number; readonly data: Float32Array }
  | { readonly op: "error"; readonly id: number | null; readonly message: string };

const port = parentPort;
if (port === null) throw new Error("embed-worker.ts must run in a worker thread");
const { recipe } = workerData as { recipe: EmbedRecipe };

try {
  const enc = await buildEmbedder(recipe);
  const backend = "backendName" in enc ? String((enc as { backendName: unknown }).backendName) : recipe.kind;
  port.postMessage({ op: "ready", dim: enc.dim, backend } satisfies WorkerReply);
  port.on("message", (req: WorkerRequest) => {
    if (req.op === "close") {
      enc.dispose();
      port.close();
      return;
    }
    enc.embed(req.texts).then(
      (m) => {
        const data = Float32Array.from(m.data);
        port.postMessage({ op: "done", id: req.id, data } satisfies WorkerReply, [data.buffer]);
      },
      (e: unknown) => {
        port.postMessage({
          op: "error",
          id: req.id,
          message: e instanceof Error ? e.message : String(e),
        } satisfies WorkerReply);
      },
    );
  });
} catch (e) {
  port.postMessage({
    op: "error",
    id: null,
    message: e instanceof Error ? e.message : String(e),
  } satisfies WorkerReply);
}
