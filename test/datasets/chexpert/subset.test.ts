import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../../src/data/data-paths.ts";
import { parseChexpertCsv, type ChexpertRow } from "../../../src/datasets/chexpert/labels.ts";
import { patientFolds, patientValidation, sexBalancedSubset } from "../../../src/datasets/chexpert/subset.ts";
import { Rng } from "../../../src/core/rng.ts";

const VALID = join(repoRoot(), "test", "fixtures", "chexpert", "CheXpert-v1.0-small", "valid.csv");
const rows = parseChexpertCsv(readFileSync(VALID, "utf8"), VALID);

/** many images per patient, to make patient-level folding matter */
function syntheticRows(patients: number, seed: number): ChexpertRow[] {
  const rng = new Rng(seed);
  const out: ChexpertRow[] = [];
  for (let p = 0; p < patients; p++) {
    const n = 1 + rng.int(6);
    const sex = rng.uniform() < 0.5 ? "Male" : rng.uniform() < 0.9 ? "Female" : "Unknown";
    for (let k = 0; k < n; k++) {
      const patient = `patient${String(p).padStart(5, "0")}`;
      out.push({
        path: `CheXpert-v1.0-small/train/${patient}/study${k + 1}/view1_frontal.jpg`,
        patient,
        sex,
        age: 50,
        view: k % 3 === 2 ? "Lateral" : "Frontal",
        raw: [1, 0, -1, null, 1],
        line: out.length + 2,
      });
    }
  }
  return out;
}

describe("sex-balanced sample", () => {
  it("draws exactly N per sex, in CSV order, reproducibly, and differently for another seed", () => {
    const a = sexBalancedSubset(rows, { perSex: 50, seed: 3, views: "all" });
    expect(a.length).toBe(100);
    expect(a.filter((i) => rows[i]!.sex === "Male").length).toBe(50);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(sexBalancedSubset(rows, { perSex: 50, seed: 3, views: "all" })).toEqual(a);
    expect(sexBalancedSubset(rows, { perSex: 50, seed: 4, views: "all" })).not.toEqual(a);
    const f = sexBalancedSubset(rows, { perSex: 40, seed: 3, views: "frontal" });
    expect(f.every((i) => rows[i]!.view === "Frontal")).toBe(true);
  });

  it("never draws unknown sex, and says how many there are when N is too large", () => {
    const syn = syntheticRows(300, 1);
    const s = sexBalancedSubset(syn, { perSex: 100, seed: 0, views: "all" });
    expect(s.every((i) => syn[i]!.sex !== "Unknown")).toBe(true);
    expect(() => sexBalancedSubset(rows, { perSex: 107, seed: 0, views: "all" })).toThrow(
      /perSex: expected at most 106 \(the female images/,
    );
  });
});

describe("patient-level folds", () => {
  for (const [name, data] of [
    ["real validation rows", rows],
    ["synthetic, up to 6 images per patient", syntheticRows(400, 7)],
  ] as const) {
    it(`no patient is in two folds, and folds are balanced (${name})`, () => {
      const sel = sexBalancedSubset(data, { perSex: 100, seed: 1, views: "all" });
      const fold = patientFolds(data, sel, 5, 9);
      const where = new Map<string, Set<number>>();
      sel.forEach((i, pos) => {
        const p = data[i]!.patient;
        if (!where.has(p)) where.set(p, new Set());
        where.get(p)!.add(fold[pos]!);
      });
      for (const fs of where.values()) expect(fs.size).toBe(1);
      const sizes = [0, 1, 2, 3, 4].map((f) => fold.filter((g) => g === f).length);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(sel.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(6);
      expect(patientFolds(data, sel, 5, 9)).toEqual(fold);
      // validation inside the training part is patient-level too, and disjoint from train
      const trainPos = fold.flatMap((g, pos) => (g === 0 ? [] : [pos]));
      const { train, val } = patientValidation(data, sel, trainPos, 0.1, 5);
      expect(train.length + val.length).toBe(trainPos.length);
      expect(val.length).toBeGreaterThan(0);
      const trainPatients = new Set(train.map((pos) => data[sel[pos]!]!.patient));
      expect(val.some((pos) => trainPatients.has(data[sel[pos]!]!.patient))).toBe(false);
      expect(Math.abs(val.length - 0.1 * trainPos.length)).toBeLessThanOrEqual(6);
    });
  }

  it("refuses more folds than patients", () => {
    const one = rows.filter((r) => r.patient === rows[0]!.patient);
    expect(() =>
      patientFolds(
        one,
        one.map((_, i) => i),
        2,
        0,
      ),
    ).toThrow(/folds: expected at most 1/);
  });
});
