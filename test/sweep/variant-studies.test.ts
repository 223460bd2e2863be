/**
 * The entanglement and encoder studies on GLUE and CheXpert, shortened, through
 * the real CLI on the fixture data (GLUE: three of the nine fixture tasks,
 * USE-lite into a fresh sentence cache; CheXpert: the fixture tree's 80
 * images, MobileNetV2 features): each expands to 4 cells (2 variants x 2
 * seeds or folds), runs 1 epoch per cell, merges, prints the suite's primary
 * metrics with the runs pooled, and the variant reaches the model (same head
 * parameter count, the variant's note in its cells' results, other outputs).
 * `qmtl report` of the GLUE sweeps writes the selection-metric table, the
 * claims and the figures.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExperimentResults } from "../../src/experiments/report/results-types.ts";
import type { SweepResults } from "../../src/experiments/sweep/merge.ts";
import { qmtl, readMerged, type CliResult } from "./helpers.ts";

const FIX = join(import.meta.dirname, "..", "fixtures");
let tmp: string;
const savedCache = process.env["QMTL_CACHE_DIR"];
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "qmtl-variant-studies-"));
  process.env["QMTL_CACHE_DIR"] = join(tmp, "cache");
});
afterAll(() => {
  if (savedCache === undefined) delete process.env["QMTL_CACHE_DIR"];
  else process.env["QMTL_CACHE_DIR"] = savedCache;
  rmSync(tmp, { recursive: true, force: true });
});

const SETS: Record<string, string[]> = {
  glue: [
    `data=${join(FIX, "glue", "glue_data")}`,
    "seeds=[0,1]",
    'tasks=["CoLA","STS-B","MNLI"]',
    "epochs=1",
  ],
  chexpert: [
    `data=${join(FIX, "chexpert")}`,
    "csv=valid",
    "perSex=40",
    "foldCount=4",
    "folds=[0,1]",
    "valFraction=0.2",
    "epochs=1",
  ],
};

function study(name: string, suite: string): { r: CliResult; dir: string; m: SweepResults } {
  const args = ["sweep", "--study", name, "--suite", suite, "--quick", "--out", "out", "--jobs", "2"];
  for (const s of SETS[suite]!) args.push("--set", s);
  const r = qmtl(tmp, args);
  expect(r.code, r.stderr).toBe(0);
  const dir = join(tmp, "out", `study-${name}-${suite}-quick`);
  return { r, dir, m: readMerged(dir) };
}

const cellResults = (dir: string, id: string): ExperimentResults =>
  JSON.parse(readFileSync(join(dir, "cells", id, "results.json"), "utf8")) as ExperimentResults;

/** The printed summary's data row for a group: [group, head, runs, macro, ...tasks]. */
function printed(stdout: string, group: string): string[] {
  const line = stdout.split("\n").find((l) => l.startsWith(group));
  expect(line, stdout).toBeDefined();
  return line!.split(/\s{2,}/).map((x) => x.trim());
}

describe.each(["glue", "chexpert"])("studies on %s fixture data", (suite) => {
  const rep = suite === "glue" ? "seed" : "fold";
  const primary = suite === "glue" ? "STS-B spearman" : "Atelectasis f1";

  it("entanglement: qmtl vs qmtl-noent, same head parameters, two runs per group", () => {
    const { r, dir, m } = study("entanglement", suite);
    expect(m.cells.map((c) => c.id).sort()).toEqual([
      `encoder-entangled_${rep}-0`,
      `encoder-entangled_${rep}-1`,
      `encoder-product_${rep}-0`,
      `encoder-product_${rep}-1`,
    ]);
    expect(m.missing).toEqual([]);
    const [ent, prod] = [m.groups[0]!, m.groups[1]!];
    expect([ent.labels, prod.labels]).toEqual([{ encoder: "entangled" }, { encoder: "product" }]);
    expect([ent.heads.map((h) => h.id), prod.heads.map((h) => h.id)]).toEqual([["qmtl"], ["qmtl-noent"]]);
    expect(prod.heads[0]!.headParams).toBe(ent.heads[0]!.headParams);
    expect(prod.heads[0]!.extras).toBe(ent.heads[0]!.extras);
    expect(prod.heads[0]!.headParams).toBeGreaterThan(0);
    const notes = cellResults(dir, `encoder-product_${rep}-0`).notes;
    expect(notes.some((n) => n.startsWith("qmtl-noent (the paper's Section 6.2 ablation)"))).toBe(true);
    expect(cellResults(dir, `encoder-entangled_${rep}-0`).notes.some((n) => n.startsWith("qmtl-noent"))).toBe(
      false,
    );
    // the printed summary: the primary metrics, two runs per group, a number for the macro
    expect(r.stdout).toContain(primary);
    for (const [group, head] of [
      ["encoder=entangled", "qmtl"],
      ["encoder=product", "qmtl-noent"],
    ] as const) {
      const row = printed(r.stdout, group);
      expect(row.slice(1, 3)).toEqual([head, "2"]);
      expect(row[3]).toMatch(/^-?\d\.\d{3} ± \d\.\d{3}$/);
    }
  }, 240_000);

  it("encoder: rx vs ry reaches the model (its note; other test outputs on the same seed and split)", () => {
    const { r, dir, m } = study("encoder", suite);
    expect(m.groups.map((g) => g.labels)).toEqual([{ first: "rx" }, { first: "ry" }]);
    expect(m.groups[1]!.heads[0]!.headParams).toBe(m.groups[0]!.heads[0]!.headParams);
    const rx = cellResults(dir, `first-rx_${rep}-0`);
    const ry = cellResults(dir, `first-ry_${rep}-0`);
    expect(ry.notes.some((n) => n.startsWith("Encoder variant (qmtl.firstRotation: ry)"))).toBe(true);
    expect(rx.notes.some((n) => n.includes("RX(z) is a global phase"))).toBe(true);
    // the test metrics of the same seed and split differ (the first block's features now reach the state)
    expect(ry.runs[0]!.test).not.toEqual(rx.runs[0]!.test);
    if (suite === "glue")
      expect(ry.runs[0]!.test["STS-B"]!["mse"]).not.toBe(rx.runs[0]!.test["STS-B"]!["mse"]);
    expect(printed(r.stdout, "first=ry").slice(1, 3)).toEqual(["qmtl", "2"]);

    if (suite !== "glue") return;
    const rep_ = qmtl(tmp, ["report", dir]);
    expect(rep_.code, rep_.stderr).toBe(0);
    const md = readFileSync(join(dir, "report.md"), "utf8");
    expect(md).toContain("## Selection metrics and their macro average");
    expect(md).toMatch(/\| first=ry \| qmtl \| 2 \| -?\d\.\d{3} ± \d\.\d{3} \|/);
    expect(md).toContain("Loading the first block with RY");
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).toContain("STS-B spearman");
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(1);
  }, 240_000);
});
