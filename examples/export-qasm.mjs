// Train a QMTL head on the structured engine, then export the trained head to OpenQASM 3.
// The exported program, parsed back and simulated gate by gate, gives the model's own logits.
//   node examples/export-qasm.mjs [out.qasm]
import { writeFileSync } from "node:fs";
import {
  buildModel,
  train,
  predictLogits,
  subset,
  stratifiedHoldout,
  headOfModel,
  qmtlCircuit,
  circuitToQasm,
  parseQasm,
  expectationsHw,
  toQiskitPauli,
  Rng,
} from "qmtl";

// a small two-task problem: a binary task and a 3-class task on 5 features
const rng = new Rng(5),
  n = 240,
  dim = 5;
const features = Float64Array.from({ length: n * dim }, () => rng.normal());
const a = Float64Array.from({ length: n }, (_, i) => (features[i * dim] * features[i * dim + 1] > 0 ? 1 : 0));
const b = Float64Array.from({ length: n }, (_, i) =>
  Math.max(0, Math.min(2, Math.floor(features[i * dim + 2] + 1.5))),
);
const data = { n, dim, features, labels: [a, b] };
const tasks = [
  { name: "a", kind: "binary" },
  { name: "b", kind: "multiclass", numClasses: 3 },
];
const { train: tr, val } = stratifiedHoldout([...Array(n).keys()], a, 0.25, rng.fork("split"));

// 1 + 2 = 3 qubits, L = 3: the model runs its head on the structured QMTL engine
const model = buildModel(
  {
    head: "qmtl",
    inputDim: dim,
    latentDim: 9,
    tasks,
    qmtl: { encodingLayers: 3, headLayers: 1 },
    projection: { hidden: [12], activation: "tanh", dropout: 0, batchNorm: false },
  },
  rng.fork("model"),
);
console.log(`simulator: ${model.circuits[0].executor?.name ?? "structured QMTL engine"}`);
train(
  model,
  subset(data, tr),
  subset(data, val),
  {
    epochs: 10,
    batchSize: 16,
    protocol: { kind: "parallel" },
    losses: [
      { kind: "bce", weight: 1 },
      { kind: "ce", weight: 1 },
    ],
    optimizer: { kind: "adam", lr: 0.02 },
    selection: { task: "a", metric: "accuracy" },
  },
  { seed: 0 },
);

// the trained head: its layout and weights; the head's input angles for one sample come from the projection
const { layout, weights } = headOfModel(model);
const circuit = qmtlCircuit(layout);
const x0 = features.slice(0, dim);
const angles = model.projection.forward(x0, 1, { training: false, rng: new Rng(0) });

// OpenQASM 3: parametric (inputs in_*, weights w_* as `input float[64]`) and bound to sample 0
const parametric = circuitToQasm(circuit, { version: 3 });
const bound = circuitToQasm(circuit, { version: 3, inputs: angles, weights });
if (process.argv[2]) writeFileSync(process.argv[2], parametric);
console.log(
  `OpenQASM 3: ${layout.Q} qubits, ${parseQasm(parametric).paramNames.length} parameters (${layout.nInputs} inputs + ${layout.nWeights} weights)`,
);
console.log(bound.split("\n").slice(0, 8).join("\n") + "\n...");

// check: the bound program, parsed and simulated gate by gate, equals the model's logits for sample 0
const parsed = parseQasm(bound);
const values = expectationsHw({ ...parsed.circuit, observables: circuit.observables }, []);
const logits = predictLogits(model, subset(data, [0]));
const diff = Math.max(...Array.from(values, (v, k) => Math.abs(v - logits[k])));
console.log(
  `observables for Qiskit's Estimator: ${circuit.observables.map((w) => toQiskitPauli(w, layout.Q)).join(", ")}`,
);
console.log(`exported circuit vs the model: largest difference ${diff.toExponential(1)}`);
if (!(diff < 1e-10)) throw new Error(`the exported circuit differs from the model by ${diff}`);
