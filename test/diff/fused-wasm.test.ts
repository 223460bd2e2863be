/**
 * The fused executor's WebAssembly SIMD passes (kernels: "wasm") against its
 * TypeScript passes (kernels: "ts", the reference): outputs, forward, weight
 * and input gradients to 1e-12, in every way backward gets psi (tape, re-run
 * forward, un-apply), at batch 1 and batch > 1. Plus memory growth, older
 * tapes and the kernel choice.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import type { Circuit, Op } from "../../src/circuits/ir.ts";
import { inp, wgt } from "../../src/circuits/ir.ts";
import { hqnnCircuit } from "../../src/circuits/hqnn.ts";
import { qmtlCircuit, resolveQmtl } from "../../src/circuits/qmtl.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { GATES, rx, ry } from "../../src/gates/spec.ts";
import { kron, matmul } from "../../src/gates/matrix.ts";
import {
  compileSchedule,
  fusedAdjointExecutor,
  fusedWasmAvailable,
  fusedWasmUnavailableReason,
  resolveFusedKernels,
  type FusedAdjointOptions,
} from "../../src/sim/fused/index.ts";
import { maxAbs } from "../helpers/refs.ts";
import { randomArray, randomCircuit } from "../helpers/random-circuit.ts";

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
  const wasm = fusedAdjointExecutor(c, { ...mode(c), kernels: "wasm" }),
    ts = fusedAdjointExecutor(c, { ...mode(c), kernels: "ts" });
  const tw = wasm.record(x, w, B),
    tt = ts.record(x, w, B);
  expect(tw.outputs).toBeAllclose(tt.outputs, { rtol: 0, atol: tol });
  expect(maxAbs(wasm.forward(x, w, B), tt.outputs)).toBeLessThan(tol);
  const gw = tw.backward(cot),
    gt = tt.backward(cot);
  expect(gw.gradWeights).toBeAllclose(gt.gradWeights, { rtol: 0, atol: tol });
  expect(gw.gradInputs).toBeAllclose(gt.gradInputs, { rtol: 0, atol: tol });
}

/** Multi-qubit steps outside permutation runs (single CNOT / CZ / SWAP, dense two-qubit unitaries) and every Pauli word kind. */
const I = inp,
  W = wgt;
const corners: Circuit = {
  nQubits: 4,
  nInputs: 2,
  nWeights: 3,
  ops: [
    { gate: "RY", wires: [0], params: [W(0)] },
    { gate: "RX", wires: [3], params: [I(0)] },
    { gate: "CNOT", wires: [0, 3], params: [] },
    { gate: "RZ", wires: [3], params: [W(1)] },
    {
      gate: "Unitary",
      wires: [1, 3],
      params: [],
      matrix: matmul(GATES.CNOT.matrix([]), kron(ry(0.4), rx(-1.1))),
    },
    { gate: "RY", wires: [1], params: [I(1)] },
    { gate: "CZ", wires: [1, 2], params: [] },
    { gate: "RX", wires: [2], params: [W(2)] },
    { gate: "SWAP", wires: [2, 0], params: [] },
    { gate: "RY", wires: [0], params: [W(0)] },
  ] satisfies Op[],
  observables: [
    { factors: [{ pauli: "Z", wire: 0 }] },
    {
      factors: [
        { pauli: "Z", wire: 1 },
        { pauli: "Z", wire: 3 },
      ],
    },
    { factors: [{ pauli: "X", wire: 3 }] },
    {
      factors: [
        { pauli: "Y", wire: 2 },
        { pauli: "Z", wire: 0 },
      ],
    },
    {
      factors: [
        { pauli: "Y", wire: 1 },
        { pauli: "Y", wire: 2 },
        { pauli: "X", wire: 0 },
      ],
    },
    { factors: [] },
  ],
};

const available = fusedWasmAvailable();

describe("the committed fused.wasm", () => {
  it("loads in this runtime", () => {
    expect(fusedWasmUnavailableReason()).toBe("");
    expect(available).toBe(true);
  });
});

for (const [label, mode] of MODES) {
  describe.runIf(available)(`fused adjoint, wasm == ts passes (${label})`, () => {
    for (const B of [1, 3]) {
      it(`HQNN-4, batch ${B}`, () => compare(hqnnCircuit({ qubits: 4 }), 40 + B, B, mode));
      it(`HQNN-13, batch ${B}`, () => compare(hqnnCircuit({ qubits: 13 }), 130 + B, B, mode));
      it(`QMTL MUStARD (13 qubits, gate level), batch ${B}`, () =>
        compare(qmtlCircuit(resolveQmtl(PRESETS.mustard)), 220 + B, B, mode));
      it(`QMTL GLUE, batch ${B}`, () => compare(qmtlCircuit(resolveQmtl(PRESETS.glue)), 210 + B, B, mode));
      it(`steps outside permutation runs, every word kind, batch ${B}`, () =>
        compare(corners, 60 + B, B, mode));
    }
    it("HQNN on 1, 2, 3 and 5 qubits (small states: scalar edges of the lanes)", () => {
      for (const q of [1, 2, 3, 5]) compare(hqnnCircuit({ qubits: q, repetitions: 2 }), q, 2, mode);
    });
    for (let seed = 1; seed <= 24; seed++) {
      const n = 1 + (seed % 8);
      it(`random circuit seed ${seed}, ${n} qubits, depth 40`, () => {
        const c = randomCircuit(seed, n, 40);
        compare(c, 700 + seed, 1, mode);
        compare(c, 800 + seed, 4, mode);
      });
    }
  });
}

describe.runIf(available)("fused adjoint on wasm: memory", () => {
  it("older tapes and a tape memory that grows (memory.grow detaches the buffer) stay exact", () => {
    const c = hqnnCircuit({ qubits: 9 });
    const rng = new Rng(5);
    const B = 3,
      big = 40;
    const x1 = randomArray(rng, B * c.nInputs),
      x2 = randomArray(rng, big * c.nInputs),
      w = randomArray(rng, c.nWeights);
    const cot1 = randomArray(rng, B * c.observables.length, -1, 1),
      cot2 = randomArray(rng, big * c.observables.length, -1, 1);
    const wasm = fusedAdjointExecutor(c, { kernels: "wasm" }),
      ts = fusedAdjointExecutor(c, { kernels: "ts" });
    const t1 = wasm.record(x1, w, B);
    const t2 = wasm.record(x2, w, big); // grows the tape region and the memory
    const t3 = wasm.record(x1, w, B); // reuses it
    const r1 = ts.record(x1, w, B).backward(cot1),
      r2 = ts.record(x2, w, big).backward(cot2);
    for (const [t, cot, r] of [
      [t1, cot1, r1],
      [t2, cot2, r2],
      [t3, cot1, r1],
    ] as const) {
      const g = t.backward(cot);
      expect(g.gradWeights).toBeAllclose(r.gradWeights, { rtol: 0, atol: 1e-12 });
      expect(g.gradInputs).toBeAllclose(r.gradInputs, { rtol: 0, atol: 1e-12 });
    }
    expect(maxAbs(t2.outputs, ts.forward(x2, w, big))).toBeLessThan(1e-12);
  });

  it("executors do not share state: interleaved calls on two circuits", () => {
    const a = hqnnCircuit({ qubits: 6 }),
      b = qmtlCircuit(resolveQmtl(PRESETS.glue));
    const rng = new Rng(6);
    const B = 2;
    const xa = randomArray(rng, B * a.nInputs),
      wa = randomArray(rng, a.nWeights),
      ca = randomArray(rng, B * a.observables.length, -1, 1);
    const xb = randomArray(rng, B * b.nInputs),
      wb = randomArray(rng, b.nWeights),
      cb = randomArray(rng, B * b.observables.length, -1, 1);
    const ea = fusedAdjointExecutor(a, { kernels: "wasm" }),
      eb = fusedAdjointExecutor(b, { kernels: "wasm" });
    const ta = ea.record(xa, wa, B),
      tb = eb.record(xb, wb, B);
    const gb = tb.backward(cb),
      ga = ta.backward(ca);
    const ra = fusedAdjointExecutor(a, { kernels: "ts" }).record(xa, wa, B).backward(ca);
    const rb = fusedAdjointExecutor(b, { kernels: "ts" }).record(xb, wb, B).backward(cb);
    expect(ga.gradWeights).toBeAllclose(ra.gradWeights, { rtol: 0, atol: 1e-12 });
    expect(gb.gradWeights).toBeAllclose(rb.gradWeights, { rtol: 0, atol: 1e-12 });
  });
});

describe("fused adjoint: choosing the kernels", () => {
  const saved = process.env["QMTL_KERNELS"];
  afterEach(() => {
    if (saved === undefined) delete process.env["QMTL_KERNELS"];
    else process.env["QMTL_KERNELS"] = saved;
  });

  it('"ts" always gives the TypeScript passes, "auto" wasm where available', () => {
    delete process.env["QMTL_KERNELS"];
    expect(resolveFusedKernels("ts")).toBe("ts");
    expect(resolveFusedKernels("auto")).toBe(available ? "wasm" : "ts");
    expect(resolveFusedKernels()).toBe(available ? "wasm" : "ts");
    if (available) expect(resolveFusedKernels("wasm")).toBe("wasm");
  });

  it("no environment variable changes the choice: it is an explicit option only", () => {
    process.env["QMTL_KERNELS"] = "ts";
    expect(resolveFusedKernels("auto")).toBe(available ? "wasm" : "ts");
  });

  it('kernels: "ts" runs and matches; a bad choice is rejected', () => {
    const c = hqnnCircuit({ qubits: 3 });
    const ex = fusedAdjointExecutor(c, { kernels: "ts" });
    expect(ex.forward(new Float64Array(3), new Float64Array(9), 1).length).toBe(3);
    expect(() => fusedAdjointExecutor(c, { kernels: "gpu" as unknown as "ts" })).toThrow(/kernels/);
  });
});
