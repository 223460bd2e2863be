import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Spawns the real CLI launcher (`node bin/qmtl.js ...`) the way a user runs it: no shell, cwd = repo root. */

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const QMTL_BIN = join(REPO_ROOT, "bin", "qmtl.js");

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export interface CliProcess {
  readonly child: ChildProcess;
  /**
   * resolves when the launcher's output is closed, i.e. when the launcher and
   * every process that inherited its stdout/stderr have exited (never rejects)
   */
  readonly done: Promise<CliResult>;
  /** resolves as soon as the launcher process itself has exited */
  readonly exited: Promise<void>;
  /** SIGKILL the launcher and everything it started (its process group); safe to call twice */
  killGroup(): void;
  /** true while any process of the launcher's group is alive (zombies not counted) */
  groupAlive(): boolean;
}

/**
 * Whether any non-zombie process belongs to process group `pgid`. Reads /proc
 * (Linux); elsewhere falls back to kill(-pgid, 0), which also counts zombies.
 */
export function processGroupAlive(pgid: number): boolean {
  if (existsSync("/proc/self/stat")) {
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${name}/stat`, "utf8");
      } catch {
        continue; // exited meanwhile
      }
      // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
    }
    return false;
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the CLI in its own process group (detached), so a test can kill the
 * whole tree the launcher spawned, as a crash or an OOM kill of the session
 * would. Output is piped (not a TTY), so the CLI prints plain progress lines.
 */
export function startCli(args: readonly string[], timeoutMs = 120_000): CliProcess {
  const t0 = performance.now();
  const child = spawn(process.execPath, [QMTL_BIN, ...args], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  let stdout = "",
    stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (s: string) => {
    stdout += s;
  });
  child.stderr?.setEncoding("utf8").on("data", (s: string) => {
    stderr += s;
  });
  const pid = child.pid;
  const groupAlive = (): boolean => pid !== undefined && processGroupAlive(pid);
  const killGroup = (): void => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  };
  const exited = new Promise<void>((res) => {
    if (child.exitCode !== null || child.signalCode !== null) res();
    child.on("exit", () => res());
    child.on("error", () => res());
  });
  const done = new Promise<CliResult>((res) => {
    const timer = setTimeout(() => {
      stderr += `\n[test] killed after ${timeoutMs} ms\n`;
      killGroup();
    }, timeoutMs);
    child.on("error", (e) => {
      stderr += `\n[test] spawn error: ${e.message}\n`;
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      res({ code, signal, stdout, stderr, seconds: (performance.now() - t0) / 1000 });
    });
  });
  return { child, done, exited, killGroup, groupAlive };
}

/** Runs the CLI to completion; the process group is killed afterwards in case the launcher left anything behind. */
export async function runCli(args: readonly string[], timeoutMs = 120_000): Promise<CliResult> {
  const p = startCli(args, timeoutMs);
  const r = await p.done;
  p.killGroup();
  return r;
}

/** A one-line description of a CLI result, for assertion messages. */
export function describeResult(r: CliResult): string {
  return `exit ${r.code}${r.signal ? ` (${r.signal})` : ""} after ${r.seconds.toFixed(1)} s\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** Every file under dir (recursive), relative paths with '/'. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, "");
  return out.sort();
}

/** Paths (relative) of the .json files under dir that do not parse, with the parser's message. */
export function corruptJsonFiles(dir: string): string[] {
  return listFiles(dir)
    .filter((f) => f.endsWith(".json"))
    .flatMap((f) => {
      try {
        JSON.parse(readFileSync(join(dir, f), "utf8"));
        return [];
      } catch (e) {
        return [`${f}: ${e instanceof Error ? e.message : String(e)}`];
      }
    });
}

/** mtime (ms) of every file under dir, keyed by relative path. */
export function mtimes(dir: string): Record<string, number> {
  return Object.fromEntries(listFiles(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]));
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every `everyMs` until it holds or `timeoutMs` passes; returns its last value. */
export async function waitFor(cond: () => boolean, timeoutMs: number, everyMs = 15): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (cond()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(everyMs);
  }
}
