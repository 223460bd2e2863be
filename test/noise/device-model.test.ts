import { describe, expect, it } from "vitest";
import type { CMatrix } from "../../src/gates/matrix.ts";
import { Rng } from "../../src/core/rng.ts";
import { loadDevice } from "../../src/devices/load.ts";
import { gateCalibration, usableCoupler } from "../../src/devices/lookup.ts";
import { qmtlCircuit, resolveQmtl } from "../../src/circuits/qmtl.ts";
import {
  composeChannels,
  depolarizingAer,
  reduceKraus,
  tensorChannels,
  thermalRelaxation,
  krausChannel,
} from "../../src/noise/channels.ts";
import { channelPtm } from "../../src/noise/ptm.ts";
import {
  averageGateFidelity,
  bestChain,
  depolarizingFromGateError,
  deviceNoiseModel,
} from "../../src/noise/device-model.ts";
import { densityForward } from "../../src/noise/density-matrix.ts";
import { NoisyQmtlExecutor } from "../../src/noise/structured/executor.ts";
import { randomArray } from "../helpers/random-circuit.ts";

describe("device noise models", () => {
  it("depolarizing after removing relaxation reproduces the calibrated gate error (Aer's rule)", () => {
    for (const [e, t1, t2, t, n] of [
      [2.5e-4, 150e-6, 90e-6, 36e-9, 1],
      [2.6e-3, 120e-6, 200e-6, 68e-9, 2],
    ] as const) {
      const r1 = thermalRelaxation(t1, t2, t);
      const relax = n === 1 ? r1 : tensorChannels(r1, thermalRelaxation(t1 * 1.3, t2 * 0.8, t));
      const lam = depolarizingFromGateError(e, relax, n);
      expect(lam).toBeGreaterThan(0);
      const total = composeChannels(depolarizingAer(lam, n), relax);
      expect(1 - averageGateFidelity(total)).toBeCloseTo(e, 12);
    }
    expect(depolarizingFromGateError(1e-6, thermalRelaxation(1e-6, 1e-6, 1e-7), 1)).toBe(0); // relaxation alone exceeds e
  });

  it("reduceKraus keeps the channel (PTM to 1e-13) with at most d^2 operators", () => {
    const big = composeChannels(
      composeChannels(
        depolarizingAer(0.1, 2),
        tensorChannels(thermalRelaxation(5, 7, 1), thermalRelaxation(3, 2, 1)),
      ),
      depolarizingAer(0.05, 2),
    );
    expect(big.kraus.length).toBeLessThanOrEqual(16);
    const raw: (typeof big.kraus)[number][] = [];
    const a = depolarizingAer(0.1, 2),
      b = tensorChannels(thermalRelaxation(5, 7, 1), thermalRelaxation(3, 2, 1));
    for (const ka of a.kraus) for (const kb of b.kraus) raw.push(mul(kb, ka));
    const p1 = channelPtm(krausChannel(raw)),
      p2 = channelPtm(krausChannel(reduceKraus(raw)));
    for (let k = 0; k < p1.length; k++) expect(Math.abs(p1[k]! - p2[k]!)).toBeLessThan(1e-13);
  });

  it("builds a chain of usable couplers and a model whose structured and density-matrix outputs agree (1e-10)", () => {
    const layout = resolveQmtl({
      encodingLayers: 2,
      headLayers: 1,
      tasks: [
        { name: "a", kind: "binary" },
        { name: "b", kind: "multiclass", numClasses: 3 },
        { name: "c", kind: "regression", qubits: 3, observables: ["X0 Z2"] },
      ],
    });
    for (const name of ["ibm_boston", "ibm_fez"]) {
      const dev = loadDevice(name);
      const { model, qubits } = deviceNoiseModel(dev, layout.Q);
      expect(qubits).toEqual(bestChain(dev, layout.Q));
      for (let i = 1; i < qubits.length; i++)
        expect(usableCoupler(dev, qubits[i - 1]!, qubits[i]!)).toBeDefined();
      expect(model.readoutFor(0)!.p01).toBe(dev.qubits[qubits[0]!]!.probMeas1Prep0);
      expect(model.errorsFor("RZ", [0])).toEqual([]);
      expect(gateCalibration(dev, "sx", [qubits[0]!])).toBeDefined();
      const rng = new Rng(3);
      const inputs = randomArray(rng, 2 * layout.nInputs),
        weights = randomArray(rng, layout.nWeights);
      const got = new NoisyQmtlExecutor(layout, model).forward(inputs, weights, 2);
      const want = densityForward(qmtlCircuit(layout), model, inputs, weights, 2);
      for (let k = 0; k < got.length; k++) expect(Math.abs(got[k]! - want[k]!)).toBeLessThan(1e-10);
    }
    expect(() => deviceNoiseModel(loadDevice("ibm_boston"), 3, { qubits: [0, 1, 50] })).toThrow(
      /usable coupler/,
    );
    expect(() => loadDevice("ibm_nowhere")).toThrow();
  });
});

function mul(a: CMatrix, b: CMatrix): CMatrix {
  const n = a.dim,
    re = new Float64Array(n * n),
    im = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++)
      for (let j = 0; j < n; j++) {
        re[i * n + j]! += a.re[i * n + k]! * b.re[k * n + j]! - a.im[i * n + k]! * b.im[k * n + j]!;
        im[i * n + j]! += a.re[i * n + k]! * b.im[k * n + j]! + a.im[i * n + k]! * b.re[k * n + j]!;
      }
  return { dim: n, re, im };
}
