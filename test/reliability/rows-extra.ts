import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "../../src/core/rng.ts";
import { requireAllocation } from "../../src/core/limits.ts";
import { stratifiedHoldout, stratifiedKFold } from "../../src/data/splits.ts";
import { parseMustard, loadMustard } from "../../src/datasets/mustard/dataset.ts";
import { featureMatrix, selectRows, concatColumns } from "../../src/data/feature-matrix.ts";
import { crossEntropy } from "../../src/training/losses/ce.ts";
import { bceWithLogits } from "../../src/training/losses/bce.ts";
import { mse } from "../../src/training/losses/mse.ts";
import { Adam } from "../../src/training/optim/adam.ts";
import { EarlyStopping } from "../../src/training/early-stopping.ts";
import { Linear } from "../../src/nn/linear.ts";
import { Sequential } from "../../src/nn/sequential.ts";
import { Dropout } from "../../src/nn/dropout.ts";
import { BatchNorm1d } from "../../src/nn/batch-norm.ts";
import { loadStateDict, stateDict } from "../../src/nn/state-dict.ts";
import { hqnnCircuit } from "../../src/circuits/hqnn.ts";
import { fusedAdjointExecutor } from "../../src/sim/fused/index.ts";
import { adjointExecutor } from "../../src/diff/adjoint.ts";
import { resolveQmtl } from "../../src/circuits/qmtl.ts";
import { qmtlEngine } from "../../src/sim/qmtl-structured/engine.ts";
import { buildModel } from "../../src/models/build-model.ts";
import { stronglyEntanglingOps } from "../../src/circuits/strongly-entangling.ts";
import { finiteDiffVjp } from "../../src/diff/finite-diff.ts";
import { compile, simulateSample } from "../../src/sim/simulate.ts";
import { CircuitLayer } from "../../src/models/circuit-layer.ts";
import { predictLogits } from "../../src/training/evaluate.ts";
import { SYNTH_TASKS, syntheticData } from "../helpers/synthetic.ts";
import type { LibraryRow } from "./catalogue.ts";

/** More library entry points: splits, the dataset loader, feature matrices, losses, optimisers, nn modules, memory. */
const rows: LibraryRow[] = [];
const add = (category: string, name: string, run: () => unknown, fragment: string, heavy = false): void => {
  rows.push({ name, category, run, expect: { kind: "error", fragment }, heavy });
};
const dir = mkdtempSync(join(tmpdir(), "qmtl-catalogue-extra-"));

// ---- splits
add("splits", "k-fold with k = 1", () => stratifiedKFold([0, 1, 0, 1], 1, new Rng(1)), "stratifiedKFold.k");
add(
  "splits",
  "k-fold with more folds than items",
  () => stratifiedKFold([0, 1, 0], 5, new Rng(1)),
  "stratifiedKFold",
);
add(
  "splits",
  "k-fold with NaN labels",
  () => stratifiedKFold([0, Number.NaN, 1, 0], 2, new Rng(1)),
  "stratifiedKFold",
);
add(
  "splits",
  "holdout fraction 1.5",
  () => stratifiedHoldout([0, 1, 2, 3], [0, 1, 0, 1], 1.5, new Rng(1)),
  "fraction",
);
add(
  "splits",
  "holdout fraction NaN",
  () => stratifiedHoldout([0, 1, 2, 3], [0, 1, 0, 1], Number.NaN, new Rng(1)),
  "fraction",
);

// ---- the MUStARD loader on damaged input
add("dataset", "MUStARD json: an array", () => parseMustard([]), "object");
mkdirSync(join(dir, "nomustard"), { recursive: true });
add("dataset", "MUStARD folder without files", () => loadMustard(join(dir, "nomustard")), "nomustard");
writeFileSync(join(dir, "extended_mustard.json"), "{ truncated");
add("dataset", "MUStARD folder with a truncated json", () => loadMustard(dir), "JSON");

// ---- feature matrices
add(
  "features",
  "matrix data of the wrong length",
  () => featureMatrix(2, 3, new Float64Array(5)),
  "featureMatrix.data",
);
add("features", "matrix with fractional rows", () => featureMatrix(1.5, 2), "featureMatrix.rows");
add(
  "features",
  "selecting a row past the end",
  () => selectRows(featureMatrix(2, 2), [0, 2]),
  "selectRows.indices[1]",
);
add(
  "features",
  "concatenating matrices of different heights",
  () => concatColumns(featureMatrix(2, 1), featureMatrix(3, 1)),
  "concatColumns",
);

// ---- losses and optimisers
add(
  "loss",
  "cross-entropy label out of range",
  () => crossEntropy(new Float64Array(6), [0, 3], 3),
  "crossEntropy.labels",
);
add(
  "loss",
  "cross-entropy logits of the wrong size",
  () => crossEntropy(new Float64Array(5), [0, 1], 3),
  "crossEntropy.logits",
);
add("loss", "BCE target 2", () => bceWithLogits(new Float64Array(2), [0, 2]), "bce");
add("loss", "MSE lengths differ", () => mse(new Float64Array(2), [0, 1, 2]), "mse");
add("optim", "Adam lr NaN", () => new Adam([], { lr: Number.NaN }), "lr");
add("optim", "Adam beta 1", () => new Adam([], { betas: [1, 0.999] }), "beta");
add("optim", "early stopping patience 0", () => new EarlyStopping({ patience: 0 }), "patience");

// ---- nn modules
add(
  "nn",
  "Linear input of the wrong width",
  () => new Linear(3, 2, new Rng(1)).forward(new Float64Array(4), 2, { training: false, rng: new Rng(1) }),
  "Linear",
);
add("nn", "Dropout p = 1.5", () => new Dropout(3, 1.5), "Dropout.p");
add("nn", "BatchNorm of size 0", () => new BatchNorm1d(0), "BatchNorm1d.size");
add(
  "nn",
  "Sequential of mismatched layers",
  () => new Sequential([new Linear(3, 2, new Rng(1)), new Linear(4, 1, new Rng(1))]),
  "Sequential",
);
add(
  "nn",
  "state dict with a NaN weight",
  () => {
    const m = new Linear(2, 1, new Rng(1));
    const s = stateDict(m);
    const k = Object.keys(s)[0]!;
    s[k]![0] = Number.NaN;
    return loadStateDict(m, s);
  },
  "finite",
);
add(
  "nn",
  "state dict of the wrong shape",
  () => loadStateDict(new Linear(2, 1, new Rng(1)), stateDict(new Linear(3, 1, new Rng(1)))),
  "stateDict",
);

// ---- sizes and memory
add(
  "memory",
  "requireAllocation over the limit",
  () => requireAllocation("x", 2 ** 40, 8, "a test array"),
  "memory limit",
);
add(
  "memory",
  "requireAllocation of NaN elements",
  () => requireAllocation("x", Number.NaN, 8, "a test array"),
  "memory limit",
);
add(
  "memory",
  "adjoint tape of 1e7 samples on 20 qubits",
  () => {
    const ex = adjointExecutor(hqnnCircuit({ qubits: 20, repetitions: 1 }));
    return ex.record(new Float64Array(3 * 2e6), new Float64Array(ex.nWeights), 2e6);
  },
  "memory",
  true,
);
add(
  "memory",
  "fused with 24 qubits under a 1 GiB limit",
  () => {
    const saved = process.env["QMTL_MEMORY_LIMIT_GB"];
    process.env["QMTL_MEMORY_LIMIT_GB"] = "1";
    try {
      return fusedAdjointExecutor(hqnnCircuit({ qubits: 24, repetitions: 1 }));
    } finally {
      if (saved === undefined) delete process.env["QMTL_MEMORY_LIMIT_GB"];
      else process.env["QMTL_MEMORY_LIMIT_GB"] = saved;
    }
  },
  "memory",
  true,
);
add(
  "memory",
  "QMTL_MEMORY_LIMIT_GB=abc",
  () => {
    const saved = process.env["QMTL_MEMORY_LIMIT_GB"];
    process.env["QMTL_MEMORY_LIMIT_GB"] = "abc";
    try {
      return requireAllocation("x", 1, 8, "a test array");
    } finally {
      if (saved === undefined) delete process.env["QMTL_MEMORY_LIMIT_GB"];
      else process.env["QMTL_MEMORY_LIMIT_GB"] = saved;
    }
  },
  "QMTL_MEMORY_LIMIT_GB",
);
add(
  "memory",
  "structured engine, sub-register of 12 qubits and L = 6",
  () =>
    qmtlEngine(
      resolveQmtl({
        encodingLayers: 6,
        headLayers: 1,
        tasks: [
          { name: "a", kind: "binary", qubits: 12 },
          { name: "b", kind: "binary" },
        ],
      }),
    ),
  "memory",
  true,
);
add(
  "memory",
  "model with 40 classes on the qmtl head (readout on 20 qubits)",
  () =>
    buildModel(
      {
        head: "qmtl",
        inputDim: 4,
        latentDim: 60,
        tasks: [{ name: "t", kind: "multiclass", numClasses: 40 }],
        projection: { hidden: [], activation: "tanh", dropout: 0, batchNorm: false },
        qmtl: { encodingLayers: 3, headLayers: 1 },
      },
      new Rng(1),
    ),
  "memory",
  true,
);
add(
  "memory",
  "100 classes on the qmtl head",
  () =>
    resolveQmtl({
      encodingLayers: 1,
      headLayers: 1,
      tasks: [{ name: "t", kind: "multiclass", numClasses: 100 }],
    }),
  "numClasses",
);

// ---- more entry points
const h4 = hqnnCircuit({ qubits: 4, repetitions: 1 });
add("circuit", "strongly entangling layers -1", () => stronglyEntanglingOps([0, 1], -1, 0), "layers");
add(
  "circuit",
  "strongly entangling on a repeated wire",
  () => stronglyEntanglingOps([0, 0], 1, 0),
  "distinct wires",
);
add(
  "circuit",
  "strongly entangling with no wires",
  () => stronglyEntanglingOps([], 1, 0),
  "at least one wire",
);
add(
  "diff",
  "finite differences with h = 0",
  () =>
    finiteDiffVjp(adjointExecutor(h4), new Float64Array(3), new Float64Array(4), 1, new Float64Array(4), 0),
  "h: expected",
);
add(
  "diff",
  "finite differences with h = NaN",
  () =>
    finiteDiffVjp(
      adjointExecutor(h4),
      new Float64Array(3),
      new Float64Array(4),
      1,
      new Float64Array(4),
      Number.NaN,
    ),
  "h: expected",
);
add(
  "state",
  "simulating a sample past the batch",
  () => simulateSample(compile(h4), new Float64Array(3), 1, new Float64Array(4)),
  "inputs",
);
add(
  "state",
  "simulating a NaN input angle",
  () => simulateSample(compile(h4), Float64Array.of(0, Number.NaN, 0), 0, new Float64Array(4)),
  "inputs[1]",
);
add(
  "state",
  "simulating with too few weights",
  () => simulateSample(compile(h4), new Float64Array(3), 0, new Float64Array(2)),
  "weights",
);
add(
  "model",
  "circuit layer fed the wrong width",
  () =>
    new CircuitLayer(adjointExecutor(h4), new Rng(1)).forward(new Float64Array(5), 2, {
      training: false,
      rng: new Rng(1),
    }),
  "CircuitLayer.forward x",
);
add(
  "training",
  "predictLogits in chunks of 0",
  () =>
    predictLogits(
      buildModel(
        {
          head: "classical",
          inputDim: 6,
          latentDim: 4,
          tasks: SYNTH_TASKS,
          projection: { hidden: [], activation: "tanh", dropout: 0, batchNorm: false },
        },
        new Rng(1),
      ),
      syntheticData(4, 6, 1),
      0,
    ),
  "chunk",
  true,
);

export const extraRows: readonly LibraryRow[] = rows;
