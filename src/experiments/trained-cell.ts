/**
 * A trained cell of a finished (or partly finished) run, ready to evaluate
 * again: its model rebuilt from best-model.json, and its test split rebuilt
 * exactly as training saw it (same inputs, checked against the hashes the run
 * recorded; same standardisation, checked against the one saved with the
 * model). What the noise and hardware commands evaluate.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "../core/errors.ts";
import type { MultiTaskModel } from "../models/build-model.ts";
import { loadModel, readModelFile, type SavedModel } from "../models/saved-model.ts";
import { layoutTasks, type TaskInfo } from "../models/task-info.ts";
import type { MultiTaskData } from "../training/dataset.ts";
import { taskMetrics } from "../training/evaluate.ts";
import { cellData, cellDir, cellKey, parseCellKey } from "./cells.ts";
import { parseSuiteConfig } from "./config.ts";
import { experimentCells, loadExperiment } from "./engine.ts";
import { checkInputs, readRunMarker } from "./run-folder.ts";
import type { BaseConfig, LoadContext, Suite, SuiteMetrics } from "./suite.ts";

export interface TrainedCell<C extends BaseConfig = BaseConfig> {
  readonly suite: Suite<C>;
  readonly config: C;
  readonly runDir: string;
  /** "head:split:seed" */
  readonly cell: string;
  readonly saved: SavedModel;
  readonly model: MultiTaskModel;
  /** the cell's test split, standardised as in training */
  readonly test: MultiTaskData;
  readonly tasks: readonly TaskInfo[];
  readonly metrics: SuiteMetrics;
}

/** The suite name a run folder was written by (its marker's kind); an error if it is not a qmtl run. */
export function runSuiteName(runDir: string): string {
  const marker = readRunMarker(runDir);
  if (marker === null) throw new ValidationError(runDir, "a qmtl run folder (it has no .qmtl-run.json)");
  return marker.kind;
}

/**
 * Loads a trained cell of `runDir`: `cell` ("head:split:seed") or, by default,
 * the first finished cell of `preferHead` (then of any head) in split order.
 */
export async function loadTrainedCell<C extends BaseConfig>(
  suite: Suite<C>,
  runDir: string,
  opts: { readonly cell?: string; readonly preferHead?: string; readonly ctx?: LoadContext } = {},
): Promise<TrainedCell<C>> {
  const kind = runSuiteName(runDir);
  if (kind !== suite.name) throw new ValidationError(runDir, `a run of suite ${suite.name}`, kind);
  const cfgPath = join(runDir, "config.json");
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(cfgPath, "utf8"));
  } catch (e) {
    throw new ValidationError(
      cfgPath,
      "the run's config (valid JSON)",
      e instanceof Error ? e.message : String(e),
    );
  }
  const config = parseSuiteConfig(suite, raw, cfgPath);
  const finished = experimentCells(suite, config).filter((c) => {
    const { head, split, seed } = parseCellKey(c);
    return existsSync(join(cellDir(runDir, head, split, seed), "best-model.json"));
  });
  let cell = opts.cell;
  if (cell === undefined) {
    cell = finished.find((c) => parseCellKey(c).head === (opts.preferHead ?? "qmtl")) ?? finished[0];
    if (cell === undefined)
      throw new ValidationError(runDir, "a run with at least one finished cell (best-model.json)");
  } else if (!finished.includes(cell)) {
    throw new ValidationError(
      "--cell",
      `a finished cell of ${runDir} (${finished.join(", ") || "none yet"})`,
      cell,
    );
  }
  const { head, split, seed } = parseCellKey(cell);
  const saved = readModelFile(join(cellDir(runDir, head, split, seed), "best-model.json"));
  const { inputs } = await loadExperiment(suite, config, opts.ctx ?? { jobs: 1 });
  checkInputs(runDir, inputs.inputHashes);
  const s = inputs.splits.find((x) => x.index === split);
  if (!s)
    throw new ValidationError(
      "--cell",
      `a split of the run (${inputs.splits.map((x) => x.index).join(", ")})`,
      split,
    );
  const stratify = inputs.tasks.findIndex((t) => t.name === suite.stratifyBy(config));
  const parts = cellData(
    {
      data: inputs.data,
      valFraction: config.valFraction,
      stratifyTask: Math.max(0, stratify),
      standardize: config.standardize,
    },
    s,
    seed,
  );
  if (JSON.stringify(parts.standardization) !== JSON.stringify(saved.standardization)) {
    throw new ValidationError(
      `${cellKey(head, split, seed)} best-model.json: standardization`,
      "the standardisation its split gives now (the inputs or the code changed since it was trained)",
    );
  }
  return {
    suite,
    config,
    runDir,
    cell,
    saved,
    model: loadModel(saved),
    test: parts.test,
    tasks: layoutTasks(inputs.tasks),
    metrics: suite.metrics ?? taskMetrics,
  };
}
