/**
 * The multi-task objective of paper Eq. 1: L = sum_t lambda_t * L_t, where
 * each L_t is already a batch mean. Each task's gradient is scaled by its
 * lambda_t. A task without labels in the batch (count 0) adds 0 and a zero
 * gradient. Uniform averaging over T tasks is lambda_t = 1/T.
 */
import { ValidationError, requireFinite } from "../../core/errors.ts";
import type { LossResult } from "./common.ts";

export interface WeightedTaskLoss {
  loss: number;
  /** Per task, lambda_t * dL_t/d(task output), in the order given. */
  grads: Float64Array[];
  /** Per task, the weighted contribution lambda_t * L_t. */
  parts: number[];
}

export function weightedTaskSum(
  results: readonly LossResult[],
  lambdas: readonly number[],
): WeightedTaskLoss {
  if (lambdas.length !== results.length) {
    throw new ValidationError(
      "weightedTaskSum.lambdas",
      `length ${results.length} (one per task)`,
      `length ${lambdas.length}`,
    );
  }
  let loss = 0;
  const grads: Float64Array[] = [];
  const parts: number[] = [];
  results.forEach((r, t) => {
    const lambda = lambdas[t] as number;
    requireFinite(`weightedTaskSum.lambdas[${t}]`, lambda);
    const g = new Float64Array(r.grad.length);
    for (let i = 0; i < g.length; i++) g[i] = lambda * r.grad[i];
    const part = lambda * r.loss;
    loss += part;
    parts.push(part);
    grads.push(g);
  });
  return { loss, grads, parts };
}
