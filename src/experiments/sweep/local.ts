/**
 * Runs a sweep's unfinished cells on this machine: one child process per job
 * (default one per core), costliest cells first. A child is an ordinary
 * `qmtl run <suite> --config <cell config> --out <sweep>/cells --name <id>
 * --resume --jobs 1`, started in the sweep's base folder, its output appended
 * to <sweep>/logs/<id>.log. A cell whose run fails is reported and the others
 * go on; the next invocation re-runs it (resuming from its checkpoints).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { SweepCell } from "./cells.ts";
import { cellConfigPath, cellLogPath, cellState } from "./sweep-dir.ts";

/** The arguments (after the bin) that run one cell. */
export function cellArgs(suite: string, sweepDir: string, id: string): string[] {
  return ["run", suite, "--config", cellConfigPath(sweepDir, id), "--out", join(sweepDir, "cells"), "--name", id, "--resume", "--jobs", "1"];
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
  | { type: "failed"; id: string; reason: string; progress: SweepProgress };

export interface LocalRunOptions {
  readonly suite: string;
  readonly sweepDir: string;
  /** the folder cells run in (relative paths of the configs refer to it) */
  readonly baseDir: string;
  /** path of bin/qmtl.js */
  readonly bin: string;
  readonly jobs: number;
  readonly onEvent?: (e: LocalEvent) => void;
}

/** Costliest first, then by id: deterministic. */
export function scheduleOrder(cells: readonly SweepCell[]): SweepCell[] {
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
 * the ids that failed. SIGINT/SIGTERM stop every child before this process exits.
 */
export async function runLocal(cells: readonly SweepCell[], opts: LocalRunOptions): Promise<{ failed: string[] }> {
  const queue = scheduleOrder(cells);
  const total = queue.length;
  const totalCost = queue.reduce((a, c) => a + c.cost, 0);
  const running = new Map<string, ChildProcess>();
  const failed: string[] = [];
  let done = 0, doneCost = 0;
  const t0 = Date.now();
  const progress = (): SweepProgress => {
    const elapsed = (Date.now() - t0) / 1000;
    const eta = doneCost > 0 ? ((totalCost - doneCost) * elapsed) / doneCost : null;
    return { total, done, failed: [...failed], running: [...running.keys()], etaSeconds: eta };
  };
  const stop = (signal: NodeJS.Signals): void => {
    for (const c of running.values()) if (c.exitCode === null) c.kill("SIGTERM");
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const runOne = (cell: SweepCell): Promise<void> => new Promise((resolve) => {
    const log = cellLogPath(opts.sweepDir, cell.id);
    mkdirSync(dirname(log), { recursive: true });
    const fd = openSync(log, "a");
    const started = Date.now();
    const child = spawn(process.execPath, [opts.bin, ...cellArgs(opts.suite, opts.sweepDir, cell.id)], {
      cwd: opts.baseDir, stdio: ["ignore", fd, fd], env: { ...process.env, QMTL_CHILD: "1" },
    });
    running.set(cell.id, child);
    opts.onEvent?.({ type: "start", id: cell.id, progress: progress() });
    const finish = (reason: string | null): void => {
      closeSync(fd);
      running.delete(cell.id);
      if (reason === null && cellState(opts.sweepDir, cell.id) === "done") {
        done++;
        doneCost += cell.cost;
        opts.onEvent?.({ type: "done", id: cell.id, seconds: (Date.now() - started) / 1000, progress: progress() });
      } else {
        failed.push(cell.id);
        const why = reason ?? "exited without results.json";
        opts.onEvent?.({ type: "failed", id: cell.id, reason: `${why}; log ${log}: ${lastLines(log, 2)}`, progress: progress() });
      }
      resolve();
    };
    child.on("error", (e) => finish(e.message));
    child.on("exit", (code, signal) => finish(code === 0 ? null : signal ? `killed by ${signal}` : `exit code ${code}`));
  });
  const workers = Array.from({ length: Math.max(1, Math.min(opts.jobs, queue.length)) }, async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await runOne(next);
  });
  await Promise.all(workers);
  process.removeListener("SIGINT", stop);
  process.removeListener("SIGTERM", stop);
  return { failed };
}
