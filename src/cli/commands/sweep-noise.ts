/**
 * The noise axis of `qmtl sweep`: after the training cells, every finished
 * training cell is evaluated under each noise condition, one child process
 * per evaluation cell (`qmtl sweep-eval <sweep> <cell>~<condition>`, the same
 * command a Slurm array task runs). `sweep-eval` is hidden: sweeps start it.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.ts";
import { findSuite } from "../../datasets/index.ts";
import { evalArgs, runLocal, type LocalEvent } from "../../experiments/sweep/local.ts";
import { evalCells, evalDone, noiseConditions, parseEvalId } from "../../experiments/sweep/noise-axis.ts";
import { runEvalCell } from "../../experiments/sweep/noise-eval.ts";
import { cellState, readSweepRecord, type SweepRecord } from "../../experiments/sweep/sweep-dir.ts";
import type { SweepResults } from "../../experiments/sweep/merge.ts";
import { noiseSummaryTable } from "../../experiments/sweep/summary-table.ts";
import { table } from "../format.ts";

export function registerSweepEval(program: Command): void {
  program
    .command("sweep-eval", { hidden: true })
    .argument("<sweep>", "a sweep folder with a noise axis")
    .argument("<cell>", "an evaluation cell: <training cell>~<condition>")
    .description("evaluate one trained cell of a sweep under one noise condition (run by qmtl sweep)")
    .action(async (sweep: string, id: string) => {
      const dir = resolve(sweep);
      const rec = readSweepRecord(dir);
      const suite = findSuite(rec.suite);
      if (suite === undefined)
        throw new ValidationError(`${dir}/sweep.json`, "a suite this qmtl knows", rec.suite);
      const r = await runEvalCell(suite, dir, rec, id, (line) => console.error(line));
      console.log(`${id}: ${r.runs.length} run(s) in ${r.seconds.toFixed(1)} s; ${parseEvalId(id).label}`);
    });
}

/**
 * Runs the evaluation cells not yet done whose training cell is done; those of
 * unfinished training cells are listed as waiting. Returns the failed ids.
 */
export async function runNoisePhase(
  rec: SweepRecord,
  o: {
    sweepDir: string;
    baseDir: string;
    command: readonly string[];
    jobs: number;
    onEvent: (e: LocalEvent) => void;
  },
): Promise<{ failed: string[]; waiting: string[]; ran: number }> {
  if (rec.config.noise === undefined) return { failed: [], waiting: [], ran: 0 };
  const all = evalCells(rec.cells, noiseConditions(rec.config.noise));
  const todo = all.filter((c) => !evalDone(o.sweepDir, c.id));
  const ready = todo.filter((c) => cellState(o.sweepDir, parseEvalId(c.id).cell) === "done");
  const waiting = todo.filter((c) => !ready.includes(c)).map((c) => c.id);
  console.log(
    `noise evaluation: ${all.length} cells, ${all.length - todo.length} done earlier, running ${ready.length}` +
      (waiting.length > 0 ? `, ${waiting.length} waiting for their training cell` : ""),
  );
  if (ready.length === 0) return { failed: [], waiting, ran: 0 };
  const { failed } = await runLocal(ready, {
    suite: rec.suite,
    sweepDir: o.sweepDir,
    baseDir: o.baseDir,
    command: o.command,
    jobs: o.jobs,
    onEvent: o.onEvent,
    argsOf: (id) => evalArgs(o.sweepDir, id),
    isDone: (id) => evalDone(o.sweepDir, id),
  });
  return { failed, waiting, ran: ready.length };
}

/** The noise groups of merged results: per condition, the task's accuracy and F1 and the output deviation. */
export function printNoise(m: SweepResults, task: string): void {
  const t = noiseSummaryTable(m, task);
  if (!t || !m.noise) return;
  if (t.rows.length > 0) console.log("\n" + table(t.header, t.rows));
  if (m.noise.missing.length > 0)
    console.log(
      `${m.noise.missing.length} evaluation cell(s) without results yet: ${m.noise.missing.join(", ")}`,
    );
}
