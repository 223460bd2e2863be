/**
 * The CheXpert pipeline end to end on the fixture tree (the real validation
 * labels, the real radiograph and generated images, MobileNetV2 features):
 * the engine trains all four heads on one patient-level fold for two epochs,
 * evaluates them with the paper's rule, writes results, the report with its
 * figures, and each cell's best checkpoint, which loads back and reproduces
 * the reported test metrics.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../../src/data/data-paths.ts";
import { chexpertSuite } from "../../../src/datasets/chexpert/index.ts";
import { chexpertMetrics } from "../../../src/datasets/chexpert/metrics.ts";
import { findSuite } from "../../../src/datasets/index.ts";
import { parseSuiteConfig } from "../../../src/experiments/config.ts";
import { cellData } from "../../../src/experiments/cells.ts";
import { runExperimentIn, type ExperimentEvent } from "../../../src/experiments/engine.ts";
import {
  parseExperimentResults,
  type ExperimentResults,
} from "../../../src/experiments/report/results-types.ts";
import { writeReport } from "../../../src/experiments/report/write-report.ts";
import { loadModel, readModelFile } from "../../../src/models/saved-model.ts";
import { layoutTasks } from "../../../src/models/task-info.ts";
import { predictLogits } from "../../../src/training/evaluate.ts";

const FIX = join(repoRoot(), "test", "fixtures", "chexpert");
const HEADS = ["qmtl", "classical", "hqnn-4", "hqnn-10"];
const TASKS = ["Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Pleural Effusion"];
let tmp: string;
const saved = process.env["QMTL_CACHE_DIR"];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "qmtl-cx-pipe-"));
  process.env["QMTL_CACHE_DIR"] = join(tmp, "cache");
});
afterAll(() => {
  if (saved === undefined) delete process.env["QMTL_CACHE_DIR"];
  else process.env["QMTL_CACHE_DIR"] = saved;
  rmSync(tmp, { recursive: true, force: true });
});

describe("CheXpert pipeline on the fixture tree", () => {
  const cfg = parseSuiteConfig(
    chexpertSuite,
    {
      name: "cx",
      data: FIX,
      csv: "valid",
      perSex: 40,
      foldCount: 4,
      folds: [0],
      epochs: 2,
      valFraction: 0.2,
      hqnnBatchSize: 32,
    },
    "test",
  );
  let runDir: string;
  let results: ExperimentResults;
  const events: ExperimentEvent[] = [];

  beforeAll(async () => {
    runDir = join(tmp, "runs", "cx");
    results = await runExperimentIn(chexpertSuite, cfg, runDir, {
      mode: "new",
      jobs: 2,
      onEvent: (e) => events.push(e),
    });
  });

  it("is in the table of suites", () => {
    expect(findSuite("chexpert")?.name).toBe("chexpert");
  });

  it("trains every head and reports the paper's metrics per task, with AUROC", () => {
    const parsed = parseExperimentResults(
      JSON.parse(readFileSync(join(runDir, "results.json"), "utf8")),
      "results.json",
    );
    expect(parsed.suite).toBe("chexpert");
    expect(parsed.runs.map((r) => r.head).sort()).toEqual([...HEADS].sort());
    for (const r of parsed.runs) {
      expect(Object.keys(r.test)).toEqual(TASKS);
      for (const t of TASKS) {
        const m = r.test[t]!;
        for (const k of ["accuracy", "precision", "recall", "f1", "auroc"]) {
          expect(m[k], `${r.head} ${t} ${k}`).toBeGreaterThanOrEqual(0);
          expect(m[k], `${r.head} ${t} ${k}`).toBeLessThanOrEqual(1);
        }
        expect(m["n"]).toBeGreaterThan(0);
      }
      expect(r.bestEpoch).toBeGreaterThanOrEqual(1);
    }
    const qm = parsed.heads.find((h) => h.id === "qmtl")!;
    expect(qm.qubits).toBe(10);
    expect(qm.extras).toBe(5);
    expect(parsed.heads.find((h) => h.id === "hqnn-10")!.qubits).toBe(10);
    expect(parsed.setup.featureDim).toBe(1280);
    expect(parsed.differences.some((d) => d.includes("MobileNetV2"))).toBe(true);
    expect(events.some((e) => e.type === "progress" && e.stage === "image features")).toBe(true);
  });

  it("saves each cell's best checkpoint in the engine's format (runs/<head>/fold-0-seed-0/best-model.json)", () => {
    expect(chexpertSuite.splitIndices(cfg)).toEqual([0]);
    for (const head of HEADS) {
      const file = join(runDir, "runs", head, "fold-0-seed-0", "best-model.json");
      expect(existsSync(file), file).toBe(true);
      const savedModel = readModelFile(file);
      expect(savedModel.spec.inputDim).toBe(1280);
      expect(savedModel.meta["head"]).toBe(head);
    }
  });

  it("a reloaded QMTL checkpoint gives the same test metrics on the same fold", async () => {
    const inputs = await chexpertSuite.load(cfg, { jobs: 1 });
    const split = inputs.splits[0]!;
    const parts = cellData(
      { data: inputs.data, valFraction: cfg.valFraction, stratifyTask: 0, standardize: cfg.standardize },
      split,
      0,
    );
    const model = loadModel(readModelFile(join(runDir, "runs", "qmtl", "fold-0-seed-0", "best-model.json")));
    const tasks = layoutTasks(inputs.tasks);
    const m = chexpertMetrics(tasks, predictLogits(model, parts.test), model.nOutputs, parts.test);
    const run = results.runs.find((r) => r.head === "qmtl")!;
    for (const t of TASKS)
      for (const k of ["accuracy", "f1", "auroc"]) expect(m[t]![k]).toBeCloseTo(run.test[t]![k]!, 12);
    await model.close();
  });

  it("writes the report with the per-task figure (the paper's Fig. 6) and parameter counts", async () => {
    const { files } = await writeReport(runDir, results);
    expect(existsSync(join(runDir, "report.md"))).toBe(true);
    const md = readFileSync(join(runDir, "report.md"), "utf8");
    for (const label of ["QMTL (10 qubits)", "Classical", "HQNN (4 qubits)", "HQNN (10 qubits)"])
      expect(md).toContain(label);
    expect(md).toContain("Pleural Effusion");
    expect(files.some((f) => f.endsWith(".svg") || f.endsWith(".png"))).toBe(true);
  });
});
