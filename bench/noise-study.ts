/**
 * Which calibrated device model comes closer to ideal? (the paper's Section 7 ordering:
 * ibm_boston closer than ibm_fez). Two checks in one run, exact noisy expectations:
 *  1. a small QMTL model (Q = 4, L = 2) trained on the synthetic multi-task problem,
 *     run through the noise study on all four shipped devices and the paper's p list;
 *  2. the paper's MUStARD head (Q = 13, L = 3) with seeded random weights and inputs:
 *     mean |noisy - ideal| of its outputs per device.
 * Writes bench/noise-study-results.json. Run: npx tsx bench/noise-study.ts
 */
import { Rng } from "../src/core/rng.ts";
import { writeJsonAtomic } from "../src/core/atomic-file.ts";
import { PRESETS } from "../src/circuits/presets.ts";
import { resolveQmtl } from "../src/circuits/qmtl.ts";
import { buildModel } from "../src/models/build-model.ts";
import type { ModelSpec } from "../src/models/model-spec.ts";
import { train, type TrainConfig } from "../src/training/trainer.ts";
import { loadDevice, KNOWN_DEVICES } from "../src/devices/load.ts";
import { summarizeDevice } from "../src/devices/summary.ts";
import { deviceNoiseModel } from "../src/noise/device-model.ts";
import { NoisyQmtlExecutor } from "../src/noise/structured/executor.ts";
import { runNoiseStudy, withNoisyHead } from "../src/experiments/noise-study.ts";
import { depolarizingModel } from "../src/noise/noise-model.ts";
import { SYNTH_TASKS, syntheticData } from "../test/helpers/synthetic.ts";

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
  epochs: 20,
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

const model = buildModel(spec, new Rng(11));
train(model, syntheticData(240, D, 1), syntheticData(120, D, 2), cfg, { seed: 4 });
const study = runNoiseStudy(model, syntheticData(200, D, 3), model.tasks, {
  depolarizing: [0.01, 0.05, 0.1, 0.2],
  devices: [...KNOWN_DEVICES],
  log: (s) => console.log(s),
});
const table = study.conditions.map((c) => ({
  id: c.id,
  mitigation: c.mitigation,
  bin_acc: c.metrics.bin!.accuracy,
  tri_acc: c.metrics.tri!.accuracy,
  tri_f1: c.metrics.tri!.f1,
  reg_pearson: c.metrics.reg!.pearson,
  meanOutputError: Object.values(c.outputError).reduce((a, b) => a + b, 0) / 3,
  gapRecovered: c.gapRecovered,
}));
console.table(
  table.map((r) => ({
    ...r,
    gapRecovered: r.gapRecovered
      ? JSON.stringify(Object.fromEntries(Object.entries(r.gapRecovered).map(([k, v]) => [k, +v.toFixed(2)])))
      : "",
  })),
);

const layout = resolveQmtl(PRESETS.mustard);
const rng = new Rng(7);
const B = 32;
const x = Float64Array.from({ length: B * layout.nInputs }, () => rng.range(-Math.PI, Math.PI));
const w = Float64Array.from({ length: layout.nWeights }, () => rng.range(0, 2 * Math.PI));
const ideal = new NoisyQmtlExecutor(layout, null).forward(x, w, B);
const mustard = KNOWN_DEVICES.map((name) => {
  const dev = loadDevice(name);
  const { model: m, qubits } = deviceNoiseModel(dev, layout.Q);
  const out = new NoisyQmtlExecutor(layout, m).forward(x, w, B);
  const err = out.reduce((a, v, k) => a + Math.abs(v - ideal[k]!), 0) / out.length;
  const s = summarizeDevice(dev);
  console.log(
    `MUStARD head on ${name}: mean |noisy - ideal| = ${err.toFixed(4)} (median 2q error ${s.median2qError.toExponential(2)}, chain ${qubits.join("-")})`,
  );
  return {
    device: name,
    meanAbsError: err,
    median2qError: s.median2qError,
    median1qError: s.median1qError,
    medianReadoutError: s.medianReadoutError,
    chain: qubits,
  };
});
// noise-aware training: the same model, seed and protocol trained with depolarizing p in the loop, vs clean
// training, both evaluated under that noise (exact)
const aware: Array<Record<string, number>> = [];
for (const p of [0.1, 0.2]) {
  const fresh = withNoisyHead(buildModel(spec, new Rng(11)), depolarizingModel(p));
  train(fresh, syntheticData(240, D, 1), syntheticData(120, D, 2), cfg, { seed: 4 });
  const opts = { depolarizing: [p], devices: [] as string[], mitigation: false };
  const clean = runNoiseStudy(model, syntheticData(200, D, 3), model.tasks, opts).conditions[1]!.metrics;
  const noisy = runNoiseStudy(fresh, syntheticData(200, D, 3), fresh.tasks, opts).conditions[1]!.metrics;
  const row = {
    p,
    clean_bin_acc: clean.bin!.accuracy!,
    aware_bin_acc: noisy.bin!.accuracy!,
    clean_tri_acc: clean.tri!.accuracy!,
    aware_tri_acc: noisy.tri!.accuracy!,
    clean_tri_f1: clean.tri!.f1!,
    aware_tri_f1: noisy.tri!.f1!,
    clean_reg_pearson: clean.reg!.pearson!,
    aware_reg_pearson: noisy.reg!.pearson!,
  };
  aware.push(row);
  console.log(JSON.stringify(row));
}
const out = new URL("./noise-study-results.json", import.meta.url).pathname;
writeJsonAtomic(out, {
  date: new Date().toISOString(),
  synthetic: table,
  mustardHead: mustard,
  noiseAwareTraining: aware,
});
console.log(`wrote ${out}`);
