/**
 * The engine reproduces the MUStARD results of the code before the dataset
 * seam to the last digit: test/fixtures/golden/mustard-short.json was written
 * by the pre-seam runMustard (commit 2650eb8) on the same synthetic feature
 * file, 2 folds x 3 epochs, heads qmtl, classical and hqnn-4.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseMustardConfig, runMustard } from "../../src/datasets/mustard/index.ts";
import { writeMustardFeatures } from "../helpers/mustard-features.ts";

interface Golden {
  runs: Array<{
    head: string;
    fold: number;
    seed: number;
    bestEpoch: number;
    valScore: number;
    test: unknown;
  }>;
  summary: unknown;
  majority: unknown;
}

const tmp = mkdtempSync(join(tmpdir(), "qmtl-golden-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("golden MUStARD run", () => {
  it("equals the pre-seam results bit for bit (every cell's test metrics, summary, majority baseline)", async () => {
    const golden = JSON.parse(
      readFileSync(new URL("../fixtures/golden/mustard-short.json", import.meta.url), "utf8"),
    ) as Golden;
    const features = writeMustardFeatures({ dir: tmp });
    const cfg = parseMustardConfig({
      name: "golden",
      features,
      folds: [0, 1],
      heads: ["qmtl", "classical", "hqnn-4"],
      epochs: 3,
    });
    const r = await runMustard(cfg, join(tmp, "run"));
    expect(
      r.runs.map((x) => ({
        head: x.head,
        fold: x.fold,
        seed: x.seed,
        bestEpoch: x.bestEpoch,
        valScore: x.valScore,
        test: x.test,
      })),
    ).toEqual(golden.runs);
    expect(r.summary).toEqual(golden.summary);
    expect(r.baselines.majority).toEqual(golden.majority);
  });
});
