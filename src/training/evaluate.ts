import { requireInt } from "../core/errors.ts";
import { Rng } from "../core/rng.ts";
import type { MultiTaskModel } from "../models/build-model.ts";
import type { TaskInfo } from "../models/task-info.ts";
import { isMissing, type MultiTaskData } from "./dataset.ts";
import { accuracy, matthewsCorrcoef, precisionRecallF1 } from "./metrics/classification.ts";
import { pearson, spearman } from "./metrics/correlation.ts";
import { argmaxRows, binaryFromLogits } from "./metrics/predictions.ts";

/** Metric name -> value, per task. */
export type TaskMetrics = Record<string, Record<string, number>>;

/** Runs the model in evaluation mode over a dataset, in chunks; returns all logits (n * nOutputs). */
export function predictLogits(model: MultiTaskModel, data: MultiTaskData, chunk = 256): Float64Array {
  requireInt("predictLogits.chunk", chunk, 1);
  const out = new Float64Array(data.n * model.nOutputs);
  const ctx = { training: false, rng: new Rng(0) };
  for (let start = 0; start < data.n; start += chunk) {
    const end = Math.min(data.n, start + chunk);
    const x = data.features.subarray(start * data.dim, end * data.dim);
    out.set(model.net.forward(x.slice(), end - start, ctx), start * model.nOutputs);
  }
  return out;
}

/**
 * Per-task metrics (paper Table 3): classification tasks get accuracy,
 * precision, recall, F1 (binary: of the positive class; multiclass: macro
 * averages), the macro F1 over all classes (for binary too), the weighted F1
 * and Matthews correlation; regression gets
 * Pearson, Spearman and MSE. Samples whose label is missing are skipped.
 */
export function taskMetrics(
  tasks: readonly TaskInfo[],
  logits: Float64Array,
  nOutputs: number,
  data: MultiTaskData,
): TaskMetrics {
  const out: TaskMetrics = {};
  tasks.forEach((t, k) => {
    const idx: number[] = [];
    const y = data.labels[k]!;
    for (let i = 0; i < data.n; i++) if (!isMissing(t, y[i]!)) idx.push(i);
    const z = new Float64Array(idx.length * t.nOutputs);
    idx.forEach((i, r) =>
      z.set(
        logits.subarray(i * nOutputs + t.outputOffset, i * nOutputs + t.outputOffset + t.nOutputs),
        r * t.nOutputs,
      ),
    );
    const yt = Float64Array.from(idx, (i) => y[i]!);
    if (idx.length === 0) {
      out[t.name] = { n: 0 };
      return;
    }
    if (t.kind === "regression") {
      let se = 0;
      for (let r = 0; r < idx.length; r++) se += (z[r]! - yt[r]!) ** 2;
      out[t.name] = {
        pearson: pearson(z, yt),
        spearman: spearman(z, yt),
        mse: se / idx.length,
        n: idx.length,
      };
      return;
    }
    const pred = t.kind === "binary" ? binaryFromLogits(z) : argmaxRows(z, t.numClasses);
    const labels = Array.from({ length: t.numClasses }, (_, c) => c);
    const avg = t.kind === "binary" ? "binary" : "macro";
    const prf = precisionRecallF1(yt, pred, { average: avg, labels });
    const weighted = precisionRecallF1(yt, pred, { average: "weighted", labels });
    const macro = t.kind === "binary" ? precisionRecallF1(yt, pred, { average: "macro", labels }) : prf;
    out[t.name] = {
      accuracy: accuracy(yt, pred),
      precision: prf.precision,
      recall: prf.recall,
      f1: prf.f1,
      f1_macro: macro.f1,
      f1_weighted: weighted.f1,
      mcc: matthewsCorrcoef(yt, pred),
      n: idx.length,
    };
  });
  return out;
}
