/**
 * Runs one evaluation cell of a noise sweep: every finished QMTL run of the
 * training cell's run folder (its best checkpoint, its test split rebuilt and
 * checked against the run's input hashes, as `qmtl noise` does) evaluated
 * exactly under one condition by `runNoiseStudy`, so a sweep's numbers equal
 * `qmtl noise` on the same checkpoint. The result is written atomically, last.
 */
import { writeJsonAtomic } from "../../core/atomic-file.ts";
import { ValidationError } from "../../core/errors.ts";
import { cellKey } from "../cells.ts";
import { runNoiseStudy } from "../noise-study.ts";
import type { Suite } from "../suite.ts";
import { loadTrainedCell } from "../trained-cell.ts";
import {
  evalPath,
  noiseAxisSchema,
  noiseConditions,
  NOISE_HEAD,
  parseEvalId,
  type NoiseEvalResult,
  type NoiseEvalRun,
} from "./noise-axis.ts";
import { cellRunDir, cellState, readCellResults, type SweepRecord } from "./sweep-dir.ts";

export async function runEvalCell(
  suite: Suite,
  sweepDir: string,
  rec: SweepRecord,
  id: string,
  log: (line: string) => void = () => undefined,
): Promise<NoiseEvalResult> {
  const t0 = performance.now();
  const { cell, label } = parseEvalId(id);
  if (rec.config.noise === undefined)
    throw new ValidationError(`${sweepDir}/sweep.json`, "a sweep with a noise axis", id);
  const cond = noiseConditions(noiseAxisSchema.parse(rec.config.noise)).find((c) => c.label === label);
  if (cond === undefined) throw new ValidationError("evaluation cell", "a condition of this sweep", label);
  if (!rec.cells.some((c) => c.id === cell))
    throw new ValidationError("evaluation cell", "a training cell of this sweep", cell);
  if (cellState(sweepDir, cell) !== "done")
    throw new ValidationError(`cell ${cell}`, "a finished training cell (its results.json) to evaluate");
  const runDir = cellRunDir(sweepDir, cell);
  const trained = readCellResults(sweepDir, cell).runs.filter((r) => r.head === NOISE_HEAD);
  if (trained.length === 0)
    throw new ValidationError(
      `cell ${cell}`,
      `a run of the ${NOISE_HEAD} head (the noise models simulate it)`,
    );
  const runs: NoiseEvalRun[] = [];
  for (const r of trained) {
    const key = cellKey(r.head, r.fold, r.seed);
    const tc = await loadTrainedCell(suite, runDir, { cell: key });
    const study = runNoiseStudy(tc.model, tc.test, tc.tasks, {
      depolarizing: cond.kind === "depolarizing" ? [cond.p!] : [],
      devices: cond.kind === "device" ? [cond.device!] : [],
      mitigation: false,
      seed: rec.config.noise.seed ?? 0,
      metrics: tc.metrics,
      ...(cond.shots !== undefined ? { shots: cond.shots } : {}),
    });
    // conditions: ideal, [ideal shots], the condition, [its shots]
    const hit = study.conditions.filter((c) => c.kind !== "ideal" && (c.shots ?? 0) === (cond.shots ?? 0));
    if (hit.length !== 1) throw new Error(`noise study of ${key} gave ${hit.length} conditions for ${label}`);
    runs.push({
      head: r.head,
      fold: r.fold,
      seed: r.seed,
      test: hit[0]!.metrics,
      outputError: hit[0]!.outputError,
    });
    log(`${id}: ${key} done`);
  }
  const result: NoiseEvalResult = {
    kind: "qmtl-noise-eval",
    cell,
    condition: cond,
    runs,
    seconds: (performance.now() - t0) / 1000,
  };
  writeJsonAtomic(evalPath(sweepDir, id), result);
  return result;
}
