import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { adjointExecutor } from "../../src/diff/adjoint.ts";
import { qmtlCircuit, resolveQmtl } from "../../src/circuits/qmtl.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { selectKernelBackend, wasmKernels } from "../../src/sim/wasm/select.ts";
import { loadRef, maxAbs } from "../helpers/refs.ts";
import { randomCircuit } from "../helpers/random-circuit.ts";

describe("generic adjoint on the WebAssembly kernels", () => {
  const wasm = selectKernelBackend("wasm");

  it("equals the TypeScript kernels on random circuits (outputs and VJP)", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const n = 1 + (seed % 8);
      const c = randomCircuit(seed, n, 50);
      const rng = new Rng(seed);
      const B = 3;
      const arr = (len: number, lo = -3, hi = 3): Float64Array =>
        Float64Array.from({ length: len }, () => rng.range(lo, hi));
      const x = arr(B * c.nInputs),
        w = arr(c.nWeights),
        cot = arr(B * c.observables.length, -1, 1);
      const ta = adjointExecutor(c).record(x, w, B),
        tw = adjointExecutor(c, { backend: wasm }).record(x, w, B);
      expect(tw.outputs).toBeAllclose(ta.outputs, { rtol: 0, atol: 1e-12 });
      const ga = ta.backward(cot),
        gw = tw.backward(cot);
      expect(gw.gradWeights).toBeAllclose(ga.gradWeights, { rtol: 0, atol: 1e-11 });
      expect(gw.gradInputs).toBeAllclose(ga.gradInputs, { rtol: 0, atol: 1e-11 });
      expect(maxAbs(adjointExecutor(c, { backend: wasm }).forward(x, w, B), ta.outputs)).toBeLessThan(1e-12);
    }
  });

  it("matches the PennyLane refs (MUStARD head, 13 qubits) and reuses its working states (the heap stops growing)", () => {
    const ref = loadRef("mustard");
    const ex = adjointExecutor(qmtlCircuit(resolveQmtl(PRESETS.mustard)), { backend: wasm });
    const B = ref.inputs_z.length;
    const tape = ex.record(Float64Array.from(ref.inputs_z.flat()), Float64Array.from(ref.params), B);
    expect(maxAbs(tape.outputs, ref.outputs.flat())).toBeLessThan(1e-10);
    let used = -1;
    for (let k = 0; k < B; k++) {
      if (k === 1) used = wasmKernels()!.heapBytes();
      const cot = new Float64Array(B * ex.nOutputs);
      cot.fill(1, k * ex.nOutputs, (k + 1) * ex.nOutputs);
      const g = tape.backward(cot);
      expect(g.gradWeights).toBeAllclose(ref.grad_params[k]!, { rtol: 0, atol: 1e-10 });
      expect(
        maxAbs(g.gradInputs.subarray(k * ex.nInputs, (k + 1) * ex.nInputs), ref.grad_z[k]!),
      ).toBeLessThan(1e-10);
    }
    expect(wasmKernels()!.heapBytes()).toBe(used);
  });
});
