import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { buildModel } from "../../src/models/build-model.ts";
import type { ModelSpec } from "../../src/models/model-spec.ts";
import { train, type TrainConfig } from "../../src/training/trainer.ts";
import { predictLogits, taskMetrics } from "../../src/training/evaluate.ts";
import { depolarizingModel } from "../../src/noise/noise-model.ts";
import { NoisyQmtlExecutor } from "../../src/noise/structured/executor.ts";
import { runNoiseStudy, withNoisyHead } from "../../src/experiments/noise-study.ts";
import { SYNTH_TASKS, syntheticData } from "../helpers/synthetic.ts";

const D = 8;
const spec: ModelSpec = {
  inputDim: D,
  tasks: SYNTH_TASKS,
  head: "qmtl",
  latentDim: 8,
  qmtl: { encodingLayers: 2, headLayers: 1 },
  projection: { hidden: [12], activation: "tanh", dropout: 0, batchNorm: false },
  outputTransforms: { reg: "affine" },
};
const cfg: TrainConfig = {
  epochs: 6,
  batchSize: 16,
  protocol: { kind: "masked" },
  losses: [
    { kind: "bce", weight: 1 },
    { kind: "ce", weight: 1 },
    { kind: "mse", weight: 1 },
  ],
  optimizer: { kind: "adam", lr: 0.03 },
  clipNorm: 1,
  selection: { macro: { bin: "accuracy", tri: "accuracy" } },
};

describe("noise study", () => {
  const model = buildModel(spec, new Rng(11));
  train(model, syntheticData(160, D, 1), syntheticData(60, D, 2), cfg, { seed: 4 });
  const test = syntheticData(60, D, 3);

  it("evaluates ideal, depolarizing and device conditions with mitigation; noise degrades, mitigation recovers", () => {
    const res = runNoiseStudy(model, test, model.tasks, {
      depolarizing: [0, 0.05, 0.2],
      devices: ["ibm_boston"],
    });
    const ideal = res.conditions.find((c) => c.id === "ideal")!;
    const want = taskMetrics(model.tasks, predictLogits(model, test), model.nOutputs, test);
    for (const [t, ms] of Object.entries(want))
      for (const [k, v] of Object.entries(ms)) expect(ideal.metrics[t]![k], `${t}.${k}`).toBeCloseTo(v, 10);
    const plainAt = (p: number) => res.conditions.find((c) => c.p === p && c.mitigation === "none")!;
    for (const [t, ms] of Object.entries(ideal.metrics))
      for (const [k, v] of Object.entries(ms)) expect(plainAt(0).metrics[t]![k]).toBeCloseTo(v, 12);
    for (const t of ["bin", "tri", "reg"]) {
      expect(plainAt(0.2).outputError[t]!).toBeGreaterThan(plainAt(0.05).outputError[t]!);
      expect(plainAt(0.05).outputError[t]!).toBeGreaterThan(1e-4);
      const zne = res.conditions.find((c) => c.p === 0.05 && c.mitigation === "zne")!;
      expect(zne.gapRecovered![t]!).toBeGreaterThan(0.1);
      const ro = res.conditions.find((c) => c.device === "ibm_boston" && c.mitigation === "readout")!;
      expect(ro.gapRecovered![t]!).toBeGreaterThan(0);
    }
    expect(res.conditions.find((c) => c.device === "ibm_boston")!.physicalQubits).toHaveLength(4);
    expect(JSON.stringify(res.figure)).toContain("Accuracy");
  });

  it("adds seeded shot-estimate conditions whose outputs scatter around the exact ones", () => {
    const opts = { depolarizing: [0.05], devices: [] as string[], mitigation: false, shots: 400, seed: 3 };
    const a = runNoiseStudy(model, test, model.tasks, opts),
      b = runNoiseStudy(model, test, model.tasks, opts);
    const shot = a.conditions.find((c) => c.shots === 400 && c.p === 0.05)!;
    expect(shot.id).toBe("depolarizing p=0.05, 400 shots");
    expect(shot.metrics).toEqual(b.conditions.find((c) => c.id === shot.id)!.metrics);
    // mean |shot estimate - ideal| is of order 1/sqrt(400) plus the noise gap
    const exact = a.conditions.find((c) => c.p === 0.05 && c.shots === undefined)!;
    for (const t of ["bin", "tri"]) {
      expect(shot.outputError[t]!).toBeGreaterThan(exact.outputError[t]! - 0.01);
      expect(shot.outputError[t]!).toBeLessThan(exact.outputError[t]! + 0.1);
    }
    expect(() => runNoiseStudy(model, test, model.tasks, { ...opts, shots: 1 })).toThrow(/shots/);
  });

  it("rejects bad levels, unknown devices and non-QMTL models with the field named", () => {
    expect(() => runNoiseStudy(model, test, model.tasks, { depolarizing: [1.2], devices: [] })).toThrow(
      /depolarizing\[0\]/,
    );
    expect(() => runNoiseStudy(model, test, model.tasks, { depolarizing: [-0.1], devices: [] })).toThrow(
      ValidationError,
    );
    expect(() =>
      runNoiseStudy(model, test, model.tasks, { depolarizing: [], devices: ["ibm_nowhere"] }),
    ).toThrow();
    const classical = buildModel({ ...spec, head: "classical" }, new Rng(1));
    expect(() => runNoiseStudy(classical, test, classical.tasks, { devices: [] })).toThrow(/model.head/);
  });

  it("noise-aware training: the noisy head trains through the exact noisy backward", () => {
    const noisy = withNoisyHead(model, depolarizingModel(0.05));
    const before = predictLogits(noisy, test);
    const layout = model.qmtlLayout!;
    const ctx = { training: false, rng: new Rng(0) };
    const z = model.projection.forward(test.features.slice(), test.n, ctx);
    const raw = new NoisyQmtlExecutor(layout, depolarizingModel(0.05)).forward(
      z,
      (noisy.head as unknown as { weights: { value: Float64Array } }).weights.value,
      test.n,
    );
    expect(before[0]).toBeCloseTo(raw[0]!, 12);
    const r = train(
      noisy,
      syntheticData(80, D, 5),
      syntheticData(40, D, 6),
      { ...cfg, epochs: 2 },
      { seed: 1 },
    );
    expect(r).toBeDefined();
    const after = predictLogits(noisy, test);
    expect(Math.max(...after.map((v, k) => Math.abs(v - before[k]!)))).toBeGreaterThan(1e-6);
  });
});
