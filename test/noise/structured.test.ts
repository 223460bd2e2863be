import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { qmtlCircuit, resolveQmtl, type QmtlSpec } from "../../src/circuits/qmtl.ts";
import { compile, measureAll, simulateSample } from "../../src/sim/simulate.ts";
import {
  amplitudeDamping,
  bitFlip,
  depolarizingAer,
  pauliChannel,
  pauliLabels,
  phaseDamping,
  tensorChannels,
  thermalRelaxation,
} from "../../src/noise/channels.ts";
import { NoiseModel, depolarizingModel } from "../../src/noise/noise-model.ts";
import { densityForward } from "../../src/noise/density-matrix.ts";
import { NoisyQmtlExecutor } from "../../src/noise/structured/executor.ts";
import { randomArray } from "../helpers/random-circuit.ts";

const specs: QmtlSpec[] = [
  {
    encodingLayers: 1,
    headLayers: 1,
    tasks: [
      { name: "a", kind: "binary" },
      { name: "b", kind: "multiclass", numClasses: 3 },
    ],
  },
  {
    encodingLayers: 2,
    headLayers: 2,
    tasks: [
      { name: "a", kind: "multiclass", numClasses: 3 },
      { name: "b", kind: "binary" },
      { name: "c", kind: "regression" },
    ],
  },
  {
    encodingLayers: 3,
    headLayers: 1,
    encoderOrder: "rz-ry",
    tasks: [
      { name: "a", kind: "regression", qubits: 3, observables: ["Y0 X2"] },
      { name: "b", kind: "binary", qubits: 2, observables: ["X0 Z1"] },
    ],
  },
  {
    encodingLayers: 2,
    headLayers: 0,
    tasks: [
      { name: "a", kind: "binary" },
      { name: "b", kind: "multiclass", numClasses: 4, qubits: 3 },
    ],
  },
  {
    encodingLayers: 2,
    headLayers: 1,
    entangle: false,
    tasks: [
      { name: "a", kind: "multiclass", numClasses: 3 },
      { name: "b", kind: "binary" },
    ],
  },
];

function thermalModel(Q: number, rng: Rng): NoiseModel {
  const m = new NoiseModel("thermal");
  const t1 = Array.from({ length: Q }, () => rng.range(30, 80)),
    t2 = t1.map((t) => t * rng.range(0.3, 1.8));
  for (let q = 0; q < Q; q++) {
    m.addQuantumError(thermalRelaxation(t1[q]!, t2[q]!, 0.8), ["H", "RX", "RY", "RZ", "Rot"], [q]);
    m.addReadoutError({ p01: rng.range(0, 0.05), p10: rng.range(0, 0.08) }, q);
    for (const q2 of [q - 1, q + 1, q + 2, q - 2, q + 3, q - 3]) {
      if (q2 < 0 || q2 >= Q) continue;
      m.addQuantumError(
        tensorChannels(thermalRelaxation(t1[q]!, t2[q]!, 3), thermalRelaxation(t1[q2]!, t2[q2]!, 3)),
        ["CNOT"],
        [q, q2],
      );
      m.addQuantumError(depolarizingAer(0.02, 2), ["CNOT"], [q, q2]);
    }
  }
  return m;
}

function mixModel(rng: Rng): NoiseModel {
  const probs: Record<string, number> = {};
  const labels = pauliLabels(2);
  const raw = labels.map(() => rng.uniform());
  const tot = raw.reduce((a, b) => a + b, 0) / 0.1;
  labels.forEach((l, k) => {
    probs[l] = k === 0 ? 0 : raw[k]! / tot;
  });
  probs.II = 1 - Object.values(probs).reduce((a, b) => a + b, 0);
  return new NoiseModel("mix")
    .addAllQubitQuantumError(amplitudeDamping(0.05), ["RX", "H"])
    .addAllQubitQuantumError(phaseDamping(0.07), ["RY", "Rot"])
    .addAllQubitQuantumError(bitFlip(0.03), ["RZ"])
    .addQuantumError(depolarizingAer(0.2, 1), ["RZ"], [1])
    .addAllQubitQuantumError(pauliChannel(probs), ["CNOT"])
    .addAllQubitReadoutError({ p01: 0.03, p10: 0.06 });
}

describe("structured noisy QMTL path", () => {
  it("equals the statevector result without noise (1e-12)", () => {
    specs.forEach((spec, k) => {
      const layout = resolveQmtl(spec);
      const rng = new Rng(10 + k);
      const inputs = randomArray(rng, 2 * layout.nInputs),
        weights = randomArray(rng, layout.nWeights);
      const got = new NoisyQmtlExecutor(layout, null).forward(inputs, weights, 2);
      const cc = compile(qmtlCircuit(layout));
      const want = new Float64Array(got.length);
      for (let b = 0; b < 2; b++)
        measureAll(cc, simulateSample(cc, inputs, b, weights), want, b * layout.nOutputs);
      for (let o = 0; o < got.length; o++) expect(Math.abs(got[o]! - want[o]!)).toBeLessThan(1e-12);
    });
  });

  it("equals the density-matrix reference to 1e-10 on random heads and channel mixes", () => {
    specs.forEach((spec, k) => {
      const layout = resolveQmtl(spec);
      const rng = new Rng(20 + k);
      const models = [depolarizingModel(0.05, 0.1), thermalModel(layout.Q, rng), mixModel(rng)];
      const inputs = randomArray(rng, 2 * layout.nInputs),
        weights = randomArray(rng, layout.nWeights);
      const c = qmtlCircuit(layout);
      for (const m of models) {
        for (const fold of [1, 3]) {
          if (fold === 3 && m.label === "mix" && layout.L > 2) continue; // bond 16^3 > limit for a dense Pauli CNOT error
          const got = new NoisyQmtlExecutor(layout, m, { fold }).forward(inputs, weights, 2);
          const want = densityForward(c, m, inputs, weights, 2, { fold });
          for (let o = 0; o < got.length; o++)
            expect(Math.abs(got[o]! - want[o]!), `${k} ${m.label} fold ${fold} out ${o}`).toBeLessThan(1e-10);
          const clean = densityForward(c, null, inputs, weights, 2);
          expect(Math.max(...got.map((v, o) => Math.abs(v - clean[o]!)))).toBeGreaterThan(1e-4);
        }
      }
    });
  });

  it("backward equals central finite differences of the noisy forward", () => {
    for (const [k, spec] of specs.slice(0, 3).entries()) {
      const layout = resolveQmtl(spec);
      const rng = new Rng(40 + k);
      const ex = new NoisyQmtlExecutor(layout, k === 0 ? mixModel(rng) : thermalModel(layout.Q, rng));
      const batch = 2;
      const inputs = randomArray(rng, batch * layout.nInputs),
        weights = randomArray(rng, layout.nWeights);
      const cot = randomArray(rng, batch * layout.nOutputs, -1, 1);
      const g = ex.record(inputs, weights, batch).backward(cot);
      const f = (i: Float64Array, w: Float64Array): number =>
        ex.forward(i, w, batch).reduce((s, v, o) => s + v * cot[o]!, 0);
      const h = 1e-5;
      for (let j = 0; j < layout.nWeights; j++) {
        const up = weights.slice(),
          dn = weights.slice();
        up[j]! += h;
        dn[j]! -= h;
        expect(g.gradWeights[j]).toBeCloseTo((f(inputs, up) - f(inputs, dn)) / (2 * h), 7);
      }
      for (let j = 0; j < inputs.length; j++) {
        const up = inputs.slice(),
          dn = inputs.slice();
        up[j]! += h;
        dn[j]! -= h;
        expect(g.gradInputs[j]).toBeCloseTo((f(up, weights) - f(dn, weights)) / (2 * h), 7);
      }
    }
  });
});
