import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { QmtlError } from "../core/errors.ts";

/** Relative cost of one cell per head, to balance processes (measured epoch times, rounded). */
const HEAD_COST: Record<string, number> = {
  qmtl: 3,
  "qmtl-noent": 2,
  "hqnn-13": 4,
  "hqnn-4": 0.5,
  classical: 0.3,
};

/**
 * Longest-processing-time-first assignment of cells ("head:fold:seed") to
 * `jobs` processes: each cell goes to the least loaded process, costliest
 * first. Deterministic.
 */
export function assignCells(cells: readonly string[], jobs: number): string[][] {
  const cost = (c: string): number => HEAD_COST[c.split(":")[0]!] ?? 1;
  const order = [...cells].sort((a, b) => cost(b) - cost(a) || a.localeCompare(b));
  const bins = Array.from({ length: jobs }, () => ({ load: 0, cells: [] as string[] }));
  for (const c of order) {
    const bin = bins.reduce((m, b) => (b.load < m.load ? b : m));
    bin.cells.push(c);
    bin.load += cost(c);
  }
  return bins.map((b) => b.cells).filter((b) => b.length > 0);
}

/** The entry this process runs (bin/qmtl.js, or src/cli/main.ts under tsx): children run the same one. */
const ENTRY = process.argv[1]!;

/**
 * Runs the cells in one child process per job (one per core): sweeps of
 * independent cells scale with processes, without per-gate synchronisation.
 * Children write their cells' files; the caller aggregates afterwards. A
 * child exits when it finds itself orphaned (parentWatch), so killing this
 * process stops them all.
 */
export async function runChildren(
  args: readonly string[],
  groups: readonly string[][],
  log: (line: string) => void,
): Promise<void> {
  const children: ChildProcess[] = [];
  const exits = groups.map(
    (cells, j) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [...process.execArgv, ENTRY, ...args, "--cells", cells.join(","), "--jobs", "1"],
          { stdio: ["pipe", "pipe", "pipe"] },
        );
        children.push(child);
        const forward = (buf: Buffer): void => {
          for (const line of buf.toString("utf8").split("\n"))
            if (line.trim().length > 0) log(`[job ${j + 1}] ${line}`);
        };
        child.stdout!.on("data", forward);
        child.stderr!.on("data", forward);
        child.on("error", reject);
        child.on("exit", (code, signal) =>
          code === 0
            ? resolve()
            : reject(
                new QmtlError(
                  `job ${j + 1} (cells ${cells.join(",")}) failed: ${signal ?? `exit code ${code}`}`,
                ),
              ),
        );
      }),
  );
  try {
    await Promise.all(exits);
  } catch (e) {
    for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
    throw e;
  }
}

/**
 * In a child: a check to call often (training is synchronous, so no event
 * would be handled mid-cell) that exits as soon as the parent is gone: a
 * process whose parent died is re-parented, so its ppid changes. Every file
 * is written atomically, so exiting between two calls loses nothing finished.
 */
export function parentWatch(): () => void {
  const ppid = process.ppid;
  return () => {
    if (process.ppid !== ppid) process.exit(130);
  };
}
