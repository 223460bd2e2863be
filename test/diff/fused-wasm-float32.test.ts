/**
 * precision: "float32" (float32 states, f32x4 passes, float64 sums and 2x2
 * algebra) against the float64 wasm path: outputs and gradients within
 * float32 rounding (observed max 5e-7 on these circuits; tolerance 5e-6),
 * in every mode, batch 1 and > 1. And the option's checks.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import type { Circuit } from "../../src/circuits/ir.ts";
import { hqnnCircuit } from "../../src/circuits/hqnn.ts";
import { qmtlCircuit, resolveQmtl } from "../../src/circuits/qmtl.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import {
  compileSchedule,
  fusedAdjointExecutor,
  fusedWasmAvailable,
  type FusedAdjointOptions,
} from "../../src/sim/fused/index.ts";
import { maxAbs } from "../helpers/refs.ts";
import { randomArray, randomCircuit } from "../helpers/random-circuit.ts";

type Mode = (c: Circuit) => FusedAdjointOptions;
const layerCount = (c: Circuit): number =>
  compileSchedule(c).items.filter((it) => it.kind === "layer").length;
const MODES: Array<[string, Mode]> = [
  ["tape", () => ({})],
  ["re-run forward", (c) => ({ checkpointBytes: (layerCount(c) + 1) * 8 * 2 ** c.nQubits })],
  ["un-apply psi", () => ({ checkpointBytes: 0 })],
];
const TOL = 5e-6;

function compare(c: Circuit, seed: number, B: number, mode: Mode): void {
  const rng = new Rng(seed);
  const x = randomArray(rng, B * c.nInputs),
    w = randomArray(rng, c.nWeights),
    cot = randomArray(rng, B * c.observables.length, -1, 1);
  const f32 = fusedAdjointExecutor(c, { ...mode(c), kernels: "wasm", precision: "float32" });
  const f64 = fusedAdjointExecutor(c, { ...mode(c), kernels: "wasm" });
  const t32 = f32.record(x, w, B),
    t64 = f64.record(x, w, B);
  expect(t32.outputs).toBeAllclose(t64.outputs, { rtol: 0, atol: TOL });
  expect(maxAbs(f32.forward(x, w, B), t64.outputs)).toBeLessThan(TOL);
  const g32 = t32.backward(cot),
    g64 = t64.backward(cot);
  expect(g32.gradWeights).toBeAllclose(g64.gradWeights, { rtol: 0, atol: TOL });
  expect(g32.gradInputs).toBeAllclose(g64.gradInputs, { rtol: 0, atol: TOL });
  // and not float64 by accident: float32 rounding is visible
  expect(maxAbs(t32.outputs, t64.outputs)).toBeGreaterThan(0);
}

const available = fusedWasmAvailable();

for (const [label, mode] of MODES) {
  describe.runIf(available)(`fused adjoint, float32 ~ float64 (${label})`, () => {
    for (const B of [1, 3]) {
      it(`HQNN-4, batch ${B}`, () => compare(hqnnCircuit({ qubits: 4 }), 40 + B, B, mode));
      it(`HQNN-13, batch ${B}`, () => compare(hqnnCircuit({ qubits: 13 }), 130 + B, B, mode));
      it(`QMTL MUStARD (13 qubits), batch ${B}`, () =>
        compare(qmtlCircuit(resolveQmtl(PRESETS.mustard)), 220 + B, B, mode));
    }
    it("HQNN on 1, 2, 3 and 5 qubits (scalar and shuffled lanes)", () => {
      for (const q of [1, 2, 3, 5]) compare(hqnnCircuit({ qubits: q, repetitions: 2 }), q, 2, mode);
    });
    for (let seed = 1; seed <= 12; seed++) {
      const n = 1 + (seed % 8);
      it(`random circuit seed ${seed}, ${n} qubits`, () =>
        compare(randomCircuit(seed, n, 40), 900 + seed, 3, mode));
    }
  });
}

describe("fused adjoint, precision option", () => {
  it("float32 needs the wasm passes; a bad value is rejected", () => {
    const c = hqnnCircuit({ qubits: 3 });
    expect(() => fusedAdjointExecutor(c, { kernels: "ts", precision: "float32" })).toThrow(/float32/);
    expect(() => fusedAdjointExecutor(c, { precision: "half" as unknown as "float32" })).toThrow(/precision/);
  });

  it.runIf(available)("a float32 tape that grows stays within rounding of float64", () => {
    const c = hqnnCircuit({ qubits: 9 });
    const rng = new Rng(5);
    const x = randomArray(rng, 30 * c.nInputs),
      w = randomArray(rng, c.nWeights),
      cot = randomArray(rng, 30 * c.observables.length, -1, 1);
    const f32 = fusedAdjointExecutor(c, { kernels: "wasm", precision: "float32" }),
      f64 = fusedAdjointExecutor(c, { kernels: "wasm" });
    const small = f32.record(x.subarray(0, 2 * c.nInputs), w, 2);
    const big = f32.record(x, w, 30);
    const r = f64.record(x, w, 30).backward(cot);
    const g = big.backward(cot);
    expect(g.gradWeights).toBeAllclose(r.gradWeights, { rtol: 0, atol: TOL });
    const gs = small.backward(cot.subarray(0, 2 * c.observables.length)); // an older tape: re-runs forward
    const rs = f64
      .record(x.subarray(0, 2 * c.nInputs), w, 2)
      .backward(cot.subarray(0, 2 * c.observables.length));
    expect(gs.gradInputs).toBeAllclose(rs.gradInputs, { rtol: 0, atol: TOL });
  });
});
