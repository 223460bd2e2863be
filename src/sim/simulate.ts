import type { Circuit } from "../circuits/ir.ts";
import { lower, type Step } from "./lower.ts";
import { zeroState, type StateVector } from "./state.ts";
import { applyStep } from "./apply-steps.ts";
import { paramValue } from "../circuits/ir.ts";
import { expvalPauli, pauliMasks, type PauliMasks } from "./pauli-ops.ts";
import { ValidationError, requireAllFinite, requireInt } from "../core/errors.ts";

/** A circuit compiled for repeated simulation: lowered steps and observable masks. */
export interface Compiled {
  readonly circuit: Circuit;
  readonly steps: readonly Step[];
  readonly masks: readonly PauliMasks[];
}

export function compile(c: Circuit): Compiled {
  return { circuit: c, steps: lower(c), masks: c.observables.map((o) => pauliMasks(o, c.nQubits)) };
}

/** Runs sample `b` of a batch gate by gate from |0...0>. */
export function simulateSample(
  cc: Compiled,
  inputs: ArrayLike<number>,
  b: number,
  weights: ArrayLike<number>,
  state?: StateVector,
): StateVector {
  const c = cc.circuit;
  requireInt("sample", b, 0);
  if (inputs.length < (b + 1) * c.nInputs)
    throw new ValidationError(
      "inputs",
      `at least (sample + 1) * nInputs = ${(b + 1) * c.nInputs} angles`,
      `length ${inputs.length}`,
    );
  if (weights.length !== c.nWeights)
    throw new ValidationError("weights", `length ${c.nWeights}`, `length ${weights.length}`);
  requireAllFinite(
    "inputs",
    Array.prototype.slice.call(inputs, b * c.nInputs, (b + 1) * c.nInputs) as number[],
  );
  requireAllFinite("weights", weights);
  if (state && (state.n !== c.nQubits || state.re.length !== 2 ** c.nQubits))
    throw new ValidationError("state", `a state of ${c.nQubits} qubits`, `${state.n} qubits`);
  const s = state ?? zeroState(cc.circuit.nQubits);
  if (state) {
    s.re.fill(0);
    s.im.fill(0);
    s.re[0] = 1;
  }
  const off = b * cc.circuit.nInputs;
  for (const st of cc.steps)
    applyStep(s, st, st.kind === "rot" ? paramValue(st.param, inputs, off, weights) : 0);
  return s;
}

/** Expectation values of the circuit's observables on a state. */
export function measureAll(cc: Compiled, s: StateVector, out: Float64Array, offset: number): void {
  for (let o = 0; o < cc.masks.length; o++) out[offset + o] = expvalPauli(s, cc.masks[o]!);
}
