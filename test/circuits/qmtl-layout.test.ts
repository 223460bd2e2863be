import { describe, expect, it } from "vitest";
import { resolveQmtl, qmtlCircuit } from "../../src/circuits/qmtl.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { defaultReadout } from "../../src/circuits/readout.ts";
import { classicalCount, hqnnCount, qmtlCount, theorem1 } from "../../src/circuits/param-count.ts";
import { qmtlEngine } from "../../src/sim/qmtl-structured/engine.ts";
import { adjointExecutor } from "../../src/diff/adjoint.ts";
import { groupQubitWise, parsePauliWord } from "../../src/circuits/pauli.ts";
import { zeroState } from "../../src/sim/state.ts";

describe("default readout follows the paper", () => {
  it("binary and regression: 1 qubit, <Z>", () => {
    expect(defaultReadout({ kind: "binary" })).toEqual({ qubits: 1, observables: ["Z0"] });
    expect(defaultReadout({ kind: "regression" })).toEqual({ qubits: 1, observables: ["Z0"] });
  });
  it("3 classes: 2 qubits {Z0, Z1, X0X1}", () => {
    expect(defaultReadout({ kind: "multiclass", numClasses: 3 })).toEqual({
      qubits: 2,
      observables: ["Z0", "Z1", "X0 X1"],
    });
  });
  it("9 classes: 4 qubits {Z0..Z3, Z0Z1, Z1Z2, Z2Z3, Z3Z0, X0X1X2X3}", () => {
    expect(defaultReadout({ kind: "multiclass", numClasses: 9 })).toEqual({
      qubits: 4,
      observables: ["Z0", "Z1", "Z2", "Z3", "Z0 Z1", "Z1 Z2", "Z2 Z3", "Z3 Z0", "X0 X1 X2 X3"],
    });
  });
  it("other class counts take the smallest register with enough words", () => {
    expect(defaultReadout({ kind: "multiclass", numClasses: 2 }).qubits).toBe(2);
    expect(defaultReadout({ kind: "multiclass", numClasses: 5 }).qubits).toBe(3);
    expect(defaultReadout({ kind: "multiclass", numClasses: 11 }).observables).toHaveLength(11);
  });
});

describe("parameter counts (paper Section 4.2, Fig. 4)", () => {
  it("QMTL heads have 60 (GLUE), 60 (CheXpert), 78 (MUStARD) circuit parameters", () => {
    expect(qmtlCount(resolveQmtl(PRESETS.glue)).params).toBe(60);
    expect(qmtlCount(resolveQmtl(PRESETS.chexpert)).params).toBe(60);
    expect(qmtlCount(resolveQmtl(PRESETS.mustard)).params).toBe(78);
  });
  it("classical linear heads have 341, 465 and 1000 (more than 12x for MUStARD)", () => {
    expect(classicalCount(30, [1, 1, 1, 1, 1, 1, 1, 1, 3]).params).toBe(341);
    expect(classicalCount(30, [3, 3, 3, 3, 3]).params).toBe(465);
    expect(classicalCount(39, [1, 3, 3, 9, 9]).params).toBe(1000);
    expect(1000 / 78).toBeGreaterThan(12);
  });
  it("HQNN counts its projection, circuit and task layers", () => {
    const h = hqnnCount(39, 4, [1, 3, 3, 9, 9]);
    expect(h.params).toBe(3 * 40 + 12 + 25 * 5);
    expect(h.extras).toBe(1);
  });
  it("Theorem 1: P_C quadratic, P_Q linear, ratio -> (L + k Lh)/(L r T)", () => {
    const a = theorem1(10, 1, 3, 1, 2, 1),
      b = theorem1(100, 1, 3, 1, 2, 1);
    expect(a.quantum).toBe(10 * 3 + 10 * 1);
    expect(a.classical).toBe(10 * 2 * (30 + 1));
    expect(b.quantum / a.quantum).toBeCloseTo(10, 10);
    expect(b.classical).toBe(100 * 2 * (300 + 1)); // ~T^2: 97x for 10x the tasks
    expect(a.asymptoticRatio).toBeCloseTo(2 / 30, 12);
    expect(b.ratio).toBeCloseTo(1 / 150, 3);
  });
});

describe("bad input gets a clear error naming the field", () => {
  const ex = qmtlEngine(resolveQmtl(PRESETS.glue));
  const w = new Float64Array(ex.nWeights);
  it("wrong input length", () => {
    expect(() => ex.forward(new Float64Array(29), w, 1)).toThrow(
      /inputs: expected length batch\*nInputs = 1\*30 = 30, got "length 29"/,
    );
  });
  it("NaN or infinite angles", () => {
    const x = new Float64Array(30);
    x[7] = Number.NaN;
    expect(() => ex.forward(x, w, 1)).toThrow(/inputs\[7\]: expected a finite number, got NaN/);
    const w2 = w.slice();
    w2[3] = Infinity;
    expect(() => ex.forward(new Float64Array(30), w2, 1)).toThrow(/weights\[3\]/);
  });
  it("sizes that do not sum to Q", () => {
    expect(() => resolveQmtl({ ...PRESETS.mustard, qubits: 12 })).toThrow(
      /qubits: expected the sum of the task sub-register sizes \(1 \+ 2 \+ 2 \+ 4 \+ 4 = 13\)/,
    );
  });
  it("input dimension that is not Q*L", () => {
    expect(() => resolveQmtl({ ...PRESETS.mustard, inputDim: 40 })).toThrow(
      /inputDim: expected Q\*L = 13\*3 = 39/,
    );
  });
  it("unknown observable", () => {
    expect(() =>
      resolveQmtl({
        encodingLayers: 1,
        headLayers: 1,
        tasks: [{ name: "a", kind: "binary", observables: ["W0"] }],
      }),
    ).toThrow(/tasks\[0\]\.observables\[0\]: expected Pauli factors/);
    expect(() => parsePauliWord("Z0 Z0", 2)).toThrow(/each wire at most once/);
  });
  it("wrong number of observables for the classes", () => {
    expect(() =>
      resolveQmtl({
        encodingLayers: 1,
        headLayers: 1,
        tasks: [{ name: "a", kind: "multiclass", numClasses: 3, observables: ["Z0", "Z1"] }],
      }),
    ).toThrow(/tasks\[0\]\.observables: expected 3 observables/);
  });
  it("zero qubits / no tasks", () => {
    expect(() => zeroState(0)).toThrow(/nQubits: expected an integer in \[1, 26\], got 0/);
    expect(() => resolveQmtl({ encodingLayers: 1, headLayers: 1, tasks: [] })).toThrow(
      /tasks: expected a non-empty list/,
    );
  });
  it("unknown task kind and duplicate names", () => {
    expect(() =>
      resolveQmtl({ encodingLayers: 1, headLayers: 1, tasks: [{ name: "a", kind: "ranking" as "binary" }] }),
    ).toThrow(/tasks\[0\]\.kind/);
    expect(() =>
      resolveQmtl({
        encodingLayers: 1,
        headLayers: 1,
        tasks: [
          { name: "a", kind: "binary" },
          { name: "a", kind: "binary" },
        ],
      }),
    ).toThrow(/tasks\[1\]\.name: expected a unique task name/);
  });
  it("wrong cotangent length", () => {
    const t = ex.record(new Float64Array(30), w, 1);
    expect(() => t.backward(new Float64Array(3))).toThrow(/cotangent: expected length batch\*nOutputs = 11/);
  });
});

describe("measurement settings", () => {
  it("{Z0, Z1, X0X1} needs 2 qubit-wise-commuting settings; the MUStARD head needs 2 in all", () => {
    const words = ["Z0", "Z1", "X0 X1"].map((w) => parsePauliWord(w, 2));
    expect(groupQubitWise(words)).toHaveLength(2);
    const c = qmtlCircuit(resolveQmtl(PRESETS.mustard));
    expect(groupQubitWise(c.observables)).toHaveLength(2);
  });
  it("the generic and structured paths give the same outputs for the presets", () => {
    for (const p of ["glue", "chexpert"] as const) {
      const lay = resolveQmtl(PRESETS[p]);
      const x = Float64Array.from({ length: lay.nInputs }, (_, i) => Math.sin(i));
      const w = Float64Array.from({ length: lay.nWeights }, (_, i) => Math.cos(3 * i));
      const a = qmtlEngine(lay).forward(x, w, 1),
        b = adjointExecutor(qmtlCircuit(lay)).forward(x, w, 1);
      for (let k = 0; k < a.length; k++) expect(a[k]).toBeCloseTo(b[k]!, 12);
    }
  });
});
