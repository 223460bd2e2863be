import type { Circuit } from "../circuits/ir.ts";
import { paramValue } from "../circuits/ir.ts";
import type { DifferentiableExecutor, Tape } from "../sim/executor.ts";
import { checkBatchArgs, checkCotangent, checkExecutorCircuit } from "../sim/executor.ts";
import { compile, measureAll, type Compiled } from "../sim/simulate.ts";
import { zeroState, type StateVector } from "../sim/state.ts";
import { applyStep } from "../sim/apply-steps.ts";

/**
 * Parameter-shift gradients (paper Eq. 20): for each gate occurrence
 * exp(-i a P/2), d<O>/da = (<O>(a + pi/2) - <O>(a - pi/2)) / 2, exact for
 * Pauli generators. Costs two circuit runs per differentiable gate
 * occurrence per sample, which is what hardware needs; the simulator's own
 * training path uses the adjoint method instead. The result is a VJP, summed
 * over occurrences that share a weight.
 */
export function parameterShiftExecutor(circuit: Circuit): DifferentiableExecutor {
  checkExecutorCircuit(circuit, "parameter shift", 2);
  const cc = compile(circuit);
  const nOut = circuit.observables.length;
  const ex: DifferentiableExecutor = {
    name: "statevector-parameter-shift",
    nInputs: circuit.nInputs,
    nWeights: circuit.nWeights,
    nOutputs: nOut,
    forward(inputs, weights, batch) {
      checkBatchArgs(ex, inputs, weights, batch);
      const out = new Float64Array(batch * nOut);
      const s = zeroState(circuit.nQubits);
      for (let b = 0; b < batch; b++) {
        runShifted(cc, inputs, b, weights, -1, 0, s);
        measureAll(cc, s, out, b * nOut);
      }
      return out;
    },
    record(inputs, weights, batch): Tape {
      const outputs = ex.forward(inputs, weights, batch);
      return {
        outputs,
        backward(cot) {
          checkCotangent(nOut, batch, cot);
          const gradWeights = new Float64Array(circuit.nWeights);
          const gradInputs = new Float64Array(batch * circuit.nInputs);
          const s = zeroState(circuit.nQubits);
          const plus = new Float64Array(nOut),
            minus = new Float64Array(nOut);
          for (let b = 0; b < batch; b++) {
            // a sample whose cotangent row is zero contributes nothing: skip its 2 runs per gate
            if (cot.subarray(b * nOut, (b + 1) * nOut).every((c) => c === 0)) continue;
            cc.steps.forEach((st, k) => {
              if (st.kind !== "rot" || st.param.kind === "const") return;
              runShifted(cc, inputs, b, weights, k, Math.PI / 2, s);
              measureAll(cc, s, plus, 0);
              runShifted(cc, inputs, b, weights, k, -Math.PI / 2, s);
              measureAll(cc, s, minus, 0);
              let g = 0;
              for (let o = 0; o < nOut; o++) g += (cot[b * nOut + o]! * (plus[o]! - minus[o]!)) / 2;
              if (st.param.kind === "weight") gradWeights[st.param.index]! += g;
              else gradInputs[b * circuit.nInputs + st.param.index]! += g;
            });
          }
          return { gradWeights, gradInputs };
        },
      };
    },
  };
  return ex;
}

function runShifted(
  cc: Compiled,
  inputs: Float64Array,
  b: number,
  weights: Float64Array,
  shiftStep: number,
  shift: number,
  s: StateVector,
): void {
  s.re.fill(0);
  s.im.fill(0);
  s.re[0] = 1;
  const off = b * cc.circuit.nInputs;
  cc.steps.forEach((st, k) => {
    let angle = st.kind === "rot" ? paramValue(st.param, inputs, off, weights) : 0;
    if (k === shiftStep) angle += shift;
    applyStep(s, st, angle);
  });
}
