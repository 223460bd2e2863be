import type { Circuit } from "../circuits/ir.ts";
import { paramValue } from "../circuits/ir.ts";
import type { DifferentiableExecutor, Gradients, Tape } from "../sim/executor.ts";
import { checkBatchArgs, checkCotangent, checkExecutorCircuit } from "../sim/executor.ts";
import { requireAllocation } from "../core/limits.ts";
import { compile, measureAll, type Compiled } from "../sim/simulate.ts";
import { cloneState, type StateVector } from "../sim/state.ts";
import { addPauliTimes } from "../sim/pauli-ops.ts";
import { tsBackend, applyStepOn, applyStepInverseOn, type KernelBackend } from "../sim/wasm/backend.ts";

/** Options of the gate-by-gate adjoint executor: the kernel backend (TypeScript by default, or `selectKernelBackend()`). */
export interface AdjointOptions {
  /** gate kernels (default: the TypeScript ones; see sim/wasm/select.ts selectKernelBackend) */
  readonly backend?: KernelBackend;
}

/** Runs sample `b` gate by gate from |0...0> in `s` (a state of backend k). */
function simulateInto(
  k: KernelBackend,
  cc: Compiled,
  inputs: Float64Array,
  b: number,
  weights: Float64Array,
  s: StateVector,
): void {
  s.re.fill(0);
  s.im.fill(0);
  s.re[0] = 1;
  const off = b * cc.circuit.nInputs;
  for (const st of cc.steps)
    applyStepOn(k, s, st, st.kind === "rot" ? paramValue(st.param, inputs, off, weights) : 0);
}

/**
 * The generic adjoint method (Jones & Gacon 2020) as a vector-Jacobian
 * product: one backward sweep per sample with lambda = sum_o c_o O_o |psi>,
 * un-applying gates from both states. For a rotation exp(-i a P/2) the
 * derivative is df/da = Im <lambda| P |psi> at the point just after the gate.
 * Works on any circuit of the IR; exact to rounding.
 */
export function adjointExecutor(circuit: Circuit, opts: AdjointOptions = {}): DifferentiableExecutor {
  checkExecutorCircuit(circuit, "the gate-by-gate adjoint", 3);
  const cc = compile(circuit);
  const k = opts.backend ?? tsBackend;
  const ex: DifferentiableExecutor = {
    name: "statevector-adjoint",
    nInputs: circuit.nInputs,
    nWeights: circuit.nWeights,
    nOutputs: circuit.observables.length,
    forward(inputs, weights, batch) {
      checkBatchArgs(ex, inputs, weights, batch);
      const out = new Float64Array(batch * ex.nOutputs);
      const s = k.createState(circuit.nQubits);
      for (let b = 0; b < batch; b++) {
        simulateInto(k, cc, inputs, b, weights, s);
        measureAll(cc, s, out, b * ex.nOutputs);
      }
      k.freeState(s);
      return out;
    },
    record(inputs, weights, batch): Tape {
      checkBatchArgs(ex, inputs, weights, batch);
      // the tape keeps every sample's final state
      requireAllocation(
        "batch",
        (batch + 3) * 2 ** circuit.nQubits,
        16,
        `the adjoint tape of ${batch} samples on ${circuit.nQubits} qubits`,
      );
      const outputs = new Float64Array(batch * ex.nOutputs);
      const finals: StateVector[] = [];
      const s = k.createState(circuit.nQubits);
      for (let b = 0; b < batch; b++) {
        simulateInto(k, cc, inputs, b, weights, s);
        measureAll(cc, s, outputs, b * ex.nOutputs);
        finals.push(cloneState(s));
      }
      k.freeState(s);
      return {
        outputs,
        backward: (cot) => {
          checkCotangent(ex.nOutputs, batch, cot);
          return adjointBackward(k, cc, inputs, weights, batch, finals, cot);
        },
      };
    },
  };
  return ex;
}

function adjointBackward(
  kb: KernelBackend,
  cc: Compiled,
  inputs: Float64Array,
  weights: Float64Array,
  batch: number,
  finals: readonly StateVector[],
  cot: Float64Array,
): Gradients {
  const c = cc.circuit;
  const gradWeights = new Float64Array(c.nWeights);
  const gradInputs = new Float64Array(batch * c.nInputs);
  const nOut = c.observables.length;
  const psi = kb.createState(c.nQubits),
    lam = kb.createState(c.nQubits);
  for (let b = 0; b < batch; b++) {
    psi.re.set(finals[b]!.re);
    psi.im.set(finals[b]!.im);
    lam.re.fill(0);
    lam.im.fill(0);
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
          const g = kb.imInnerPauli(lam, psi, st.wire, st.pauli);
          if (st.param.kind === "weight") gradWeights[st.param.index]! += g;
          else gradInputs[off + st.param.index]! += g;
        }
      }
      if (k > 0) {
        applyStepInverseOn(kb, psi, st, angle);
        applyStepInverseOn(kb, lam, st, angle);
      }
    }
  }
  kb.freeState(psi);
  kb.freeState(lam);
  return { gradWeights, gradInputs };
}
