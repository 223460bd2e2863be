import { buildModel, train, predictLogits, taskMetrics, stratifiedHoldout, subset, Rng } from "qmtl";

// your features (n x dim, row-major) and one label vector per task
const rng = new Rng(1), n = 300, dim = 8;
const features = Float64Array.from({ length: n * dim }, () => rng.normal());
const sign = Float64Array.from({ length: n }, (_, i) => (features[i * dim] > 0 ? 1 : 0));
const level = Float64Array.from({ length: n }, (_, i) => Math.max(0, Math.min(2, Math.floor(features[i * dim + 1] + 1.5))));
const data = { n, dim, features, labels: [sign, level] };
const tasks = [{ name: "sign", kind: "binary" }, { name: "level", kind: "multiclass", numClasses: 3 }];
const { train: tr, val } = stratifiedHoldout([...Array(n).keys()], sign, 0.25, rng.fork("split"));

// a QMTL head: 1 + 2 qubits, L = 3 encoding blocks, so the projection outputs Q * L = 9 angles
const model = buildModel({ head: "qmtl", inputDim: dim, latentDim: 9, tasks, qmtl: { encodingLayers: 3, headLayers: 1 },
  projection: { hidden: [16], activation: "tanh", dropout: 0, batchNorm: false } }, rng);
train(model, subset(data, tr), subset(data, val), { epochs: 15, batchSize: 16, protocol: { kind: "parallel" },
  losses: [{ kind: "bce", weight: 1 }, { kind: "ce", weight: 1 }], optimizer: { kind: "adam", lr: 0.01 },
  selection: { task: "sign", metric: "accuracy" } }, { seed: 0 });
const heldOut = subset(data, val);
console.log(JSON.stringify(taskMetrics(model.tasks, predictLogits(model, heldOut), model.nOutputs, heldOut)));
