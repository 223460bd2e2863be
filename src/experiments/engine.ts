/**
 * The one experiment engine: any Suite, any config of it. Loads the suite's
 * inputs, checks them against what the run folder recorded, runs the cells
 * (head x split x seed) and writes results.json. Folder creation and the
 * choice between resume and fresh are the caller's (prepareRunFolder), made
 * after every input was validated.
 */
import { join } from "node:path";
import { writeJsonAtomic } from "../core/atomic-file.ts";
import { ValidationError } from "../core/errors.ts";
import { Rng } from "../core/rng.ts";
import { QMTL_VERSION } from "../core/version.ts";
import { buildModel } from "../models/build-model.ts";
import { layoutTasks } from "../models/task-info.ts";
import { validateData } from "../training/dataset.ts";
import { taskMetrics, type TaskMetrics } from "../training/evaluate.ts";
import { meanStd, sumFields } from "../training/summary.ts";
import { cellKey, runCells, type CellEvent, type CellPhases, type RunResult } from "./cells.ts";
import { majorityBaseline } from "./majority-baseline.ts";
import type { ExperimentResults, MeanStdValue } from "./report/results-types.ts";
import {
  applyRunFolder,
  checkInputs,
  planRunFolder,
  readRunMarker,
  type RunFolderMode,
} from "./run-folder.ts";
import type { BaseConfig, HeadPlan, LoadContext, Suite, SuiteInputs } from "./suite.ts";

/** Progress of an experiment: stages, progress of long loads, and per-cell events. */
export type ExperimentEvent =
  | CellEvent
  | { type: "stage"; message: string }
  | { type: "progress"; stage: string; done: number; total: number };

/** Options of runExperiment: event callback, cells to run, jobs, preloaded inputs. */
export interface RunExperimentOptions {
  readonly onEvent?: (e: ExperimentEvent) => void;
  /** when the whole run started (ms since the epoch), for the reported wall time */
  readonly startedAt?: number;
  /** run only these cells and write no results.json (another process runs the rest) */
  readonly cells?: readonly string[];
  /** processes the suite may use for feature extraction */
  readonly jobs?: number;
  /** inputs already loaded and checked by loadExperiment (else they are loaded here) */
  readonly loaded?: LoadedExperiment;
  /** write training checkpoints after every epoch (crash tests; TrainOptions.checkpointEveryEpoch) */
  readonly checkpointEveryEpoch?: boolean;
}

/** Every (head, split, seed) cell of a config, as cellKey names them. */
export function experimentCells<C extends BaseConfig>(suite: Suite<C>, cfg: C): string[] {
  return suite
    .splitIndices(cfg)
    .flatMap((k) => cfg.seeds.flatMap((s) => cfg.heads.map((h) => cellKey(h, k, s))));
}

/**
 * Builds every head of the plan once, so that a head that cannot be built for
 * these inputs (sizes that do not fit, say) fails before any cell trains.
 */
export function checkHeads(heads: readonly HeadPlan[]): void {
  for (const h of heads) {
    try {
      const m = buildModel(h.model, new Rng(0));
      m.close().catch(() => {});
    } catch (e) {
      if (e instanceof ValidationError) throw new ValidationError(`head ${h.id}: ${e.field}`, e.expected);
      throw e;
    }
  }
}

/** A suite's inputs and heads, checked, and the seconds loading took (data, backbone, caches). */
export interface LoadedExperiment {
  readonly inputs: SuiteInputs;
  readonly heads: HeadPlan[];
  readonly loadSeconds?: number;
}

/** Loads a suite's inputs and checks them (data shape and labels, the heads, the recorded input hashes). */
export async function loadExperiment<C extends BaseConfig>(
  suite: Suite<C>,
  cfg: C,
  ctx: LoadContext,
): Promise<LoadedExperiment & { readonly loadSeconds: number }> {
  const t0 = performance.now();
  const inputs = await suite.load(cfg, ctx);
  validateData(inputs.data, layoutTasks(inputs.tasks), `${suite.name} data`);
  const heads = suite.heads(cfg, inputs);
  checkHeads(heads);
  return { inputs, heads, loadSeconds: (performance.now() - t0) / 1000 };
}

/**
 * Runs `suite` with `cfg` in the prepared run folder `runDir` and returns (and
 * writes) its results; with `opts.cells`, runs only those cells and returns null.
 */
export async function runExperiment<C extends BaseConfig>(
  suite: Suite<C>,
  cfg: C,
  runDir: string,
  opts: RunExperimentOptions = {},
): Promise<ExperimentResults | null> {
  const t0 = opts.startedAt ?? Date.now();
  const onEvent = opts.onEvent;
  const marker = readRunMarker(runDir);
  if (marker === null)
    throw new ValidationError(runDir, "a prepared qmtl run folder (prepareRunFolder first)");
  if (!opts.loaded) onEvent?.({ type: "stage", message: "loading data and features" });
  const { inputs, heads, loadSeconds } =
    opts.loaded ??
    (await loadExperiment(suite, cfg, {
      jobs: opts.jobs ?? 1,
      onProgress: (stage, done, total) => onEvent?.({ type: "progress", stage, done, total }),
      log: (message) => onEvent?.({ type: "stage", message }),
    }));
  checkInputs(runDir, inputs.inputHashes);
  const stratify = suite.stratifyBy(cfg);
  const stratifyTask = inputs.tasks.findIndex((t) => t.name === stratify);
  if (stratifyTask < 0)
    throw new ValidationError(
      "selection.task",
      `a task of ${suite.title} (${inputs.tasks.map((t) => t.name).join(", ")})`,
      stratify,
    );
  const metrics = suite.metrics ?? taskMetrics;
  const runs = runCells(
    {
      runDir,
      runId: marker.runId,
      data: inputs.data,
      splits: inputs.splits,
      seeds: cfg.seeds,
      heads,
      valFraction: cfg.valFraction,
      stratifyTask,
      standardize: cfg.standardize,
      threads: cfg.threads,
      metrics,
      ...(opts.cells ? { cells: new Set(opts.cells) } : {}),
      checkpointEveryEpoch: opts.checkpointEveryEpoch === true,
    },
    onEvent,
  );
  if (opts.cells) return null;
  const results = assembleResults(suite, cfg, inputs, heads, runs, t0, loadSeconds);
  writeJsonAtomic(join(runDir, "results.json"), results);
  return results;
}

function assembleResults<C extends BaseConfig>(
  suite: Suite<C>,
  cfg: C,
  inputs: SuiteInputs,
  heads: readonly HeadPlan[],
  runs: readonly RunResult[],
  t0: number,
  loadSeconds: number | undefined,
): ExperimentResults {
  const tasks = layoutTasks(inputs.tasks);
  const majority = inputs.splits.map((s) => majorityBaseline(tasks, inputs.data, s));
  const sel = heads[0]!.train.selection;
  return {
    name: cfg.name,
    dataset: inputs.dataset,
    suite: suite.name,
    createdAt: new Date().toISOString(),
    qmtlVersion: QMTL_VERSION,
    setup: {
      backbone: inputs.backbone,
      backboneDetail: inputs.backboneDetail,
      featureDim: inputs.data.dim,
      split: inputs.splitName,
      folds: inputs.splits.map((s) => s.index),
      seeds: [...cfg.seeds],
      epochs: cfg.epochs,
      batchSize: cfg.batchSize,
      lr: cfg.lr,
      valFraction: cfg.valFraction,
      selection:
        "macro" in sel
          ? `validation mean over tasks of ${Object.entries(sel.macro)
              .map(([t, m]) => `${t} ${m}`)
              .join(", ")}`
          : `validation ${sel.task} ${sel.metric}`,
      ...("macro" in sel ? { selectionMetrics: { ...sel.macro } } : {}),
      taskWeights: Object.fromEntries(heads.map((h) => [h.id, h.train.losses[0]!.weight])),
      ...(suite.report ? { paperFigure: suite.report.paperFigure } : {}),
      ...(suite.report?.validation ? { validation: suite.report.validation(cfg) } : {}),
    },
    tasks: inputs.tasks.map((t, k) => ({
      name: t.name,
      kind: t.kind,
      numClasses: tasks[k]!.numClasses,
      classNames: [...inputs.classNames[k]!],
    })),
    heads: heads.map((h) => {
      const m = buildModel(h.model, new Rng(0));
      m.close().catch(() => {});
      return {
        id: h.id,
        label: h.label,
        headParams: m.counts.head,
        extras: m.counts.extras,
        projectionParams: m.counts.projection,
        qubits: m.qmtlLayout?.Q ?? (h.model.head === "hqnn" ? h.model.hqnn.qubits : null),
      };
    }),
    runs: runs.map((r) => ({
      head: r.head,
      fold: r.fold,
      seed: r.seed,
      bestEpoch: r.bestEpoch,
      valScore: r.valScore,
      seconds: r.seconds,
      simSeconds: r.simSeconds,
      test: r.test,
    })),
    summary: Object.fromEntries(
      heads.map((h) => [h.id, summarize(runs.filter((r) => r.head === h.id).map((r) => r.test))]),
    ),
    baselines: { majority: summarize(majority) },
    timing: {
      totalSeconds: (Date.now() - t0) / 1000,
      ...(loadSeconds !== undefined ? { loadSeconds } : {}),
      simSeconds: runs.reduce((a, r) => a + r.simSeconds, 0),
      phases: sumCellPhases(runs),
      perHead: Object.fromEntries(
        heads.map((h) => {
          const rs = runs.filter((r) => r.head === h.id);
          return [
            h.id,
            {
              seconds: sum(rs, "seconds"),
              simSeconds: sum(rs, "simSeconds"),
              epochs: sum(rs, "epochs"),
              phases: sumCellPhases(rs),
            },
          ];
        }),
      ),
    },
    differences: suite.differences(cfg, inputs),
    notes: [...(inputs.notes ?? [])],
  };
}

function sum(rs: readonly RunResult[], key: "seconds" | "simSeconds" | "epochs"): number {
  return rs.reduce((a, r) => a + r[key], 0);
}

/** cell phases summed over runs; runs sealed without phases count their seconds as `classical` */
function sumCellPhases(rs: readonly RunResult[]): CellPhases {
  const phases = rs.map(
    (r) => r.phases ?? { simulator: 0, classical: r.seconds, optimizer: 0, evaluation: 0, test: 0, io: 0 },
  );
  return sumFields(["simulator", "classical", "optimizer", "evaluation", "test", "io"], phases);
}

/** mean and sample std over splits x seeds, per task and metric */
export function summarize(ms: readonly TaskMetrics[]): Record<string, Record<string, MeanStdValue>> {
  const out: Record<string, Record<string, MeanStdValue>> = {};
  if (ms.length === 0) return out;
  for (const task of Object.keys(ms[0]!)) {
    out[task] = {};
    const metrics = new Set(ms.flatMap((m) => Object.keys(m[task] ?? {})));
    for (const metric of metrics) {
      // a metric a split cannot define (AUROC of a one-class test part) is left out of that split's mean
      const v = ms
        .map((m) => m[task]?.[metric])
        .filter((x): x is number => x !== undefined && Number.isFinite(x));
      if (v.length === 0) continue;
      const s = meanStd(v);
      out[task]![metric] = { mean: s.mean, std: s.std, n: v.length };
    }
  }
  return out;
}

/**
 * Everything `qmtl run` does short of the report, for library use: checks the
 * run folder (refusing what must not be touched), loads and checks the inputs,
 * then creates (or resumes, or replaces) the folder and runs every cell.
 */
export async function runExperimentIn<C extends BaseConfig>(
  suite: Suite<C>,
  cfg: C,
  runDir: string,
  opts: {
    readonly mode?: RunFolderMode;
    readonly onEvent?: (e: ExperimentEvent) => void;
    readonly jobs?: number;
  } = {},
): Promise<ExperimentResults> {
  const startedAt = Date.now();
  const mode = opts.mode ?? "new";
  planRunFolder(runDir, { kind: suite.name, mode, config: cfg });
  const loaded = await loadExperiment(suite, cfg, {
    jobs: opts.jobs ?? 1,
    onProgress: (stage, done, total) => opts.onEvent?.({ type: "progress", stage, done, total }),
    log: (message) => opts.onEvent?.({ type: "stage", message }),
  });
  applyRunFolder(planRunFolder(runDir, { kind: suite.name, mode, config: cfg }));
  return (await runExperiment(suite, cfg, runDir, { onEvent: opts.onEvent, startedAt, loaded }))!;
}
