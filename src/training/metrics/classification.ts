/**
 * Classification metrics with scikit-learn's definitions and its
 * zero_division=0 convention, so that degenerate cases never yield NaN:
 *  - accuracy of an empty set is 0;
 *  - precision of a class never predicted is 0, recall of a class never
 *    present is 0, F1 = 2 tp / (2 tp + fp + fn) and 0 when that is 0/0;
 *  - Matthews correlation is 0 when either marginal is constant (sklearn).
 */
import { ValidationError } from "../../core/errors.ts";
import { requireLabelPairs, safeDiv, uniqueLabels } from "./common.ts";

/** Fraction of predictions equal to the labels. */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  requireLabelPairs("accuracy", yTrue, yPred);
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return safeDiv(hit, yTrue.length);
}

/**
 * Confusion matrix C[i][j] = number of samples with true labels[i] predicted
 * labels[j] (sklearn's layout). `labels` defaults to the sorted union.
 */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  labels?: readonly number[],
): number[][] {
  requireLabelPairs("confusionMatrix", yTrue, yPred);
  const ls = labels ?? uniqueLabels(yTrue, yPred);
  const index = new Map<number, number>(ls.map((l, i) => [l, i]));
  const m = ls.map(() => ls.map(() => 0));
  for (let i = 0; i < yTrue.length; i++) {
    const r = index.get(yTrue[i] as number);
    const c = index.get(yPred[i] as number);
    if (r !== undefined && c !== undefined) (m[r] as number[])[c] += 1;
  }
  return m;
}

export interface PrfScores {
  precision: number;
  recall: number;
  f1: number;
}

export type Average = "binary" | "macro" | "weighted" | "micro";

export interface PrfOptions {
  /** Default "binary". */
  average?: Average;
  /** The positive class for "binary" (default 1). */
  posLabel?: number;
  /** Classes to average over (default: sorted union of yTrue and yPred, as sklearn). */
  labels?: readonly number[];
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
  support: number;
}

function countsFor(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, label: number): Counts {
  let tp = 0,
    fp = 0,
    fn = 0,
    support = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] === label;
    const p = yPred[i] === label;
    if (t) support++;
    if (t && p) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  return { tp, fp, fn, support };
}

function scores(c: Counts): PrfScores {
  return {
    precision: safeDiv(c.tp, c.tp + c.fp),
    recall: safeDiv(c.tp, c.tp + c.fn),
    f1: safeDiv(2 * c.tp, 2 * c.tp + c.fp + c.fn),
  };
}

/** sklearn.metrics.precision_recall_fscore_support (beta 1, zero_division 0) for one averaging mode. */
export function precisionRecallF1(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: PrfOptions = {},
): PrfScores {
  requireLabelPairs("precisionRecallF1", yTrue, yPred);
  const average = options.average ?? "binary";
  if (average === "binary") return scores(countsFor(yTrue, yPred, options.posLabel ?? 1));
  const labels = options.labels ?? uniqueLabels(yTrue, yPred);
  const per = labels.map((l) => countsFor(yTrue, yPred, l));
  if (average === "micro") {
    const sum = per.reduce(
      (a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn, support: a.support + c.support }),
      {
        tp: 0,
        fp: 0,
        fn: 0,
        support: 0,
      },
    );
    return scores(sum);
  }
  if (average !== "macro" && average !== "weighted") {
    throw new ValidationError(
      "precisionRecallF1.average",
      '"binary", "macro", "weighted" or "micro"',
      average,
    );
  }
  const s = per.map(scores);
  const w = average === "macro" ? per.map(() => 1) : per.map((c) => c.support);
  const total = w.reduce((a, b) => a + b, 0);
  const avg = (key: keyof PrfScores): number =>
    safeDiv(
      s.reduce((a, x, i) => a + x[key] * (w[i] as number), 0),
      total,
    );
  return { precision: avg("precision"), recall: avg("recall"), f1: avg("f1") };
}

/**
 * Matthews correlation coefficient, binary or multiclass (sklearn's
 * generalisation): with C the confusion matrix, t_k its row sums, p_k its
 * column sums, c the trace and s the sample count,
 *   MCC = (c s - sum_k p_k t_k) / sqrt((s^2 - sum_k p_k^2)(s^2 - sum_k t_k^2)),
 * and 0 when the denominator is 0 (constant predictions or constant truth).
 */
export function matthewsCorrcoef(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  requireLabelPairs("matthewsCorrcoef", yTrue, yPred);
  const cm = confusionMatrix(yTrue, yPred);
  const k = cm.length;
  let c = 0,
    s = 0,
    pt = 0,
    pp = 0,
    tt = 0;
  for (let i = 0; i < k; i++) {
    const row = cm[i] as number[];
    c += row[i] as number;
    let ti = 0,
      pi = 0;
    for (let j = 0; j < k; j++) {
      ti += row[j] as number;
      pi += (cm[j] as number[])[i] as number;
    }
    s += ti;
    pt += pi * ti;
    pp += pi * pi;
    tt += ti * ti;
  }
  const denom = (s * s - pp) * (s * s - tt);
  return denom === 0 ? 0 : (c * s - pt) / Math.sqrt(denom);
}
