/**
 * torch.nn.CrossEntropyLoss over class indices, reduction "mean", with
 * optional per-class weights and ignore_index:
 *   loss = sum_i w[y_i] * (-log softmax(z_i)[y_i]) / sum_i w[y_i]
 * over the labelled samples (PyTorch's weighted mean; with no weights it is
 * the plain mean). d loss / d z_ic = w[y_i] * (p_ic - [c = y_i]) / sum_i w[y_i].
 * If nothing is labelled, or all labelled samples have weight 0, the result
 * is loss 0 with a zero gradient (PyTorch: NaN).
 */
import {
  IGNORE_INDEX,
  type LossResult,
  logSoftmaxRows,
  requireClassLabels,
  requireClassWeights,
  requireRows,
} from "./common.ts";

export interface CrossEntropyOptions {
  /** Per-class weights (torch's `weight`), length numClasses. */
  weights?: ArrayLike<number>;
  ignoreIndex?: number;
}

export function crossEntropy(
  logits: Float64Array,
  labels: ArrayLike<number>,
  numClasses: number,
  options: CrossEntropyOptions = {},
): LossResult {
  const ignore = options.ignoreIndex ?? IGNORE_INDEX;
  const rows = labels.length;
  requireRows("crossEntropy.logits", logits, rows, numClasses);
  requireClassLabels("crossEntropy.labels", labels, numClasses, ignore);
  if (options.weights !== undefined) requireClassWeights("crossEntropy.weights", options.weights, numClasses);
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
    sum += -w * logp[o + y];
    wsum += w;
    count++;
    for (let c = 0; c < numClasses; c++) grad[o + c] = w * (Math.exp(logp[o + c]) - (c === y ? 1 : 0));
  }
  if (wsum === 0) return { loss: 0, grad: new Float64Array(logits.length), count };
  for (let i = 0; i < grad.length; i++) grad[i] /= wsum;
  return { loss: sum / wsum, grad, count };
}
