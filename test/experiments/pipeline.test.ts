/**
 * The shortened MUStARD pipeline end to end: a user feature file for the real
 * 690 items, 2 folds x 2 epochs, heads qmtl + classical + hqnn-4, through
 * runMustard (library) and through the CLI launcher (bin/qmtl.js), plus the
 * CLI's fail-fast input errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseMustardConfig } from "../../src/datasets/mustard/index.ts";
import { runMustard } from "../../src/datasets/mustard/index.ts";
import type { ExperimentEvent as MustardEvent } from "../../src/experiments/engine.ts";
import {
  parseExperimentResults,
  type ExperimentResults,
} from "../../src/experiments/report/results-types.ts";
import { FIGURE_FILES } from "../../src/experiments/report/markdown.ts";
import { writeMustardFeatures } from "../helpers/mustard-features.ts";
import { corruptJsonFiles, describeResult, listFiles, readJson, runCli } from "../cli/run-cli.ts";

const HEADS = ["qmtl", "classical", "hqnn-4"] as const;
const FOLDS = [0, 1] as const;
const EPOCHS = 2;
const CELL_FILES = ["checkpoint.json", "result.json", "best-model.json", "history.json"] as const;
const TASKS = ["sarcasm", "sentiment_implicit", "sentiment_explicit", "emotion_implicit", "emotion_explicit"];

let tmp: string;
let features: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "qmtl-pipeline-"));
  features = writeMustardFeatures({ dir: tmp });
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function config(extra: Record<string, unknown> = {}) {
  return parseMustardConfig({
    name: "pipe",
    features,
    folds: [...FOLDS],
    heads: [...HEADS],
    epochs: EPOCHS,
    standardize: true,
    ...extra,
  });
}

describe("MUStARD pipeline through runMustard", () => {
  let runDir: string;
  let results: ExperimentResults;
  const events: MustardEvent[] = [];

  beforeAll(async () => {
    runDir = join(tmp, "lib", "pipe");
    results = await runMustard(config(), runDir, (e) => events.push(e));
  });

  it("writes config.json and a results.json that has every field and equals the returned object", () => {
    expect(readJson(join(runDir, "config.json"))).toEqual(JSON.parse(JSON.stringify(config())));
    const onDisk = readJson<unknown>(join(runDir, "results.json"));
    // the report's schema checks every field, the cross-field rules and the summary tables
    const parsed = parseExperimentResults(onDisk, "results.json");
    expect(parsed).toEqual(JSON.parse(JSON.stringify(results)));
    for (const key of [
      "name",
      "dataset",
      "createdAt",
      "qmtlVersion",
      "setup",
      "tasks",
      "heads",
      "runs",
      "summary",
      "baselines",
      "timing",
      "differences",
      "notes",
    ]) {
      expect(onDisk, key).toHaveProperty(key);
    }
    expect(results.name).toBe("pipe");
    expect(results.dataset).toBe("Extended MUStARD");
    expect(Number.isNaN(Date.parse(results.createdAt))).toBe(false);
    expect(results.setup).toMatchObject({
      backbone: "file",
      featureDim: 12,
      split: "speaker-dependent",
      folds: [...FOLDS],
      seeds: [0],
      epochs: EPOCHS,
      batchSize: 16,
      lr: 1e-3,
    });
    expect(results.setup.backboneDetail).toContain(features);
    expect(results.setup.taskWeights).toEqual({ qmtl: 0.2, classical: 1, "hqnn-4": 1 });
    expect(results.tasks.map((t) => t.name)).toEqual(TASKS);
    expect(results.tasks.map((t) => t.numClasses)).toEqual([2, 3, 3, 9, 9]);
    expect(results.heads.map((h) => h.id)).toEqual([...HEADS]);
    for (const h of results.heads) {
      expect(h.headParams, h.id).toBeGreaterThan(0);
      expect(h.projectionParams, h.id).toBe(12 * 39 + 39 + 39 * 39 + 39);
    }
    expect(results.heads.find((h) => h.id === "qmtl")?.qubits).toBe(13);
    expect(results.heads.find((h) => h.id === "hqnn-4")?.qubits).toBe(4);
    expect(results.heads.find((h) => h.id === "classical")?.qubits).toBeNull();
    expect(results.differences.some((d) => /standardi[sz]ed/.test(d))).toBe(true);
    expect(results.timing.totalSeconds).toBeGreaterThan(0);
    for (const h of HEADS) expect(results.timing.perHead[h]?.epochs, h).toBe(EPOCHS * FOLDS.length);
  });

  it("has one run per (head, fold) with complete test metrics", () => {
    const cells = results.runs.map((r) => `${r.head}/${r.fold}/${r.seed}`).sort();
    expect(cells).toEqual(HEADS.flatMap((h) => FOLDS.map((f) => `${h}/${f}/0`)).sort());
    for (const r of results.runs) {
      const where = `${r.head} fold ${r.fold}`;
      expect(r.bestEpoch, where).toBeGreaterThanOrEqual(1);
      expect(r.bestEpoch, where).toBeLessThanOrEqual(EPOCHS);
      expect(r.valScore, where).toBeGreaterThanOrEqual(0);
      expect(r.valScore, where).toBeLessThanOrEqual(1);
      expect(Object.keys(r.test), where).toEqual(TASKS);
      for (const task of TASKS) {
        expect(Object.keys(r.test[task]!).sort(), `${where} ${task}`).toEqual([
          "accuracy",
          "f1",
          "f1_macro",
          "f1_weighted",
          "mcc",
          "n",
          "precision",
          "recall",
        ]);
      }
      expect(r.test["sarcasm"]!["n"], where).toBe(138);
    }
    // the simulator time is charged to the quantum heads only
    for (const r of results.runs) {
      if (r.head === "classical") expect(r.simSeconds).toBe(0);
      else expect(r.simSeconds, r.head).toBeGreaterThan(0);
    }
  });

  it("splits each head's time into phases that add up to its epochs' seconds plus test and I/O", () => {
    const t = results.timing;
    expect(t.loadSeconds).toBeGreaterThan(0);
    for (const h of HEADS) {
      const p = t.perHead[h]!.phases!;
      for (const [k, v] of Object.entries(p)) expect(v, `${h} ${k}`).toBeGreaterThanOrEqual(0);
      // the four training phases are the epochs' wall time, split
      expect(p.simulator + p.classical + p.optimizer + p.evaluation, h).toBeCloseTo(t.perHead[h]!.seconds, 6);
      expect(p.io, h).toBeGreaterThan(0); // checkpoints and the saved model were written
      if (h === "classical") expect(p.simulator).toBe(0);
      else expect(p.simulator, h).toBeGreaterThan(0);
    }
    const all = t.phases!;
    for (const k of ["simulator", "classical", "optimizer", "evaluation", "test", "io"] as const)
      expect(all[k], k).toBeCloseTo(
        HEADS.reduce((a, h) => a + t.perHead[h]!.phases![k], 0),
        9,
      );
  });

  it("summarises every head and the majority baseline with means in range", () => {
    const tables = { ...results.summary, majority: results.baselines.majority };
    expect(Object.keys(tables).sort()).toEqual([...HEADS, "majority"].sort());
    for (const [who, table] of Object.entries(tables)) {
      expect(Object.keys(table), who).toEqual(TASKS);
      for (const task of TASKS) {
        for (const [metric, v] of Object.entries(table[task]!)) {
          const where = `${who} ${task} ${metric}`;
          expect(v.n, where).toBe(FOLDS.length);
          expect(Number.isFinite(v.std) && v.std >= 0, where).toBe(true);
          if (metric === "n") continue; // the test-set size, not a rate
          expect(v.mean, where).toBeGreaterThanOrEqual(metric === "mcc" ? -1 : 0);
          expect(v.mean, where).toBeLessThanOrEqual(1);
        }
      }
    }
    // each summary mean is the mean of that head's runs
    for (const h of HEADS) {
      const accs = results.runs.filter((r) => r.head === h).map((r) => r.test["sarcasm"]!["accuracy"]!);
      expect(results.summary[h]!["sarcasm"]!["accuracy"]!.mean).toBeCloseTo(
        accs.reduce((a, b) => a + b, 0) / accs.length,
        12,
      );
    }
  });

  it("reports the majority-class baseline, and the heads beat it on the informative features", () => {
    const maj = results.baselines.majority;
    // a constant predictor: MCC 0 on every task, and a constant sarcasm class (balanced: recall 0 or 1)
    for (const task of TASKS) expect(maj[task]!["mcc"]!.mean, task).toBe(0);
    expect([0, 1]).toContain(maj["sarcasm"]!["recall"]!.mean);
    // the feature file carries the sarcasm label in two columns: the classical head must find it in 2 epochs
    expect(results.summary["classical"]!["sarcasm"]!["accuracy"]!.mean).toBeGreaterThan(
      maj["sarcasm"]!["accuracy"]!.mean + 0.15,
    );
  });

  it("writes the per-cell files, all of them valid JSON and consistent with results.json", () => {
    const files = listFiles(join(runDir, "runs"));
    for (const h of HEADS) {
      for (const f of FOLDS) {
        const cell = `${h}/fold-${f}-seed-0`;
        for (const name of CELL_FILES) expect(files, `${cell}/${name}`).toContain(`${cell}/${name}`);
        const dir = join(runDir, "runs", cell);
        const result = readJson<ExperimentResults["runs"][number]>(join(dir, "result.json"));
        const run = results.runs.find((r) => r.head === h && r.fold === f)!;
        expect(result).toMatchObject({
          head: h,
          fold: f,
          seed: 0,
          bestEpoch: run.bestEpoch,
          valScore: run.valScore,
          test: run.test,
        });
        const history = readJson<Array<{ epoch: number; valScore: number }>>(join(dir, "history.json"));
        expect(
          history.map((e) => e.epoch),
          cell,
        ).toEqual([1, 2]);
        expect(history[run.bestEpoch - 1]!.valScore, cell).toBe(run.valScore);
        const ckpt = readJson<{ epoch: number; stopped: boolean }>(join(dir, "checkpoint.json"));
        expect(ckpt.epoch, cell).toBe(EPOCHS);
        expect(
          Object.keys(readJson<Record<string, unknown>>(join(dir, "best-model.json"))).length,
          cell,
        ).toBeGreaterThan(0);
      }
    }
    expect(corruptJsonFiles(runDir)).toEqual([]);
    // no temporary files of the atomic writes are left behind
    expect(listFiles(runDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("reports its progress: a run-start and a run-done per cell, epochs in order", () => {
    const starts = events.filter((e) => e.type === "run-start");
    const dones = events.filter((e) => e.type === "run-done");
    expect(starts).toHaveLength(HEADS.length * FOLDS.length);
    expect(dones).toHaveLength(HEADS.length * FOLDS.length);
    expect(starts.every((e) => e.type === "run-start" && !e.resumed)).toBe(true);
    expect(dones.every((e) => e.type === "run-done" && !e.cached)).toBe(true);
    const epochs = events.flatMap((e) =>
      e.type === "train" && e.event.type === "epoch" && e.head === "qmtl" && e.fold === 0
        ? [e.event.epoch]
        : [],
    );
    expect(epochs).toEqual([1, 2]);
  });

  it("a second runMustard into the finished folder trains nothing and gives the same runs", async () => {
    const again: MustardEvent[] = [];
    const r2 = await runMustard(config(), runDir, (e) => again.push(e));
    expect(again.some((e) => e.type === "run-start" || e.type === "train")).toBe(false);
    expect(again.filter((e) => e.type === "run-done" && e.cached)).toHaveLength(HEADS.length * FOLDS.length);
    expect(r2.runs).toEqual(results.runs);
    expect(r2.summary).toEqual(results.summary);
    expect(r2.baselines).toEqual(results.baselines);
  });

  it("lines feature rows up by id: the same file with its rows reversed gives identical runs", async () => {
    const reversed = writeMustardFeatures({ dir: tmp, fileName: "reversed.json", shuffled: true });
    const a = await runMustard(
      config({ name: "order-a", heads: ["classical"], folds: [0] }),
      join(tmp, "lib", "order-a"),
    );
    const b = await runMustard(
      config({ name: "order-b", heads: ["classical"], folds: [0], features: reversed }),
      join(tmp, "lib", "order-b"),
    );
    expect(b.runs.map((r) => ({ ...r, seconds: 0 }))).toEqual(a.runs.map((r) => ({ ...r, seconds: 0 })));
  });
});

describe("MUStARD pipeline through the CLI (node bin/qmtl.js)", () => {
  it("runs end to end: exit 0, results.json, report.md and the figures", async () => {
    const out = join(tmp, "cli");
    const r = await runCli([
      "run",
      "mustard",
      "--features",
      features,
      "--epochs",
      String(EPOCHS),
      "--folds",
      FOLDS.join(","),
      "--heads",
      HEADS.join(","),
      "--name",
      "pipe",
      "--out",
      out,
    ]);
    expect(r.code, describeResult(r)).toBe(0);
    const runDir = join(out, "pipe");
    const results = parseExperimentResults(readJson(join(runDir, "results.json")), "results.json");
    expect(results.runs).toHaveLength(HEADS.length * FOLDS.length);
    expect(results.setup.featureDim).toBe(12);
    expect(readJson(join(runDir, "config.json"))).toMatchObject({
      standardize: true,
      epochs: EPOCHS,
      heads: [...HEADS],
    });
    const report = readFileSync(join(runDir, "report.md"), "utf8");
    expect(report.length).toBeGreaterThan(200);
    for (const f of Object.values(FIGURE_FILES)) {
      expect(existsSync(join(runDir, f)), f).toBe(true);
      expect(report, f).toContain(f);
    }
    const png = readFileSync(join(runDir, FIGURE_FILES.metricsPng));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(readFileSync(join(runDir, FIGURE_FILES.metricsSvg), "utf8")).toMatch(/<svg[\s>]/);
    expect(r.stdout).toContain(join(runDir, "report.md"));
    expect(corruptJsonFiles(runDir)).toEqual([]);
  });

  /** An input error: a non-zero exit, one "error:" line naming the culprit, no stack trace, nothing started. */
  const expectInputError = (r: Awaited<ReturnType<typeof runCli>>, names: string): void => {
    expect(r.code, describeResult(r)).not.toBe(0);
    expect(r.code, describeResult(r)).not.toBeNull();
    expect(r.stderr, describeResult(r)).toContain("error:");
    expect(r.stderr, describeResult(r)).toContain(names);
    expect(r.stderr, "no stack trace").not.toMatch(/\n\s+at .+:\d+:\d+/);
  };

  it.concurrent("a config typo (epochz) fails fast, naming the key", async () => {
    const cfg = join(tmp, "typo.yaml");
    writeFileSync(cfg, `epochz: 3\nfolds: [0]\nheads: [classical]\nfeatures: ${JSON.stringify(features)}\n`);
    const out = join(tmp, "cli-typo");
    const r = await runCli(["run", "mustard", "--config", cfg, "--out", out]);
    expectInputError(r, "epochz");
    expect(r.stderr).toContain(cfg);
    expect(r.stderr).not.toContain("loading data");
    expect(existsSync(out), "no run folder is created").toBe(false);
  });

  it.concurrent("an unknown head fails, naming the heads field", async () => {
    const out = join(tmp, "cli-head");
    const r = await runCli([
      "run",
      "mustard",
      "--features",
      features,
      "--heads",
      "qmtl,quantum-magic",
      "--out",
      out,
    ]);
    expectInputError(r, "heads");
    expect(existsSync(out), "no run folder is created").toBe(false);
  });

  it.concurrent("a corrupt feature file fails, naming the file", async () => {
    const broken = join(tmp, "broken-features.json");
    const text = readFileSync(features, "utf8");
    writeFileSync(broken, text.slice(0, Math.floor(text.length / 2)));
    const r = await runCli([
      "run",
      "mustard",
      "--features",
      broken,
      "--epochs",
      "1",
      "--folds",
      "0",
      "--heads",
      "classical",
      "--name",
      "broken",
      "--out",
      join(tmp, "cli-broken"),
    ]);
    expectInputError(r, broken);
    expect(existsSync(join(tmp, "cli-broken", "broken", "results.json"))).toBe(false);
  });

  it.concurrent("a feature file that is not an array of numbers fails, naming the file", async () => {
    const bad = join(tmp, "garbage.npy");
    writeFileSync(bad, Buffer.from("this is not a numpy file at all"));
    const r = await runCli([
      "run",
      "mustard",
      "--features",
      bad,
      "--epochs",
      "1",
      "--folds",
      "0",
      "--heads",
      "classical",
      "--name",
      "garbage",
      "--out",
      join(tmp, "cli-garbage"),
    ]);
    expectInputError(r, bad);
  });
});
