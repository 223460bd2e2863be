import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { adjointExecutor } from "../../src/diff/adjoint.ts";
import { parameterShiftExecutor } from "../../src/diff/parameter-shift.ts";
import { finiteDiffVjp } from "../../src/diff/finite-diff.ts";
import { qmtlEngine } from "../../src/sim/qmtl-structured/engine.ts";
import { qmtlCircuit, resolveQmtl, type QmtlSpec } from "../../src/circuits/qmtl.ts";
import { compile, simulateSample } from "../../src/sim/simulate.ts";
import { norm2 } from "../../src/sim/state.ts";
import { maxAbs } from "../helpers/refs.ts";
import { randomArray, randomCircuit } from "../helpers/random-circuit.ts";

describe("adjoint == parameter shift == finite differences on random circuits", () => {
  for (let seed = 1; seed <= 12; seed++) {
    const n = 1 + (seed % 5);
    it(`seed ${seed}, ${n} qubits`, () => {
      const c = randomCircuit(seed, n, 25);
      const rng = new Rng(1000 + seed);
      const B = 3;
      const x = randomArray(rng, B * c.nInputs),
        w = randomArray(rng, c.nWeights),
        cot = randomArray(rng, B * c.observables.length, -1, 1);
      const ad = adjointExecutor(c),
        ps = parameterShiftExecutor(c);
      const ta = ad.record(x, w, B),
        tp = ps.record(x, w, B);
      expect(ta.outputs).toBeAllclose(tp.outputs, { rtol: 0, atol: 1e-13 });
      const ga = ta.backward(cot),
        gp = tp.backward(cot),
        gf = finiteDiffVjp(ad, x, w, B, cot);
      expect(ga.gradWeights).toBeAllclose(gp.gradWeights, { rtol: 0, atol: 1e-12 });
      expect(ga.gradInputs).toBeAllclose(gp.gradInputs, { rtol: 0, atol: 1e-12 });
      expect(ga.gradWeights).toBeAllclose(gf.gradWeights, { rtol: 0, atol: 1e-7 });
      expect(ga.gradInputs).toBeAllclose(gf.gradInputs, { rtol: 0, atol: 1e-7 });
      // the statevector stays normalised
      const s = simulateSample(compile(c), x, 0, w);
      expect(Math.abs(norm2(s) - 1)).toBeLessThan(1e-12);
    });
  }
});

const shapes: Array<[string, QmtlSpec]> = [
  [
    "Q=5 L=2 Lh=2 sizes 1,2,2",
    {
      encodingLayers: 2,
      headLayers: 2,
      tasks: [
        { name: "a", kind: "binary" },
        { name: "b", kind: "multiclass", numClasses: 3 },
        { name: "c", kind: "multiclass", numClasses: 4 },
      ],
    },
  ],
  [
    "Q=6 L=3 Lh=1, 9 classes + 2 binaries, entangler off",
    {
      encodingLayers: 3,
      headLayers: 1,
      entangle: false,
      tasks: [
        { name: "a", kind: "multiclass", numClasses: 9 },
        { name: "b", kind: "binary" },
        { name: "c", kind: "regression" },
      ],
    },
  ],
  [
    "Q=7 L=4 Lh=3 with the rz-ry order",
    {
      encodingLayers: 4,
      headLayers: 3,
      encoderOrder: "rz-ry",
      tasks: [
        { name: "a", kind: "multiclass", numClasses: 5 },
        { name: "b", kind: "multiclass", numClasses: 3 },
        { name: "c", kind: "binary", qubits: 2, observables: ["Z1"] },
      ],
    },
  ],
  ["Q=1 L=1 (single qubit)", { encodingLayers: 1, headLayers: 1, tasks: [{ name: "a", kind: "binary" }] }],
  [
    "Q=3 L=1 Lh=0",
    {
      encodingLayers: 1,
      headLayers: 0,
      tasks: [
        { name: "a", kind: "multiclass", numClasses: 3 },
        { name: "b", kind: "binary" },
      ],
    },
  ],
];

describe("structured QMTL engine == generic adjoint == finite differences on other shapes", () => {
  shapes.forEach(([label, spec], k) => {
    it(label, () => {
      const layout = resolveQmtl(spec);
      const eng = qmtlEngine(layout),
        ad = adjointExecutor(qmtlCircuit(layout));
      const rng = new Rng(77 + k);
      const B = 4;
      const x = randomArray(rng, B * layout.nInputs),
        w = randomArray(rng, layout.nWeights),
        cot = randomArray(rng, B * layout.nOutputs, -1, 1);
      const te = eng.record(x, w, B),
        ta = ad.record(x, w, B);
      expect(te.outputs).toBeAllclose(ta.outputs, { rtol: 0, atol: 1e-12 });
      const ge = te.backward(cot),
        ga = ta.backward(cot);
      expect(ge.gradWeights).toBeAllclose(ga.gradWeights, { rtol: 0, atol: 1e-11 });
      expect(ge.gradInputs).toBeAllclose(ga.gradInputs, { rtol: 0, atol: 1e-11 });
      const gf = finiteDiffVjp(eng, x, w, B, cot);
      expect(ge.gradWeights).toBeAllclose(gf.gradWeights, { rtol: 0, atol: 1e-7 });
      expect(ge.gradInputs).toBeAllclose(gf.gradInputs, { rtol: 0, atol: 1e-7 });
    });
  });

  it("scales past statevector sizes: Q=40 (T=20 tasks) runs and its gradient matches finite differences", () => {
    const layout = resolveQmtl({
      encodingLayers: 3,
      headLayers: 1,
      tasks: Array.from({ length: 20 }, (_, t) => ({
        name: `t${t}`,
        kind: "multiclass" as const,
        numClasses: 3,
      })),
    });
    expect(layout.Q).toBe(40);
    const eng = qmtlEngine(layout);
    const rng = new Rng(5);
    const x = randomArray(rng, layout.nInputs),
      w = randomArray(rng, layout.nWeights),
      cot = randomArray(rng, layout.nOutputs, -1, 1);
    const g = eng.record(x, w, 1).backward(cot);
    const gf = finiteDiffVjp(eng, x, w, 1, cot);
    expect(g.gradWeights).toBeAllclose(gf.gradWeights, { rtol: 0, atol: 1e-7 });
    expect(g.gradInputs).toBeAllclose(gf.gradInputs, { rtol: 0, atol: 1e-7 });
  });
});
