/**
 * torch.nn.BCEWithLogitsLoss (reduction "mean") with missing-label masking.
 * Per entry, stably: l = max(x, 0) - x*y + log1p(exp(-|x|)), dl/dx = sigmoid(x) - y.
 * The mean runs over the labelled entries only; targets may be soft (in [0, 1]).
 */
import { ValidationError, requireLength } from "../../core/errors.ts";
import { IGNORE_INDEX, type LossResult } from "./common.ts";

export interface BceOptions {
  ignoreIndex?: number;
}

/** Numerically stable logistic function. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function bceWithLogits(
  logits: Float64Array,
  targets: ArrayLike<number>,
  options: BceOptions = {},
): LossResult {
  const ignore = options.ignoreIndex ?? IGNORE_INDEX;
  requireLength("bceWithLogits.targets", targets, logits.length);
  const grad = new Float64Array(logits.length);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < logits.length; i++) {
    const y = targets[i] as number;
    if (y === ignore) continue;
    if (!(y >= 0 && y <= 1))
      throw new ValidationError(
        `bceWithLogits.targets[${i}]`,
        `a target in [0, 1] or ${ignore} (missing)`,
        y,
      );
    const x = logits[i];
    sum += Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
    grad[i] = sigmoid(x) - y;
    count++;
  }
  if (count === 0) return { loss: 0, grad, count };
  for (let i = 0; i < grad.length; i++) grad[i] /= count;
  return { loss: sum / count, grad, count };
}
