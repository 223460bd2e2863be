/**
 * Sweep folders for the report tests, built without training: each cell's
 * results.json is the sample MUStARD results (test/fixtures/report) cut to
 * one head and one fold, with accuracy and F1 moved by a known shift per cell
 * and the summary recomputed, so the claims' verdicts are known in advance.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeJsonAtomic } from "../../src/core/atomic-file.ts";
import { mustardSuite } from "../../src/datasets/mustard/index.ts";
import type { ExperimentResults } from "../../src/experiments/report/results-types.ts";
import { expandCells, type SweepCell } from "../../src/experiments/sweep/cells.ts";
import { loadSweep } from "../../src/experiments/sweep/sweep-config.ts";
import { cellRunDir, prepareSweepDir, readSweepRecord } from "../../src/experiments/sweep/sweep-dir.ts";
import {
  evalId,
  evalPath,
  noiseAxisSchema,
  noiseConditions,
  type NoiseConditionSpec,
} from "../../src/experiments/sweep/noise-axis.ts";
import { studySweep, type StudyName } from "../../src/experiments/sweep/studies.ts";
import { summarizeRuns } from "../../src/training/summary.ts";

export const SAMPLE = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "fixtures",
  "report",
  "sample-results.json",
);

export function sample(): ExperimentResults {
  return JSON.parse(readFileSync(SAMPLE, "utf8")) as ExperimentResults;
}

/** One cell's results: the sample's qmtl runs on `fold`, accuracy and F1 shifted (per task) by `shift(task)`. */
export function cellResults(
  headId: string,
  fold: number,
  shift: (task: string) => number,
): ExperimentResults {
  const s = sample();
  const head = { ...s.heads.find((h) => h.id === "qmtl")!, id: headId };
  const runs = s.runs
    .filter((r) => r.head === "qmtl" && r.fold === fold)
    .map((r) => ({
      ...r,
      head: headId,
      test: Object.fromEntries(
        Object.entries(r.test).map(([t, m]) => [
          t,
          {
            ...m,
            accuracy: Math.min(1, Math.max(0, m["accuracy"]! + shift(t))),
            f1: Math.min(1, Math.max(0, m["f1"]! + shift(t))),
          },
        ]),
      ),
    }));
  return {
    ...s,
    heads: [head],
    runs,
    setup: { ...s.setup, folds: [fold] },
    summary: { [headId]: summarizeRuns(runs.map((r) => r.test)) },
    timing: { ...s.timing, perHead: { [headId]: s.timing.perHead["qmtl"]! } },
  };
}

/**
 * A study's sweep folder (the real study config and cells) whose cells hold
 * synthetic results; `shift(cell, task)` moves each cell's scores.
 */
export function studyFolder(
  dir: string,
  study: StudyName,
  shift: (cell: SweepCell, task: string) => number,
): string {
  const base = mustardSuite.schema.parse({}) as Record<string, unknown>;
  const cfg = studySweep(study, {
    suite: "mustard",
    base,
    replicate: { field: "folds", values: [0, 1, 2] },
    quick: false,
  });
  const sweep = loadSweep(cfg, undefined, () => ({}));
  const cells = expandCells(sweep, {
    name: "mustard",
    schema: mustardSuite.schema,
    check: (c) => mustardSuite.check?.(c as never),
  });
  const sweepDir = join(dir, cfg.name);
  prepareSweepDir(sweepDir, sweep, cells);
  for (const c of cells) {
    const heads = (c.config as { heads: string[] }).heads;
    const fold = (c.config as { folds: number[] }).folds[0]!;
    writeJsonAtomic(
      join(cellRunDir(sweepDir, c.id), "results.json"),
      cellResults(heads[0]!, fold, (t) => shift(c, t)),
    );
  }
  return sweepDir;
}

/**
 * The noise study's sweep folder: its training cells (as studyFolder) and,
 * for every cell and condition, an evaluation file whose runs are the cell's
 * runs with accuracy and F1 moved by `shift(condition)` and an output
 * deviation of `error(condition)` on every task.
 */
export function noiseFolder(
  dir: string,
  shift: (c: NoiseConditionSpec) => number,
  error: (c: NoiseConditionSpec) => number,
): string {
  const sweepDir = studyFolder(dir, "noise", () => 0);
  const rec = readSweepRecord(sweepDir);
  for (const c of rec.cells) {
    const trained = JSON.parse(
      readFileSync(join(cellRunDir(sweepDir, c.id), "results.json"), "utf8"),
    ) as ExperimentResults;
    for (const k of noiseConditions(noiseAxisSchema.parse(rec.config.noise))) {
      const moved = cellResults("qmtl", trained.runs[0]!.fold, () => shift(k));
      writeJsonAtomic(evalPath(sweepDir, evalId(c.id, k.label)), {
        kind: "qmtl-noise-eval",
        cell: c.id,
        condition: k,
        runs: moved.runs.map((r) => ({
          head: r.head,
          fold: r.fold,
          seed: r.seed,
          test: r.test,
          outputError: Object.fromEntries(Object.keys(r.test).map((t) => [t, error(k)])),
        })),
        seconds: 1,
      });
    }
  }
  return sweepDir;
}
