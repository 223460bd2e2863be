import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/core/errors.ts";
import { repoRoot } from "../../../src/data/data-paths.ts";
import { MISSING } from "../../../src/training/dataset.ts";
import {
  CHEXPERT_HEADER,
  COMPETITION_TASKS,
  NEGATIVE,
  POSITIVE,
  UNCERTAIN,
  labelMatrix,
  mapLabel,
  parseChexpertCsv,
} from "../../../src/datasets/chexpert/labels.ts";

const VALID = join(repoRoot(), "test", "fixtures", "chexpert", "CheXpert-v1.0-small", "valid.csv");
const HEAD = CHEXPERT_HEADER.join(",");
/** a row with the 14 observations given in header order (competition tasks at 7, 10, 11, 13, 15 of 0..18) */
function row(path: string, sex: string, obs: string[]): string {
  return [path, sex, "61", path.includes("lateral") ? "Lateral" : "Frontal", "AP", ...obs].join(",");
}
const P = "CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg";

describe("CheXpert label CSV", () => {
  it("reads the real validation file: 234 rows, 200 patients, 128 male, the published positive counts", () => {
    const rows = parseChexpertCsv(readFileSync(VALID, "utf8"), VALID);
    expect(rows.length).toBe(234);
    expect(new Set(rows.map((r) => r.patient)).size).toBe(200);
    expect(rows.filter((r) => r.sex === "Male").length).toBe(128);
    expect(rows.filter((r) => r.view === "Frontal").length).toBe(202);
    const y = labelMatrix(rows, "u-multiclass");
    const positives = y.map((t) => t.filter((v) => v === POSITIVE).length);
    // Atelectasis 80, Cardiomegaly 68, Consolidation 33, Edema 45, Pleural Effusion 67 (PROVENANCE.md)
    expect(Object.fromEntries(COMPETITION_TASKS.map((t, k) => [t, positives[k]]))).toEqual({
      Atelectasis: 80,
      Cardiomegaly: 68,
      Consolidation: 33,
      Edema: 45,
      "Pleural Effusion": 67,
    });
    expect(y.every((t) => t.every((v) => v === POSITIVE || v === NEGATIVE))).toBe(true);
  });

  it("maps 1/0/-1/blank to {2, 1, 0, masked} and applies the uncertainty policies", () => {
    expect([1, 0, -1, null].map((v) => mapLabel(v, "u-multiclass"))).toEqual([
      POSITIVE,
      NEGATIVE,
      UNCERTAIN,
      MISSING,
    ]);
    expect([1, 0, -1, null].map((v) => mapLabel(v, "u-ignore"))).toEqual([2, 1, MISSING, MISSING]);
    expect([1, 0, -1, null].map((v) => mapLabel(v, "u-zeros"))).toEqual([2, 1, 1, MISSING]);
    expect([1, 0, -1, null].map((v) => mapLabel(v, "u-ones"))).toEqual([2, 1, 2, MISSING]);
  });

  it("reads uncertain and blank cells of the competition columns from their own columns", () => {
    const obs = Array.from({ length: 14 }, () => "");
    obs[8] = "-1.0"; // Atelectasis is header column 13 -> observation 8
    obs[2] = "1.0"; // Cardiomegaly
    obs[10] = "0.0"; // Pleural Effusion
    obs[0] = "1.0"; // No Finding, not a competition task
    const rows = parseChexpertCsv(`${HEAD}\n${row(P, "Female", obs)}\n`, "t.csv");
    expect(rows[0]!.raw).toEqual([-1, 1, null, null, 0]);
    expect(labelMatrix(rows, "u-multiclass").map((t) => t[0])).toEqual([
      UNCERTAIN,
      POSITIVE,
      MISSING,
      MISSING,
      NEGATIVE,
    ]);
  });

  it("rejects a wrong header, naming the column", () => {
    const bad = HEAD.replace("Pleural Effusion", "Effusion");
    expect(() => parseChexpertCsv(`${bad}\n${row(P, "Male", Array(14).fill("0.0"))}\n`, "x.csv")).toThrow(
      /x\.csv header column 16: expected "Pleural Effusion" \(the official CheXpert header.*got "Effusion"/,
    );
    expect(() => parseChexpertCsv(`Path,Sex\n${P},Male\n`, "y.csv")).toThrow(ValidationError);
  });

  it("rejects bad cells with file, line and column", () => {
    const obs = Array(14).fill("0.0");
    obs[5] = "2.0"; // Edema
    expect(() =>
      parseChexpertCsv(`${HEAD}\n${row(P, "Male", Array(14).fill(""))}\n${row(P, "Male", obs)}\n`, "z.csv"),
    ).toThrow(/z\.csv:3 column "Edema"/);
    expect(() =>
      parseChexpertCsv(`${HEAD}\n${row("train/p1.jpg", "Male", Array(14).fill(""))}\n`, "z.csv"),
    ).toThrow(/z\.csv:2 column "Path"/);
    expect(() => parseChexpertCsv(`${HEAD}\n${row(P, "M", Array(14).fill(""))}\n`, "z.csv")).toThrow(
      /column "Sex"/,
    );
    expect(() => parseChexpertCsv(`${HEAD}\n`, "z.csv")).toThrow(/at least one row/);
    expect(() => parseChexpertCsv(`${HEAD}\n${P},Male,61\n`, "z.csv")).toThrow(ValidationError);
  });
});
