/**
 * Every exact simulator path against the PennyLane reference values
 * (test/fixtures/refs, cross-checked there by two other simulators): outputs
 * and the gradients of the sum of outputs per input, to 1e-10. One suite, run
 * on every executor, so a new path is one line here.
 */
import { describe, expect, it } from "vitest";
import { loadRef, maxAbs } from "../helpers/refs.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { qmtlCircuit, resolveQmtl, type QmtlLayout } from "../../src/circuits/qmtl.ts";
import { pauliWordToString } from "../../src/circuits/pauli.ts";
import { adjointExecutor } from "../../src/diff/adjoint.ts";
import { parameterShiftExecutor } from "../../src/diff/parameter-shift.ts";
import { fusedAdjointExecutor } from "../../src/sim/fused/index.ts";
import { qmtlEngine, qmtlMpsEngine } from "../../src/sim/qmtl-structured/engine.ts";
import { wasmKernels } from "../../src/sim/wasm/index.ts";
import type { DifferentiableExecutor } from "../../src/sim/executor.ts";

const executors: Array<[string, (l: QmtlLayout) => DifferentiableExecutor]> = [
  ["generic statevector adjoint", (l) => adjointExecutor(qmtlCircuit(l))],
  [
    "generic adjoint on WebAssembly kernels",
    (l) => {
      const backend = wasmKernels();
      if (!backend) throw new Error("the committed WebAssembly kernels failed to load");
      return adjointExecutor(qmtlCircuit(l), { backend });
    },
  ],
  ["parameter shift", (l) => parameterShiftExecutor(qmtlCircuit(l))], // two circuit runs per gate: GLUE only (below)
  ["fused-block adjoint", (l) => fusedAdjointExecutor(qmtlCircuit(l))],
  ["structured engine (parity MPS)", (l) => qmtlEngine(l)],
  ["structured engine (dense MPS)", (l) => qmtlMpsEngine(l)],
];

for (const name of ["glue", "mustard"] as const) {
  const ref = loadRef(name);
  const layout = resolveQmtl(PRESETS[name]);
  const B = ref.inputs_z.length;
  const inputs = Float64Array.from(ref.inputs_z.flat());
  const weights = Float64Array.from(ref.params);

  describe(`PennyLane refs (${name})`, () => {
    it("the layout is the refs' layout", () => {
      expect(layout.Q).toBe(ref.Q);
      expect(layout.tasks.map((t) => t.size)).toEqual(ref.sizes);
      expect(qmtlCircuit(layout).observables.map(pauliWordToString)).toEqual(ref.observables);
      expect(layout.nWeights).toBe(ref.params.length);
    });

    for (const [label, make] of executors) {
      if (label === "parameter shift" && name === "mustard") continue;
      it(`${label}: outputs and gradients to 1e-10`, () => {
        const ex = make(layout);
        const tape = ex.record(inputs, weights, B);
        expect(maxAbs(tape.outputs, ref.outputs.flat())).toBeLessThan(1e-10);
        for (let k = 0; k < B; k++) {
          const cot = new Float64Array(B * ex.nOutputs);
          cot.fill(1, k * ex.nOutputs, (k + 1) * ex.nOutputs);
          const g = tape.backward(cot);
          expect(g.gradWeights).toBeAllclose(ref.grad_params[k]!, { rtol: 0, atol: 1e-10 });
          expect(
            maxAbs(g.gradInputs.subarray(k * ex.nInputs, (k + 1) * ex.nInputs), ref.grad_z[k]!),
          ).toBeLessThan(1e-10);
        }
      });
    }
  });
}
