import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { QmtlError } from "../core/errors.ts";

/** The entry this process runs (bin/qmtl.js, or src/cli/main.ts under tsx): children run the same one. */
const ENTRY = process.argv[1]!;

/** Relative cost of one cell per head, to balance processes (measured epoch times, rounded). */
const HEAD_COST: Record<string, number> = {
  qmtl: 3,
  "qmtl-noent": 2,
  "hqnn-13": 4,
  "hqnn-4": 0.5,
  classical: 0.3,
};

/** Cells in the order a work queue hands them out: costliest head first (the LPT order), then by name. */
export function queueOrder(cells: readonly string[]): string[] {
  const cost = (c: string): number => HEAD_COST[c.split(":")[0]!] ?? 1;
  return [...cells].sort((a, b) => cost(b) - cost(a) || a.localeCompare(b));
}

/** What a queue child sends its parent (asking for work) and what it gets back (null: no more). */
export interface QueueRequest {
  readonly type: "next-cell";
}
export interface QueueReply {
  readonly cell: string | null;
}

/**
 * Runs the cells in `jobs` child processes that take one cell at a time from a shared queue (costliest
 * first) over an IPC channel: a process that finishes early takes the next cell, so no process idles
 * while another still has a backlog (a fixed split by estimated cost left one of two processes idle for
 * 152 s of a 12-minute GLUE run: the estimates were MUStARD's). Each child loads the inputs once.
 */
export async function runChildrenQueue(
  args: readonly string[],
  cells: readonly string[],
  jobs: number,
  log: (line: string) => void,
): Promise<void> {
  const queue = queueOrder(cells);
  let next = 0;
  const children: ChildProcess[] = [];
  const exits = Array.from(
    { length: jobs },
    (_, j) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [...process.execArgv, ENTRY, ...args, "--cells-from-parent", "--jobs", "1"],
          { stdio: ["pipe", "pipe", "pipe", "ipc"] },
        );
        children.push(child);
        const done: string[] = [];
        const forward = (buf: Buffer): void => {
          for (const line of buf.toString("utf8").split("\n"))
            if (line.trim().length > 0) log(`[job ${j + 1}] ${line}`);
        };
        child.stdout!.on("data", forward);
        child.stderr!.on("data", forward);
        child.on("message", (m: QueueRequest) => {
          if (m.type !== "next-cell" || !child.connected) return;
          const cell = next < queue.length ? queue[next++]! : null;
          if (cell !== null) done.push(cell);
          const reply: QueueReply = { cell };
          child.send(reply);
        });
        child.on("error", reject);
        child.on("exit", (code, signal) =>
          code === 0
            ? resolve()
            : reject(
                new QmtlError(
                  `job ${j + 1} (cells ${done.join(",")}) failed: ${signal ?? `exit code ${code}`}`,
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

/** In a queue child: the next cell from the parent, or null when the queue is empty. */
export function nextCellFromParent(): Promise<string | null> {
  const send = process.send?.bind(process);
  if (send === undefined || !process.connected)
    throw new QmtlError("--cells-from-parent: internal flag of a parallel run (no parent channel)");
  return new Promise((resolve, reject) => {
    const onMessage = (m: QueueReply): void => {
      process.off("disconnect", onGone);
      resolve(m.cell);
    };
    const onGone = (): void => {
      process.off("message", onMessage);
      reject(new QmtlError("the parent of this parallel run went away"));
    };
    process.once("message", onMessage);
    process.once("disconnect", onGone);
    const req: QueueRequest = { type: "next-cell" };
    send(req);
  });
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
