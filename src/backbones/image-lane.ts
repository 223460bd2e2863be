/**
 * The parent's end of one image worker (image-worker.ts): a worker thread,
 * or a child process pinned to one CPU. A request is a message with an id;
 * the reply with that id settles it; a worker that dies rejects everything
 * still pending with why.
 *
 * Why processes: on this 2-vCPU machine a worker thread's decode hops between
 * threads (the worker's, libuv's, libvips's) that the process shares with the
 * other worker, and each hop to the other core costs a wake-up and a cold
 * cache; one core's worth of work pinned to one CPU costs 8.2 CPU ms per
 * image against 9.6-11.5 unpinned (docs/decisions/chexpert.md). A process of
 * its own, pinned before it starts any thread pool, keeps all of a lane's
 * threads on its CPU.
 */
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { QmtlError } from "../core/errors.ts";
import type { BatchTiming } from "./image-batch.ts";
import type { ImageWorkerInit } from "./image-worker.ts";
import { workerExecArgv } from "../core/worker-args.ts";

export interface Reply {
  id: number;
  ready?: true;
  pinned?: boolean;
  closed?: true;
  error?: string;
  data?: Float32Array;
  dim?: number;
  errors?: (string | null)[];
  timing?: BatchTiming;
  gapMs?: number;
  /** a process worker's CPU ms since its previous reply */
  cpuMs?: number | null;
}

export interface LaneStatsAcc {
  batches: number;
  decodeMs: number;
  cnnMs: number;
  gapMs: number;
  /** CPU ms of a process worker (NaN for threads: their CPU is this process's) */
  cpuMs: number;
}

export interface Lane {
  readonly kind: "thread" | "process";
  /** the CPU a process lane is pinned to (null: not pinned) */
  readonly cpu: number | null;
  /** a process lane's process id (null for a thread) */
  readonly pid: number | null;
  post(msg: object): void;
  kill(): Promise<void>;
  readonly pending: Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>;
  dead: Error | null;
  stats: LaneStatsAcc;
}

const entry = new URL("./image-worker-entry.mjs", import.meta.url);

/** Per-CPU time counters of /proc/stat (jiffies): busy and total, by CPU number. */
export type CpuTimes = ReadonlyMap<number, { readonly busy: number; readonly total: number }>;

/** Parses /proc/stat's per-CPU lines ("cpuN user nice system idle iowait irq softirq steal ..."). */
export function parseCpuTimes(stat: string): CpuTimes {
  const out = new Map<number, { busy: number; total: number }>();
  for (const line of stat.split("\n")) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const f = m[2]!.trim().split(/\s+/).map(Number);
    if (f.length < 4 || f.some((x) => !Number.isFinite(x))) continue;
    // guest times are already counted in user and nice
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = f[3]! + (f[4] ?? 0);
    out.set(Number(m[1]), { busy: total - idle, total });
  }
  return out;
}

/**
 * The allowed CPUs ordered from the least to the most busy between two samples of /proc/stat (ties, and
 * CPUs without a sample, in their own order): the CPUs to pin image workers to first, so that on a
 * machine shared with other jobs they do not land on the busy ones.
 */
export function cpusByIdleness(allowed: readonly number[], before: CpuTimes, after: CpuTimes): number[] {
  const load = (c: number): number => {
    const a = before.get(c),
      b = after.get(c);
    if (a === undefined || b === undefined || b.total <= a.total) return 0;
    return (b.busy - a.busy) / (b.total - a.total);
  };
  return allowed
    .map((c, i) => ({ c, i, l: load(c) }))
    .sort((x, y) => x.l - y.l || x.i - y.i)
    .map((x) => x.c);
}

/** /proc/stat's per-CPU counters now, or null where there is no /proc/stat. */
export function readCpuTimes(): CpuTimes | null {
  try {
    return parseCpuTimes(readFileSync("/proc/stat", "utf8"));
  } catch {
    return null;
  }
}

/** The CPUs this process may run on (Linux: Cpus_allowed_list), or null where that is unknown. */
export function allowedCpus(): number[] | null {
  let text: string;
  try {
    text = readFileSync("/proc/self/status", "utf8");
  } catch {
    return null;
  }
  const line = /^Cpus_allowed_list:\s*(\S+)/m.exec(text)?.[1];
  if (line === undefined) return null;
  const out: number[] = [];
  for (const part of line.split(",")) {
    const [a, b] = part.split("-").map(Number);
    if (!Number.isInteger(a)) return null;
    for (let c = a!; c <= (b ?? a!); c++) out.push(c);
  }
  return out.length > 0 ? out : null;
}

let nextId = 0;

export function send(lane: Lane, msg: object): Promise<Reply> {
  if (lane.dead) return Promise.reject(lane.dead);
  const id = nextId++;
  return new Promise((resolve, reject) => {
    lane.pending.set(id, { resolve, reject });
    try {
      lane.post({ id, ...msg });
    } catch (e) {
      lane.pending.delete(id);
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}

/**
 * Starts one worker: a thread, or (cpu given or not) a child process, pinned
 * to `cpu` when it is a number and `taskset` exists. Resolves once its model
 * is loaded.
 */
export async function startLane(
  init: ImageWorkerInit,
  how: { kind: "thread" } | { kind: "process"; cpu: number | null },
): Promise<Lane> {
  const pending: Lane["pending"] = new Map();
  let lane: Lane;
  const onMessage = (r: Reply): void => {
    const p = pending.get(r.id);
    if (!p) return;
    pending.delete(r.id);
    p.resolve(r);
  };
  const fail = (e: Error): void => {
    lane.dead ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  if (how.kind === "thread") {
    const worker = new Worker(entry, { workerData: init, execArgv: workerExecArgv() });
    worker.on("message", onMessage);
    worker.on("error", (e) => fail(new QmtlError(`image worker failed: ${e.message}`)));
    worker.on("exit", (code) => fail(new QmtlError(`image worker exited (code ${code})`)));
    lane = {
      kind: "thread",
      cpu: null,
      pid: null,
      post: (m) => worker.postMessage(m),
      kill: async () => void (await worker.terminate()),
      pending,
      dead: null,
      stats: { batches: 0, decodeMs: 0, cnnMs: 0, gapMs: 0, cpuMs: 0 },
    };
  } else {
    const env: NodeJS.ProcessEnv = { ...process.env, QMTL_IMAGE_WORKER: JSON.stringify(init) };
    if (how.cpu !== null) env.QMTL_IMAGE_CPU = String(how.cpu);
    else delete env.QMTL_IMAGE_CPU;
    const child: ChildProcess = fork(fileURLToPath(entry), [], {
      env,
      execArgv: workerExecArgv(),
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.on("message", (m) => onMessage(m as Reply));
    child.on("error", (e) => fail(new QmtlError(`image worker process failed: ${e.message}`)));
    const exited = new Promise<void>((resolve) =>
      child.on("exit", (code, signal) => {
        fail(new QmtlError(`image worker process exited (${signal ?? `code ${code}`})`));
        resolve();
      }),
    );
    let cpu: number | null = null;
    lane = {
      kind: "process",
      get cpu() {
        return cpu;
      },
      pid: child.pid ?? null,
      post: (m) => {
        if (!child.connected) throw new QmtlError("image worker process is gone");
        child.send(m);
      },
      kill: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill();
        await exited;
      },
      pending,
      dead: null,
      stats: { batches: 0, decodeMs: 0, cnnMs: 0, gapMs: 0, cpuMs: 0 },
    };
    const r = await readyReply(lane);
    cpu = r.pinned === true ? how.cpu : null;
    return lane;
  }
  await readyReply(lane);
  return lane;
}

function readyReply(lane: Lane): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    if (lane.dead) return reject(lane.dead);
    lane.pending.set(-1, {
      resolve: (r) => (r.error ? reject(new QmtlError(`image worker: ${r.error}`)) : resolve(r)),
      reject,
    });
  }).catch(async (e: unknown) => {
    await lane.kill();
    throw e;
  });
}
