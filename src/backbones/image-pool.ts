/**
 * Runners for image batches: in the calling thread (one ONNX session with
 * `threads` intra-op threads), or a pool of workers, each with its own
 * session on one intra-op thread and one libvips thread. Workers are child
 * processes pinned one per CPU (default; image-lane.ts says why) or worker
 * threads. The pool splits a list of images into small batches and hands
 * each to the next worker with room for it (work stealing, so the tail is one
 * batch at most), keeping `depth` batches in flight per worker: with depth >= 2
 * and `pipeline`, a worker decodes its next batches while its CNN runs the
 * current one (image-worker.ts). `stats()` tells where the last run's time went.
 */
import sharp from "sharp";
import { QmtlError, ValidationError, requireInt } from "../core/errors.ts";
import { loadCnnBackbone, type CnnBackbone, type CnnBackboneSpec } from "./onnx-cnn.ts";
import { runImageBatch, type BatchItem, type BatchResult } from "./image-batch.ts";
import { allowedCpus, cpusByIdleness, readCpuTimes, send, startLane, type Lane } from "./image-lane.ts";

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
  /** CPU ms a process worker spent (all its threads; NaN for a thread, whose CPU is this process's) */
  readonly cpuMs: number;
  readonly kind: "thread" | "process";
  /** the CPU the worker is pinned to (null: not pinned) */
  readonly cpu: number | null;
  /** the worker's process id (null for a thread) */
  readonly pid: number | null;
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

/**
 * How long close() waits for a worker to finish its queue and release its session before ending it anyway:
 * a thread is given long (terminating one while sharp or onnxruntime still works for it aborts this process),
 * a process little (killing it harms nothing else).
 */
const CLOSE_WAIT_MS = { thread: 120_000, process: 10_000 } as const;

export interface PoolOptions {
  readonly jobs: number;
  readonly cacheDir: string;
  readonly batch: number;
  /** batches in flight per worker (default 3; 1 = one at a time) */
  readonly depth?: number;
  /** decode a batch while the CNN runs the one before (default true) */
  readonly pipeline?: boolean;
  /** "processes" (default): child processes, each pinned to a CPU of its own where they fit; or "threads" */
  readonly kind?: "processes" | "threads";
  /**
   * "least-busy" (default): pin each process to a CPU of its own, the least busy of those this process
   * may use over a 100 ms sample (only when jobs <= those CPUs); "none": leave placement to the OS
   */
  readonly pin?: "least-busy" | "none";
}

/** The CPUs this process may use, least busy first (100 ms of /proc/stat), or null where unknown. */
async function leastBusyCpus(): Promise<number[] | null> {
  const allowed = allowedCpus();
  const before = readCpuTimes();
  if (allowed === null || before === null) return allowed;
  await new Promise((r) => setTimeout(r, 100));
  return cpusByIdleness(allowed, before, readCpuTimes() ?? before);
}

/**
 * `jobs` workers, one session and one intra-op thread each: child processes
 * (pinned one per CPU where the CPUs suffice and `taskset` exists) or worker threads.
 */
export async function poolRunner(spec: CnnBackboneSpec, opts: PoolOptions): Promise<ImageRunner> {
  const depth = opts.depth ?? 3;
  requireInt("image pool depth", depth, 1, 64);
  requireInt("image pool jobs", opts.jobs, 1, 256);
  const init = { spec, cacheDir: opts.cacheDir, pipeline: opts.pipeline ?? true };
  const kind = opts.kind ?? "processes";
  const pin = opts.pin ?? "least-busy";
  if (pin !== "least-busy" && pin !== "none")
    throw new ValidationError("image pool pin", '"least-busy" or "none"', pin);
  const cpus = kind === "processes" && pin === "least-busy" ? await leastBusyCpus() : null;
  const pinTo = (i: number): number | null => (cpus !== null && opts.jobs <= cpus.length ? cpus[i]! : null);
  const start = (i: number): Promise<Lane> =>
    kind === "threads"
      ? startLane(init, { kind: "thread" })
      : startLane(init, { kind: "process", cpu: pinTo(i) });
  // the first worker writes the edited model (if any); the others then find it on disk
  const first = await start(0);
  const rest = await Promise.allSettled(Array.from({ length: opts.jobs - 1 }, (_, i) => start(i + 1)));
  const failed = rest.find((x): x is PromiseRejectedResult => x.status === "rejected");
  const lanes = [first, ...rest.flatMap((x) => (x.status === "fulfilled" ? [x.value] : []))];
  if (failed) {
    await Promise.all(lanes.map((l) => l.kill()));
    throw failed.reason;
  }
  let wallMs = 0;
  /** set by close(): no new batch goes out, so each worker's queue drains before it stops */
  let closing = false;
  return {
    async run(items, onBatch) {
      const t0 = performance.now();
      for (const lane of lanes) lane.stats = { batches: 0, decodeMs: 0, cnnMs: 0, gapMs: 0, cpuMs: 0 };
      const queue = batches(items, opts.batch);
      const parts: BatchResult[] = new Array<BatchResult>(queue.length);
      let next = 0;
      let failed = false;
      const pull = async (lane: Lane): Promise<void> => {
        while (next < queue.length && !failed) {
          if (closing) {
            failed = true;
            throw new QmtlError("image pool: closed during a run");
          }
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
          st.cpuMs += r.cpuMs ?? Number.NaN;
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
    stats: () => ({
      wallMs,
      lanes: lanes.map((l) => ({ ...l.stats, kind: l.kind, cpu: l.cpu, pid: l.pid })),
    }),
    async close() {
      closing = true;
      await Promise.all(
        lanes.map(async (lane) => {
          if (!lane.dead) {
            let timer: NodeJS.Timeout | undefined;
            const late = new Promise<void>(
              (resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS[lane.kind])),
            );
            await Promise.race([send(lane, { close: true }).catch(() => undefined), late]);
            clearTimeout(timer);
          }
          await lane.kill();
        }),
      );
    },
  };
}
