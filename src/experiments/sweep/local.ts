/**
 * Runs a sweep's unfinished cells on this machine: one child process per job
 * (default one per core), costliest cells first. A child is an ordinary
 * `qmtl run <suite> --config <cell config> --out <sweep>/cells --name <id>
 * --resume --jobs 1`, started in the sweep's base folder, its output appended
 * to <sweep>/logs/<id>.log. A cell whose run fails is reported and the others
 * go on; the next invocation re-runs it (resuming from its checkpoints).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { cellConfigPath, cellLogPath, cellState } from "./sweep-dir.ts";

/** The arguments (after the bin) that run one cell. */
export function cellArgs(suite: string, sweepDir: string, id: string): string[] {
  return [
    "run",
    suite,
    "--config",
    cellConfigPath(sweepDir, id),
    "--out",
    join(sweepDir, "cells"),
    "--name",
    id,
    "--resume",
    "--jobs",
    "1",
  ];
}

/** The arguments that run one noise evaluation cell (`<cell>~<condition>`) of a sweep. */
export function evalArgs(sweepDir: string, id: string): string[] {
  return ["sweep-eval", sweepDir, id];
}

export interface SweepProgress {
  readonly total: number;
  readonly done: number;
  readonly failed: string[];
  readonly running: string[];
  /** seconds left, from the cost of what remains and the rate so far (null before the first cell ends) */
  readonly etaSeconds: number | null;
}

export type LocalEvent =
  | { type: "start"; id: string; progress: SweepProgress }
  | { type: "done"; id: string; seconds: number; progress: SweepProgress }
  | { type: "failed"; id: string; reason: string; progress: SweepProgress }
  | { type: "busy"; id: string; progress: SweepProgress };

export interface LocalRunOptions {
  readonly suite: string;
  readonly sweepDir: string;
  /** the folder cells run in (relative paths of the configs refer to it) */
  readonly baseDir: string;
  /** what runs the qmtl CLI after the node binary: node options and the entry script (this process's own) */
  readonly command: readonly string[];
  readonly jobs: number;
  readonly onEvent?: (e: LocalEvent) => void;
  /** the qmtl arguments of a cell (default: `cellArgs`, a training run; noise evaluation cells differ) */
  readonly argsOf?: (id: string) => string[];
  /** whether a cell finished (default: its run folder holds results.json) */
  readonly isDone?: (id: string) => boolean;
}

/** What scheduling needs of a cell. */
export interface Schedulable {
  readonly id: string;
  readonly cost: number;
}

const lockPath = (sweepDir: string, id: string): string => join(sweepDir, "cells", `${id}.lock`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes a cell's lock (`cells/<id>.lock`, created exclusively, holding host and
 * pid), so two sweeps started on the same folder never run one cell twice at
 * once. A lock left by a dead process on this host is taken over; a lock of
 * another host is respected. Returns false when the cell is taken.
 */
export function lockCell(sweepDir: string, id: string): boolean {
  const path = lockPath(sweepDir, id);
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, JSON.stringify({ host: hostname(), pid: process.pid }));
      closeSync(fd);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let holder: { host?: string; pid?: number } = {};
      try {
        holder = JSON.parse(readFileSync(path, "utf8")) as typeof holder;
      } catch {
        /* a torn lock: treat as stale below */
      }
      const stale = holder.pid === undefined || (holder.host === hostname() && !alive(holder.pid));
      if (!stale) return false;
      rmSync(path, { force: true });
    }
  }
  return false;
}

export function unlockCell(sweepDir: string, id: string): void {
  rmSync(lockPath(sweepDir, id), { force: true });
}

/** Costliest first, then by id: deterministic. */
export function scheduleOrder<T extends Schedulable>(cells: readonly T[]): T[] {
  return [...cells].sort((a, b) => b.cost - a.cost || a.id.localeCompare(b.id));
}

function lastLines(path: string, n: number): string {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-n).join(" | ");
  } catch {
    return "";
  }
}

/**
 * Runs `cells` (already filtered to the unfinished ones) and resolves with
 * the ids that failed (and those another process holds). SIGINT/SIGTERM stop every child before this process exits.
 */
export async function runLocal(
  cells: readonly Schedulable[],
  opts: LocalRunOptions,
): Promise<{ failed: string[]; busy: string[] }> {
  const queue = scheduleOrder(cells);
  const total = queue.length;
  const totalCost = queue.reduce((a, c) => a + c.cost, 0);
  const running = new Map<string, ChildProcess>();
  const failed: string[] = [];
  let done = 0,
    doneCost = 0;
  const t0 = Date.now();
  const progress = (): SweepProgress => {
    const elapsed = (Date.now() - t0) / 1000;
    const eta = doneCost > 0 ? ((totalCost - doneCost) * elapsed) / doneCost : null;
    return { total, done, failed: [...failed], running: [...running.keys()], etaSeconds: eta };
  };
  const stop = (signal: NodeJS.Signals): void => {
    for (const [id, c] of running) {
      if (c.exitCode === null) c.kill("SIGTERM");
      unlockCell(opts.sweepDir, id);
    }
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const busy: string[] = [];
  const argsOf = opts.argsOf ?? ((id: string) => cellArgs(opts.suite, opts.sweepDir, id));
  const isDone = opts.isDone ?? ((id: string) => cellState(opts.sweepDir, id) === "done");
  const runOne = (cell: Schedulable): Promise<void> =>
    new Promise((resolve) => {
      if (!lockCell(opts.sweepDir, cell.id)) {
        busy.push(cell.id);
        opts.onEvent?.({ type: "busy", id: cell.id, progress: progress() });
        resolve();
        return;
      }
      const log = cellLogPath(opts.sweepDir, cell.id);
      mkdirSync(dirname(log), { recursive: true });
      const fd = openSync(log, "a");
      const started = Date.now();
      const child = spawn(process.execPath, [...opts.command, ...argsOf(cell.id)], {
        cwd: opts.baseDir,
        stdio: ["ignore", fd, fd],
        env: { ...process.env, QMTL_CHILD: "1" },
      });
      running.set(cell.id, child);
      opts.onEvent?.({ type: "start", id: cell.id, progress: progress() });
      const finish = (reason: string | null): void => {
        closeSync(fd);
        unlockCell(opts.sweepDir, cell.id);
        running.delete(cell.id);
        if (reason === null && isDone(cell.id)) {
          done++;
          doneCost += cell.cost;
          opts.onEvent?.({
            type: "done",
            id: cell.id,
            seconds: (Date.now() - started) / 1000,
            progress: progress(),
          });
        } else {
          failed.push(cell.id);
          const why = reason ?? "exited without results.json";
          opts.onEvent?.({
            type: "failed",
            id: cell.id,
            reason: `${why}; log ${log}: ${lastLines(log, 2)}`,
            progress: progress(),
          });
        }
        resolve();
      };
      child.on("error", (e) => finish(e.message));
      child.on("exit", (code, signal) =>
        finish(code === 0 ? null : signal ? `killed by ${signal}` : `exit code ${code}`),
      );
    });
  const workers = Array.from({ length: Math.max(1, Math.min(opts.jobs, queue.length)) }, async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await runOne(next);
  });
  await Promise.all(workers);
  process.removeListener("SIGINT", stop);
  process.removeListener("SIGTERM", stop);
  return { failed, busy };
}
