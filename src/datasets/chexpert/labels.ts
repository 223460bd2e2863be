/**
 * CheXpert's label files (train.csv / valid.csv of CheXpert-v1.0-small): the
 * official header, one row per image, and the paper's label mapping for the
 * five competition tasks (App. A.2): uncertain (-1.0) -> 0, negative (0.0)
 * -> 1, positive (1.0) -> 2, blank -> masked (-100). The usual uncertainty
 * policies are options: U-Ignore (uncertain masked), U-Zeros (uncertain ->
 * negative), U-Ones (uncertain -> positive); the paper keeps uncertain as its
 * own class ("u-multiclass").
 */
import { parse } from "csv-parse/sync";
import { ValidationError } from "../../core/errors.ts";
import { MISSING } from "../../training/dataset.ts";
import type { TaskDef } from "../../models/task-info.ts";

/** The header of the official CSVs, in order. */
export const CHEXPERT_HEADER = [
  "Path",
  "Sex",
  "Age",
  "Frontal/Lateral",
  "AP/PA",
  "No Finding",
  "Enlarged Cardiomediastinum",
  "Cardiomegaly",
  "Lung Opacity",
  "Lung Lesion",
  "Edema",
  "Consolidation",
  "Pneumonia",
  "Atelectasis",
  "Pneumothorax",
  "Pleural Effusion",
  "Pleural Other",
  "Fracture",
  "Support Devices",
] as const;

/** The five competition tasks (Irvin et al. 2019), in the paper's order. */
export const COMPETITION_TASKS = [
  "Atelectasis",
  "Cardiomegaly",
  "Consolidation",
  "Edema",
  "Pleural Effusion",
] as const;

/** The suite's tasks: the five competition tasks, 3 classes each. */
export const CHEXPERT_TASKS: readonly TaskDef[] = COMPETITION_TASKS.map((name) => ({
  name,
  kind: "multiclass",
  numClasses: 3,
}));

/** Class indices of the paper's mapping, and the class names in index order. */
export const UNCERTAIN = 0,
  NEGATIVE = 1,
  POSITIVE = 2;
export const CLASS_NAMES = ["uncertain", "negative", "positive"] as const;

export type UncertaintyPolicy = "u-multiclass" | "u-ignore" | "u-zeros" | "u-ones";
export const UNCERTAINTY_POLICIES: readonly UncertaintyPolicy[] = [
  "u-multiclass",
  "u-ignore",
  "u-zeros",
  "u-ones",
];

export interface ChexpertRow {
  /** the CSV's Path, e.g. CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg */
  readonly path: string;
  /** "patient00001": the unit of the folds */
  readonly patient: string;
  readonly sex: "Male" | "Female" | "Unknown";
  readonly age: number;
  readonly view: "Frontal" | "Lateral";
  /** the raw value of each competition task: 1, 0, -1, or null (blank) */
  readonly raw: readonly (number | null)[];
  /** 1-based line in the CSV (the header is line 1) */
  readonly line: number;
}

const PATH_RE =
  /^CheXpert-v1\.0-small\/(train|valid)\/(patient\d{5})\/study\d+\/view\d+_(frontal|lateral)\.jpg$/;

/** Parses a label CSV's text; `file` names it in errors. Every problem names the file, line and column. */
export function parseChexpertCsv(text: string, file: string): ChexpertRow[] {
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: false, skip_empty_lines: true, bom: true }) as string[][];
  } catch (e) {
    throw new ValidationError(file, "a CSV file", e instanceof Error ? e.message : String(e));
  }
  const header = records[0];
  if (header === undefined) throw new ValidationError(file, "a header line and rows", "an empty file");
  if (header.length !== CHEXPERT_HEADER.length || header.some((h, i) => h.trim() !== CHEXPERT_HEADER[i])) {
    const official = `the official CheXpert header (${CHEXPERT_HEADER.length} columns: ${CHEXPERT_HEADER.slice(0, 6).join(",")},...)`;
    const bad = header.findIndex((h, i) => h.trim() !== CHEXPERT_HEADER[i]);
    if (bad < 0 || bad >= CHEXPERT_HEADER.length)
      throw new ValidationError(`${file} header`, official, `${header.length} columns`);
    throw new ValidationError(
      `${file} header column ${bad + 1}`,
      `"${CHEXPERT_HEADER[bad]}" (${official})`,
      header[bad],
    );
  }
  const col = (name: string): number => CHEXPERT_HEADER.indexOf(name as (typeof CHEXPERT_HEADER)[number]);
  const taskCols = COMPETITION_TASKS.map(col);
  if (records.length < 2)
    throw new ValidationError(file, "at least one row after the header", "only the header");
  return records.slice(1).map((r, k) => {
    const line = k + 2;
    const at = (c: number): string => `${file}:${line} column "${CHEXPERT_HEADER[c]}"`;
    const path = r[0]!.trim();
    const m = PATH_RE.exec(path);
    if (!m)
      throw new ValidationError(
        at(0),
        "a path like CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg",
        path,
      );
    const sex = r[1]!.trim();
    if (sex !== "Male" && sex !== "Female" && sex !== "Unknown")
      throw new ValidationError(at(1), "Male, Female or Unknown", sex);
    const age = Number(r[2]!.trim());
    if (!Number.isInteger(age) || age < 0 || age > 130)
      throw new ValidationError(at(2), "an age in years (0..130)", r[2]);
    const view = r[3]!.trim();
    if (view !== "Frontal" && view !== "Lateral")
      throw new ValidationError(at(3), "Frontal or Lateral", view);
    const raw = taskCols.map((c) => {
      const v = r[c]!.trim();
      if (v === "") return null;
      const x = Number(v);
      if (x !== 1 && x !== 0 && x !== -1) throw new ValidationError(at(c), "1.0, 0.0, -1.0 or blank", v);
      return x;
    });
    return { path, patient: m[2]!, sex, age, view, raw, line };
  });
}

/** The class index (or MISSING) of a raw value under a policy. */
export function mapLabel(raw: number | null, policy: UncertaintyPolicy): number {
  if (raw === null) return MISSING;
  if (raw === 1) return POSITIVE;
  if (raw === 0) return NEGATIVE;
  if (raw !== -1) throw new ValidationError("chexpert label", "1, 0, -1 or blank", raw);
  switch (policy) {
    case "u-multiclass":
      return UNCERTAIN;
    case "u-ignore":
      return MISSING;
    case "u-zeros":
      return NEGATIVE;
    case "u-ones":
      return POSITIVE;
  }
}

/** Per task, the class index of every row under `policy`. */
export function labelMatrix(rows: readonly ChexpertRow[], policy: UncertaintyPolicy): Float64Array[] {
  return COMPETITION_TASKS.map((_, t) => Float64Array.from(rows, (r) => mapLabel(r.raw[t]!, policy)));
}
