import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { buildModel } from "../../src/models/build-model.ts";
import type { ModelSpec } from "../../src/models/model-spec.ts";
import { train, type TrainConfig } from "../../src/training/trainer.ts";
import { predictLogits, taskMetrics } from "../../src/training/evaluate.ts";
import { SYNTH_TASKS, syntheticData } from "../helpers/synthetic.ts";

const D = 8;
const base = {
  inputDim: D,
  tasks: SYNTH_TASKS,
  projection: { hidden: [12], activation: "tanh", dropout: 0, batchNorm: false },
  outputTransforms: { reg: "affine" },
} as const;

const heads: Array<[string, ModelSpec]> = [
  ["QMTL (Q=4, L=2)", { ...base, head: "qmtl", latentDim: 8, qmtl: { encodingLayers: 2, headLayers: 1 } }],
  ["classical", { ...base, head: "classical", latentDim: 8 }],
  ["HQNN (4 qubits)", { ...base, head: "hqnn", latentDim: 8, hqnn: { qubits: 4 } }],
];

const cfg: TrainConfig = {
  epochs: 25,
  batchSize: 16,
  protocol: { kind: "masked" },
  losses: [
    { kind: "bce", weight: 1 },
    { kind: "ce", weight: 1 },
    { kind: "mse", weight: 1 },
  ],
  optimizer: { kind: "adam", lr: 0.02 },
  clipNorm: 1,
  selection: { macro: { bin: "accuracy", tri: "accuracy" } },
};

describe("each head learns a small synthetic multi-task problem (binary + 3-class + regression, labels missing)", () => {
  const trainData = syntheticData(240, D, 1),
    valData = syntheticData(120, D, 2),
    testData = syntheticData(200, D, 3);
  for (const [label, spec] of heads) {
    it(label, () => {
      const model = buildModel(spec, new Rng(11));
      const before = taskMetrics(model.tasks, predictLogits(model, testData), model.nOutputs, testData);
      const res = train(model, trainData, valData, spec.head === "hqnn" ? { ...cfg, epochs: 15 } : cfg, {
        seed: 4,
      });
      const h = res.history;
      expect(h[h.length - 1]!.trainLoss).toBeLessThan(0.8 * h[0]!.trainLoss);
      const m = taskMetrics(model.tasks, predictLogits(model, testData), model.nOutputs, testData);
      // chance: 0.5 binary, ~0.33 three-class; demand a clear margin
      expect(m.bin!.accuracy).toBeGreaterThan(0.75);
      expect(m.tri!.accuracy).toBeGreaterThan(spec.head === "hqnn" ? 0.5 : 0.6);
      expect(m.reg!.pearson).toBeGreaterThan(0.5);
      expect(m.bin!.accuracy).toBeGreaterThan(before.bin!.accuracy - 0.05);
    });
  }
});

describe("reproducibility", () => {
  it("same seed, same run, bit for bit", () => {
    const spec = heads[0]![1];
    const d1 = syntheticData(64, D, 1),
      d2 = syntheticData(32, D, 2);
    const short = { ...cfg, epochs: 2 };
    const a = buildModel(spec, new Rng(3)),
      b = buildModel(spec, new Rng(3));
    const ra = train(a, d1, d2, short, { seed: 9 }),
      rb = train(b, d1, d2, short, { seed: 9 });
    expect(ra.history.map((e) => e.trainLoss)).toEqual(rb.history.map((e) => e.trainLoss));
    expect(Array.from(a.net.params()[0]!.value)).toEqual(Array.from(b.net.params()[0]!.value));
  });
});
