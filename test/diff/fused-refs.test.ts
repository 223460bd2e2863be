import { describe, expect, it } from "vitest";
import { loadRef, maxAbs } from "../helpers/refs.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { qmtlCircuit, resolveQmtl } from "../../src/circuits/qmtl.ts";
import { fusedAdjointExecutor } from "../../src/diff/fused/index.ts";

for (const name of ["glue", "mustard"] as const) {
  describe(`fused adjoint vs PennyLane refs (${name})`, () => {
    const ref = loadRef(name);
    const ex = fusedAdjointExecutor(qmtlCircuit(resolveQmtl(PRESETS[name])));
    const B = ref.inputs_z.length;
    const inputs = Float64Array.from(ref.inputs_z.flat());
    const weights = Float64Array.from(ref.params);

    it("matches outputs and gradients to 1e-10", () => {
      const tape = ex.record(inputs, weights, B);
      expect(maxAbs(tape.outputs, ref.outputs.flat())).toBeLessThan(1e-10);
      // refs: gradients of the sum of all outputs, per input k
      for (let k = 0; k < B; k++) {
        const cot = new Float64Array(B * ex.nOutputs);
        cot.fill(1, k * ex.nOutputs, (k + 1) * ex.nOutputs);
        const g = tape.backward(cot);
        expect(maxAbs(g.gradWeights, ref.grad_params[k]!)).toBeLessThan(1e-10);
        expect(maxAbs(g.gradInputs.subarray(k * ex.nInputs, (k + 1) * ex.nInputs), ref.grad_z[k]!)).toBeLessThan(1e-10);
      }
    });
  });
}
