import { join } from "node:path";
import { writeJsonAtomic } from "../core/atomic-file.ts";
import { layoutTasks } from "../models/task-info.ts";
import { buildModel } from "../models/build-model.ts";
import { Rng } from "../core/rng.ts";
import { meanStd } from "../training/summary.ts";
import type { TaskMetrics } from "../training/evaluate.ts";
import type { MustardConfig } from "./config-schema.ts";
import { cellKey, crossValidate, type CvEvent, type RunResult } from "./cross-validate.ts";
import { loadMustardInputs } from "./mustard-data.ts";
import { mustardHeadPlans } from "./mustard-heads.ts";
import { majorityBaseline } from "./majority-baseline.ts";
import type { ExperimentResults, MeanStdValue } from "./report/results-types.ts";

export const QMTL_VERSION = "0.1.0";

export type MustardEvent = CvEvent | { type: "features"; done: number; total: number } | { type: "stage"; message: string };

export interface RunMustardOptions {
  /** when the whole run started (ms since the epoch), for the reported wall time */
  readonly startedAt?: number;
}

/** Loads the inputs and runs the cells (all, or the given ones); finished cells are reused. */
async function runCells(cfg: MustardConfig, runDir: string, onEvent: ((e: MustardEvent) => void) | undefined, cells?: readonly string[]) {
  onEvent?.({ type: "stage", message: "loading data and features" });
  const inputs = await loadMustardInputs(cfg, (done, total) => onEvent?.({ type: "features", done, total }));
  // written once the inputs are known to load, so a failed start leaves no run folder to resume
  writeJsonAtomic(join(runDir, "config.json"), cfg);
  const heads = mustardHeadPlans(cfg, inputs.tasks, inputs.data.dim);
  const stratifyTask = inputs.tasks.findIndex((t) => t.name === cfg.selection.task);
  const runs = crossValidate({
    runDir, data: inputs.data, folds: inputs.folds, seeds: cfg.seeds, heads, valFraction: cfg.valFraction,
    stratifyTask: Math.max(0, stratifyTask), standardize: cfg.standardize, threads: cfg.threads,
    ...(cells ? { cells: new Set(cells) } : {}),
  }, onEvent);
  return { inputs, heads, runs };
}

/** Runs some cells of the experiment (another process runs the rest); writes their files, no results.json. */
export async function runMustardCells(cfg: MustardConfig, runDir: string, cells: readonly string[], onEvent?: (e: MustardEvent) => void): Promise<void> {
  await runCells(cfg, runDir, onEvent, cells);
}

/** Runs the paper's Extended MUStARD comparison into runDir and returns (and writes) its results. */
export async function runMustard(cfg: MustardConfig, runDir: string, onEvent?: (e: MustardEvent) => void, opts: RunMustardOptions = {}): Promise<ExperimentResults> {
  const t0 = opts.startedAt ?? Date.now();
  const { inputs, heads, runs } = await runCells(cfg, runDir, onEvent);
  const tasks = layoutTasks(inputs.tasks);
  const majority = inputs.folds.map(({ fold }) => majorityBaseline(tasks, inputs.data, fold));
  const results: ExperimentResults = {
    name: cfg.name, dataset: "Extended MUStARD", createdAt: new Date().toISOString(), qmtlVersion: QMTL_VERSION,
    setup: {
      backbone: inputs.backbone, backboneDetail: inputs.backboneDetail, featureDim: inputs.data.dim, split: cfg.split,
      folds: inputs.folds.map((f) => f.index), seeds: [...cfg.seeds], epochs: cfg.epochs, batchSize: cfg.batchSize, lr: cfg.lr,
      valFraction: cfg.valFraction, selection: `validation ${cfg.selection.task} ${cfg.selection.metric}`,
      taskWeights: Object.fromEntries(heads.map((h) => [h.id, h.train.losses[0]!.weight])),
    },
    tasks: inputs.tasks.map((t, k) => ({ name: t.name, kind: t.kind, numClasses: t.numClasses ?? 2, classNames: inputs.classNames[k]! })),
    heads: heads.map((h) => {
      const m = buildModel(h.model, new Rng(0));
      return { id: h.id, label: h.label, headParams: m.counts.head, extras: m.counts.extras, projectionParams: m.counts.projection, qubits: m.qmtlLayout?.Q ?? h.model.hqnn?.qubits ?? null };
    }),
    runs: runs.map((r) => ({ head: r.head, fold: r.fold, seed: r.seed, bestEpoch: r.bestEpoch, valScore: r.valScore, seconds: r.seconds, simSeconds: r.simSeconds, test: r.test })),
    summary: Object.fromEntries(heads.map((h) => [h.id, summarize(runs.filter((r) => r.head === h.id).map((r) => r.test))])),
    baselines: { majority: summarize(majority) },
    timing: {
      totalSeconds: (Date.now() - t0) / 1000,
      simSeconds: runs.reduce((a, r) => a + r.simSeconds, 0),
      perHead: Object.fromEntries(heads.map((h) => {
        const rs = runs.filter((r) => r.head === h.id);
        return [h.id, { seconds: sum(rs, "seconds"), simSeconds: sum(rs, "simSeconds"), epochs: sum(rs, "epochs") }];
      })),
    },
    differences: differencesFromPaper(cfg, inputs.backboneDetail),
    notes: notes(inputs.dataset.multiLabelCells.length),
  };
  writeJsonAtomic(join(runDir, "results.json"), results);
  return results;
}

function sum(rs: readonly RunResult[], key: "seconds" | "simSeconds" | "epochs"): number {
  return rs.reduce((a, r) => a + r[key], 0);
}

/** Every (head, fold, seed) cell of a config, as cellKey names them. */
export function mustardCells(cfg: MustardConfig): string[] {
  const folds = cfg.split === "speaker-dependent" ? cfg.folds : [0];
  return folds.flatMap((k) => cfg.seeds.flatMap((s) => cfg.heads.map((h) => cellKey(h, k, s))));
}

/** mean and sample std over folds x seeds, per task and metric */
export function summarize(ms: readonly TaskMetrics[]): Record<string, Record<string, MeanStdValue>> {
  const out: Record<string, Record<string, MeanStdValue>> = {};
  if (ms.length === 0) return out;
  for (const task of Object.keys(ms[0]!)) {
    out[task] = {};
    for (const metric of Object.keys(ms[0]![task]!)) {
      const v = ms.map((m) => m[task]![metric]!);
      const s = meanStd(v);
      out[task]![metric] = { mean: s.mean, std: s.std, n: v.length };
    }
  }
  return out;
}

function differencesFromPaper(cfg: MustardConfig, backboneDetail: string): string[] {
  const d = [
    `Features: the paper uses the authors' pre-extracted multimodal (text, audio, video) features, which are not obtainable here; this run uses ${backboneDetail}.`,
    cfg.hqnnPrecision === "float32" && cfg.heads.some((h) => h.startsWith("hqnn"))
      ? "Gradients: exact adjoint/structured simulation instead of the paper's parameter-shift rule; float64 for the QMTL head, float32 simulator states for the HQNN heads (hqnnPrecision: about 3e-7 relative error on outputs and gradients)."
      : "Gradients: exact adjoint/structured simulation in float64 instead of the paper's parameter-shift rule; both give the exact gradient, so training is the same up to floating point.",
    `Validation: ${Math.round(cfg.valFraction * 100)}% of each fold's training part, stratified by ${cfg.selection.task} and seeded, is held out for checkpoint selection; the paper does not say how its validation set was formed.`,
    "HQNN circuit: Phukan et al.'s exact gates are not public; we use our reading (docs/decisions.md).",
    "Projection: Linear(D, 39) -> ReLU -> Linear(39, 39) for every head, as the paper describes for the classical head; the paper does not give the projection of the other heads.",
  ];
  if (cfg.standardize) d.push("Features are standardised with the training part's mean and standard deviation (the paper does not say).");
  if (cfg.epochs !== 50 || cfg.batchSize !== 16 || cfg.lr !== 1e-3) d.push(`Training length or optimiser differ from the paper's 50 epochs, batch 16, lr 1e-3: here ${cfg.epochs} epochs, batch ${cfg.batchSize}, lr ${cfg.lr}.`);
  return d;
}

function notes(multiLabel: number): string[] {
  return [
    "Precision, recall and F1: the positive class for sarcasm; macro averages over classes for the 3- and 9-class tasks (f1_macro and f1_weighted are in results.json).",
    "The first encoding block of the QMTL head acts on |+>^Q, where RX(z) is a global phase: the first Q of the 39 projected features cannot influence the output (their gradient is exactly 0). This follows from the circuit as the paper specifies it.",
    `Emotion labels: ${multiLabel} multi-label emotion cells found in the embedded annotation; the rule is to keep the first listed emotion.`,
    "The paper reports its MUStARD results only as bar charts (Fig. 7), so no published table is reproduced beside these numbers.",
  ];
}
