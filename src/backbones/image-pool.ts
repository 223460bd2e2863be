/**
 * Runners for image batches: in the calling thread (one ONNX session with
 * `threads` intra-op threads), or a pool of worker threads, each with its own
 * session on one intra-op thread and one libvips thread. The pool splits a
 * list of images into small batches and hands each to the next worker with
 * room for it (work stealing, so the tail is one batch at most), keeping
 * `depth` batches in flight per worker: with depth >= 2 and `pipeline`, a
 * worker decodes its next batch while its CNN runs the current one
 * (image-worker.ts). `stats()` tells where the last run's time went.
 */
import { Worker } from "node:worker_threads";
import sharp from "sharp";
import { QmtlError } from "../core/errors.ts";
import { loadCnnBackbone, type CnnBackbone, type CnnBackboneSpec } from "./onnx-cnn.ts";
import { runImageBatch, type BatchItem, type BatchResult, type BatchTiming } from "./image-batch.ts";

export interface ImageRunner {
  /** features of `items`, in order; `onBatch(k)` after every k images finish */
  run(items: readonly BatchItem[], onBatch?: (done: number) => void): Promise<BatchResult>;
  close(): Promise<void>;
  /** per worker: where the last run's time went (pools only) */
  stats?(): PoolStats;
}

export interface LaneStats {
  readonly batches: number;
  /** elapsed ms of the decodes (overlapping the CNN when pipelined) */
  readonly decodeMs: number;
  readonly cnnMs: number;
  /** ms the worker's CNN stood idle between batches (waiting for work or for a decode) */
  readonly gapMs: number;
}
export interface PoolStats {
  readonly wallMs: number;
  readonly lanes: readonly LaneStats[];
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
  timing?: BatchTiming;
  gapMs?: number;
}

interface Lane {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>;
  dead: Error | null;
  stats: { batches: number; decodeMs: number; cnnMs: number; gapMs: number };
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

async function startLane(spec: CnnBackboneSpec, cacheDir: string, pipeline: boolean): Promise<Lane> {
  const worker = new Worker(entry, { workerData: { spec, cacheDir, pipeline }, execArgv: workerExecArgv() });
  const zero = { batches: 0, decodeMs: 0, cnnMs: 0, gapMs: 0 };
  const lane: Lane = { worker, pending: new Map(), dead: null, stats: zero };
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

/** How long close() waits for a worker to release its session before terminating it anyway. */
const CLOSE_WAIT_MS = 5000;

export interface PoolOptions {
  readonly jobs: number;
  readonly cacheDir: string;
  readonly batch: number;
  /** batches in flight per worker (default 3; 1 = one at a time) */
  readonly depth?: number;
  /** decode a batch while the CNN runs the one before (default true) */
  readonly pipeline?: boolean;
}

/** `jobs` worker threads, one session and one intra-op thread each. */
export async function poolRunner(spec: CnnBackboneSpec, opts: PoolOptions): Promise<ImageRunner> {
  const depth = opts.depth ?? 3;
  const pipeline = opts.pipeline ?? true;
  // the first worker writes the edited model (if any); the others then find it on disk
  const first = await startLane(spec, opts.cacheDir, pipeline);
  const rest = await Promise.all(
    Array.from({ length: opts.jobs - 1 }, () => startLane(spec, opts.cacheDir, pipeline)),
  );
  const lanes = [first, ...rest];
  let wallMs = 0;
  return {
    async run(items, onBatch) {
      const t0 = performance.now();
      for (const lane of lanes) lane.stats = { batches: 0, decodeMs: 0, cnnMs: 0, gapMs: 0 };
      const queue = batches(items, opts.batch);
      const parts: BatchResult[] = new Array<BatchResult>(queue.length);
      let next = 0;
      let failed = false;
      const pull = async (lane: Lane): Promise<void> => {
        while (next < queue.length && !failed) {
          const k = next++;
          const r = await send(lane, { items: queue[k] }).catch((e: unknown) => {
            failed = true;
            throw e;
          });
          if (r.error !== undefined) {
            failed = true;
            throw new QmtlError(`image worker: ${r.error}`);
          }
          parts[k] = { data: r.data ?? new Float32Array(0), dim: r.dim ?? 0, errors: r.errors ?? [] };
          const st = lane.stats;
          st.batches++;
          st.decodeMs += r.timing?.decodeMs ?? 0;
          st.cnnMs += r.timing?.cnnMs ?? 0;
          st.gapMs += r.gapMs ?? 0;
          onBatch?.(queue[k]!.length);
        }
      };
      // depth pullers per lane, started lane by lane so the first batches spread over the workers
      const pullers: Promise<void>[] = [];
      for (let d = 0; d < depth; d++) for (const lane of lanes) pullers.push(pull(lane));
      const settled = await Promise.allSettled(pullers);
      wallMs = performance.now() - t0;
      const bad = settled.find((x): x is PromiseRejectedResult => x.status === "rejected");
      if (bad) throw bad.reason;
      return joinResults(parts);
    },
    stats: () => ({ wallMs, lanes: lanes.map((l) => ({ ...l.stats })) }),
    async close() {
      await Promise.all(
        lanes.map(async (lane) => {
          if (!lane.dead) {
            let timer: NodeJS.Timeout | undefined;
            const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)));
            await Promise.race([send(lane, { close: true }).catch(() => undefined), late]);
            clearTimeout(timer);
          }
          await lane.worker.terminate();
        }),
      );
    },
  };
}
