import { ValidationError, requireAllFinite, requireInt } from "../core/errors.ts";

/** Gradients of sum_{b,o} cotangent[b,o] * outputs[b,o]. */
export interface Gradients {
  /** d/d weights, summed over the batch (weights are shared). */
  readonly gradWeights: Float64Array;
  /** d/d inputs, per sample: batch * nInputs. */
  readonly gradInputs: Float64Array;
}

export interface Tape {
  /** outputs, batch * nOutputs, row-major */
  readonly outputs: Float64Array;
  /** Vector-Jacobian product for the batch this tape was recorded on. */
  backward(cotangent: Float64Array): Gradients;
}

/**
 * A differentiable batched circuit: B samples, each with its own input angles,
 * sharing one trainable weight vector. Every simulator path (the generic
 * gate-by-gate adjoint, the structured QMTL engine, parameter shift) has this
 * shape, so models and tests can swap them.
 */
export interface DifferentiableExecutor {
  readonly name: string;
  readonly nInputs: number;
  readonly nWeights: number;
  readonly nOutputs: number;
  forward(inputs: Float64Array, weights: Float64Array, batch: number): Float64Array;
  record(inputs: Float64Array, weights: Float64Array, batch: number): Tape;
}

/** Shared argument validation for executors: names the field and what was expected. */
export function checkBatchArgs(
  ex: { nInputs: number; nWeights: number },
  inputs: Float64Array, weights: Float64Array, batch: number,
): void {
  requireInt("batch", batch, 1);
  if (inputs.length !== batch * ex.nInputs) {
    throw new ValidationError("inputs", `length batch*nInputs = ${batch}*${ex.nInputs} = ${batch * ex.nInputs}`, `length ${inputs.length}`);
  }
  if (weights.length !== ex.nWeights) throw new ValidationError("weights", `length ${ex.nWeights}`, `length ${weights.length}`);
  requireAllFinite("inputs", inputs);
  requireAllFinite("weights", weights);
}

export function checkCotangent(nOutputs: number, batch: number, cot: Float64Array): void {
  if (cot.length !== batch * nOutputs) {
    throw new ValidationError("cotangent", `length batch*nOutputs = ${batch * nOutputs}`, `length ${cot.length}`);
  }
  requireAllFinite("cotangent", cot);
}
