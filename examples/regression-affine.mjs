// A regression task with the affine readout: the QMTL head's <Z> lies in [-1, 1], so a regression
// target on another scale is read through a learnable y = beta + gamma * <Z> (what the paper does for
// STS-B, scores 0..5). Trained with MSE next to a binary task; compared with the plain readout.
//   node examples/regression-affine.mjs
import { buildModel, train, predictLogits, taskMetrics, stratifiedHoldout, subset, Rng } from "qmtl";

const rng = new Rng(3),
  n = 320,
  dim = 4;
const features = Float64Array.from({ length: n * dim }, () => rng.normal());
// a similarity score on 0..5 (like STS-B) and a binary task sharing the same features
const score = Float64Array.from(
  { length: n },
  (_, i) => 2.5 + 2.5 * Math.tanh(0.9 * features[i * dim] - 0.6 * features[i * dim + 1]),
);
const pos = Float64Array.from({ length: n }, (_, i) => (features[i * dim + 2] > 0 ? 1 : 0));
const data = { n, dim, features, labels: [score, pos] };
const tasks = [
  { name: "score", kind: "regression" },
  { name: "pos", kind: "binary" },
];
const { train: tr, val } = stratifiedHoldout([...Array(n).keys()], pos, 0.25, rng.fork("split"));

function fit(outputTransforms) {
  const model = buildModel(
    {
      head: "qmtl",
      inputDim: dim,
      latentDim: 6,
      tasks,
      qmtl: { encodingLayers: 3, headLayers: 1 },
      projection: { hidden: [12], activation: "tanh", dropout: 0, batchNorm: false },
      outputTransforms,
    },
    new Rng(1),
  );
  train(
    model,
    subset(data, tr),
    subset(data, val),
    {
      epochs: 25,
      batchSize: 16,
      protocol: { kind: "parallel" },
      losses: [
        { kind: "mse", weight: 1 },
        { kind: "bce", weight: 1 },
      ],
      optimizer: { kind: "adam", lr: 0.02 },
      selection: { task: "score", metric: "pearson" },
    },
    { seed: 0 },
  );
  const held = subset(data, val);
  const out = predictLogits(model, held);
  return { model, metrics: taskMetrics(model.tasks, out, model.nOutputs, held), out };
}

const affine = fit({ score: "affine" });
const plain = fit({});
const range = (m) => {
  const ys = Array.from({ length: val.length }, (_, i) => m.out[i * m.model.nOutputs]);
  return `${Math.min(...ys).toFixed(2)}..${Math.max(...ys).toFixed(2)}`;
};
for (const [name, m] of [
  ["affine", affine],
  ["plain <Z>", plain],
]) {
  const s = m.metrics.score;
  console.log(
    `${name.padEnd(9)} score: pearson ${s.pearson.toFixed(3)}  MSE ${s.mse.toFixed(3)}  predictions ${range(m)}; pos accuracy ${m.metrics.pos.accuracy.toFixed(3)}`,
  );
}
console.log(
  `head parameters: ${affine.model.counts.head} + ${affine.model.counts.extras} affine scalars (beta, gamma)`,
);
// the affine readout reaches the 0..5 scale; <Z> alone cannot leave [-1, 1]
if (!(affine.metrics.score.mse < plain.metrics.score.mse))
  throw new Error("the affine readout did not lower the MSE");
if (!(affine.metrics.score.pearson > 0.8))
  throw new Error(`pearson ${affine.metrics.score.pearson} below 0.8`);
if (affine.model.counts.extras !== 2) throw new Error("expected 2 affine scalars");
