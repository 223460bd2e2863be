/**
 * Runners for image batches: in the calling thread (one ONNX session with
 * `threads` intra-op threads), or a pool of worker threads, each with its own
 * session on one intra-op thread and one libvips thread. The pool splits a
 * list of images into small batches and hands each to the next idle worker,
 * so decoding and the CNN overlap across workers.
 */
import { Worker } from "node:worker_threads";
import sharp from "sharp";
import { QmtlError } from "../core/errors.ts";
import { loadCnnBackbone, type CnnBackbone, type CnnBackboneSpec } from "./onnx-cnn.ts";
import { runImageBatch, type BatchItem, type BatchResult } from "./image-batch.ts";

export interface ImageRunner {
  /** features of `items`, in order; `onBatch(k)` after every k images finish */
  run(items: readonly BatchItem[], onBatch?: (done: number) => void): Promise<BatchResult>;
  close(): Promise<void>;
}

/** Concatenates batch results in order. */
function joinResults(parts: readonly BatchResult[]): BatchResult {
  const dim = parts.find((p) => p.dim > 0)?.dim ?? 0;
  const rows = parts.reduce((a, p) => a + (p.dim > 0 ? p.data.length / p.dim : 0), 0);
  const data = new Float32Array(rows * dim);
  let off = 0;
  const errors: (string | null)[] = [];
  for (const p of parts) {
    if (p.dim > 0 && p.dim !== dim)
      throw new QmtlError(`image features: batches disagree on the feature size (${p.dim} vs ${dim})`);
    data.set(p.data, off);
    off += p.data.length;
    errors.push(...p.errors);
  }
  return { data, dim, errors };
}

function batches(items: readonly BatchItem[], size: number): BatchItem[][] {
  const out: BatchItem[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * One session in this thread with `threads` intra-op threads. libvips (sharp)
 * is set to the same number of threads, process-wide, so one job uses one core.
 */
export async function localRunner(
  spec: CnnBackboneSpec,
  opts: { threads: number; cacheDir: string; batch: number },
): Promise<ImageRunner> {
  sharp.concurrency(opts.threads);
  const backbone: CnnBackbone = await loadCnnBackbone(spec, {
    threads: opts.threads,
    cacheDir: opts.cacheDir,
  });
  return {
    async run(items, onBatch) {
      const parts: BatchResult[] = [];
      for (const b of batches(items, opts.batch)) {
        parts.push(await runImageBatch(backbone, b));
        onBatch?.(b.length);
      }
      return joinResults(parts);
    },
    close: () => backbone.close(),
  };
}

interface Reply {
  id: number;
  ready?: true;
  closed?: true;
  error?: string;
  data?: Float32Array;
  dim?: number;
  errors?: (string | null)[];
}

interface Lane {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>;
  dead: Error | null;
}

const entry = new URL("./image-worker-entry.mjs", import.meta.url);

/** execArgv for workers: the parent's flags without tsx's loader (the entry registers it itself). */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const a = process.execArgv;
  for (let i = 0; i < a.length; i++) {
    const f = a[i]!;
    if ((f === "--import" || f === "--require" || f === "--loader") && a[i + 1]?.includes("tsx")) {
      i++;
      continue;
    }
    if (f.includes("tsx")) continue;
    out.push(f);
  }
  return out;
}

let nextId = 0;

function send(lane: Lane, msg: object): Promise<Reply> {
  if (lane.dead) return Promise.reject(lane.dead);
  const id = nextId++;
  return new Promise((resolve, reject) => {
    lane.pending.set(id, { resolve, reject });
    lane.worker.postMessage({ id, ...msg });
  });
}

async function startLane(spec: CnnBackboneSpec, cacheDir: string): Promise<Lane> {
  const worker = new Worker(entry, { workerData: { spec, cacheDir }, execArgv: workerExecArgv() });
  const lane: Lane = { worker, pending: new Map(), dead: null };
  const ready = new Promise<void>((resolve, reject) => {
    lane.pending.set(-1, {
      resolve: (r) => (r.error ? reject(new QmtlError(`image worker: ${r.error}`)) : resolve()),
      reject,
    });
  });
  worker.on("message", (r: Reply) => {
    const p = lane.pending.get(r.id);
    if (!p) return;
    lane.pending.delete(r.id);
    p.resolve(r);
  });
  const fail = (e: Error): void => {
    lane.dead = e;
    for (const p of lane.pending.values()) p.reject(e);
    lane.pending.clear();
  };
  worker.on("error", (e) => fail(new QmtlError(`image worker failed: ${e.message}`)));
  worker.on("exit", (code) => {
    if (!lane.dead) fail(new QmtlError(`image worker exited (code ${code})`));
  });

  await ready;
  return lane;
}

/** `jobs` worker threads, one session and one intra-op thread each. */
export async function poolRunner(
  spec: CnnBackboneSpec,
  opts: { jobs: number; cacheDir: string; batch: number },
): Promise<ImageRunner> {
  // the first worker writes the edited model (if any); the others then find it on disk
  const first = await startLane(spec, opts.cacheDir);
  const rest = await Promise.all(Array.from({ length: opts.jobs - 1 }, () => startLane(spec, opts.cacheDir)));
  const lanes = [first, ...rest];
  return {
    async run(items, onBatch) {
      const queue = batches(items, opts.batch);
      const parts: BatchResult[] = new Array<BatchResult>(queue.length);
      let next = 0;
      await Promise.all(
        lanes.map(async (lane) => {
          while (next < queue.length) {
            const k = next++;
            const r = await send(lane, { items: queue[k] });
            if (r.error !== undefined) throw new QmtlError(`image worker: ${r.error}`);
            parts[k] = { data: r.data ?? new Float32Array(0), dim: r.dim ?? 0, errors: r.errors ?? [] };
            onBatch?.(queue[k]!.length);
          }
        }),
      );
      return joinResults(parts);
    },
    async close() {
      await Promise.all(
        lanes.map(async (lane) => {
          if (!lane.dead) await send(lane, { close: true }).catch(() => undefined);
          await lane.worker.terminate();
        }),
      );
    },
  };
}
