import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { qmtlCircuit, resolveQmtl } from "../../src/circuits/qmtl.ts";
import { depolarizingModel, NoiseModel } from "../../src/noise/noise-model.ts";
import { thermalRelaxation } from "../../src/noise/channels.ts";
import { NoisyQmtlExecutor } from "../../src/noise/structured/executor.ts";
import { sampleShots } from "../../src/noise/shots.ts";
import {
  extrapolateToZero,
  mitigateReadout,
  readoutMitigatedForward,
  zneForward,
} from "../../src/noise/mitigation.ts";
import { densityForward } from "../../src/noise/density-matrix.ts";
import { randomArray } from "../helpers/random-circuit.ts";

const layout = resolveQmtl({
  encodingLayers: 2,
  headLayers: 1,
  tasks: [
    { name: "a", kind: "binary" },
    { name: "b", kind: "multiclass", numClasses: 3 },
    { name: "c", kind: "multiclass", numClasses: 5, qubits: 3 },
  ],
});

function model(): NoiseModel {
  return depolarizingModel(0.02, 0.05)
    .addReadoutError({ p01: 0.04, p10: 0.09 }, 0)
    .addReadoutError({ p01: 0.02, p10: 0.05 }, 1)
    .addAllQubitReadoutError({ p01: 0.03, p10: 0.06 });
}

describe("shots", () => {
  it("estimates converge to the exact noisy outputs at the 1/sqrt(shots) rate (fixed seed)", () => {
    const rng = new Rng(2026);
    const batch = 6;
    const ex = new NoisyQmtlExecutor(layout, model());
    const inputs = randomArray(rng, batch * layout.nInputs),
      weights = randomArray(rng, layout.nWeights);
    const exact = ex.forward(inputs, weights, batch);
    const rms: number[] = [];
    let inside = 0,
      total = 0;
    for (const shots of [200, 800, 3200, 12800]) {
      // 10 repetitions per shot count, pooled
      let se = 0,
        n = 0;
      for (let rep = 0; rep < 10; rep++) {
        const r = sampleShots(ex, inputs, weights, batch, shots, rng);
        for (let k = 0; k < exact.length; k++) {
          const d = r.means[k]! - exact[k]!;
          se += d * d;
          n++;
          if (Math.abs(d) <= 3 * Math.max(r.stderr[k]!, 1 / shots)) inside++;
          total++;
        }
      }
      rms.push(Math.sqrt(se / n));
    }
    // quadrupling the shots halves the error: ratios within [1.6, 2.5] (tolerance for 10 x 66 pooled estimates)
    for (let k = 1; k < rms.length; k++) {
      const ratio = rms[k - 1]! / rms[k]!;
      expect(ratio).toBeGreaterThan(1.6);
      expect(ratio).toBeLessThan(2.5);
    }
    // the fitted log-log slope is -1/2 within 0.08
    const xs = [200, 800, 3200, 12800].map(Math.log),
      ys = rms.map(Math.log);
    const mx = xs.reduce((a, b) => a + b) / 4,
      my = ys.reduce((a, b) => a + b) / 4;
    const slope =
      xs.reduce((a, x, k) => a + (x - mx) * (ys[k]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    expect(Math.abs(slope + 0.5)).toBeLessThan(0.08);
    // standard errors are calibrated: >= 98% of estimates within 3 stderr
    expect(inside / total).toBeGreaterThan(0.98);
  });

  it("is reproducible with the same seed", () => {
    const ex = new NoisyQmtlExecutor(layout, model());
    const rng = new Rng(5);
    const inputs = randomArray(rng, layout.nInputs),
      weights = randomArray(rng, layout.nWeights);
    const a = sampleShots(ex, inputs, weights, 1, 100, new Rng(9)).means,
      b = sampleShots(ex, inputs, weights, 1, 100, new Rng(9)).means;
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

describe("mitigation", () => {
  it("readout inversion recovers the readout-free noisy outputs exactly; least squares to 1e-9", () => {
    const rng = new Rng(7);
    const m = model();
    const inputs = randomArray(rng, 3 * layout.nInputs),
      weights = randomArray(rng, layout.nWeights);
    const ex = new NoisyQmtlExecutor(layout, m);
    const want = new NoisyQmtlExecutor(layout, m.withoutReadout()).forward(inputs, weights, 3);
    const raw = ex.forward(inputs, weights, 3);
    const inv = readoutMitigatedForward(ex, inputs, weights, 3, { method: "invert" });
    const lsq = readoutMitigatedForward(ex, inputs, weights, 3, { method: "lsq" });
    for (let k = 0; k < want.length; k++) {
      expect(Math.abs(inv[k]! - want[k]!)).toBeLessThan(1e-12);
      expect(Math.abs(lsq[k]! - want[k]!)).toBeLessThan(1e-9);
    }
    expect(Math.max(...raw.map((v, k) => Math.abs(v - want[k]!)))).toBeGreaterThan(1e-3);
    // with shots, lsq stays a probability vector where inversion may not
    const p = mitigateReadout(
      Float64Array.of(0.98, 0.02, 0, 0),
      2,
      [
        { p01: 0.05, p10: 0.05 },
        { p01: 0.05, p10: 0.05 },
      ],
      "lsq",
    );
    expect(Math.min(...p)).toBeGreaterThanOrEqual(0);
    expect(p.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
  });

  it("extrapolation is exact on polynomials of its order", () => {
    expect(extrapolateToZero([1, 3, 5], [2 + 3, 2 + 9, 2 + 15], "linear")).toBeCloseTo(2, 12);
    const q = (x: number): number => 0.7 - 0.2 * x + 0.03 * x * x;
    expect(extrapolateToZero([1, 3, 5], [q(1), q(3), q(5)], "richardson")).toBeCloseTo(0.7, 12);
    expect(() => extrapolateToZero([1, 1], [0, 0], "linear")).toThrow(/distinct/);
  });

  it("folded executors equal the density-matrix reference with folding, and ZNE moves outputs towards ideal", () => {
    const rng = new Rng(8);
    const m = new NoiseModel("t").addAllQubitQuantumError(thermalRelaxation(50, 40, 0.3), [
      "H",
      "RX",
      "RY",
      "RZ",
      "Rot",
    ]);
    m.addAllQubitQuantumError(depolarizingModel(0, 0.01).errorsFor("CNOT", [0, 1])[0]!, ["CNOT"]);
    const batch = 3;
    const inputs = randomArray(rng, batch * layout.nInputs),
      weights = randomArray(rng, layout.nWeights);
    const f3 = new NoisyQmtlExecutor(layout, m, { fold: 3 }).forward(inputs, weights, batch);
    const d3 = densityForward(qmtlCircuit(layout), m, inputs, weights, batch, { fold: 3 });
    for (let k = 0; k < f3.length; k++) expect(Math.abs(f3[k]! - d3[k]!)).toBeLessThan(1e-10);
    const ideal = new NoisyQmtlExecutor(layout, null).forward(inputs, weights, batch);
    const noisy = new NoisyQmtlExecutor(layout, m).forward(inputs, weights, batch);
    const err = (v: Float64Array): number => v.reduce((a, x, k) => a + Math.abs(x - ideal[k]!), 0);
    const lin = zneForward(layout, m, inputs, weights, batch, { method: "linear" });
    const rich = zneForward(layout, m, inputs, weights, batch, { method: "richardson" });
    expect(err(lin)).toBeLessThan(0.5 * err(noisy));
    expect(err(rich)).toBeLessThan(0.2 * err(noisy));
  });
});
