import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/core/errors.ts";
import { repoRoot } from "../../../src/data/data-paths.ts";
import { chexpertSuite, DOWNLOAD_HELP } from "../../../src/datasets/chexpert/index.ts";
import { buildModel } from "../../../src/models/build-model.ts";
import { Rng } from "../../../src/core/rng.ts";
import { parseChexpertCsv } from "../../../src/datasets/chexpert/labels.ts";
import { sexBalancedSubset } from "../../../src/datasets/chexpert/subset.ts";
import { readFileSync } from "node:fs";
import { layoutTasks } from "../../../src/models/task-info.ts";
import { resolveClassWeights } from "../../../src/training/objective.ts";
import { subset } from "../../../src/training/dataset.ts";

const FIX = join(repoRoot(), "test", "fixtures", "chexpert");
const saved = process.env["QMTL_CACHE_DIR"];

describe("CheXpert suite", () => {
  beforeAll(() => {
    process.env["QMTL_CACHE_DIR"] = mkdtempSync(join(tmpdir(), "qmtl-cxs-"));
  });
  afterAll(() => {
    if (saved === undefined) delete process.env["QMTL_CACHE_DIR"];
    else process.env["QMTL_CACHE_DIR"] = saved;
  });

  it("has the paper's settings as defaults", () => {
    const cfg = chexpertSuite.schema.parse({});
    expect(cfg).toMatchObject({
      epochs: 30,
      batchSize: 32,
      hqnnBatchSize: 128,
      lr: 1e-4,
      perSex: 10000,
      latentDim: 30,
      patience: 5,
      clipNorm: 1,
      folds: [0, 1, 2, 3, 4],
      uncertainty: "u-multiclass",
      validateEvery: { epochs: 2 },
    });
    expect(cfg.heads).toEqual(["qmtl", "classical", "hqnn-4", "hqnn-10"]);
    expect(cfg.backbone.pin).toBe("least-busy");
    expect(chexpertSuite.schema.parse({ backbone: { pin: "none" } }).backbone.pin).toBe("none");
    expect(() => chexpertSuite.schema.parse({ backbone: { pin: "first" } })).toThrow();
    expect(chexpertSuite.flags?.find((f) => f.flag.startsWith("--pin"))?.field).toBe("backbone.pin");
    expect(() => chexpertSuite.schema.parse({ uncertainty: "u-maybe" })).toThrow();
    expect(() => chexpertSuite.schema.parse({ perSex: 10, extra: 1 })).toThrow();
    for (const v of [{}, { epochs: 0 }, { epochs: -2 }, { updates: 1, epochs: 2 }, 2])
      expect(() => chexpertSuite.schema.parse({ validateEvery: v }), JSON.stringify(v)).toThrow(
        /validateEvery|updates: n|>=1/,
      );
    expect(chexpertSuite.schema.parse({ validateEvery: { updates: 50 } }).validateEvery).toEqual({
      updates: 50,
    });
  });

  it("without --data says what to download and where to put it", async () => {
    const cfg = chexpertSuite.schema.parse({});
    const err = await chexpertSuite.load(cfg, { jobs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toContain("CheXpert-v1.0-small");
    expect((err as Error).message).toContain(DOWNLOAD_HELP);
    const wrong = await chexpertSuite
      .load(chexpertSuite.schema.parse({ data: tmpdir() }), { jobs: 1 })
      .catch((e: unknown) => e);
    expect((wrong as Error).message).toMatch(/--data: expected a folder containing CheXpert-v1.0-small/);
  });

  it("loads the fixture tree: features, labels, patient-level folds with validation, heads that build", async () => {
    const cfg = chexpertSuite.schema.parse({
      data: FIX,
      csv: "valid",
      perSex: 15,
      foldCount: 3,
      folds: [0, 2],
      valFraction: 0.2,
    });
    const progress: string[] = [];
    const inputs = await chexpertSuite.load(cfg, { jobs: 1, onProgress: (s) => progress.push(s) });
    expect(inputs.data.n).toBe(30);
    expect(inputs.data.dim).toBe(1280);
    expect(inputs.tasks.map((t) => t.name)).toEqual([
      "Atelectasis",
      "Cardiomegaly",
      "Consolidation",
      "Edema",
      "Pleural Effusion",
    ]);
    expect(progress).toContain("image features");
    expect(Object.keys(inputs.inputHashes).sort()).toEqual(["images", "labels", "model"]);
    expect(inputs.splits.map((s) => s.index)).toEqual([0, 2]);
    // the rows behind the sample, to check patients
    const rows = parseChexpertCsv(
      readFileSync(join(FIX, "CheXpert-v1.0-small", "valid.csv"), "utf8"),
      "valid.csv",
    );
    expect(rows.length).toBe(234);
    const sample = sexBalancedSubset(rows, { perSex: 15, seed: cfg.dataSeed, views: "all" });
    const patient = (pos: number): string => rows[sample[pos]!]!.patient;
    for (const s of inputs.splits) {
      const all = [...s.train, ...s.val!, ...s.test];
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBe(30);
      const parts = [s.train, s.val!, s.test].map((xs) => new Set(xs.map(patient)));
      for (let a = 0; a < 3; a++)
        for (let b = a + 1; b < 3; b++) expect([...parts[a]!].some((p) => parts[b]!.has(p))).toBe(false);
    }
    // labels follow the CSV rows of the sample
    expect(Array.from(inputs.data.labels[0]!)).toEqual(sample.map((i) => (rows[i]!.raw[0] === 1 ? 2 : 1)));
    // same sample, same features: a second load is served from the cache
    const again = await chexpertSuite.load(cfg, { jobs: 1 });
    expect(again.notes?.some((n) => n.includes("30 images from the cache, 0 computed"))).toBe(true);
    expect(Array.from(again.data.features)).toEqual(Array.from(inputs.data.features));
    const plans = chexpertSuite.heads(cfg, inputs);
    expect(plans.map((p) => [p.id, p.train.batchSize])).toEqual([
      ["qmtl", 32],
      ["classical", 32],
      ["hqnn-4", 128],
      ["hqnn-10", 128],
    ]);
    const qm = buildModel(plans[0]!.model, new Rng(0));
    expect(qm.nOutputs).toBe(15);
    expect(qm.qmtlLayout).toBeDefined();
    expect(qm.counts.extras).toBe(5); // one temperature per task
    const diffs = chexpertSuite.differences(cfg, inputs);
    expect(diffs.length).toBeGreaterThan(3);
    // App. C.2: validation mean F1 every two epochs, patience 5 validations; Eq. 23 per fold
    expect(diffs.some((d) => /^Validation/.test(d))).toBe(false);
    expect(diffs.some((d) => /class weights/i.test(d))).toBe(false);
    for (const p of plans) {
      expect(p.train.validateEvery).toEqual({ epochs: 2 });
      expect(p.train.earlyStopping).toEqual({ patience: 5 });
      expect(p.train.selection).toEqual({
        macro: Object.fromEntries(inputs.tasks.map((t) => [t.name, "f1"])),
      });
      expect(p.train.losses.every((l) => l.classWeights === "inverse-frequency")).toBe(true);
    }
    // the weights train() computes for a fold come from its training rows, and differ from the sample's
    const tasks = layoutTasks(inputs.tasks);
    const whole = resolveClassWeights(tasks, plans[0]!.train.losses, inputs.data);
    let differs = 0;
    for (const s of inputs.splits) {
      const fold = resolveClassWeights(tasks, plans[0]!.train.losses, subset(inputs.data, s.train));
      tasks.forEach((t, k) => {
        const y = s.train.map((i) => inputs.data.labels[k]![i]!);
        const expected = [0, 1, 2].map((c) => {
          const n = y.filter((v) => v === c).length;
          return n === 0 ? 0 : y.length / (3 * n);
        });
        expect(Array.from(fold[k]!.classWeights as Float64Array), t.name).toEqual(expected);
        if (JSON.stringify(expected) !== JSON.stringify(Array.from(whole[k]!.classWeights as Float64Array)))
          differs++;
      });
    }
    expect(differs).toBeGreaterThan(0);
    const other = chexpertSuite.differences({ ...cfg, validateEvery: { epochs: 1 } }, inputs);
    expect(other.some((d) => d.includes("every 1 epoch(s), not every two epochs"))).toBe(true);
    await qm.close();
  });

  it("a corrupt image stops the load naming its path, or is skipped and noted; a wrong CSV header is named", async () => {
    const root = mkdtempSync(join(tmpdir(), "qmtl-cxbad-"));
    cpSync(join(FIX, "CheXpert-v1.0-small"), join(root, "CheXpert-v1.0-small"), { recursive: true });
    const cfg = chexpertSuite.schema.parse({
      data: root,
      csv: "valid",
      perSex: 10,
      foldCount: 2,
      folds: [0],
    });
    const rows = parseChexpertCsv(
      readFileSync(join(FIX, "CheXpert-v1.0-small", "valid.csv"), "utf8"),
      "valid.csv",
    );
    const victim = join(root, rows[sexBalancedSubset(rows, { perSex: 10, seed: 0, views: "all" })[4]!]!.path);
    writeFileSync(victim, "GIF89a not really");
    await expect(chexpertSuite.load(cfg, { jobs: 1 })).rejects.toThrow(
      new RegExp(`image ${victim}: not a decodable image.*--skip-bad-images`),
    );
    const skipped = await chexpertSuite.load({ ...cfg, skipBadImages: true }, { jobs: 1 });
    expect(skipped.data.n).toBe(19);
    expect(skipped.notes?.find((n) => n.startsWith("Skipped 1 bad image"))).toContain(victim);
    const csv = join(root, "CheXpert-v1.0-small", "valid.csv");
    writeFileSync(csv, readFileSync(csv, "utf8").replace("Frontal/Lateral", "View"));
    await expect(chexpertSuite.load(cfg, { jobs: 1 })).rejects.toThrow(
      /valid\.csv header column 4: expected "Frontal\/Lateral"/,
    );
  });
});
