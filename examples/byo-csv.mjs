// Bring your own features: multi-task classification from a CSV, from code.
// Writes a CSV (as your own export would be), reads it back, trains a QMTL head with three tasks
// (binary, 3-class, binary) on a stratified train / validation / test split, reports test metrics,
// saves the trained head and checks that the saved file predicts the same.
//   node examples/byo-csv.mjs [folder]     (default: a temporary folder, removed afterwards)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildModel,
  train,
  predictLogits,
  taskMetrics,
  stratifiedHoldout,
  subset,
  savedModel,
  saveModelFile,
  readModelFile,
  loadModel,
  Rng,
} from "qmtl";

const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), "qmtl-byo-"));
const csv = join(dir, "features.csv");

// 1. a CSV with 6 feature columns and three label columns (stand-in for your own export)
const rng = new Rng(11),
  n = 360,
  dim = 6;
const rows = ["f1,f2,f3,f4,f5,f6,urgent,topic,spam"];
for (let i = 0; i < n; i++) {
  const x = Array.from({ length: dim }, () => rng.normal());
  const urgent = x[0] + 0.5 * x[1] > 0 ? "yes" : "no";
  const topic = ["billing", "tech", "other"][x[2] > 0.5 ? 0 : x[2] < -0.5 ? 1 : 2];
  const spam = x[3] - x[4] > 0.3 ? 1 : 0;
  rows.push([...x.map((v) => v.toFixed(5)), urgent, topic, spam].join(","));
}
writeFileSync(csv, rows.join("\n") + "\n");

// 2. read it: features row-major, one label vector per task (class indices)
const [header, ...lines] = readFileSync(csv, "utf8")
  .trim()
  .split("\n")
  .map((l) => l.split(","));
const col = (name) => header.indexOf(name);
const features = Float64Array.from(lines.flatMap((c) => c.slice(0, dim).map(Number)));
const classes = { urgent: ["no", "yes"], topic: ["billing", "tech", "other"], spam: ["0", "1"] };
const labels = Object.entries(classes).map(([task, names]) =>
  Float64Array.from(lines, (c) => names.indexOf(c[col(task)])),
);
const data = { n: lines.length, dim, features, labels };
const tasks = [
  { name: "urgent", kind: "binary" },
  { name: "topic", kind: "multiclass", numClasses: 3 },
  { name: "spam", kind: "binary" },
];

// 3. split: 20 % test, then 15 % of the rest for checkpoint selection (stratified by the first task)
const split = new Rng(0);
const all = [...Array(data.n).keys()];
const { train: rest, val: test } = stratifiedHoldout(all, labels[0], 0.2, split.fork("test"));
const { train: tr, val } = stratifiedHoldout(rest, labels[0], 0.15, split.fork("val"));

// 4. standardise with the training part's statistics (what the CLI does with standardize: true)
const mean = new Array(dim).fill(0),
  std = new Array(dim).fill(0);
for (const i of tr) for (let j = 0; j < dim; j++) mean[j] += features[i * dim + j] / tr.length;
for (const i of tr)
  for (let j = 0; j < dim; j++) std[j] += (features[i * dim + j] - mean[j]) ** 2 / tr.length;
for (let j = 0; j < dim; j++) std[j] = Math.sqrt(std[j]) || 1;
for (let i = 0; i < data.n; i++)
  for (let j = 0; j < dim; j++) features[i * dim + j] = (features[i * dim + j] - mean[j]) / std[j];

// 5. QMTL head: 1 + 2 + 1 = 4 qubits, 3 encoding blocks -> the projection outputs 12 angles
const model = buildModel(
  {
    head: "qmtl",
    inputDim: dim,
    latentDim: 12,
    tasks,
    qmtl: { encodingLayers: 3, headLayers: 1 },
    projection: { hidden: [16], activation: "tanh", dropout: 0, batchNorm: false },
  },
  new Rng(1),
);
const result = train(
  model,
  subset(data, tr),
  subset(data, val),
  {
    epochs: 25,
    batchSize: 16,
    protocol: { kind: "parallel" },
    losses: [
      { kind: "bce", weight: 1 },
      { kind: "ce", weight: 1 },
      { kind: "bce", weight: 1 },
    ],
    optimizer: { kind: "adam", lr: 0.02 },
    selection: { macro: { urgent: "accuracy", topic: "accuracy", spam: "accuracy" } },
  },
  { seed: 0 },
);

const held = subset(data, test);
const logits = predictLogits(model, held);
const metrics = taskMetrics(model.tasks, logits, model.nOutputs, held);
console.log(`best epoch ${result.bestEpoch} of 25; test (${test.length} rows):`);
for (const t of tasks)
  console.log(
    `  ${t.name.padEnd(7)} accuracy ${metrics[t.name].accuracy.toFixed(3)}  macro-F1 ${metrics[t.name].f1_macro.toFixed(3)}`,
  );

// 6. save the trained head with its standardisation; the reloaded head gives the same logits
const file = join(dir, "head.json");
saveModelFile(file, savedModel(model, { mean, std }, { note: "examples/byo-csv.mjs" }));
const again = predictLogits(loadModel(readModelFile(file)), held);
if (again.some((v, k) => v !== logits[k])) throw new Error("the saved head predicts differently");
console.log(`saved ${file} (${model.nOutputs} outputs, reloads to identical logits)`);
if (metrics.urgent.accuracy < 0.75)
  throw new Error(`urgent accuracy ${metrics.urgent.accuracy} is below 0.75: training did not learn`);
if (process.argv[2] === undefined) rmSync(dir, { recursive: true, force: true });
