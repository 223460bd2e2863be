import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * The bad-input catalogue harness (issue 10). A row is one bad input and the
 * answer qmtl owes it: an error whose message contains `fragment`, one line,
 * nothing that looks like a stack trace or a raw runtime error. Library rows
 * call a function; CLI rows run a command line and also check that every file
 * outside the run folder is byte-identical afterwards.
 *
 * What a row gets, in the categories:
 *  - clear: an Error whose message contains the fragment, one line, no stack
 *    text, and not a raw TypeError / RangeError / SyntaxError / WebAssembly error;
 *  - silent: the call returned (a value that looks valid but is not);
 *  - stack: it threw, but not clearly (raw runtime error, stack text, or the
 *    message does not name what the row expects);
 *  - hang: no answer within the time limit, or killed at the memory cap
 *    (run-catalogue.ts runs rows in a child process to see these);
 *  - data-loss: a file outside the run folder changed or vanished (CLI rows).
 */
export type Outcome = "clear" | "silent" | "stack" | "hang" | "data-loss";

export interface ErrorExpectation {
  readonly kind: "error";
  /** a fragment of the expected message (case-sensitive) */
  readonly fragment: string;
}

/** The call must return, and `check` (null = fine, else what is wrong) accepts what it returned, e.g. "warned and went on". */
export interface OkExpectation {
  readonly kind: "ok";
  readonly fragment: string;
  readonly check: (value: unknown) => string | null;
}

export interface LibraryRow {
  readonly name: string;
  /** e.g. "feature-file", "circuit", "executor", "model", "training", "checkpoint", "cache" */
  readonly category: string;
  /** throws (the expected answer) or returns (silent garbage) */
  readonly run: () => unknown;
  readonly expect: ErrorExpectation | OkExpectation;
  /** may allocate a lot or loop before the fix: run-catalogue.ts runs it alone under the memory cap */
  readonly heavy?: boolean;
}

export interface RowResult {
  readonly name: string;
  readonly category: string;
  readonly outcome: Outcome;
  /** the error message (first 300 characters), or what came back */
  readonly detail: string;
}

const RAW_ERRORS = new Set([
  "TypeError",
  "RangeError",
  "SyntaxError",
  "ReferenceError",
  "CompileError",
  "RuntimeError",
  "LinkError",
]);

/** Looks like a stack trace or engine internals rather than a message for a user. */
export function looksLikeStack(message: string): boolean {
  return (
    /\n\s+at\s/.test(message) ||
    /node:internal|\bat .+:\d+:\d+\)?$/m.test(message) ||
    /memory access out of bounds|Invalid typed array length|Array buffer allocation failed|Maximum call stack/.test(
      message,
    )
  );
}

/** Classifies what a call threw (or that it returned). */
export function classifyError(e: unknown, fragment: string): { outcome: Outcome; detail: string } {
  if (!(e instanceof Error))
    return { outcome: "stack", detail: `threw a non-Error: ${String(e).slice(0, 300)}` };
  const detail = `${e.name}: ${e.message}`.slice(0, 300);
  if (RAW_ERRORS.has(e.name) || RAW_ERRORS.has(e.constructor.name)) return { outcome: "stack", detail };
  if (e.message.includes("\n") || looksLikeStack(e.message)) return { outcome: "stack", detail };
  if (!e.message.includes(fragment))
    return { outcome: "stack", detail: `${detail} (expected to contain ${JSON.stringify(fragment)})` };
  return { outcome: "clear", detail };
}

function describeValue(v: unknown): string {
  if (v === undefined) return "returned undefined";
  if (ArrayBuffer.isView(v))
    return `returned a typed array [${Array.from(v as unknown as ArrayLike<number>)
      .slice(0, 4)
      .join(", ")}...]`;
  try {
    return `returned ${JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? String(x) : x))?.slice(0, 200) ?? typeof v}`;
  } catch {
    return `returned a ${typeof v}`;
  }
}

/** Runs one library row in this process (no hang protection: see run-catalogue.ts). */
export async function runLibraryRow(row: LibraryRow): Promise<RowResult> {
  try {
    const v = await row.run();
    if (row.expect.kind === "ok") {
      const wrong = row.expect.check(v);
      return {
        name: row.name,
        category: row.category,
        outcome: wrong === null ? "clear" : "silent",
        detail: wrong ?? describeValue(v),
      };
    }
    return { name: row.name, category: row.category, outcome: "silent", detail: describeValue(v) };
  } catch (e) {
    if (row.expect.kind === "ok") {
      const d = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : String(e);
      return {
        name: row.name,
        category: row.category,
        outcome: "stack",
        detail: `threw instead of going on: ${d}`,
      };
    }
    return { name: row.name, category: row.category, ...classifyError(e, row.expect.fragment) };
  }
}

export function countOutcomes(results: readonly RowResult[]): Record<Outcome, number> {
  const c: Record<Outcome, number> = { clear: 0, silent: 0, stack: 0, hang: 0, "data-loss": 0 };
  for (const r of results) c[r.outcome]++;
  return c;
}

// ---------------------------------------------------------------- CLI rows

/** A command-line row: for the lead's CLI catalogue (run folders, flags, configs). */
export interface CliRow {
  readonly name: string;
  readonly category: string;
  /** arguments after `qmtl` */
  readonly argv: readonly string[];
  /** prepares the sandbox (user files, an earlier run...) before the command */
  readonly setup?: (sandbox: string) => void;
  readonly expect: { readonly exitCode: number; readonly fragment: string };
  /** folders under the sandbox the command may change (its run folder); everything else must stay byte-identical */
  readonly mayChange?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** sha256 of every file under `root` (relative paths), skipping `skip` prefixes. */
export function snapshotFiles(root: string, skip: readonly string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const rel = relative(root, p);
      if (skip.some((s) => rel === s || rel.startsWith(`${s}/`))) continue;
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.set(rel, createHash("sha256").update(readFileSync(p)).digest("hex"));
      else out.set(rel, `special:${st.mode}`);
    }
  };
  walk(root);
  return out;
}

/** Files that changed or vanished between two snapshots (new files are not listed). */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...before].filter(([k, v]) => after.get(k) !== v).map(([k]) => k);
}

/**
 * Runs a CLI row: `command` (default `npx tsx src/cli/main.ts`) with the row's
 * argv in `sandbox` as the working directory. Outcome: data-loss if a file
 * outside `mayChange` changed; hang on timeout; clear if the exit code and
 * message fragment match (stderr+stdout) and no stack text; silent on exit 0
 * when an error was expected; stack otherwise.
 */
export function runCliRow(
  row: CliRow,
  sandbox: string,
  command: readonly string[],
): RowResult & { exitCode: number | null } {
  row.setup?.(sandbox);
  const before = snapshotFiles(sandbox, row.mayChange ?? []);
  const [bin, ...pre] = command;
  const r = spawnSync(bin!, [...pre, ...row.argv], {
    cwd: sandbox,
    encoding: "utf8",
    timeout: row.timeoutMs ?? 60_000,
    env: { ...process.env, ...row.env },
  });
  const after = snapshotFiles(sandbox, row.mayChange ?? []);
  const lost = changedFiles(before, after);
  const text = `${r.stderr ?? ""}${r.stdout ?? ""}`;
  const base = { name: row.name, category: row.category, exitCode: r.status };
  if (lost.length > 0)
    return { ...base, outcome: "data-loss", detail: `changed or removed: ${lost.slice(0, 5).join(", ")}` };
  if (r.error || r.signal) return { ...base, outcome: "hang", detail: String(r.error?.message ?? r.signal) };
  if (r.status === 0 && row.expect.exitCode !== 0)
    return { ...base, outcome: "silent", detail: text.slice(-300) };
  const clear =
    r.status === row.expect.exitCode &&
    text.includes(row.expect.fragment) &&
    !/\n\s+at\s|node:internal/.test(text);
  return { ...base, outcome: clear ? "clear" : "stack", detail: `exit ${r.status}: ${text.slice(0, 300)}` };
}
