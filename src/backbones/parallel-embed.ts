import { Worker } from "node:worker_threads";
import { ValidationError, requireInt } from "../core/errors.ts";
import type { EmbedRecipe } from "./embed-recipe.ts";
import type { WorkerReply, WorkerRequest } from "./embed-worker.ts";
import type { TextVectorStore } from "./text-vector-store.ts";
import { workerExecArgv } from "../core/worker-args.ts";

/**
 * Embeds many sentences on every core: identical texts are embedded once,
 * texts already in the vector store are not embedded at all, the rest are
 * sorted by length (so the encoder's batches hold texts of similar length and
 * pad little) and cut into fixed chunks that `jobs` worker threads take from a
 * queue, longest first, each worker with its own encoder (USE-lite: its own TensorFlow.js and
 * wasm backend). Chunk boundaries do not depend on `jobs`, so the vectors do
 * not either. Finished vectors go to the store every `flushEvery` texts, so a
 * killed run keeps most of its work.
 */

export interface ParallelEmbedOptions {
  readonly recipe: EmbedRecipe;
  /** worker threads (>= 1) */
  readonly jobs: number;
  readonly store: TextVectorStore;
  /** texts per chunk handed to a worker (default 256) */
  readonly chunkSize?: number;
  /** write a store shard every this many new vectors (default 4096) */
  readonly flushEvery?: number;
  /** (sentences done, of unique sentences) including those found in the store */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ParallelEmbedResult {
  /** one vector per distinct text, from the store */
  readonly vectors: ReadonlyMap<string, Float32Array>;
  readonly unique: number;
  readonly fromStore: number;
  readonly embedded: number;
  readonly seconds: number;
  /** seconds until every worker had loaded its encoder (0 when nothing was embedded) */
  readonly startSeconds: number;
  /** backend each worker reported (e.g. "wasm") */
  readonly backends: readonly string[];
}

const ENTRY = new URL("./embed-worker-entry.mjs", import.meta.url);

/** Distinct texts in first-seen order. */
export function distinctTexts(texts: Iterable<string>): string[] {
  return [...new Set(texts)];
}

/** Cuts `texts` (sorted by length, ties in input order) into chunks of `size`. */
export function lengthSortedChunks(texts: readonly string[], size: number): string[][] {
  requireInt("chunkSize", size, 1);
  const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length || a - b);
  const out: string[][] = [];
  for (let i = 0; i < order.length; i += size) out.push(order.slice(i, i + size).map((k) => texts[k]!));
  return out;
}

export async function embedTextsParallel(
  texts: Iterable<string>,
  opts: ParallelEmbedOptions,
): Promise<ParallelEmbedResult> {
  requireInt("jobs", opts.jobs, 1, 256);
  const t0 = performance.now();
  const store = opts.store;
  const unique = distinctTexts(texts);
  const missing = unique.filter((t) => !store.has(t));
  const fromStore = unique.length - missing.length;
  let done = fromStore;
  opts.onProgress?.(done, unique.length);
  const chunks = lengthSortedChunks(missing, opts.chunkSize ?? 256);
  const flushEvery = opts.flushEvery ?? 4096;
  requireInt("flushEvery", flushEvery, 1);
  const backends: string[] = [];
  let startSeconds = 0;
  if (chunks.length > 0) {
    const pendingTexts: string[] = [];
    const pendingData: Float32Array[] = [];
    const flush = (): void => {
      if (pendingTexts.length === 0) return;
      const all = new Float32Array(pendingTexts.length * store.dim);
      let off = 0;
      for (const d of pendingData) {
        all.set(d, off);
        off += d.length;
      }
      store.add(pendingTexts, all);
      pendingTexts.length = 0;
      pendingData.length = 0;
    };
    const nWorkers = Math.min(opts.jobs, chunks.length);
    const workers: Worker[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        let next = 0,
          finished = 0,
          failed = false;
        const fail = (e: Error): void => {
          if (!failed) {
            failed = true;
            reject(e);
          }
        };
        // longest texts first: the slowest chunks start early, so workers finish close together
        const give = (w: Worker): void => {
          if (failed || next >= chunks.length) return;
          const id = chunks.length - 1 - next++;
          w.postMessage({ op: "embed", id, texts: chunks[id]! } satisfies WorkerRequest);
        };
        for (let k = 0; k < nWorkers; k++) {
          const w = new Worker(ENTRY, { workerData: { recipe: opts.recipe }, execArgv: workerExecArgv() });
          workers.push(w);
          w.on("error", (e) => fail(e instanceof Error ? e : new Error(String(e))));
          w.on("exit", (code) => {
            if (finished < chunks.length)
              fail(new Error(`embedding worker exited (code ${code}) before the work was done`));
          });
          w.on("message", (r: WorkerReply) => {
            if (r.op === "error") {
              fail(new Error(`embedding worker: ${r.message}`));
              return;
            }
            if (r.op === "ready") {
              if (r.dim !== store.dim) {
                fail(
                  new ValidationError("embedding worker", `vectors of the store's size ${store.dim}`, r.dim),
                );
                return;
              }
              backends.push(r.backend);
              if (backends.length === nWorkers) startSeconds = (performance.now() - t0) / 1000;
              give(w);
              return;
            }
            const chunk = chunks[r.id]!;
            if (r.data.length !== chunk.length * store.dim) {
              fail(new Error(`embedding worker returned ${r.data.length} values for ${chunk.length} texts`));
              return;
            }
            pendingTexts.push(...chunk);
            pendingData.push(r.data);
            done += chunk.length;
            finished++;
            if (pendingTexts.length >= flushEvery) flush();
            opts.onProgress?.(done, unique.length);
            if (finished === chunks.length) resolve();
            else give(w);
          });
        }
      });
    } finally {
      flush();
      for (const w of workers) {
        w.removeAllListeners("exit");
        void w.terminate();
      }
    }
  }
  const vectors = new Map<string, Float32Array>();
  for (const t of unique) {
    const v = store.get(t);
    if (v === undefined)
      throw new Error(`text vector store lost a vector it was given (${JSON.stringify(t.slice(0, 40))})`);
    vectors.set(t, v);
  }
  return {
    vectors,
    unique: unique.length,
    fromStore,
    embedded: missing.length,
    seconds: (performance.now() - t0) / 1000,
    startSeconds,
    backends,
  };
}
