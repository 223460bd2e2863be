/**
 * A trained cell comes back from its run folder with the same test split and
 * model: evaluating it again gives the metrics the run recorded, exactly.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mustardSuite, parseMustardConfig, runMustard } from "../../src/datasets/mustard/index.ts";
import { loadTrainedCell } from "../../src/experiments/trained-cell.ts";
import { predictLogits } from "../../src/training/evaluate.ts";
import { writeMustardFeatures } from "../helpers/mustard-features.ts";

const tmp = mkdtempSync(join(tmpdir(), "qmtl-cell-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("loadTrainedCell", () => {
  it("rebuilds a cell's model and test split: its metrics equal the recorded ones bit for bit", async () => {
    const features = writeMustardFeatures({ dir: tmp });
    const cfg = parseMustardConfig({
      name: "c",
      features,
      folds: [1, 2],
      heads: ["classical", "qmtl"],
      epochs: 2,
    });
    const runDir = join(tmp, "c");
    const r = await runMustard(cfg, runDir);
    const cell = await loadTrainedCell(mustardSuite, runDir);
    expect(cell.cell).toBe("qmtl:1:0");
    const m = cell.metrics(cell.tasks, predictLogits(cell.model, cell.test), cell.model.nOutputs, cell.test);
    expect(m).toEqual(r.runs.find((x) => x.head === "qmtl" && x.fold === 1)!.test);
    const other = await loadTrainedCell(mustardSuite, runDir, { cell: "classical:2:0" });
    expect(
      other.metrics(other.tasks, predictLogits(other.model, other.test), other.model.nOutputs, other.test),
    ).toEqual(r.runs.find((x) => x.head === "classical" && x.fold === 2)!.test);
    await expect(loadTrainedCell(mustardSuite, runDir, { cell: "qmtl:4:0" })).rejects.toThrow(
      /--cell: expected a finished cell/,
    );
  });
});
