/**
 * Mean and spread of metrics over folds or seeds. The standard deviation is
 * the *sample* one (ddof = 1, numpy.std(..., ddof=1), pandas' default),
 * sqrt(sum (x - mean)^2 / (n - 1)); for a single value it is 0 (not NaN).
 */
import { ValidationError, requireFinite } from "../core/errors.ts";

export interface MeanStd {
  mean: number;
  /** Sample standard deviation (ddof = 1); 0 when n = 1. */
  std: number;
  n: number;
}

export function meanStd(values: readonly number[]): MeanStd {
  if (values.length === 0) throw new ValidationError("meanStd.values", "at least one value", "none");
  values.forEach((v, i) => requireFinite(`meanStd.values[${i}]`, v));
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, std: 0, n };
  const ss = values.reduce((a, v) => a + (v - mean) * (v - mean), 0);
  return { mean, std: Math.sqrt(ss / (n - 1)), n };
}

/** One run (fold or seed): task -> metric -> value. */
export type RunMetrics = Readonly<Record<string, Readonly<Record<string, number>>>>;

/**
 * Per task and metric, mean and sample std over the runs that report it
 * (`n` says how many did). Tasks and metrics keep first-seen order.
 */
export function summarizeRuns(runs: readonly RunMetrics[]): Record<string, Record<string, MeanStd>> {
  const collected = new Map<string, Map<string, number[]>>();
  runs.forEach((run, r) => {
    for (const [task, metrics] of Object.entries(run)) {
      let byMetric = collected.get(task);
      if (byMetric === undefined) {
        byMetric = new Map();
        collected.set(task, byMetric);
      }
      for (const [metric, value] of Object.entries(metrics)) {
        requireFinite(`summarizeRuns.runs[${r}].${task}.${metric}`, value);
        const list = byMetric.get(metric) ?? [];
        list.push(value);
        byMetric.set(metric, list);
      }
    }
  });
  const out: Record<string, Record<string, MeanStd>> = {};
  for (const [task, byMetric] of collected) {
    out[task] = {};
    for (const [metric, values] of byMetric) (out[task] as Record<string, MeanStd>)[metric] = meanStd(values);
  }
  return out;
}

/** Field-wise sums of records over the same numeric keys (the phase splits of epochs and of cells). */
export function sumFields<K extends string>(
  keys: readonly K[],
  records: ReadonlyArray<Readonly<Record<K, number>>>,
): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const r of records) for (const k of keys) out[k] += r[k];
  return out;
}
