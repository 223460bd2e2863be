import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import type { Circuit, Op } from "../../src/circuits/ir.ts";
import { cst, inp, wgt } from "../../src/circuits/ir.ts";
import { hqnnCircuit } from "../../src/circuits/hqnn.ts";
import { qmtlCircuit, resolveQmtl } from "../../src/circuits/qmtl.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { GATES, ry, rz, rx } from "../../src/gates/spec.ts";
import { kron, matmul } from "../../src/gates/matrix.ts";
import { adjointExecutor } from "../../src/diff/adjoint.ts";
import { finiteDiffVjp } from "../../src/diff/finite-diff.ts";
import {
  compileSchedule,
  fusedAdjointExecutor,
  type FusedAdjointOptions,
} from "../../src/sim/fused/index.ts";
import { maxAbs } from "../helpers/refs.ts";
import { randomArray, randomCircuit } from "../helpers/random-circuit.ts";

/**
 * The three ways backward gets psi (see FusedAdjointOptions): from the tape
 * (default budget), by re-running forward with the layer states kept (a
 * budget of L + 1 states: enough for one sample, not for a batch of 2+), or
 * by re-running forward and un-applying psi (budget 0).
 */
type Mode = (c: Circuit) => FusedAdjointOptions;
const layerCount = (c: Circuit): number =>
  compileSchedule(c).items.filter((it) => it.kind === "layer").length;
const MODES: Array<[string, Mode]> = [
  ["tape", () => ({})],
  ["re-run forward", (c) => ({ checkpointBytes: (layerCount(c) + 1) * 16 * 2 ** c.nQubits })],
  ["un-apply psi", () => ({ checkpointBytes: 0 })],
];

function compare(c: Circuit, seed: number, B: number, mode: Mode, tol = 1e-12): void {
  const rng = new Rng(seed);
  const x = randomArray(rng, B * c.nInputs),
    w = randomArray(rng, c.nWeights),
    cot = randomArray(rng, B * c.observables.length, -1, 1);
  const fused = fusedAdjointExecutor(c, mode(c)),
    ref = adjointExecutor(c);
  const tf = fused.record(x, w, B),
    ta = ref.record(x, w, B);
  expect(tf.outputs).toBeAllclose(ta.outputs, { rtol: 0, atol: tol });
  expect(maxAbs(fused.forward(x, w, B), ta.outputs)).toBeLessThan(tol);
  const gf = tf.backward(cot),
    ga = ta.backward(cot);
  expect(gf.gradWeights).toBeAllclose(ga.gradWeights, { rtol: 0, atol: tol });
  expect(gf.gradInputs).toBeAllclose(ga.gradInputs, { rtol: 0, atol: tol });
}

// both sets of passes against the generic adjoint (the default, "auto", is wasm where it loads)
for (const [label, mode] of MODES)
  for (const kernels of ["ts", "wasm"] as const) {
    const opts: Mode = (c) => ({ ...mode(c), kernels });
    describe(`fused adjoint == generic adjoint (${label}, ${kernels} passes)`, () => {
      for (let seed = 1; seed <= 24; seed++) {
        const n = 1 + (seed % 7);
        it(`random circuit seed ${seed}, ${n} qubits, depth 40`, () =>
          compare(randomCircuit(seed, n, 40), 500 + seed, 3, opts));
      }
      for (const q of [1, 2, 4, 7])
        it(`HQNN on ${q} qubits`, () => compare(hqnnCircuit({ qubits: q }), q, 5, opts));
      it("HQNN on 5 qubits with 1 and 4 repetitions", () => {
        compare(hqnnCircuit({ qubits: 5, repetitions: 1 }), 11, 3, opts);
        compare(hqnnCircuit({ qubits: 5, repetitions: 4 }), 12, 3, opts);
      });
      it("QMTL GLUE circuit", () => compare(qmtlCircuit(resolveQmtl(PRESETS.glue)), 21, 3, opts));
      it("QMTL MUStARD circuit (13 qubits)", () =>
        compare(qmtlCircuit(resolveQmtl(PRESETS.mustard)), 22, 2, opts));
    });
  }

/** A few hand-made shapes that exercise the schedule's corners. */
const I = inp,
  W = wgt;
const shapes: Array<[string, Circuit]> = [
  [
    "product state: only one-qubit gates, interleaved across wires",
    {
      nQubits: 3,
      nInputs: 2,
      nWeights: 3,
      ops: [
        { gate: "RX", wires: [0], params: [I(0)] },
        { gate: "RY", wires: [2], params: [W(0)] },
        { gate: "H", wires: [1], params: [] },
        { gate: "Rot", wires: [0], params: [W(1), I(1), cst(0.3)] },
        { gate: "RZ", wires: [1], params: [W(2)] },
        { gate: "RX", wires: [2], params: [W(0)] },
      ] satisfies Op[],
      observables: [
        { factors: [{ pauli: "Z", wire: 0 }] },
        {
          factors: [
            { pauli: "X", wire: 1 },
            { pauli: "Y", wire: 2 },
          ],
        },
        {
          factors: [
            { pauli: "Z", wire: 1 },
            { pauli: "Z", wire: 2 },
          ],
        },
      ],
    },
  ],
  [
    "starts with multi-qubit gates on |0>, one wire untouched by rotations",
    {
      nQubits: 4,
      nInputs: 1,
      nWeights: 2,
      ops: [
        { gate: "CNOT", wires: [0, 1], params: [] },
        { gate: "SWAP", wires: [1, 2], params: [] },
        { gate: "RY", wires: [0], params: [W(0)] },
        { gate: "CZ", wires: [0, 2], params: [] },
        { gate: "RX", wires: [2], params: [I(0)] },
        { gate: "CNOT", wires: [2, 3], params: [] },
        { gate: "RZ", wires: [3], params: [W(1)] },
        { gate: "H", wires: [3], params: [] },
      ] satisfies Op[],
      observables: [
        { factors: [{ pauli: "Z", wire: 3 }] },
        { factors: [{ pauli: "X", wire: 0 }] },
        {
          factors: [
            { pauli: "Y", wire: 2 },
            { pauli: "Z", wire: 1 },
          ],
        },
      ],
    },
  ],
  [
    "dense two-qubit unitaries and constant-only blocks",
    {
      nQubits: 3,
      nInputs: 2,
      nWeights: 2,
      ops: [
        { gate: "H", wires: [0], params: [] },
        { gate: "RX", wires: [1], params: [cst(0.7)] },
        { gate: "RY", wires: [2], params: [W(0)] },
        {
          gate: "Unitary",
          wires: [0, 2],
          params: [],
          matrix: matmul(GATES.CNOT.matrix([]), kron(ry(0.4), rz(-1.1))),
        },
        { gate: "RZ", wires: [0], params: [I(0)] },
        { gate: "T", wires: [2], params: [] },
        { gate: "Unitary", wires: [1], params: [], matrix: rx(0.9) },
        { gate: "CNOT", wires: [2, 1], params: [] },
        { gate: "CZ", wires: [1, 0], params: [] },
        {
          gate: "Unitary",
          wires: [1, 0],
          params: [],
          matrix: matmul(kron(rx(0.2), ry(1.3)), GATES.SWAP.matrix([])),
        },
        { gate: "RY", wires: [1], params: [W(1)] },
        { gate: "RX", wires: [0], params: [I(1)] },
      ] satisfies Op[],
      observables: [
        { factors: [{ pauli: "Z", wire: 0 }] },
        { factors: [{ pauli: "Z", wire: 1 }] },
        {
          factors: [
            { pauli: "X", wire: 2 },
            { pauli: "X", wire: 0 },
          ],
        },
      ],
    },
  ],
];

describe("fused adjoint on schedule corners", () => {
  for (const [label, c] of shapes) {
    for (const [mode, opts] of MODES) it(`${label} (${mode})`, () => compare(c, 7, 4, opts));
  }
});

describe("fused adjoint == central finite differences", () => {
  const cases: Array<[string, Circuit]> = [
    ["random circuit, 5 qubits", randomCircuit(101, 5, 40)],
    ["random circuit, 3 qubits", randomCircuit(102, 3, 30)],
    ["HQNN on 4 qubits", hqnnCircuit({ qubits: 4 })],
    ["starts with multi-qubit gates", shapes[1]![1]],
  ];
  for (const [label, c] of cases) {
    it(label, () => {
      const rng = new Rng(9);
      const B = 2;
      const x = randomArray(rng, B * c.nInputs),
        w = randomArray(rng, c.nWeights),
        cot = randomArray(rng, B * c.observables.length, -1, 1);
      const ex = fusedAdjointExecutor(c);
      const g = ex.record(x, w, B).backward(cot),
        gf = finiteDiffVjp(ex, x, w, B, cot);
      expect(g.gradWeights).toBeAllclose(gf.gradWeights, { rtol: 0, atol: 1e-7 });
      expect(g.gradInputs).toBeAllclose(gf.gradInputs, { rtol: 0, atol: 1e-7 });
    });
  }
});

describe("fused adjoint tape", () => {
  it("can be replayed, and ignores later changes to the caller's buffers", () => {
    const c = hqnnCircuit({ qubits: 4 });
    const rng = new Rng(3);
    const B = 3;
    const x = randomArray(rng, B * c.nInputs),
      w = randomArray(rng, c.nWeights),
      cot = randomArray(rng, B * c.observables.length, -1, 1);
    const expected = adjointExecutor(c).record(x, w, B).backward(cot);
    for (const [, mode] of MODES) {
      const tape = fusedAdjointExecutor(c, mode(c)).record(x.slice(), w.slice(), B);
      const first = tape.backward(cot),
        again = tape.backward(cot);
      expect(Array.from(again.gradWeights)).toEqual(Array.from(first.gradWeights));
      expect(first.gradWeights).toBeAllclose(expected.gradWeights, { rtol: 0, atol: 1e-12 });
    }
    const xs = x.slice(),
      ws = w.slice();
    const tape = fusedAdjointExecutor(c).record(xs, ws, B);
    xs.fill(0);
    ws.fill(0);
    const g = tape.backward(cot);
    expect(g.gradWeights).toBeAllclose(expected.gradWeights, { rtol: 0, atol: 1e-12 });
    expect(g.gradInputs).toBeAllclose(expected.gradInputs, { rtol: 0, atol: 1e-12 });
  });

  it("an older tape still differentiates after a later record took the tape memory", () => {
    const c = hqnnCircuit({ qubits: 5 });
    const rng = new Rng(8);
    const B = 4;
    const x1 = randomArray(rng, B * c.nInputs),
      x2 = randomArray(rng, B * c.nInputs),
      w = randomArray(rng, c.nWeights);
    const cot = randomArray(rng, B * c.observables.length, -1, 1);
    const ex = fusedAdjointExecutor(c),
      ref = adjointExecutor(c);
    const t1 = ex.record(x1, w, B);
    const t2 = ex.record(x2, w, B);
    const x12 = new Float64Array(2 * B * c.nInputs);
    x12.set(x1);
    x12.set(x2, B * c.nInputs);
    const t3 = ex.record(x12, w, 2 * B); // grows the tape memory
    const g1 = t1.backward(cot),
      g2 = t2.backward(cot),
      r1 = ref.record(x1, w, B).backward(cot),
      r2 = ref.record(x2, w, B).backward(cot);
    expect(g1.gradWeights).toBeAllclose(r1.gradWeights, { rtol: 0, atol: 1e-12 });
    expect(g1.gradInputs).toBeAllclose(r1.gradInputs, { rtol: 0, atol: 1e-12 });
    expect(g2.gradWeights).toBeAllclose(r2.gradWeights, { rtol: 0, atol: 1e-12 });
    expect(g2.gradInputs).toBeAllclose(r2.gradInputs, { rtol: 0, atol: 1e-12 });
    const cot3 = new Float64Array(2 * B * c.observables.length);
    cot3.set(cot);
    expect(maxAbs(t3.backward(cot3).gradWeights, r1.gradWeights)).toBeLessThan(1e-12);
  });

  it("names itself and checks its arguments", () => {
    const c = hqnnCircuit({ qubits: 3 });
    const ex = fusedAdjointExecutor(c);
    expect(ex.name).toBe("statevector-fused-adjoint");
    expect([ex.nInputs, ex.nWeights, ex.nOutputs]).toEqual([3, 9, 3]);
    expect(() => ex.forward(new Float64Array(5), new Float64Array(9), 2)).toThrow(/inputs/);
    const tape = ex.record(new Float64Array(6), new Float64Array(9), 2);
    expect(() => tape.backward(new Float64Array(5))).toThrow(/cotangent/);
    expect(() => fusedAdjointExecutor(c, { checkpointBytes: -1 })).toThrow(/checkpointBytes/);
  });
});
