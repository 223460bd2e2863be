/**
 * torch.nn.MSELoss (reduction "mean"): mean over labelled entries of
 * (p - y)^2, gradient 2 (p - y) / n. Targets equal to the ignore index are
 * masked, like the other losses (regression targets such as STS-B scores in
 * [0, 1] never take the value -100).
 */
import { requireFinite, requireLength } from "../../core/errors.ts";
import { IGNORE_INDEX, type LossResult } from "./common.ts";

export interface MseOptions {
  ignoreIndex?: number;
}

export function mse(preds: Float64Array, targets: ArrayLike<number>, options: MseOptions = {}): LossResult {
  const ignore = options.ignoreIndex ?? IGNORE_INDEX;
  requireLength("mse.targets", targets, preds.length);
  const grad = new Float64Array(preds.length);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < preds.length; i++) {
    const y = targets[i] as number;
    if (y === ignore) continue;
    requireFinite(`mse.targets[${i}]`, y);
    const d = preds[i] - y;
    sum += d * d;
    grad[i] = 2 * d;
    count++;
  }
  if (count === 0) return { loss: 0, grad, count };
  for (let i = 0; i < grad.length; i++) grad[i] /= count;
  return { loss: sum / count, grad, count };
}
