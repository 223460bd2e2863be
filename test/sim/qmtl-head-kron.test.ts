import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { adjointExecutor } from "../../src/diff/adjoint.ts";
import { qmtlEngine } from "../../src/sim/qmtl-structured/engine.ts";
import { prepareHeads, headGradients, KRON_MIN_S } from "../../src/sim/qmtl-structured/heads.ts";
import { kronHead } from "../../src/sim/qmtl-structured/head-kron.ts";
import { headFactors } from "../../src/sim/qmtl-structured/head-factors.ts";
import { qmtlCircuit, resolveQmtl, type QmtlSpec } from "../../src/circuits/qmtl.ts";
import { maxAbs } from "../helpers/refs.ts";

/**
 * One-layer task blocks (L_h = 1) take the Kronecker path (head-kron.ts):
 * O'_k and the head-weight gradients are checked against the gate-level
 * statevector adjoint with Pauli words that mix X, Y and Z on several wires
 * (so that CNOT conjugation moves and rephases them), sub-registers of 1..5.
 */
function randomArray(rng: Rng, n: number, lo = -Math.PI, hi = Math.PI): Float64Array {
  return Float64Array.from({ length: n }, () => rng.range(lo, hi));
}

const spec: QmtlSpec = {
  encodingLayers: 2,
  headLayers: 1,
  tasks: [
    { name: "a", kind: "multiclass", numClasses: 3, qubits: 1, observables: ["X0", "Y0", "Z0"] },
    {
      name: "b",
      kind: "multiclass",
      numClasses: 4,
      qubits: 3,
      observables: ["Y0 Y1", "X0 Z2", "Y0 X1 Z2", "Z1"],
    },
    {
      name: "c",
      kind: "multiclass",
      numClasses: 3,
      qubits: 5,
      observables: ["X0 Y1 Z2 X3 Y4", "Y2", "Z0 Z4"],
    },
    { name: "d", kind: "multiclass", numClasses: 3, qubits: 2, observables: ["Y0 Y1", "X1", "Y0 Z1"] },
  ],
};

describe("one-layer heads in Kronecker form", () => {
  it("Kronecker path == dense path (O'_k on the readout's upper entries, head-weight gradients) for S = 1..5; O'_k Hermitian", () => {
    const layout = resolveQmtl(spec);
    const rng = new Rng(3);
    const w = randomArray(rng, layout.nWeights);
    const heads = prepareHeads(layout, w, 1),
      dense = prepareHeads(layout, w, Infinity);
    const gk = new Float64Array(layout.nWeights),
      gd = new Float64Array(layout.nWeights);
    heads.forEach((h, t) => {
      expect(h.kron).not.toBeNull();
      expect(dense[t]!.kron).toBeNull();
      // the readout tables hold w O'_k on every upper entry: the two paths' O'_k agree there
      expect(h.coef).toBeAllclose(dense[t]!.coef, { rtol: 0, atol: 1e-13 });
      // random Hermitian accumulators (upper triangles are what the engine fills)
      const rc = randomArray(rng, h.nOut * 2 * h.dim * h.dim, -1, 1);
      headGradients(h, rc.slice(), gk);
      headGradients(dense[t]!, rc.slice(), gd);
    });
    expect(gk).toBeAllclose(gd, { rtol: 0, atol: 1e-12 });
    expect(gk.some((v) => v !== 0)).toBe(true);
    expect(prepareHeads(layout, w).map((h) => h.kron !== null)).toEqual(
      layout.tasks.map((t) => t.size >= KRON_MIN_S),
    );
    // the Kronecker form's full O'_k are Hermitian (readout reads upper triangles only)
    layout.tasks.forEach((task) => {
      const d = 1 << task.size,
        n2 = 2 * d * d,
        obs = new Float64Array(task.nOutputs * n2);
      kronHead(task.size, task.local, headFactors(task.size, 1, w, task.weightOffset), obs);
      for (let k = 0; k < task.nOutputs; k++)
        for (let i = 0; i < d; i++)
          for (let j = 0; j < d; j++) {
            expect(Math.abs(obs[k * n2 + 2 * (i * d + j)]! - obs[k * n2 + 2 * (j * d + i)]!)).toBeLessThan(
              1e-14,
            );
            expect(
              Math.abs(obs[k * n2 + 2 * (i * d + j) + 1]! + obs[k * n2 + 2 * (j * d + i) + 1]!),
            ).toBeLessThan(1e-14);
          }
    });
    expect(
      prepareHeads(
        resolveQmtl({ ...spec, headLayers: 2 }),
        randomArray(new Rng(3), resolveQmtl({ ...spec, headLayers: 2 }).nWeights),
      ).every((h) => h.kron === null),
    ).toBe(true);
  });

  for (const Lh of [1, 2]) {
    it(`engine == statevector adjoint with mixed Pauli words (L_h = ${Lh})`, () => {
      const layout = resolveQmtl({ ...spec, headLayers: Lh });
      const eng = qmtlEngine(layout),
        ad = adjointExecutor(qmtlCircuit(layout));
      const rng = new Rng(40 + Lh);
      const B = 3;
      const x = randomArray(rng, B * layout.nInputs),
        w = randomArray(rng, layout.nWeights),
        cot = randomArray(rng, B * layout.nOutputs, -1, 1);
      const te = eng.record(x, w, B),
        ta = ad.record(x, w, B);
      expect(te.outputs).toBeAllclose(ta.outputs, { rtol: 0, atol: 1e-12 });
      const ge = te.backward(cot),
        ga = ta.backward(cot);
      expect(ge.gradWeights).toBeAllclose(ga.gradWeights, { rtol: 0, atol: 1e-12 });
      expect(ge.gradInputs).toBeAllclose(ga.gradInputs, { rtol: 0, atol: 1e-12 });
    });
  }
});
