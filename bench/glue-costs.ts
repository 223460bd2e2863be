/**
 * GLUE training costs (npx tsx bench/glue-costs.ts): writes bench/results-glue-costs.json.
 *  1. One task-sampled update (forward, backward, clipping, AdamW) of each GLUE head on the default
 *     inputs: 2048 features (USE-lite pair features, Eq. 22), projection to d = 18, six tasks, batch 128,
 *     one thread; and one validation pass over the six dev sets (4,171 rows). From these, the time of one
 *     epoch (466 updates + the validations that fall in it) per head.
 *  2. The paper's BiLSTM (two layers, bidirectional, 384 per direction, over 128 BERT token states of
 *     768) is not built: its cost per training step is estimated from its multiply-adds and the measured
 *     rate of the same-shaped gate matmul ([128*128, 1152] x [1152, 1536]) on TensorFlow.js' wasm
 *     backend (what this project can run); backward counted as 2x forward.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadavg } from "node:os";
import { Rng } from "../src/core/rng.ts";
import { buildModel } from "../src/models/build-model.ts";
import { zeroGrads } from "../src/nn/param.ts";
import { multiTaskObjective } from "../src/training/objective.ts";
import { AdamW } from "../src/training/optim/adam.ts";
import { clipGradNorm } from "../src/training/optim/clip.ts";
import { layoutTasks, type TaskDef } from "../src/models/task-info.ts";
import { glueConfigSchema } from "../src/datasets/glue/config.ts";
import { glueHeadPlans } from "../src/datasets/glue/heads.ts";
import { MISSING, type MultiTaskData } from "../src/training/dataset.ts";

const TASKS: TaskDef[] = ["CoLA", "SST-2", "MRPC", "STS-B", "RTE", "WNLI"].map((name) =>
  name === "STS-B" ? { name, kind: "regression" } : { name, kind: "binary" },
);
const D = 2048,
  B = 128;
const rng = new Rng(1);
const n = 4 * B;
const data: MultiTaskData = {
  n,
  dim: D,
  features: Float64Array.from({ length: n * D }, () => rng.normal() * 0.05),
  labels: TASKS.map((t, k) =>
    Float64Array.from({ length: n }, (_, i) =>
      i % TASKS.length !== k
        ? t.kind === "regression"
          ? Number.NaN
          : MISSING
        : t.kind === "regression"
          ? rng.uniform()
          : rng.int(2),
    ),
  ),
};
const train = Array.from({ length: n }, (_, i) => i);
const plans = glueHeadPlans(glueConfigSchema.parse({}), TASKS, data, train);
const infos = layoutTasks(TASKS);
const rows: Record<string, unknown>[] = [];
for (const plan of plans) {
  const m = buildModel(plan.model, new Rng(0));
  const opt = new AdamW(m.net.params(), { lr: 5e-4, weightDecay: 0.01 });
  const x = data.features.slice(0, B * D);
  const labels = data.labels.map((y) => y.slice(0, B).map((v, i) => (i === 0 && Number.isNaN(v) ? v : v)));
  const step = (): void => {
    zeroGrads(m.net.params());
    const logits = m.net.forward(x, B, { training: true, rng });
    const obj = multiTaskObjective(infos, plan.train.losses, logits, B, m.nOutputs, labels, 1);
    m.net.backward(obj.grad, false);
    clipGradNorm(m.net.params(), 1);
    opt.step();
  };
  for (let i = 0; i < 3; i++) step();
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) step();
    best = Math.min(best, (performance.now() - t0) / 10);
  }
  const valRows = 4171,
    chunk = 256;
  const vx = new Float64Array(chunk * D).map((_, i) => data.features[i % data.features.length]!);
  const tv = performance.now();
  for (let s = 0; s < valRows; s += chunk)
    m.net.forward(vx.slice(0, Math.min(chunk, valRows - s) * D), Math.min(chunk, valRows - s), {
      training: false,
      rng,
    });
  const valMs = performance.now() - tv;
  const epochSeconds = (466 * best + valMs * (466 / 682)) / 1000;
  rows.push({ head: plan.id, msPerUpdate: best, validationMs: valMs, epochSeconds, load1: loadavg()[0] });
  console.log(
    `${plan.id}: ${best.toFixed(1)} ms per update, validation ${valMs.toFixed(0)} ms, ~${epochSeconds.toFixed(1)} s per epoch`,
  );
  await m.close();
}

// BiLSTM estimate from the measured gate-matmul rate on tfjs wasm
const tf = await import("@tensorflow/tfjs");
const { useTfBackend } = await import("../src/backbones/tfjs-runtime.ts");
const backend = await useTfBackend("wasm", () => {});
const M = 128 * 128,
  K = 768 + 384,
  N = 4 * 384;
const a = tf.randomNormal([M, K]),
  w = tf.randomNormal([K, N]);
for (let i = 0; i < 2; i++) {
  const c = tf.matMul(a, w);
  c.dataSync();
  c.dispose();
}
let bestMm = Infinity;
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const c = tf.matMul(a, w);
  c.dataSync();
  c.dispose();
  bestMm = Math.min(bestMm, (performance.now() - t0) / 1000);
}
const gflops = (2 * M * K * N) / bestMm / 1e9;
// per layer and direction: gates over (input + hidden) for every token; 2 layers x 2 directions; backward ~2x forward
const forwardMacs = 2 * 2 * M * K * N;
const stepSeconds = (3 * 2 * forwardMacs) / (gflops * 1e9);
const bilstm = {
  backend,
  gateMatmulSeconds: bestMm,
  gflops,
  forwardGMacs: forwardMacs / 1e9,
  stepSecondsEstimate: stepSeconds,
  epochHoursEstimate: (466 * stepSeconds) / 3600,
};
console.log(
  `BiLSTM: gate matmul ${gflops.toFixed(1)} GFLOP/s on ${backend}; one training step ~${stepSeconds.toFixed(0)} s; one six-task epoch (466 steps) ~${bilstm.epochHoursEstimate.toFixed(1)} h`,
);
writeFileSync(
  join(import.meta.dirname, "results-glue-costs.json"),
  JSON.stringify({ bench: "glue-costs", date: new Date().toISOString(), heads: rows, bilstm }, null, 2) +
    "\n",
);
