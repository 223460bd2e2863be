/**
 * Slurm execution of a sweep: one job array per submission, one array task per
 * unfinished cell. Everything lives in the shared sweep folder, so any node
 * (and any later `--status` / `--collect`) sees the same state:
 *
 *   slurm/submit-<k>.cells   the cell ids of submission k, array task i = line i+1
 *   slurm/submit-<k>.sh      the job script
 *   slurm/logs/<job>_<task>.out
 *   slurm/jobs.json          [{ submit, jobId, cells, submittedAt }]
 *
 * A submission skips cells that are done and cells an earlier array still has
 * queued or running (squeue); a task that failed or was cancelled leaves its
 * cell unfinished, so the next submission runs it again (resuming from its
 * checkpoints). Absolute paths appear in the job script only, never in results.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic, writeJsonAtomic } from "../../core/atomic-file.ts";
import { QmtlError, ValidationError } from "../../core/errors.ts";
import type { SlurmOptions } from "./sweep-config.ts";
import { cellState, type SweepRecord } from "./sweep-dir.ts";
import { cellArgs, evalArgs } from "./local.ts";
import { evalDone } from "./noise-axis.ts";
import { evalCellIds } from "./noise-merge.ts";

/** Runs a command and returns its exit code and output (injectable for tests). */
export type Exec = (cmd: string, args: readonly string[]) => { code: number; stdout: string; stderr: string };

export const realExec: Exec = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.error) return { code: 127, stdout: "", stderr: r.error.message };
  return { code: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
};

/** A sweep's two kinds of array: training cells, then noise evaluation cells (after the training arrays). */
export type SlurmPhase = "train" | "noise";

export interface SlurmJob {
  readonly submit: number;
  /** absent in job lists written before noise sweeps: train */
  readonly kind?: SlurmPhase;
  readonly jobId: string;
  readonly cells: string[];
  readonly submittedAt: string;
}

const jobsPath = (sweepDir: string): string => join(sweepDir, "slurm", "jobs.json");

export function readJobs(sweepDir: string): SlurmJob[] {
  const p = jobsPath(sweepDir);
  if (!existsSync(p)) return [];
  try {
    return JSON.parse(readFileSync(p, "utf8")) as SlurmJob[];
  } catch (e) {
    throw new ValidationError(
      p,
      "the sweep's Slurm job list (JSON)",
      e instanceof Error ? e.message : String(e),
    );
  }
}

/** Single-quotes a value for bash. */
function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface ScriptOptions {
  readonly name: string;
  readonly suite: string;
  readonly sweepDir: string;
  readonly baseDir: string;
  readonly node: string;
  /** node options and the qmtl entry script */
  readonly command: readonly string[];
  readonly cellsFile: string;
  readonly count: number;
  readonly slurm: SlurmOptions;
  /** the qmtl arguments with @CELL@ for the cell id (default: a training run) */
  readonly args?: readonly string[];
  /** job ids this array starts after (sbatch --dependency=afterany:...) */
  readonly after?: readonly string[];
}

/** The job array script: task i runs line i+1 of the cells file as an ordinary `qmtl run`. */
export function jobScript(o: ScriptOptions): string {
  const s = o.slurm;
  const args = (o.args ?? cellArgs(o.suite, o.sweepDir, "@CELL@")).map((a) =>
    a.includes("@CELL@") ? `"${a.replace("@CELL@", "$CELL").replace(/"/g, '\\"')}"` : q(a),
  );
  return [
    "#!/bin/bash",
    `#SBATCH --job-name=${`qmtl-${o.name}`.slice(0, 60)}`,
    `#SBATCH --array=0-${o.count - 1}`,
    `#SBATCH --cpus-per-task=${s.cpusPerTask}`,
    `#SBATCH --mem=${s.mem}`,
    `#SBATCH --time=${s.time}`,
    ...(s.partition ? [`#SBATCH --partition=${s.partition}`] : []),
    ...(s.account ? [`#SBATCH --account=${s.account}`] : []),
    `#SBATCH --output=${join(o.sweepDir, "slurm", "logs", "%A_%a.out")}`,
    ...(o.after && o.after.length > 0 ? [`#SBATCH --dependency=afterany:${o.after.join(":")}`] : []),
    ...s.extra.map((x) => `#SBATCH ${x}`),
    "set -euo pipefail",
    `CELL="$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" ${q(o.cellsFile)})"`,
    'if [ -z "$CELL" ]; then echo "no cell for array task $SLURM_ARRAY_TASK_ID" >&2; exit 2; fi',
    'echo "qmtl sweep cell $CELL on $(hostname) (job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID})"',
    `cd ${q(o.baseDir)}`,
    `exec ${[o.node, ...o.command].map(q).join(" ")} ${args.join(" ")}`,
    "",
  ].join("\n");
}

/** Array tasks the scheduler still holds (pending or running): cell id -> "<job>_<task> STATE". */
export function activeCells(sweepDir: string, exec: Exec = realExec): Map<string, string> {
  const jobs = readJobs(sweepDir);
  const out = new Map<string, string>();
  if (jobs.length === 0) return out;
  const r = exec("squeue", ["-h", "-r", "-j", jobs.map((j) => j.jobId).join(","), "-o", "%i %T"]);
  // squeue fails with "Invalid job id" once every listed job has left the queue
  if (r.code !== 0 && !/invalid job id/i.test(r.stderr))
    throw new QmtlError(`squeue failed: ${r.stderr.trim()}`);
  for (const line of r.stdout.split("\n")) {
    const m = /^(\d+)_(\d+)\s+(\S+)/.exec(line.trim());
    if (!m) continue;
    const job = jobs.find((j) => j.jobId === m[1]);
    const cell = job?.cells[Number(m[2])];
    if (cell !== undefined) out.set(cell, `${m[1]}_${m[2]} ${m[3]}`);
  }
  return out;
}

export interface SubmitResult {
  readonly jobId: string | null;
  readonly cells: string[];
  readonly skippedActive: string[];
  readonly script: string | null;
}

/** Writes and submits a job array for every cell not done and not queued/running. */
export function submitSlurm(
  sweepDir: string,
  rec: SweepRecord,
  o: { baseDir: string; command: readonly string[]; node?: string; exec?: Exec; kind?: SlurmPhase },
): SubmitResult {
  const exec = o.exec ?? realExec;
  const kind = o.kind ?? "train";
  const active = activeCells(sweepDir, exec);
  const ids = kind === "train" ? rec.cells.map((c) => c.id) : evalCellIds(rec);
  const done = (id: string): boolean =>
    kind === "train" ? cellState(sweepDir, id) === "done" : evalDone(sweepDir, id);
  const todo = ids.filter((id) => !done(id));
  const cells = todo.filter((id) => !active.has(id));
  const skippedActive = todo.filter((id) => active.has(id));
  if (cells.length === 0) return { jobId: null, cells, skippedActive, script: null };
  const jobs = readJobs(sweepDir);
  // evaluation tasks start once every training array still queued or running has ended
  const trainIds = new Set(rec.cells.map((c) => c.id));
  const after =
    kind === "noise"
      ? [...new Set([...active].filter(([id]) => trainIds.has(id)).map(([, t]) => t.split("_")[0]!))]
      : [];
  const k = jobs.reduce((m, j) => Math.max(m, j.submit), 0) + 1;
  const slurmDir = join(sweepDir, "slurm");
  mkdirSync(join(slurmDir, "logs"), { recursive: true });
  const cellsFile = join(slurmDir, `submit-${k}.cells`);
  writeFileAtomic(cellsFile, cells.join("\n") + "\n");
  const script = join(slurmDir, `submit-${k}.sh`);
  writeFileAtomic(
    script,
    jobScript({
      name: rec.name,
      suite: rec.suite,
      sweepDir,
      baseDir: o.baseDir,
      node: o.node ?? process.execPath,
      command: o.command,
      cellsFile,
      count: cells.length,
      slurm: rec.config.slurm,
      ...(kind === "noise" ? { args: evalArgs(sweepDir, "@CELL@"), after } : {}),
    }),
  );
  const r = exec("sbatch", ["--parsable", script]);
  if (r.code !== 0)
    throw new QmtlError(`sbatch failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  const jobId = r.stdout.trim().split(";")[0]!.trim();
  if (!/^\d+$/.test(jobId)) throw new QmtlError(`sbatch printed no job id: ${JSON.stringify(r.stdout)}`);
  writeJsonAtomic(jobsPath(sweepDir), [
    ...jobs,
    { submit: k, kind, jobId, cells, submittedAt: new Date().toISOString() },
  ]);
  return { jobId, cells, skippedActive, script };
}

export interface CellStatus {
  readonly id: string;
  /** done; queued/running (the scheduler's state); failed (started, not in the queue); pending (never started) */
  readonly state: "done" | "queued" | "running" | "failed" | "pending";
  readonly task?: string;
}

export function slurmStatus(sweepDir: string, rec: SweepRecord, exec: Exec = realExec): CellStatus[] {
  const active = activeCells(sweepDir, exec);
  const submitted = new Set(readJobs(sweepDir).flatMap((j) => j.cells));
  const evals = evalCellIds(rec).map((id) => {
    const s = evalDone(sweepDir, id) ? "done" : submitted.has(id) ? "started" : "pending";
    return { id, s };
  });
  const train = rec.cells.map(({ id }) => ({ id, s: cellState(sweepDir, id) }));
  return [...train, ...evals].map(({ id, s }) => {
    if (s === "done") return { id, state: "done" };
    const a = active.get(id);
    if (a !== undefined) {
      const [task, st] = a.split(" ");
      return { id, state: st === "RUNNING" || st === "COMPLETING" ? "running" : "queued", task: task! };
    }
    return { id, state: s === "started" ? "failed" : "pending" };
  });
}
