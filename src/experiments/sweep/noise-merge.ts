/**
 * Merges a noise sweep's evaluation cells into the sweep's merged results
 * (`noise` in sweep-results.json): per evaluation cell its runs' metrics, and
 * per group (the training cell's non-replicate labels plus the condition) the
 * mean and sample std over every run of the group, per task and metric, with
 * the mean |noisy - ideal| output deviation as the metric `outputError`.
 */
import { summarizeRuns } from "../../training/summary.ts";
import type { MeanStdValue } from "../report/results-types.ts";
import {
  evalCells,
  evalId,
  noiseAxisSchema,
  noiseConditions,
  NOISE_HEAD,
  readEval,
  type NoiseConditionSpec,
  type NoiseEvalRun,
} from "./noise-axis.ts";
import type { SweepRecord } from "./sweep-dir.ts";

type Summary = Record<string, Record<string, Record<string, MeanStdValue>>>;

export interface NoiseCellResult {
  /** the evaluation cell `<cell>~<label>` */
  id: string;
  /** the training cell it evaluates */
  cell: string;
  label: string;
  /** the training cell's axis labels (replicates included) */
  labels: Record<string, string>;
  runs: NoiseEvalRun[];
  seconds: number;
}

export interface NoiseGroup {
  /** the training cell's non-replicate labels, and `noise`: the condition's label */
  labels: Record<string, string>;
  condition: NoiseConditionSpec;
  cells: string[];
  /** head -> task -> metric (with outputError): mean and std over the group's runs */
  summary: Summary;
}

export interface SweepNoiseResults {
  conditions: NoiseConditionSpec[];
  cells: NoiseCellResult[];
  groups: NoiseGroup[];
  /** evaluation cells without a result yet */
  missing: string[];
}

/** Every evaluation cell id of a sweep record (none without a noise axis). */
export function evalCellIds(rec: SweepRecord): string[] {
  if (rec.config.noise === undefined) return [];
  const conds = noiseConditions(noiseAxisSchema.parse(rec.config.noise));
  return evalCells(rec.cells, conds).map((c) => c.id);
}

function pooled(runs: readonly NoiseEvalRun[]): Summary {
  if (runs.length === 0) return {};
  const withError = runs.map((r) => {
    const t: Record<string, Record<string, number>> = {};
    for (const [task, ms] of Object.entries(r.test)) t[task] = { ...ms };
    for (const [task, e] of Object.entries(r.outputError)) t[task] = { ...(t[task] ?? {}), outputError: e };
    return t;
  });
  return { [NOISE_HEAD]: summarizeRuns(withError) };
}

/** The noise section of the merged results, or null for a sweep without a noise axis. */
export function mergeNoise(
  sweepDir: string,
  rec: SweepRecord,
  replicate: ReadonlySet<string>,
): SweepNoiseResults | null {
  if (rec.config.noise === undefined) return null;
  const conditions = noiseConditions(noiseAxisSchema.parse(rec.config.noise));
  const cells: NoiseCellResult[] = [];
  const missing: string[] = [];
  for (const c of rec.cells) {
    for (const k of conditions) {
      const id = evalId(c.id, k.label);
      const r = readEval(sweepDir, id);
      if (r === null) {
        missing.push(id);
        continue;
      }
      cells.push({
        id,
        cell: c.id,
        label: k.label,
        labels: { ...c.labels },
        runs: r.runs,
        seconds: r.seconds,
      });
    }
  }
  const groups = new Map<
    string,
    { labels: Record<string, string>; cond: NoiseConditionSpec; cells: NoiseCellResult[] }
  >();
  for (const c of cells) {
    const labels = {
      ...Object.fromEntries(Object.entries(c.labels).filter(([k]) => !replicate.has(k))),
      noise: c.label,
    };
    const key = JSON.stringify(labels);
    const g = groups.get(key) ?? {
      labels,
      cond: conditions.find((k) => k.label === c.label)!,
      cells: [] as NoiseCellResult[],
    };
    g.cells.push(c);
    groups.set(key, g);
  }
  return {
    conditions,
    cells,
    groups: [...groups.values()].map((g) => ({
      labels: g.labels,
      condition: g.cond,
      cells: g.cells.map((c) => c.id),
      summary: pooled(g.cells.flatMap((c) => c.runs)),
    })),
    missing,
  };
}
