import type { Circuit } from "../circuits/ir.ts";
import { paramValue } from "../circuits/ir.ts";
import type { DifferentiableExecutor, Gradients, Tape } from "../sim/executor.ts";
import { checkBatchArgs, checkCotangent } from "../sim/executor.ts";
import { compile, measureAll, simulateSample, type Compiled } from "../sim/simulate.ts";
import { zeroState, cloneState, type StateVector } from "../sim/state.ts";
import { addPauliTimes } from "../sim/pauli-ops.ts";
import { applyStepInverse } from "../sim/apply-steps.ts";
import { imInnerPauli1 } from "./pauli-inner.ts";

/**
 * The generic adjoint method (Jones & Gacon 2020) as a vector-Jacobian
 * product: one backward sweep per sample with lambda = sum_o c_o O_o |psi>,
 * un-applying gates from both states. For a rotation exp(-i a P/2) the
 * derivative is df/da = Im <lambda| P |psi> at the point just after the gate.
 * Works on any circuit of the IR; exact to rounding.
 */
export function adjointExecutor(circuit: Circuit): DifferentiableExecutor {
  const cc = compile(circuit);
  const ex: DifferentiableExecutor = {
    name: "statevector-adjoint",
    nInputs: circuit.nInputs,
    nWeights: circuit.nWeights,
    nOutputs: circuit.observables.length,
    forward(inputs, weights, batch) {
      checkBatchArgs(ex, inputs, weights, batch);
      const out = new Float64Array(batch * ex.nOutputs);
      const s = zeroState(circuit.nQubits);
      for (let b = 0; b < batch; b++) {
        simulateSample(cc, inputs, b, weights, s);
        measureAll(cc, s, out, b * ex.nOutputs);
      }
      return out;
    },
    record(inputs, weights, batch): Tape {
      checkBatchArgs(ex, inputs, weights, batch);
      const outputs = new Float64Array(batch * ex.nOutputs);
      const finals: StateVector[] = [];
      for (let b = 0; b < batch; b++) {
        const s = simulateSample(cc, inputs, b, weights);
        measureAll(cc, s, outputs, b * ex.nOutputs);
        finals.push(s);
      }
      return {
        outputs,
        backward: (cot) => {
          checkCotangent(ex.nOutputs, batch, cot);
          return adjointBackward(cc, inputs, weights, batch, finals, cot);
        },
      };
    },
  };
  return ex;
}

function adjointBackward(
  cc: Compiled, inputs: Float64Array, weights: Float64Array, batch: number,
  finals: readonly StateVector[], cot: Float64Array,
): Gradients {
  const c = cc.circuit;
  const gradWeights = new Float64Array(c.nWeights);
  const gradInputs = new Float64Array(batch * c.nInputs);
  const nOut = c.observables.length;
  for (let b = 0; b < batch; b++) {
    const psi = cloneState(finals[b]!);
    const lam = zeroState(c.nQubits);
    lam.re[0] = 0;
    for (let o = 0; o < nOut; o++) {
      const w = cot[b * nOut + o]!;
      if (w !== 0) addPauliTimes(lam, psi, cc.masks[o]!, w);
    }
    const off = b * c.nInputs;
    for (let k = cc.steps.length - 1; k >= 0; k--) {
      const st = cc.steps[k]!;
      let angle = 0;
      if (st.kind === "rot") {
        angle = paramValue(st.param, inputs, off, weights);
        if (st.param.kind !== "const") {
          const g = imInnerPauli1(lam, psi, st.wire, st.pauli);
          if (st.param.kind === "weight") gradWeights[st.param.index]! += g;
          else gradInputs[off + st.param.index]! += g;
        }
      }
      if (k > 0) {
        applyStepInverse(psi, st, angle);
        applyStepInverse(lam, st, angle);
      }
    }
  }
  return { gradWeights, gradInputs };
}
