/**
 * Class-weighted focal loss for multi-class logits (paper Eq. 23-24):
 *   FL_i = -alpha * w[y_i] * (1 - p_i)^gamma * log p_i,
 * with p_i = softmax(z_i)[y_i] the model's (unweighted) probability of the
 * true class, taken from a stable log-softmax, gamma = 2 and alpha = 1 by
 * default, and w the per-class weights of Eq. 23 (inverseFrequencyWeights).
 *
 * Normalisation (the paper does not say; this is our choice):
 *  - "valid" (default): sum_i FL_i / (number of labelled samples). Eq. 23's
 *    weights w_c = N / (K n_c) are already scaled so that their average over
 *    the training samples is 1 (sum_c n_c * N/(K n_c) = N when every sample
 *    is labelled), so the plain mean keeps the loss on the scale of an
 *    unweighted loss, and a batch's loss does not depend on how many
 *    rare-class samples it happens to contain through the denominator.
 *    This is also what the common PyTorch recipe computes
 *    (`CrossEntropyLoss(weight=w, reduction="none")`, focal factor, `.mean()`
 *    over the labelled entries).
 *  - "weights": sum_i FL_i / sum_i w[y_i], PyTorch's weighted-mean
 *    convention for CrossEntropyLoss; with gamma = 0 and alpha = 1 it equals
 *    `crossEntropy(..., { weights })` exactly.
 * The focal factor uses the true probability p_i rather than exp(-w * CE_i)
 * (what `pt = exp(-ce)` gives when ce already carries the class weight),
 * because Eq. 24 defines p̂ as the model probability of the true class.
 *
 * Gradient: dFL_i/dz_ic = alpha * w * [gamma (1-p)^(gamma-1) p log p - (1-p)^gamma] * ([c = y] - p_c),
 * which for gamma = 0 reduces to the cross-entropy gradient alpha * w * (p_c - [c = y]).
 */
import { ValidationError, requireFinite } from "../../core/errors.ts";
import {
  IGNORE_INDEX,
  type LossResult,
  logSoftmaxRows,
  requireClassLabels,
  requireClassWeights,
  requireRows,
} from "./common.ts";

export interface FocalLossOptions {
  /** Focusing exponent (default 2). */
  gamma?: number;
  /** Overall scale (default 1). */
  alpha?: number;
  /** Per-class weights w_c (default all 1). */
  weights?: ArrayLike<number>;
  /** "valid": divide by the number of labelled samples (default); "weights": by the sum of their class weights. */
  normalization?: "valid" | "weights";
  ignoreIndex?: number;
}

export function focalLoss(
  logits: Float64Array,
  labels: ArrayLike<number>,
  numClasses: number,
  options: FocalLossOptions = {},
): LossResult {
  const gamma = options.gamma ?? 2;
  const alpha = options.alpha ?? 1;
  const normalization = options.normalization ?? "valid";
  const ignore = options.ignoreIndex ?? IGNORE_INDEX;
  requireFinite("focalLoss.alpha", alpha);
  if (!(gamma >= 0) || !Number.isFinite(gamma))
    throw new ValidationError("focalLoss.gamma", "a finite number >= 0", gamma);
  if (normalization !== "valid" && normalization !== "weights") {
    throw new ValidationError("focalLoss.normalization", '"valid" or "weights"', normalization);
  }
  const rows = labels.length;
  requireRows("focalLoss.logits", logits, rows, numClasses);
  requireClassLabels("focalLoss.labels", labels, numClasses, ignore);
  if (options.weights !== undefined) requireClassWeights("focalLoss.weights", options.weights, numClasses);
  const logp = logSoftmaxRows(logits, rows, numClasses);
  const grad = new Float64Array(logits.length);
  let sum = 0;
  let wsum = 0;
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const y = labels[r] as number;
    if (y === ignore) continue;
    const w = options.weights === undefined ? 1 : (options.weights[y] as number);
    const o = r * numClasses;
    const lp = logp[o + y];
    const p = Math.exp(lp);
    const q = -Math.expm1(lp); // 1 - p without cancellation
    const qg = gamma === 0 ? 1 : Math.pow(q, gamma);
    sum += -alpha * w * qg * lp;
    wsum += w;
    count++;
    // A = gamma q^(gamma-1) p log p - q^gamma; its limit as q -> 0 is 0 for gamma > 0.
    const a =
      q === 0 ? (gamma === 0 ? -1 : 0) : (gamma === 0 ? 0 : gamma * Math.pow(q, gamma - 1) * p * lp) - qg;
    const scale = alpha * w * a;
    for (let c = 0; c < numClasses; c++) {
      grad[o + c] = scale * ((c === y ? 1 : 0) - Math.exp(logp[o + c]));
    }
  }
  const denom = normalization === "valid" ? count : wsum;
  if (denom === 0) return { loss: 0, grad: new Float64Array(logits.length), count };
  for (let i = 0; i < grad.length; i++) grad[i] /= denom;
  return { loss: sum / denom, grad, count };
}
