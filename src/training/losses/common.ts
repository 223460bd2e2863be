/**
 * Shared pieces of the loss functions. Every loss returns the batch loss and
 * its gradient with respect to the logits/predictions it was given, already
 * divided the way PyTorch's `reduction="mean"` divides, so the gradient can be
 * passed straight to `Module.backward`.
 *
 * Missing labels: an entry whose target equals IGNORE_INDEX (-100, PyTorch's
 * `ignore_index` default and the paper's sentinel) contributes nothing to the
 * loss, its gradient is 0, and it is not counted in the mean. A batch where
 * nothing is labelled gives loss 0 and a zero gradient (PyTorch would return
 * NaN from 0/0).
 */
import { ValidationError } from "../../core/errors.ts";

export const IGNORE_INDEX = -100;

export interface LossResult {
  /** Mean loss over the labelled entries (0 when there are none). */
  loss: number;
  /** d loss / d input, same layout as the input. */
  grad: Float64Array;
  /** Number of labelled entries that entered the mean. */
  count: number;
}

/** Throws unless logits hold `numClasses` scores for each of `labels.length` samples. */
export function requireRows(field: string, logits: Float64Array, rows: number, numClasses: number): void {
  if (logits.length !== rows * numClasses) {
    throw new ValidationError(
      field,
      `length ${rows}*${numClasses} = ${rows * numClasses} (samples*classes)`,
      `length ${logits.length}`,
    );
  }
}

/** Throws unless every label is an integer class in [0, K) or the ignore index. */
export function requireClassLabels(
  field: string,
  labels: ArrayLike<number>,
  numClasses: number,
  ignoreIndex: number,
): void {
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (y === ignoreIndex) continue;
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) {
      throw new ValidationError(
        `${field}[${i}]`,
        `a class index in [0, ${numClasses - 1}] or ${ignoreIndex} (missing)`,
        y,
      );
    }
  }
}

/**
 * Row-wise stable log-softmax of a (rows, K) block: z - max - log(sum exp(z - max)).
 * Returns a new array of the same layout.
 */
export function logSoftmaxRows(logits: Float64Array, rows: number, numClasses: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let r = 0; r < rows; r++) {
    const o = r * numClasses;
    let max = -Infinity;
    for (let c = 0; c < numClasses; c++) max = Math.max(max, logits[o + c]);
    let sum = 0;
    for (let c = 0; c < numClasses; c++) sum += Math.exp(logits[o + c] - max);
    const lse = max + Math.log(sum);
    for (let c = 0; c < numClasses; c++) out[o + c] = logits[o + c] - lse;
  }
  return out;
}

/** Row-wise softmax probabilities (stable). */
export function softmaxRows(logits: Float64Array, rows: number, numClasses: number): Float64Array {
  const out = logSoftmaxRows(logits, rows, numClasses);
  for (let i = 0; i < out.length; i++) out[i] = Math.exp(out[i]);
  return out;
}

/** Throws unless `weights` has one finite, non-negative entry per class. */
export function requireClassWeights(field: string, weights: ArrayLike<number>, numClasses: number): void {
  if (weights.length !== numClasses)
    throw new ValidationError(field, `length ${numClasses} (one per class)`, `length ${weights.length}`);
  for (let c = 0; c < numClasses; c++) {
    const w = weights[c] as number;
    if (!Number.isFinite(w) || w < 0)
      throw new ValidationError(`${field}[${c}]`, "a finite non-negative weight", w);
  }
}
