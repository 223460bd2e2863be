/**
 * Times the USE-lite embedding of all MUStARD texts and runs a linear probe
 * (softmax regression, full-batch gradient descent) on the official 5 folds.
 * Run: npx tsx bench/mustard-text-probe.ts [--all]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildMustardTextFeatures } from "../src/datasets/mustard/features.ts";
import { loadMustard, taskLabels } from "../src/datasets/mustard/dataset.ts";
import { loadMustardSplits } from "../src/datasets/mustard/splits.ts";
import type { FeatureMatrix } from "../src/data/feature-matrix.ts";

const ds = loadMustard();
const splits = loadMustardSplits(ds);
const cacheDir = mkdtempSync(join(tmpdir(), "qmtl-probe-"));

async function features(backbone: "use" | "glove"): Promise<FeatureMatrix> {
  const t0 = performance.now();
  let last = 0;
  const f = await buildMustardTextFeatures(ds, {
    backbone,
    cacheDir,
    onProgress: (d, t) => {
      if (d - last >= 276 || d === t) {
        last = d;
        console.log(`  ${backbone} ${d}/${t} ${((performance.now() - t0) / 1000).toFixed(1)}s`);
      }
    },
  });
  const s = (performance.now() - t0) / 1000;
  console.log(
    `${backbone}: ${f.matrix.rows}x${f.matrix.cols} in ${s.toFixed(1)} s = ${((2 * ds.items.length) / s).toFixed(1)} texts/s (incl. model load), modelId ${f.modelId}`,
  );
  const t1 = performance.now();
  const again = await buildMustardTextFeatures(ds, { backbone, cacheDir });
  console.log(`  cache hit: ${again.fromCache} in ${((performance.now() - t1) / 1000).toFixed(2)} s`);
  return f.matrix;
}

function probe(
  X: FeatureMatrix,
  y: Int32Array,
  K: number,
  train: readonly number[],
  test: readonly number[],
) {
  const d = X.cols;
  // standardise with training statistics
  const mu = new Float64Array(d),
    sd = new Float64Array(d);
  for (const i of train) for (let j = 0; j < d; j++) mu[j] += X.data[i * d + j] / train.length;
  for (const i of train) for (let j = 0; j < d; j++) sd[j] += (X.data[i * d + j] - mu[j]) ** 2 / train.length;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]) + 1e-8;
  const z = (i: number, j: number) => (X.data[i * d + j] - mu[j]) / sd[j];
  const Z = (idx: readonly number[]) => idx.map((i) => Float64Array.from({ length: d }, (_, j) => z(i, j)));
  const Ztr = Z(train),
    Zte = Z(test);
  const W = new Float64Array(K * d),
    b = new Float64Array(K);
  const lr = 0.05,
    l2 = 1e-2,
    iters = 300;
  const logits = (x: Float64Array) =>
    Array.from({ length: K }, (_, k) => {
      let s = b[k];
      for (let j = 0; j < d; j++) s += W[k * d + j] * x[j];
      return s;
    });
  for (let it = 0; it < iters; it++) {
    const gW = new Float64Array(K * d),
      gb = new Float64Array(K);
    Ztr.forEach((x, n) => {
      const l = logits(x);
      const m = Math.max(...l);
      const e = l.map((v) => Math.exp(v - m));
      const s = e.reduce((a, c) => a + c, 0);
      for (let k = 0; k < K; k++) {
        const g = e[k] / s - (y[train[n]] === k ? 1 : 0);
        gb[k] += g;
        for (let j = 0; j < d; j++) gW[k * d + j] += g * x[j];
      }
    });
    for (let k = 0; k < K; k++) {
      b[k] -= (lr * gb[k]) / train.length;
      for (let j = 0; j < d; j++) W[k * d + j] -= lr * (gW[k * d + j] / train.length + l2 * W[k * d + j]);
    }
  }
  const pred = Zte.map((x) => {
    const l = logits(x);
    return l.indexOf(Math.max(...l));
  });
  const truth = test.map((i) => y[i]);
  const acc = pred.filter((p, n) => p === truth[n]).length / test.length;
  let f1sum = 0,
    present = 0;
  for (let k = 0; k < K; k++) {
    const tp = pred.filter((p, n) => p === k && truth[n] === k).length;
    const fp = pred.filter((p, n) => p === k && truth[n] !== k).length;
    const fn = pred.filter((p, n) => p !== k && truth[n] === k).length;
    if (tp + fn === 0 && fp === 0) continue; // class absent from test and never predicted
    present++;
    f1sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return { acc, f1: f1sum / present };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const fmt = (xs: number[]) => `${(100 * mean(xs)).toFixed(1)} ± ${(100 * std(xs)).toFixed(1)}`;

const feats = { use: await features("use"), glove: await features("glove") };
const tasks = process.argv.includes("--all") ? ds.tasks : ds.tasks.filter((t) => t.name === "sarcasm");
for (const t of tasks) {
  const y = taskLabels(ds, t.name);
  const counts = new Array(t.numClasses).fill(0);
  y.forEach((v) => counts[v]++);
  const majority = Math.max(...counts) / y.length;
  for (const [name, X] of Object.entries(feats)) {
    for (const part of ["both", "utterance"] as const) {
      const M =
        part === "both"
          ? X
          : {
              rows: X.rows,
              cols: X.cols / 2,
              data: Float64Array.from(
                { length: (X.rows * X.cols) / 2 },
                (_, i) => X.data[Math.floor(i / (X.cols / 2)) * X.cols + (i % (X.cols / 2))],
              ),
            };
      const r = splits.speakerDependent.map((f) => probe(M, y, t.numClasses, f.train, f.test));
      console.log(
        `${t.name.padEnd(19)} ${name.padEnd(5)} ${part.padEnd(9)} acc ${fmt(r.map((x) => x.acc))}  macroF1 ${fmt(r.map((x) => x.f1))}  (majority acc ${(100 * majority).toFixed(1)})`,
      );
    }
  }
}
