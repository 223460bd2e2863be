import { ValidationError } from "../core/errors.ts";
import type { FeatureMatrix } from "./feature-matrix.ts";

/**
 * Checks on feature values that every transform must keep true: finite, and
 * of a magnitude standardisation can handle. Loaders call checkFeatureValues
 * on what they read; the experiment code calls checkStandardized after it
 * standardises (or otherwise transforms) features, so a column that became
 * NaN, or collapsed to one value although the file's column was not
 * constant (1e200-sized values lose every digit of their spread), stops the
 * run naming the file, the column and what to do.
 */

/** Largest |value| a feature may have: squares (variances) of larger values overflow or lose all precision. */
export const MAX_FEATURE_MAGNITUDE = 1e100;

function cell(m: FeatureMatrix, i: number, rowIds?: readonly string[]): string {
  const r = Math.floor(i / m.cols);
  const id = rowIds?.[r];
  return `row ${r}${id === undefined ? "" : ` (id ${id})`} column ${i % m.cols}`;
}

/** Throws unless every value is finite and of magnitude at most MAX_FEATURE_MAGNITUDE; names the first bad cell. */
export function checkFeatureValues(field: string, m: FeatureMatrix, rowIds?: readonly string[]): void {
  const d = m.data;
  for (let i = 0; i < d.length; i++) {
    const x = d[i]!;
    if (!Number.isFinite(x)) throw new ValidationError(`${field} ${cell(m, i, rowIds)}`, "a finite number", x);
    if (Math.abs(x) > MAX_FEATURE_MAGNITUDE) {
      throw new ValidationError(
        `${field} ${cell(m, i, rowIds)}`,
        `a feature of magnitude at most ${MAX_FEATURE_MAGNITUDE} (larger values lose all precision when standardised; rescale the features)`,
        x,
      );
    }
  }
}

function columnRange(m: FeatureMatrix, c: number): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let r = 0; r < m.rows; r++) {
    const x = m.data[r * m.cols + c]!;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/**
 * After a transform (standardisation): every value finite, the shape kept,
 * and no column that varied before is constant after.
 */
export function checkStandardized(field: string, before: FeatureMatrix, after: FeatureMatrix): void {
  if (before.rows !== after.rows || before.cols !== after.cols) {
    throw new ValidationError(`${field} (standardised)`, `shape ${before.rows} x ${before.cols} kept`, `${after.rows} x ${after.cols}`);
  }
  for (let i = 0; i < after.data.length; i++) {
    if (!Number.isFinite(after.data[i]!)) {
      throw new ValidationError(`${field} ${cell(after, i)} (standardised)`, "a finite number after standardisation", after.data[i]);
    }
  }
  for (let c = 0; c < before.cols; c++) {
    const [blo, bhi] = columnRange(before, c);
    const [alo, ahi] = columnRange(after, c);
    if (bhi > blo && !(ahi > alo)) {
      throw new ValidationError(
        `${field} column ${c} (standardised)`,
        `a column that still varies after standardisation (it ranged over [${blo}, ${bhi}]; values this large or this close together lose their spread: rescale the features)`,
        `all ${alo}`,
      );
    }
  }
}
