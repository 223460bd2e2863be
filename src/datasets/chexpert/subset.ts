/**
 * The paper's sample of CheXpert (App. A.2): N images of male and N of
 * female patients, drawn with a seeded Rng; and five folds at patient level,
 * so no patient's images are on both sides of a split (several studies and
 * views of one patient are strongly correlated). Each fold's training part
 * gives up a patient-level validation set for checkpoint selection.
 */
import { ValidationError, requireInt } from "../../core/errors.ts";
import { Rng } from "../../core/rng.ts";
import type { ChexpertRow } from "./labels.ts";

export interface SubsetOptions {
  /** images per sex */
  readonly perSex: number;
  readonly seed: number;
  /** "frontal": frontal views only; "all": frontal and lateral */
  readonly views: "all" | "frontal";
}

/** Row indices of the sex-balanced sample, in CSV order. Rows of unknown sex are never drawn. */
export function sexBalancedSubset(rows: readonly ChexpertRow[], o: SubsetOptions): number[] {
  requireInt("perSex", o.perSex, 1);
  const rng = new Rng(o.seed).fork("chexpert-subset");
  const picked: number[] = [];
  for (const sex of ["Male", "Female"] as const) {
    const pool: number[] = [];
    rows.forEach((r, i) => {
      if (r.sex === sex && (o.views === "all" || r.view === "Frontal")) pool.push(i);
    });
    if (pool.length < o.perSex) {
      throw new ValidationError(
        "perSex",
        `at most ${pool.length} (the ${sex.toLowerCase()} ${o.views === "frontal" ? "frontal " : ""}images in the CSV)`,
        o.perSex,
      );
    }
    picked.push(...rng.shuffle(pool).slice(0, o.perSex));
  }
  return picked.sort((a, b) => a - b);
}

/**
 * Assigns patients to k folds: patients in a seeded random order, each to the
 * fold holding the fewest images so far (ties: lowest fold), which keeps fold
 * sizes within one patient's image count of each other. Returns each
 * selected row's fold.
 */
export function patientFolds(
  rows: readonly ChexpertRow[],
  selected: readonly number[],
  k: number,
  seed: number,
): number[] {
  requireInt("folds", k, 2);
  const byPatient = new Map<string, number[]>();
  selected.forEach((i, pos) => {
    const p = rows[i]!.patient;
    const list = byPatient.get(p);
    if (list) list.push(pos);
    else byPatient.set(p, [pos]);
  });
  if (byPatient.size < k)
    throw new ValidationError("folds", `at most ${byPatient.size} (the number of patients in the sample)`, k);
  const patients = new Rng(seed).fork("chexpert-folds").shuffle([...byPatient.keys()].sort());
  const size = new Array<number>(k).fill(0);
  const fold = new Array<number>(selected.length).fill(-1);
  for (const p of patients) {
    let f = 0;
    for (let j = 1; j < k; j++) if (size[j]! < size[f]!) f = j;
    for (const pos of byPatient.get(p)!) fold[pos] = f;
    size[f]! += byPatient.get(p)!.length;
  }
  return fold;
}

/**
 * Splits training positions into train and validation at patient level:
 * patients in a seeded order join validation until it holds at least
 * `fraction` of the images (at least one patient, never all).
 */
export function patientValidation(
  rows: readonly ChexpertRow[],
  selected: readonly number[],
  trainPos: readonly number[],
  fraction: number,
  seed: number,
): { train: number[]; val: number[] } {
  const byPatient = new Map<string, number[]>();
  for (const pos of trainPos) {
    const p = rows[selected[pos]!]!.patient;
    const list = byPatient.get(p);
    if (list) list.push(pos);
    else byPatient.set(p, [pos]);
  }
  if (byPatient.size < 2)
    throw new ValidationError(
      "valFraction",
      "a training part with at least two patients (one for validation)",
      byPatient.size,
    );
  const patients = new Rng(seed).fork("chexpert-val").shuffle([...byPatient.keys()].sort());
  const valSet = new Set<number>();
  const want = Math.max(1, Math.round(fraction * trainPos.length));
  for (const p of patients.slice(0, -1)) {
    if (valSet.size >= want) break;
    for (const pos of byPatient.get(p)!) valSet.add(pos);
  }
  return { train: trainPos.filter((p) => !valSet.has(p)), val: trainPos.filter((p) => valSet.has(p)) };
}
