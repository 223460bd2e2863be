import { ValidationError, requireAllFinite, requireInt } from "../core/errors.ts";
import { formatBytes, requireAllocation } from "../core/limits.ts";
import type { Circuit } from "../circuits/ir.ts";
import { validateCircuit } from "./lower.ts";
import { MAX_QUBITS } from "./state.ts";

/** Gradients of sum_{b,o} cotangent[b,o] * outputs[b,o]. */
export interface Gradients {
  /** d/d weights, summed over the batch (weights are shared). */
  readonly gradWeights: Float64Array;
  /** d/d inputs, per sample: batch * nInputs. */
  readonly gradInputs: Float64Array;
}

/** What `record` returns: the batch's outputs and `backward(cotangent)` giving the weight and input gradients. */
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

/**
 * What every statevector executor checks before it allocates anything: the
 * circuit is valid, has at least one observable, fits MAX_QUBITS, and
 * `states` statevectors of 2^n complex float64 amplitudes fit the memory limit.
 */
export function checkExecutorCircuit(circuit: Circuit, executor: string, states: number): void {
  validateCircuit(circuit);
  if (circuit.observables.length === 0)
    throw new ValidationError("circuit.observables", `at least one observable for ${executor}`, "none");
  if (circuit.nQubits > MAX_QUBITS) {
    const one = formatBytes(16 * 2 ** circuit.nQubits);
    throw new ValidationError(
      "circuit.nQubits",
      `at most ${MAX_QUBITS} qubits for ${executor} (one statevector of ${circuit.nQubits} qubits takes ${one})`,
      circuit.nQubits,
    );
  }
  requireAllocation(
    "circuit.nQubits",
    states * 2 ** circuit.nQubits,
    16,
    `${states} statevectors of ${circuit.nQubits} qubits (${executor})`,
  );
}

/** Shared argument validation for executors: names the field and what was expected. */
export function checkBatchArgs(
  ex: { nInputs: number; nWeights: number },
  inputs: Float64Array,
  weights: Float64Array,
  batch: number,
): void {
  if (!(inputs instanceof Float64Array)) throw new ValidationError("inputs", "a Float64Array", inputs);
  if (!(weights instanceof Float64Array)) throw new ValidationError("weights", "a Float64Array", weights);
  requireInt("batch", batch, 1);
  if (inputs.length !== batch * ex.nInputs) {
    throw new ValidationError(
      "inputs",
      `length batch*nInputs = ${batch}*${ex.nInputs} = ${batch * ex.nInputs}`,
      `length ${inputs.length}`,
    );
  }
  if (weights.length !== ex.nWeights)
    throw new ValidationError("weights", `length ${ex.nWeights}`, `length ${weights.length}`);
  requireAllFinite("inputs", inputs);
  requireAllFinite("weights", weights);
}

export function checkCotangent(nOutputs: number, batch: number, cot: Float64Array): void {
  if (!(cot instanceof Float64Array)) throw new ValidationError("cotangent", "a Float64Array", cot);
  if (cot.length !== batch * nOutputs) {
    throw new ValidationError(
      "cotangent",
      `length batch*nOutputs = ${batch * nOutputs}`,
      `length ${cot.length}`,
    );
  }
  requireAllFinite("cotangent", cot);
}
