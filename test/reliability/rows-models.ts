import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "../../src/core/rng.ts";
import { writeFileAtomic, writeJsonAtomic } from "../../src/core/atomic-file.ts";
import { buildModel } from "../../src/models/build-model.ts";
import type { ModelSpec } from "../../src/models/model-spec.ts";
import { Linear } from "../../src/nn/linear.ts";
import { train, type TrainConfig } from "../../src/training/trainer.ts";
import { loadCheckpoint, saveCheckpoint } from "../../src/training/checkpoint.ts";
import type { MultiTaskData } from "../../src/training/dataset.ts";
import { cachedFeatures, featureCachePath, type FeatureCacheKey } from "../../src/backbones/feature-cache.ts";
import { featureMatrix, type FeatureMatrix } from "../../src/data/feature-matrix.ts";
import { SYNTH_TASKS, syntheticData } from "../helpers/synthetic.ts";
import type { LibraryRow } from "./catalogue.ts";

/** Models, training arrays and settings, checkpoints, the feature cache, atomic writes: rows for the catalogue. */
const rows: LibraryRow[] = [];
const dir = mkdtempSync(join(tmpdir(), "qmtl-catalogue-models-"));
const add = (category: string, name: string, run: () => unknown, fragment: string, heavy = false): void => {
  rows.push({ name, category, run, expect: { kind: "error", fragment }, heavy });
};

// ---- models
const D = 6;
const base: ModelSpec = {
  head: "classical",
  inputDim: D,
  latentDim: 4,
  tasks: SYNTH_TASKS,
  projection: { hidden: [], activation: "tanh", dropout: 0, batchNorm: false },
};
const model = (o: Partial<ModelSpec>) => () => buildModel({ ...base, ...o } as ModelSpec, new Rng(1));
const proj = (o: Partial<ModelSpec["projection"]>) => model({ projection: { ...base.projection, ...o } });
add("model", "inputDim 0", model({ inputDim: 0 }), "model.inputDim");
add("model", "latentDim 1.5", model({ latentDim: 1.5 }), "model.latentDim");
add("model", "unknown head", model({ head: "quantum" as "qmtl" }), "model.head");
add("model", "qmtl head without settings", model({ head: "qmtl" }), "model.qmtl");
add(
  "model",
  "qmtl latentDim not Q*L",
  model({ head: "qmtl", latentDim: 10, qmtl: { encodingLayers: 3, headLayers: 1 } }),
  "latentDim",
);
add("model", "hqnn head without settings", model({ head: "hqnn" }), "model.hqnn");
add("model", "hqnn 30 qubits", model({ head: "hqnn", hqnn: { qubits: 30 } }), "hqnn.qubits");
add(
  "model",
  "hqnn precision half",
  model({ head: "hqnn", hqnn: { qubits: 2, precision: "half" as "float32" } }),
  "precision",
);
add("model", "threads 0", () => buildModel(base, new Rng(1), { threads: 0 }), "threads");
add(
  "model",
  "multiclass without numClasses",
  model({ tasks: [{ name: "t", kind: "multiclass" }] }),
  "numClasses",
);
add(
  "model",
  "multiclass numClasses 1e6 (classical)",
  model({ tasks: [{ name: "t", kind: "multiclass", numClasses: 1e6 }] }),
  "numClasses",
  true,
);
add(
  "model",
  "multiclass numClasses 1e6 (qmtl)",
  model({
    head: "qmtl",
    latentDim: 3,
    tasks: [{ name: "t", kind: "multiclass", numClasses: 1e6 }],
    qmtl: { encodingLayers: 1, headLayers: 1 },
  }),
  "numClasses",
  true,
);
add("model", "unknown task kind", model({ tasks: [{ name: "t", kind: "ranking" as "binary" }] }), "kind");
add(
  "model",
  "duplicate task names",
  model({
    tasks: [
      { name: "t", kind: "binary" },
      { name: "t", kind: "regression" },
    ],
  }),
  "unique",
);
add("model", "no tasks", model({ tasks: [] }), "tasks");
add("model", "projection activation gelu", proj({ activation: "gelu" as "relu" }), "activation");
add("model", "projection dropout 1.5", proj({ hidden: [4], dropout: 1.5 }), "dropout");
add("model", "projection hidden width 0", proj({ hidden: [0] }), "hidden[0]");
add(
  "model",
  "outputTransforms for an unknown task",
  model({ outputTransforms: { nope: "affine" } }),
  "outputTransforms",
);
add(
  "model",
  "outputTransforms value log",
  model({ outputTransforms: { bin: "log" as "affine" } }),
  "outputTransforms",
);
add("model", "inputDim 1e9 (8 TB of weights)", model({ inputDim: 1e9, latentDim: 1000 }), "memory", true);
add("model", "Linear(2^31, 4)", () => new Linear(2 ** 31, 4, new Rng(1)), "memory", true);

// ---- training arrays and settings
const data = syntheticData(24, D, 1),
  val = syntheticData(12, D, 2);
const cfg: TrainConfig = {
  epochs: 2,
  batchSize: 8,
  protocol: { kind: "masked" },
  losses: [
    { kind: "bce", weight: 1 },
    { kind: "ce", weight: 1 },
    { kind: "mse", weight: 1 },
  ],
  optimizer: { kind: "adam", lr: 0.01 },
  selection: { task: "bin", metric: "accuracy" },
};
const trainWith =
  (c: Partial<TrainConfig>, d: MultiTaskData = data, v: MultiTaskData = val) =>
  () =>
    train(buildModel(base, new Rng(1)), d, v, { ...cfg, ...c }, { seed: 1 });
const withFeature = (i: number, x: number): MultiTaskData => {
  const f = data.features.slice();
  f[i] = x;
  return { ...data, features: f };
};
const withLabel = (task: number, i: number, y: number): MultiTaskData => ({
  ...data,
  labels: data.labels.map((l, k) => (k === task ? Float64Array.from(l, (v, j) => (j === i ? y : v)) : l)),
});
add("training", "epochs 0", trainWith({ epochs: 0 }), "train.epochs");
add("training", "batchSize 0", trainWith({ batchSize: 0 }), "train.batchSize");
add("training", "NaN feature", trainWith({}, withFeature(5, Number.NaN)), "train data.features[5]");
add(
  "training",
  "features shorter than n*dim",
  trainWith({}, { ...data, features: data.features.subarray(1) }),
  "features",
);
add(
  "training",
  "labels of the wrong length",
  trainWith({}, { ...data, labels: [data.labels[0]!.subarray(1), data.labels[1]!, data.labels[2]!] }),
  "labels[bin]",
);
add("training", "class label 5 for a 3-class task", trainWith({}, withLabel(1, 0, 5)), "labels[tri][0]");
add("training", "regression target Infinity", trainWith({}, withLabel(2, 0, Infinity)), "labels[reg][0]");
add(
  "training",
  "one loss for three tasks",
  trainWith({ losses: [{ kind: "bce", weight: 1 }] }),
  "train.losses",
);
add(
  "training",
  "mse for a binary task",
  trainWith({
    losses: [
      { kind: "mse", weight: 1 },
      { kind: "ce", weight: 1 },
      { kind: "mse", weight: 1 },
    ],
  }),
  "train.losses[bin]",
);
add("training", "NaN learning rate", trainWith({ optimizer: { kind: "adam", lr: Number.NaN } }), "lr");
add("training", "negative learning rate", trainWith({ optimizer: { kind: "adam", lr: -0.1 } }), "lr");
add(
  "training",
  "unknown optimizer",
  trainWith({ optimizer: { kind: "sgd" as "adam", lr: 0.1 } }),
  "optimizer",
);
add(
  "training",
  "NaN weight decay",
  trainWith({ optimizer: { kind: "adamw", lr: 0.1, weightDecay: Number.NaN } }),
  "weightDecay",
);
add("training", "negative clipNorm", trainWith({ clipNorm: -1 }), "clipNorm");
add(
  "training",
  "NaN task loss weight",
  trainWith({
    losses: [
      { kind: "bce", weight: Number.NaN },
      { kind: "ce", weight: 1 },
      { kind: "mse", weight: 1 },
    ],
  }),
  "weight",
);
add(
  "training",
  "unknown selection task",
  trainWith({ selection: { task: "nope", metric: "accuracy" } }),
  "train.selection",
);
add("training", "validateEvery -1", trainWith({ validateEvery: { updates: -1 } }), "validateEvery");
add("training", "early stopping patience -1", trainWith({ earlyStopping: { patience: -1 } }), "patience");
add("training", "unknown protocol", trainWith({ protocol: { kind: "round-robin" as "masked" } }), "protocol");
add(
  "training",
  "regression targets of 1e200 (loss becomes Infinity)",
  trainWith({}, withLabel(2, 0, 1e200)),
  "epoch 1",
);
add(
  "training",
  "features of 1e155 (loss becomes non-finite)",
  trainWith({}, { ...data, features: data.features.map((x) => x * 1e155) }),
  "not finite",
);

// ---- checkpoints
const ckptOf = (): string => {
  const p = join(dir, `ck-${rows.length}.json`);
  train(buildModel(base, new Rng(1)), data, val, { ...cfg, epochs: 1 }, { seed: 1, checkpointPath: p });
  return p;
};
let goodCkpt: string | null = null;
const ckptText = (): string => readFileSync((goodCkpt ??= ckptOf()), "utf8");
const damaged = (name: string, edit: (text: string) => string) => () => {
  const p = join(dir, name);
  writeFileSync(p, edit(ckptText()));
  return loadCheckpoint(p);
};
const editJson = (f: (j: Record<string, unknown>) => void) => (t: string) => {
  const j = JSON.parse(t) as Record<string, unknown>;
  f(j);
  return JSON.stringify(j);
};
add(
  "checkpoint",
  "truncated",
  damaged("c1.json", (t) => t.slice(0, t.length / 2)),
  "checkpoint",
);
add(
  "checkpoint",
  "0-byte file",
  damaged("c2.json", () => ""),
  "checkpoint",
);
add(
  "checkpoint",
  "a JSON array",
  damaged("c3.json", () => "[]"),
  "qmtl checkpoint",
);
add(
  "checkpoint",
  "version 3",
  damaged(
    "c4.json",
    editJson((j) => {
      j["version"] = 3;
    }),
  ),
  "version",
);
add(
  "checkpoint",
  "epoch as a string",
  damaged(
    "c5.json",
    editJson((j) => {
      j["epoch"] = "1";
    }),
  ),
  "epoch",
);
add(
  "checkpoint",
  "model null",
  damaged(
    "c6.json",
    editJson((j) => {
      j["model"] = null;
    }),
  ),
  "model",
);
add(
  "checkpoint",
  "hand-edited best score",
  damaged(
    "c7.json",
    editJson((j) => {
      (j["best"] as { score: number }).score = 0.99;
    }),
  ),
  "edited",
);
add(
  "checkpoint",
  "hand-edited epoch count",
  damaged(
    "c8.json",
    editJson((j) => {
      j["epoch"] = 1000;
    }),
  ),
  "edited",
);
add(
  "checkpoint",
  "history not a list",
  damaged(
    "c9.json",
    editJson((j) => {
      j["history"] = 5;
    }),
  ),
  "history",
);
add(
  "checkpoint",
  "optimizer missing",
  damaged(
    "c10.json",
    editJson((j) => {
      delete j["optimizer"];
    }),
  ),
  "optimizer",
);
add(
  "checkpoint",
  "one byte flipped in a weight",
  damaged("c11.json", (t) =>
    t.replace(/(\d)(\d)(,)/, (_m, a: string, b: string, c: string) => `${a}${b === "9" ? "8" : "9"}${c}`),
  ),
  "edited",
);
add(
  "checkpoint",
  "a directory in its place",
  () => {
    const p = join(dir, "cdir.json");
    mkdirSync(p, { recursive: true });
    return loadCheckpoint(p);
  },
  "cdir.json",
);
add(
  "checkpoint",
  "from another model (shapes differ)",
  () => {
    const p = join(dir, "other.json");
    writeFileSync(p, ckptText());
    return train(
      buildModel({ ...base, latentDim: 5 }, new Rng(1)),
      data,
      val,
      { ...cfg, epochs: 2 },
      { seed: 1, checkpointPath: p },
    );
  },
  "stateDict",
);
add(
  "checkpoint",
  "saving under a file (not a folder)",
  () =>
    saveCheckpoint(
      join(dir, "c1.json", "ck.json"),
      JSON.parse(ckptText()) as Parameters<typeof saveCheckpoint>[1],
    ),
  "c1.json",
);

// ---- atomic writes
writeFileSync(join(dir, "plainfile"), "x");
add(
  "core",
  "atomic write under a file",
  () => writeFileAtomic(join(dir, "plainfile", "out.json"), "{}"),
  "plainfile",
);
add(
  "core",
  "atomic write into /proc",
  () => writeJsonAtomic("/proc/qmtl-test/out.json", {}),
  "/proc/qmtl-test/out.json",
);
add("core", "atomic write onto a directory", () => writeFileAtomic(dir, "x"), dir);
add("core", "Rng seed NaN", () => new Rng(Number.NaN), "seed");
add("core", "Rng seed from 'abc'", () => new Rng(Number("abc")), "seed");

// ---- the feature cache: a bad cache is a warning, the run goes on; a damaged entry is recomputed
const key: FeatureCacheKey = { backbone: "test", modelId: "m1", recipe: "r", texts: ["x", "y"] };
const matrix = (): FeatureMatrix => featureMatrix(2, 2, Float64Array.from([1, 2, 3, 4]));
const warned = (v: unknown, warnings: string[], recomputed: boolean): string | null => {
  const r = v as { matrix: FeatureMatrix; fromCache: boolean };
  if (!r || r.matrix.data[3] !== 4) return "did not return the features";
  if (warnings.length === 0) return "no warning";
  if (recomputed && r.fromCache) return "used a damaged entry";
  return null;
};
const cacheRow = (name: string, fragment: string, prepare: (cacheDir: string) => string) => {
  rows.push({
    name,
    category: "cache",
    expect: {
      kind: "ok",
      fragment,
      check: () => null,
    },
    run: async () => {
      const cacheDir = mkdtempSync(join(dir, "cache-"));
      const used = prepare(cacheDir);
      const warnings: string[] = [];
      const v = await cachedFeatures(key, async () => matrix(), {
        cacheDir: used,
        warn: (m) => warnings.push(m),
      });
      const wrong = warned(v, warnings, true);
      if (wrong !== null) throw new Error(`cache row: ${wrong}`);
      if (!warnings.some((w) => w.includes(fragment)))
        throw new Error(`cache row: warning without ${fragment}: ${warnings.join(" | ")}`);
      return v;
    },
  });
};
const seeded = (cacheDir: string, edit: (b: Buffer) => Buffer): string => {
  const p = featureCachePath(cacheDir, key);
  writeFileAtomic(p, edit(Buffer.from("QMTLFC01\u0002\u0000\u0000\u0000{}", "latin1")));
  return cacheDir;
};
cacheRow("cache: bad magic", "bad magic", (d) => seeded(d, () => Buffer.from("garbage!garbage!")));
cacheRow("cache: truncated header", "truncated", (d) =>
  seeded(d, () => Buffer.from("QMTLFC01\u00ff\u0000\u0000\u0000{", "latin1")),
);
cacheRow("cache: header not JSON", "not JSON", (d) =>
  seeded(d, () => Buffer.from("QMTLFC01\u0002\u0000\u0000\u0000{x", "latin1")),
);
cacheRow("cache: empty file", "bad magic", (d) => seeded(d, () => Buffer.alloc(0)));
cacheRow("cache: cache folder is a file", "cannot write", (d) => {
  const f = join(d, "file");
  writeFileSync(f, "x");
  return f;
});
cacheRow("cache: cache folder unwritable (/proc)", "cannot write", () => "/proc/qmtl-cache");
cacheRow("cache: entry is a directory", "cannot write", (d) => {
  mkdirSync(featureCachePath(d, key), { recursive: true });
  return d;
});
add(
  "cache",
  "computed features with NaN",
  async () =>
    cachedFeatures(key, async () => featureMatrix(1, 2, Float64Array.of(1, Number.NaN)), {
      cacheDir: mkdtempSync(join(dir, "cache-")),
      warn: () => {},
    }),
  "finite",
);

export const modelRows: readonly LibraryRow[] = rows;
