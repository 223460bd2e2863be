/**
 * One training process, measured from outside: the MUStARD setup of bench/epoch.ts
 * (552 samples, batch 16, QMTL head) for a few epochs with 1 or 2 threads, in its
 * own process so that its peak resident memory (maxRSS) is its own. Prints one JSON line.
 *   npx tsx bench/train-rss.ts [threads] [epochs]
 */
import { resourceUsage } from "node:process";
import { Rng } from "../src/core/rng.ts";
import { buildModel } from "../src/models/build-model.ts";
import { train } from "../src/training/trainer.ts";
import type { MultiTaskData } from "../src/training/dataset.ts";
import type { TaskDef } from "../src/models/task-info.ts";

const threads = Number(process.argv[2] ?? 1),
  epochs = Number(process.argv[3] ?? 3);
const TASKS: TaskDef[] = [
  { name: "sarcasm", kind: "binary" },
  { name: "sentiment_implicit", kind: "multiclass", numClasses: 3 },
  { name: "sentiment_explicit", kind: "multiclass", numClasses: 3 },
  { name: "emotion_implicit", kind: "multiclass", numClasses: 9 },
  { name: "emotion_explicit", kind: "multiclass", numClasses: 9 },
];
function data(n: number, d: number, seed: number): MultiTaskData {
  const rng = new Rng(seed);
  return {
    n,
    dim: d,
    features: Float64Array.from({ length: n * d }, () => rng.normal()),
    labels: TASKS.map((t) =>
      Float64Array.from({ length: n }, () => rng.int(t.kind === "binary" ? 2 : t.numClasses!)),
    ),
  };
}
const D = 1024;
const trainData = data(552, D, 1),
  valData = data(16, D, 2);
// the process before the model: Node, the tsx loader's compiled modules and the data; the process's own
// peak (maxRSS) is mostly the loader's, so the figure of the training is sampled during it
const baseRss = process.memoryUsage.rss();
let trainRss = baseRss;
const model = buildModel(
  {
    inputDim: D,
    latentDim: 39,
    tasks: TASKS,
    projection: { hidden: [39], activation: "relu", dropout: 0, batchNorm: false },
    head: "qmtl",
    qmtl: { encodingLayers: 3, headLayers: 1 },
  },
  new Rng(3),
  { threads },
);
const res = train(
  model,
  trainData,
  valData,
  {
    epochs,
    batchSize: 16,
    protocol: { kind: "parallel" },
    losses: TASKS.map((t) => ({ kind: t.kind === "binary" ? "bce" : "ce", weight: 1 })),
    optimizer: { kind: "adam", lr: 1e-3 },
    selection: { task: "sarcasm", metric: "f1" },
  },
  {
    seed: 1,
    onEvent: (e) => {
      if (e.type === "batch") trainRss = Math.max(trainRss, process.memoryUsage.rss());
    },
  },
);
await model.close();
const best = res.history.reduce((a, h) => (h.seconds < a.seconds ? h : a));
console.log(
  JSON.stringify({
    threads,
    epochs,
    bestEpochSeconds: best.seconds,
    simSeconds: best.simSeconds,
    maxRssMiB: resourceUsage().maxRSS / 1024,
    baseRssMiB: baseRss / 2 ** 20,
    trainingRssMiB: trainRss / 2 ** 20,
  }),
);
