/**
 * The speaker-independent split (test = FRIENDS, train = the other shows) and
 * the GloVe backbone option, through the same runner as the default run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseMustardConfig } from "../../src/datasets/mustard/index.ts";
import { runMustard } from "../../src/datasets/mustard/index.ts";
import { loadMustard } from "../../src/datasets/mustard/dataset.ts";
import { loadMustardSplits } from "../../src/datasets/mustard/splits.ts";
import { writeMustardFeatures } from "../helpers/mustard-features.ts";

let tmp: string;
let features: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "qmtl-split-"));
  features = writeMustardFeatures({ dir: tmp });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("experiment options", () => {
  it("speaker-independent split: one run per head, tested on the FRIENDS utterances", async () => {
    const cfg = parseMustardConfig({
      name: "si",
      features,
      split: "speaker-independent",
      heads: ["classical"],
      epochs: 2,
    });
    const r = await runMustard(cfg, join(tmp, "si"));
    const ds = loadMustard();
    const friends = ds.items.filter((it) => it.show === "FRIENDS").length;
    expect(loadMustardSplits(ds).speakerIndependent.test.length).toBe(friends);
    expect(r.setup.split).toBe("speaker-independent");
    expect(r.runs).toHaveLength(1);
    expect(r.runs[0]!.test["sarcasm"]!["n"]).toBe(friends);
  });

  it("GloVe text backbone (600 features: utterance and context)", async () => {
    const cfg = parseMustardConfig({
      name: "glove",
      backbone: "glove",
      heads: ["classical"],
      folds: [0],
      epochs: 1,
    });
    const r = await runMustard(cfg, join(tmp, "glove"));
    expect(r.setup.backbone).toBe("glove");
    expect(r.setup.featureDim).toBe(600);
    expect(r.runs[0]!.test["sarcasm"]!["accuracy"]).toBeGreaterThan(0.3);
  });
});
