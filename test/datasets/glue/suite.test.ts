import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/core/errors.ts";
import { Rng } from "../../../src/core/rng.ts";
import { buildModel } from "../../../src/models/build-model.ts";
import { MISSING } from "../../../src/training/dataset.ts";
import type { SuiteInputs } from "../../../src/experiments/suite.ts";
import { defaultBertVocabPath } from "../../../src/backbones/wordpiece.ts";
import { glueSuite } from "../../../src/datasets/glue/index.ts";
import { glueConfigSchema } from "../../../src/datasets/glue/config.ts";
import { glueRows } from "../../../src/datasets/glue/features.ts";
import { PAPER_UPDATES_PER_EPOCH, validateEveryFor } from "../../../src/datasets/glue/heads.ts";
import { loadGlue } from "../../../src/datasets/glue/load.ts";
import { tinyBertWeights, writeTinyBertOnnx } from "../../backbones/tiny-bert-onnx.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "glue", "glue_data");

describe("the GLUE config", () => {
  it("defaults to the paper's Appendix C.1 settings", () => {
    const c = glueConfigSchema.parse({});
    expect([
      c.epochs,
      c.batchSize,
      c.lr,
      c.weightDecay,
      c.clipNorm,
      c.batchCap,
      c.earlyStoppingPatience,
    ]).toEqual([15, 128, 5e-4, 0.01, 1, 300, 5]);
    expect(c.plateau).toEqual({ factor: 0.2, minLr: 1e-7, patience: 2 });
    expect(c.seeds).toEqual([0, 1, 2, 3, 4]);
    expect(c.heads).toEqual(["classical", "qmtl", "hqnn-4", "hqnn-10"]);
    expect(c.validateEvery).toBe("auto");
    expect(c.standardize).toBe(false);
  });
  it("rejects unknown keys and tasks, and bert-onnx without a folder", () => {
    expect(() => glueConfigSchema.parse({ nope: 1 })).toThrow();
    expect(() => glueConfigSchema.parse({ tasks: ["CoLA", "XNLI"] })).toThrow();
    expect(() => glueSuite.check!(glueConfigSchema.parse({ backbone: "bert-onnx" }))).toThrow(
      ValidationError,
    );
    expect(() => glueSuite.check!(glueConfigSchema.parse({ bertDir: "/x" }))).toThrow(ValidationError);
  });
  it("scales the validation interval with the updates per epoch (the paper: 2,000 at 1,366)", () => {
    expect(PAPER_UPDATES_PER_EPOCH).toBe(1366);
    expect(validateEveryFor({ validateEvery: "auto" }, 1366)).toEqual({ updates: 2000 });
    expect(validateEveryFor({ validateEvery: "auto" }, 466)).toEqual({ updates: 682 });
    expect(validateEveryFor({ validateEvery: "auto" }, 1)).toEqual({ updates: 1 });
    expect(validateEveryFor({ validateEvery: { updates: 7 } }, 466)).toEqual({ updates: 7 });
    expect(validateEveryFor({ validateEvery: { epochs: 2 } }, 466)).toEqual({ epochs: 2 });
  });
});

describe("the paper's features (Eq. 22)", () => {
  it("pairs get [s1; s2; |s1 - s2|; s1 * s2], single sentences [s; 0; 0; 0]; labels only on the task's own rows", () => {
    const tasks = loadGlue(FIXTURES, ["CoLA", "STS-B"]);
    const vec = (t: string): Float32Array => Float32Array.from([t.length, -1, t.charCodeAt(0) / 10]);
    const r = glueRows(tasks, vec, 3);
    expect(r.data.dim).toBe(12);
    expect(r.train).toHaveLength(5 + 3);
    expect(r.dev).toHaveLength(5 + 3);
    const row = (i: number): number[] => Array.from(r.data.features.subarray(i * 12, (i + 1) * 12));
    const cola0 = tasks[0]!.train.examples[0]!;
    expect(row(0)).toEqual([...vec(cola0.a), 0, 0, 0, 0, 0, 0, 0, 0, 0].map(Number));
    const sts0 = tasks[1]!.train.examples[0]!;
    const a = Array.from(vec(sts0.a)),
      b = Array.from(vec(sts0.b!));
    expect(row(5)).toEqual([
      ...a,
      ...b,
      ...a.map((x, j) => Math.abs(x - b[j]!)),
      ...a.map((x, j) => x * b[j]!),
    ]);
    expect(r.data.labels[0]![0]).toBe(1);
    expect(Number.isNaN(r.data.labels[1]![0]!)).toBe(true);
    expect(r.data.labels[0]![5]).toBe(MISSING);
    expect(r.data.labels[1]![5]).toBe(1);
    expect(r.tasks).toEqual([
      { name: "CoLA", kind: "binary" },
      { name: "STS-B", kind: "regression" },
    ]);
  });
});

describe("the GLUE suite over the nine-task fixtures with a tiny ONNX encoder", () => {
  const modelDir = mkdtempSync(join(tmpdir(), "qmtl-glue-bert-"));
  const cacheDir = mkdtempSync(join(tmpdir(), "qmtl-glue-cache-"));
  const saved = process.env["QMTL_CACHE_DIR"];
  let inputs: SuiteInputs;
  const cfg = glueConfigSchema.parse({
    data: FIXTURES,
    backbone: "bert-onnx",
    bertDir: modelDir,
    seeds: [0],
  });
  const progress: [string, number, number][] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    process.env["QMTL_CACHE_DIR"] = cacheDir;
    writeTinyBertOnnx(join(modelDir, "model.onnx"), tinyBertWeights(11, 30522, 8));
    copyFileSync(defaultBertVocabPath(), join(modelDir, "vocab.txt"));
    glueSuite.check!(cfg);
    inputs = await glueSuite.load(cfg, {
      jobs: 2,
      onProgress: (s, d, t) => progress.push([s, d, t]),
      log: (l) => logs.push(l),
    });
  }, 60_000);
  afterAll(() => {
    if (saved === undefined) delete process.env["QMTL_CACHE_DIR"];
    else process.env["QMTL_CACHE_DIR"] = saved;
  });

  it("loads all nine tasks with train rows for training and dev rows for selection and report", () => {
    expect(inputs.tasks.map((t) => t.name)).toEqual([
      "CoLA",
      "SST-2",
      "MRPC",
      "QQP",
      "STS-B",
      "QNLI",
      "RTE",
      "WNLI",
      "MNLI",
    ]);
    expect(inputs.data.dim).toBe(32);
    const s = inputs.splits[0]!;
    expect(s.val).toEqual(s.test);
    expect(s.train.length + s.test.length).toBe(inputs.data.n);
    expect(inputs.inputHashes["MNLI/dev_mismatched.tsv"]).toMatch(/^[0-9a-f]{64}$/);
    expect(inputs.inputHashes["backbone"]).toMatch(/^bert-onnx:/);
    expect(inputs.notes!.some((n) => n.includes("too few columns): 2"))).toBe(true);
    expect(progress.at(-1)).toEqual(["embedding sentences", progress.at(-1)![2], progress.at(-1)![2]]);
    expect(logs[0]).toMatch(/distinct/);
  });

  it("plans the four heads at the paper's nine-task sizes: Q = 10, d = 30, STS-B affine on QMTL", () => {
    const heads = glueSuite.heads(cfg, inputs);
    expect(heads.map((h) => h.id)).toEqual(["classical", "qmtl", "hqnn-4", "hqnn-10"]);
    for (const h of heads) {
      expect(h.model.latentDim).toBe(30);
      expect(h.model.inputDim).toBe(32);
      expect(h.model.projection).toEqual({ hidden: [30], activation: "tanh", dropout: 0, batchNorm: false });
      expect(h.train.protocol).toEqual({ kind: "task-sampled", batchCap: 300 });
      expect(h.train.optimizer).toEqual({ kind: "adamw", lr: 5e-4, weightDecay: 0.01 });
      expect(h.train.losses.map((l) => l.kind)).toEqual([
        "bce",
        "bce",
        "bce",
        "bce",
        "mse",
        "bce",
        "bce",
        "bce",
        "ce",
      ]);
      expect(h.train.selection).toEqual({
        macro: {
          CoLA: "mcc",
          "SST-2": "accuracy",
          MRPC: "f1",
          QQP: "f1",
          "STS-B": "spearman",
          QNLI: "accuracy",
          RTE: "accuracy",
          WNLI: "accuracy",
          MNLI: "accuracy",
        },
      });
      // fixtures: 1 batch per task per epoch -> 9 updates; 2000 * 9 / 1366 = 13
      expect(h.train.validateEvery).toEqual({ updates: 13 });
    }
    const q = heads[1]!;
    expect(q.label).toBe("QMTL (10 qubits)");
    expect(q.model.outputTransforms).toEqual({ "STS-B": "affine" });
    const m = buildModel(q.model, new Rng(0));
    expect(m.qmtlLayout!.Q).toBe(10);
    const hq = heads[3]!.model;
    expect(hq.head === "hqnn" ? hq.hqnn.qubits : null).toBe(10);
    expect(() => glueSuite.heads(cfg, { tasks: inputs.tasks, data: { ...inputs.data } })).toThrow(
      ValidationError,
    );
  });

  it("reuses every sentence vector on a second load (per-sentence cache)", async () => {
    const again: string[] = [];
    const second = await glueSuite.load(cfg, { jobs: 1, log: (l) => again.push(l) });
    expect(again[0]).toMatch(/ 0 embedded/);
    expect(Array.from(second.data.features)).toEqual(Array.from(inputs.data.features));
  }, 60_000);

  it("says how it differs from the paper", () => {
    const d = glueSuite.differences(cfg, inputs);
    expect(d.some((x) => x.includes("BiLSTM"))).toBe(true);
    expect(d.some((x) => x.includes("Seeds: 1"))).toBe(true);
    expect(d.some((x) => x.includes("of 9"))).toBe(false);
  });
});
