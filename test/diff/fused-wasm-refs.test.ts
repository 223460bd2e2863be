/**
 * The PennyLane reference values (test/fixtures/refs) on the fused executor
 * with each set of passes named explicitly, so both stay checked whatever
 * "auto" picks: outputs and the gradients of the sum of outputs per input, to 1e-10.
 */
import { expect, it } from "vitest";
import { loadRef, maxAbs } from "../helpers/refs.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { qmtlCircuit, resolveQmtl } from "../../src/circuits/qmtl.ts";
import { fusedAdjointExecutor, fusedWasmAvailable } from "../../src/sim/fused/index.ts";

for (const name of ["glue", "mustard"] as const) {
  const ref = loadRef(name);
  const layout = resolveQmtl(PRESETS[name]);
  const B = ref.inputs_z.length;
  const inputs = Float64Array.from(ref.inputs_z.flat());
  const weights = Float64Array.from(ref.params);
  for (const kernels of ["wasm", "ts"] as const) {
    for (const [mode, checkpointBytes] of [
      ["tape", undefined],
      ["un-apply", 0],
    ] as const) {
      it.runIf(kernels === "ts" || fusedWasmAvailable())(
        `PennyLane refs (${name}), fused adjoint on ${kernels} passes (${mode}): to 1e-10`,
        () => {
          const ex = fusedAdjointExecutor(qmtlCircuit(layout), { kernels, checkpointBytes });
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
        },
      );
    }
  }
}
