import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { cmat, type CMatrix } from "../../src/gates/matrix.ts";
import { GATES } from "../../src/gates/spec.ts";
import { parsePauliWord } from "../../src/circuits/pauli.ts";
import { compile, measureAll, simulateSample } from "../../src/sim/simulate.ts";
import {
  aerToPennyLaneP,
  amplitudeDamping,
  bitFlip,
  depolarizingAer,
  depolarizingPennyLane,
  jacobiEigen,
  krausChannel,
  pauliChannel,
  phaseDamping,
  phaseFlip,
  tensorChannels,
  thermalRelaxation,
  maxDepolarizing,
} from "../../src/noise/channels.ts";
import { channelPtm, krausPtm, rotationPtm } from "../../src/noise/ptm.ts";
import {
  applyChannel,
  applyUnitary,
  densityForward,
  measuredExpectation,
  simulateDensity,
  traceDensity,
  zeroDensity,
  type DensityMatrix,
} from "../../src/noise/density-matrix.ts";
import { NoiseModel, depolarizingModel } from "../../src/noise/noise-model.ts";
import { randomArray, randomCircuit } from "../helpers/random-circuit.ts";

function randomUnitary2q(rng: Rng): DensityMatrix {
  // a random pure 2-qubit state via a few random gates
  const rho = zeroDensity(2);
  for (let k = 0; k < 4; k++) {
    applyUnitary(rho, [0], GATES.Rot.matrix([rng.range(-3, 3), rng.range(-3, 3), rng.range(-3, 3)]));
    applyUnitary(rho, [1], GATES.Rot.matrix([rng.range(-3, 3), rng.range(-3, 3), rng.range(-3, 3)]));
    applyUnitary(rho, [0, 1], GATES.CNOT.matrix([]));
  }
  return rho;
}

function eigenvalues(rho: DensityMatrix): number[] {
  // Hermitian H = A + iB -> real symmetric [[A, -B], [B, A]], each eigenvalue twice
  const D = 1 << rho.n;
  const m: number[][] = Array.from({ length: 2 * D }, () => new Array<number>(2 * D).fill(0));
  for (let i = 0; i < D; i++)
    for (let j = 0; j < D; j++) {
      const a = rho.re[i * D + j]!,
        b = rho.im[i * D + j]!;
      m[i]![j] = a;
      m[i + D]![j + D] = a;
      m[i]![j + D] = -b;
      m[i + D]![j] = b;
    }
  return jacobiEigen(m).values;
}

const words = ["X0", "Y0", "Z0", "X0 Z1", "Y0 Y1", "Z1", "X1"].map((w) => parsePauliWord(w, 2));

describe("channels and the density-matrix reference", () => {
  it("equals the statevector simulator without noise (1e-12), random circuits", () => {
    for (let seed = 1; seed <= 6; seed++) {
      const n = 2 + (seed % 3);
      const c = randomCircuit(seed, n, 30);
      const rng = new Rng(100 + seed);
      const inputs = randomArray(rng, 2 * c.nInputs),
        weights = randomArray(rng, c.nWeights);
      const dm = densityForward(c, null, inputs, weights, 2);
      const cc = compile(c);
      const sv = new Float64Array(2 * c.observables.length);
      for (let b = 0; b < 2; b++)
        measureAll(cc, simulateSample(cc, inputs, b, weights), sv, b * c.observables.length);
      for (let k = 0; k < sv.length; k++) expect(Math.abs(dm[k]! - sv[k]!)).toBeLessThan(1e-12);
    }
  });

  it("1-qubit depolarizing (Aer lam) scales every non-identity Pauli on its qubit by exactly 1 - lam", () => {
    const rng = new Rng(3);
    for (const lam of [0.01, 0.2, 0.7, maxDepolarizing(1)]) {
      const rho = randomUnitary2q(rng);
      const before = words.map((w) => measuredExpectation(rho, w, null));
      applyChannel(rho, [0], depolarizingAer(lam, 1));
      words.forEach((w, k) => {
        const touches0 = w.factors.some((f) => f.wire === 0);
        expect(measuredExpectation(rho, w, null)).toBeCloseTo(
          touches0 ? (1 - lam) * before[k]! : before[k]!,
          13,
        );
      });
    }
  });

  it("2-qubit depolarizing scales every non-identity Pauli on its pair by 1 - lam", () => {
    const rng = new Rng(4);
    const rho = randomUnitary2q(rng);
    const before = words.map((w) => measuredExpectation(rho, w, null));
    applyChannel(rho, [0, 1], depolarizingAer(0.3, 2));
    words.forEach((w, k) => expect(measuredExpectation(rho, w, null)).toBeCloseTo(0.7 * before[k]!, 13));
  });

  it("PennyLane's DepolarizingChannel(p) is Aer's depolarizing_error(lam) with p = 3 lam / 4", () => {
    for (const lam of [0, 0.05, 0.5, 1]) {
      const a = channelPtm(depolarizingAer(lam, 1)),
        b = channelPtm(depolarizingPennyLane(aerToPennyLaneP(lam)));
      for (let k = 0; k < 16; k++) expect(a[k]).toBeCloseTo(b[k]!, 14);
    }
    // and the mapping is not the identity: p = lam gives a different channel
    expect(channelPtm(depolarizingPennyLane(0.2))[5]).not.toBeCloseTo(
      channelPtm(depolarizingAer(0.2, 1))[5]!,
      6,
    );
  });

  it("keeps trace 1 and positivity under every channel kind", () => {
    const rng = new Rng(5);
    const chans = [
      depolarizingAer(0.1, 1),
      depolarizingPennyLane(0.3),
      amplitudeDamping(0.4),
      phaseDamping(0.6),
      bitFlip(0.2),
      phaseFlip(0.1),
      thermalRelaxation(50, 70, 3),
      thermalRelaxation(50, 20, 10, 0.1),
      pauliChannel({ I: 0.7, X: 0.1, Y: 0.05, Z: 0.15 }),
    ];
    const rho = randomUnitary2q(rng);
    for (const ch of chans) {
      applyChannel(rho, [rng.int(2)], ch);
      applyChannel(rho, [0, 1], tensorChannels(ch, thermalRelaxation(40, 30, 2)));
      applyChannel(rho, [0, 1], depolarizingAer(0.05, 2));
      const [tr, ti] = traceDensity(rho);
      expect(Math.abs(tr - 1)).toBeLessThan(1e-12);
      expect(Math.abs(ti)).toBeLessThan(1e-12);
      for (const ev of eigenvalues(rho)) expect(ev).toBeGreaterThan(-1e-12);
    }
  });

  it("thermal relaxation decays populations with T1 and coherences with T2 (Aer's formulas)", () => {
    const t1 = 40,
      t2 = 25,
      t = 7;
    const one = zeroDensity(1);
    applyUnitary(one, [0], GATES.X.matrix([]));
    applyChannel(one, [0], thermalRelaxation(t1, t2, t));
    expect(one.re[3]).toBeCloseTo(Math.exp(-t / t1), 14);
    const plus = zeroDensity(1);
    applyUnitary(plus, [0], GATES.H.matrix([]));
    applyChannel(plus, [0], thermalRelaxation(t1, t2, t));
    expect(measuredExpectation(plus, parsePauliWord("X0", 1), null)).toBeCloseTo(Math.exp(-t / t2), 14);
    // amplitude damping with gamma = 1 - exp(-t/T1) equals relaxation with T2 = 2 T1
    const a = channelPtm(amplitudeDamping(1 - Math.exp(-t / t1))),
      b = channelPtm(thermalRelaxation(t1, 2 * t1, t));
    for (let k = 0; k < 16; k++) expect(a[k]).toBeCloseTo(b[k]!, 13);
  });

  it("rejects bad channels, parameters and readout errors with the field named", () => {
    const bad: CMatrix = cmat(2);
    bad.re[0] = 1;
    expect(() => krausChannel([bad])).toThrow(ValidationError);
    expect(() => depolarizingAer(1.4, 1)).toThrow(/depolarizing.lam/);
    expect(() => depolarizingAer(-0.1, 2)).toThrow(ValidationError);
    expect(() => thermalRelaxation(10, 30, 1)).toThrow(/T2 <= 2 T1/);
    expect(() => pauliChannel({ I: 0.5, X: 0.4 })).toThrow(/summing to 1/);
    expect(() => new NoiseModel().addReadoutError({ p01: 0.6, p10: 0.5 }, 0)).toThrow(ValidationError);
    expect(() => new NoiseModel().addAllQubitQuantumError(depolarizingAer(0.1, 2), ["RX"])).toThrow(
      /gates on 2 qubit/,
    );
  });

  it("rotation PTMs match the PTM of the rotation matrix", () => {
    const out = new Float64Array(16),
      d = new Float64Array(16);
    for (const p of ["X", "Y", "Z"] as const) {
      const a = 0.83;
      rotationPtm(p, a, out, d);
      const ref = krausPtm([GATES[`R${p}`].matrix([a])]);
      for (let k = 0; k < 16; k++) expect(out[k]).toBeCloseTo(ref[k]!, 14);
      const h = 1e-6,
        up = krausPtm([GATES[`R${p}`].matrix([a + h])]),
        dn = krausPtm([GATES[`R${p}`].matrix([a - h])]);
      for (let k = 0; k < 16; k++) expect(d[k]).toBeCloseTo((up[k]! - dn[k]!) / (2 * h), 8);
    }
  });

  it("readout errors: a measured <Z> is (1 - p01 - p10) <Z> + p10 - p01; qubit-specific errors override", () => {
    const rho = randomUnitary2q(new Rng(9));
    const z0 = parsePauliWord("Z0", 2),
      x1 = parsePauliWord("X1", 2);
    const m = new NoiseModel()
      .addAllQubitReadoutError({ p01: 0.02, p10: 0.07 })
      .addReadoutError({ p01: 0.1, p10: 0 }, 1);
    expect(measuredExpectation(rho, z0, m)).toBeCloseTo(0.91 * measuredExpectation(rho, z0, null) + 0.05, 14);
    expect(measuredExpectation(rho, x1, m)).toBeCloseTo(0.9 * measuredExpectation(rho, x1, null) - 0.1, 14);
  });

  it("a noise model attaches channels by gate name and wires; local errors replace all-qubit ones", () => {
    const m = depolarizingModel(0.1, 0.2).addQuantumError(bitFlip(0.3), ["RX"], [1]);
    expect(m.errorsFor("RX", [0]).map((c) => c.name)).toEqual(["depolarizingAer(0.1, 1)"]);
    expect(m.errorsFor("RX", [1]).map((c) => c.name)).toEqual(["bitFlip(0.3)"]);
    expect(m.errorsFor("CNOT", [0, 1]).map((c) => c.name)).toEqual(["depolarizingAer(0.2, 2)"]);
    const c = randomCircuit(11, 3, 25);
    const rng = new Rng(12);
    const inputs = randomArray(rng, c.nInputs),
      weights = randomArray(rng, c.nWeights);
    const noisy = densityForward(c, m, inputs, weights, 1),
      clean = densityForward(c, null, inputs, weights, 1);
    expect(Math.max(...noisy.map((v, k) => Math.abs(v - clean[k]!)))).toBeGreaterThan(1e-3);
    const rho = simulateDensity(c, m, inputs, 0, weights, { fold: 3 });
    expect(traceDensity(rho)[0]).toBeCloseTo(1, 12);
  });
});
