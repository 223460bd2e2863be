import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { adjointExecutor } from "../../src/diff/adjoint.ts";
import { qmtlEngine, qmtlMpsEngine } from "../../src/sim/qmtl-structured/engine.ts";
import { qmtlCircuit, resolveQmtl, type FirstRotation, type QmtlSpec } from "../../src/circuits/qmtl.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { maxAbs } from "../helpers/refs.ts";
import { buildModel } from "../../src/models/build-model.ts";
import type { ModelSpec } from "../../src/models/model-spec.ts";

/**
 * firstRotation: "rx" (the paper: RX on |+>^Q is a global phase, so the first
 * Q features cannot matter) and "ry" (every feature reaches the state). The
 * structured engines against the gate-level circuit run by the generic
 * statevector adjoint, and the "ry" input gradient against finite differences.
 */
function randomArray(rng: Rng, n: number, lo = -Math.PI, hi = Math.PI): Float64Array {
  return Float64Array.from({ length: n }, () => rng.range(lo, hi));
}

const specs: Array<[string, QmtlSpec]> = [
  ["mustard preset", PRESETS.mustard],
  ["glue preset", PRESETS.glue],
  [
    "L=1 sizes 2,1",
    {
      encodingLayers: 1,
      headLayers: 1,
      tasks: [
        { name: "a", kind: "multiclass", numClasses: 4, qubits: 2 },
        { name: "b", kind: "binary" },
      ],
    },
  ],
  [
    "L=2 rz-ry sizes 1,3",
    {
      encodingLayers: 2,
      headLayers: 2,
      encoderOrder: "rz-ry",
      tasks: [
        { name: "a", kind: "binary" },
        { name: "b", kind: "multiclass", numClasses: 7, qubits: 3 },
      ],
    },
  ],
  [
    "L=3 no entanglement sizes 2,2",
    {
      encodingLayers: 3,
      headLayers: 1,
      entangle: false,
      tasks: [
        { name: "a", kind: "multiclass", numClasses: 4, qubits: 2 },
        { name: "b", kind: "multiclass", numClasses: 3, qubits: 2 },
      ],
    },
  ],
];

describe("QMTL firstRotation rx | ry: structured engines == generic adjoint", () => {
  for (const first of ["rx", "ry"] as FirstRotation[]) {
    specs.forEach(([label, spec], k) => {
      it(`${first}: ${label}`, () => {
        const layout = resolveQmtl({ ...spec, firstRotation: first });
        expect(layout.firstRotation).toBe(first);
        const ad = adjointExecutor(qmtlCircuit(layout));
        const engines = layout.entangle ? [qmtlEngine(layout), qmtlMpsEngine(layout)] : [qmtlEngine(layout)];
        const rng = new Rng(900 + k);
        const B = 3;
        const x = randomArray(rng, B * layout.nInputs),
          w = randomArray(rng, layout.nWeights);
        const cot = randomArray(rng, B * layout.nOutputs, -1, 1);
        const ta = ad.record(x, w, B);
        const ga = ta.backward(cot);
        for (const eng of engines) {
          const te = eng.record(x, w, B);
          expect(te.outputs).toBeAllclose(ta.outputs, { rtol: 0, atol: 1e-12 });
          expect(maxAbs(eng.forward(x, w, B), ta.outputs)).toBeLessThan(1e-12);
          const ge = te.backward(cot);
          expect(ge.gradWeights).toBeAllclose(ga.gradWeights, { rtol: 0, atol: 1e-12 });
          expect(ge.gradInputs).toBeAllclose(ga.gradInputs, { rtol: 0, atol: 1e-12 });
        }
      });
    });
  }

  it("the first Q features: exactly zero gradient with rx, non-zero with ry (and equal to finite differences)", () => {
    const rng = new Rng(77);
    const B = 2;
    const base = resolveQmtl(PRESETS.mustard);
    const x = randomArray(rng, B * base.nInputs),
      w = randomArray(rng, base.nWeights);
    const cot = randomArray(rng, B * base.nOutputs, -1, 1);
    const Q = base.Q;
    for (const first of ["rx", "ry"] as FirstRotation[]) {
      const layout = resolveQmtl({ ...PRESETS.mustard, firstRotation: first });
      const eng = qmtlEngine(layout),
        ad = adjointExecutor(qmtlCircuit(layout));
      const ge = eng.record(x, w, B).backward(cot),
        ga = ad.record(x, w, B).backward(cot);
      for (let b = 0; b < B; b++)
        for (let i = 0; i < Q; i++) {
          const gi = ge.gradInputs[b * layout.nInputs + i]!,
            ai = ga.gradInputs[b * layout.nInputs + i]!;
          if (first === "rx") {
            expect(gi).toBe(0);
            expect(Math.abs(ai)).toBeLessThan(1e-12);
          } else {
            expect(Math.abs(gi)).toBeGreaterThan(1e-6);
            // central finite difference of sum_k cot_k out_k in this input
            const h = 1e-6,
              xp = x.slice(),
              xm = x.slice();
            xp[b * layout.nInputs + i]! += h;
            xm[b * layout.nInputs + i]! -= h;
            const op = eng.forward(xp, w, B),
              om = eng.forward(xm, w, B);
            let fd = 0;
            for (let o = 0; o < op.length; o++) fd += (cot[o]! * (op[o]! - om[o]!)) / (2 * h);
            expect(Math.abs(fd - gi)).toBeLessThan(1e-7);
          }
        }
      // with rx, changing the first Q features changes no output at all
      if (first === "rx") {
        const x2 = x.slice();
        for (let i = 0; i < Q; i++) x2[i] = x2[i]! + 0.7;
        expect(maxAbs(eng.forward(x2, w, B), eng.forward(x, w, B))).toBeLessThan(1e-13);
      }
    }
  });

  it("ModelSpec.qmtl.firstRotation reaches the head's layout (default rx)", () => {
    const spec = (first?: FirstRotation): ModelSpec => ({
      head: "qmtl",
      inputDim: 4,
      latentDim: 6,
      projection: { hidden: [], activation: "tanh", dropout: 0, batchNorm: false },
      tasks: [
        { name: "a", kind: "binary" },
        { name: "b", kind: "binary" },
      ],
      qmtl: { encodingLayers: 3, headLayers: 1, firstRotation: first },
    });
    expect(buildModel(spec(), new Rng(1)).qmtlLayout?.firstRotation).toBe("rx");
    expect(buildModel(spec("ry"), new Rng(1)).qmtlLayout?.firstRotation).toBe("ry");
  });

  it("rejects an unknown firstRotation", () => {
    expect(() => resolveQmtl({ ...PRESETS.glue, firstRotation: "rz" as FirstRotation })).toThrow(
      ValidationError,
    );
  });
});
