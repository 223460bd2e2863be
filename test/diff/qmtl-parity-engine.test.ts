import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { adjointExecutor } from "../../src/diff/adjoint.ts";
import { qmtlEngine, qmtlMpsEngine } from "../../src/sim/qmtl-structured/engine.ts";
import { qmtlCircuit, resolveQmtl, type QmtlSpec, type QmtlTaskSpec } from "../../src/circuits/qmtl.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { maxAbs } from "../helpers/refs.ts";

/**
 * The parity-bond engine against two independent implementations: the dense
 * MPS engine and the gate-by-gate statevector adjoint, with random inputs,
 * weights and cotangents (not just all-ones), on layouts that exercise every
 * code path (L = 1..4, sub-registers of 1..5 qubits, first/last/middle tasks,
 * both rotation orders, several head depths).
 */
function randomArray(rng: Rng, n: number, lo = -Math.PI, hi = Math.PI): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.range(lo, hi);
  return v;
}

function task(name: string, S: number): QmtlTaskSpec {
  return S === 1
    ? { name, kind: "binary" }
    : { name, kind: "multiclass", numClasses: S === 2 ? 4 : 2 * S + 1, qubits: S };
}

const cases: Array<[string, QmtlSpec]> = [
  ["L=3 sizes 4,1", { encodingLayers: 3, headLayers: 1, tasks: [task("a", 4), task("b", 1)] }],
  [
    "L=3 sizes 1,3,2 (S=3 first in the middle)",
    { encodingLayers: 3, headLayers: 2, tasks: [task("a", 1), task("b", 3), task("c", 2)] },
  ],
  ["L=2 sizes 2,5", { encodingLayers: 2, headLayers: 1, tasks: [task("a", 2), task("b", 5)] }],
  [
    "L=4 sizes 1,1,4 rz-ry",
    {
      encodingLayers: 4,
      headLayers: 1,
      encoderOrder: "rz-ry",
      tasks: [task("a", 1), task("b", 1), task("c", 4)],
    },
  ],
  ["L=1 sizes 2,1", { encodingLayers: 1, headLayers: 1, tasks: [task("a", 2), task("b", 1)] }],
  ["L=3 single task of 3", { encodingLayers: 3, headLayers: 0, tasks: [task("a", 3)] }],
  ["L=3 single qubit", { encodingLayers: 3, headLayers: 1, tasks: [task("a", 1)] }],
];

describe("parity-bond QMTL engine == dense MPS engine == statevector adjoint", () => {
  cases.forEach(([label, spec], k) => {
    it(label, () => {
      const layout = resolveQmtl(spec);
      const eng = qmtlEngine(layout),
        mps = qmtlMpsEngine(layout),
        ad = adjointExecutor(qmtlCircuit(layout));
      expect(eng.name).toBe("qmtl-parity-mps");
      const rng = new Rng(500 + k);
      const B = 3;
      const x = randomArray(rng, B * layout.nInputs),
        w = randomArray(rng, layout.nWeights);
      const cot = randomArray(rng, B * layout.nOutputs, -1, 1);
      const te = eng.record(x, w, B),
        tm = mps.record(x, w, B),
        ta = ad.record(x, w, B);
      expect(te.outputs).toBeAllclose(ta.outputs, { rtol: 0, atol: 1e-12 });
      expect(te.outputs).toBeAllclose(tm.outputs, { rtol: 0, atol: 1e-12 });
      expect(maxAbs(eng.forward(x, w, B), te.outputs)).toBe(0);
      const ge = te.backward(cot),
        gm = tm.backward(cot),
        ga = ta.backward(cot);
      expect(ge.gradWeights).toBeAllclose(ga.gradWeights, { rtol: 0, atol: 1e-11 });
      expect(ge.gradInputs).toBeAllclose(ga.gradInputs, { rtol: 0, atol: 1e-11 });
      expect(ge.gradWeights).toBeAllclose(gm.gradWeights, { rtol: 0, atol: 1e-11 });
      expect(ge.gradInputs).toBeAllclose(gm.gradInputs, { rtol: 0, atol: 1e-11 });
    });
  });

  for (const name of ["glue", "chexpert", "mustard"] as const) {
    it(`${name} preset, random cotangent, tape reused for two cotangents`, () => {
      const layout = resolveQmtl(PRESETS[name]);
      const eng = qmtlEngine(layout),
        ref = name === "mustard" ? qmtlMpsEngine(layout) : adjointExecutor(qmtlCircuit(layout));
      const rng = new Rng(900);
      const B = 5;
      const x = randomArray(rng, B * layout.nInputs),
        w = randomArray(rng, layout.nWeights);
      const te = eng.record(x, w, B),
        tr = ref.record(x, w, B);
      expect(te.outputs).toBeAllclose(tr.outputs, { rtol: 0, atol: 1e-12 });
      for (let rep = 0; rep < 2; rep++) {
        const cot = randomArray(rng, B * layout.nOutputs, -1, 1);
        const ge = te.backward(cot),
          gr = tr.backward(cot);
        expect(ge.gradWeights).toBeAllclose(gr.gradWeights, { rtol: 0, atol: 1e-11 });
        expect(ge.gradInputs).toBeAllclose(gr.gradInputs, { rtol: 0, atol: 1e-11 });
      }
    });
  }

  it("a tape recorded before another record() still gives its own gradients (frames are recomputed)", () => {
    const layout = resolveQmtl(PRESETS.mustard);
    const eng = qmtlEngine(layout),
      ref = qmtlMpsEngine(layout);
    const rng = new Rng(31);
    const x1 = randomArray(rng, 4 * layout.nInputs),
      x2 = randomArray(rng, 6 * layout.nInputs),
      w = randomArray(rng, layout.nWeights);
    const t1 = eng.record(x1, w, 4);
    const t2 = eng.record(x2, w, 6);
    const c1 = randomArray(rng, 4 * layout.nOutputs, -1, 1),
      c2 = randomArray(rng, 6 * layout.nOutputs, -1, 1);
    for (const [t, x, c, B] of [
      [t1, x1, c1, 4],
      [t2, x2, c2, 6],
      [t1, x1, c1, 4],
    ] as const) {
      const g = t.backward(c),
        gr = ref.record(x, w, B).backward(c);
      expect(g.gradWeights).toBeAllclose(gr.gradWeights, { rtol: 0, atol: 1e-11 });
      expect(g.gradInputs).toBeAllclose(gr.gradInputs, { rtol: 0, atol: 1e-11 });
    }
    expect(maxAbs(t1.outputs, ref.forward(x1, w, 4))).toBeLessThan(1e-12);
  });

  it("weights changed in place between calls are noticed (per-batch preparation is keyed on their values)", () => {
    const layout = resolveQmtl(PRESETS.chexpert);
    const eng = qmtlEngine(layout),
      ref = adjointExecutor(qmtlCircuit(layout));
    const rng = new Rng(77);
    const x = randomArray(rng, 2 * layout.nInputs),
      w = randomArray(rng, layout.nWeights);
    for (let step = 0; step < 3; step++) {
      expect(maxAbs(eng.forward(x, w, 2), ref.forward(x, w, 2))).toBeLessThan(1e-12);
      const cot = randomArray(rng, 2 * layout.nOutputs, -1, 1);
      const g = eng.record(x, w, 2).backward(cot),
        gr = ref.record(x, w, 2).backward(cot);
      expect(g.gradWeights).toBeAllclose(gr.gradWeights, { rtol: 0, atol: 1e-11 });
      w[step * 7 + layout.Q * layout.L]! += 0.25;
      w[step]! -= 0.5;
    }
  });
});
