/** Input checks shared by the metrics. */
import { ValidationError, requireLength } from "../../core/errors.ts";

/** Throws unless both label vectors have the same length and hold integers. */
export function requireLabelPairs(field: string, yTrue: ArrayLike<number>, yPred: ArrayLike<number>): void {
  requireLength(`${field}.yPred`, yPred, yTrue.length);
  for (const [name, ys] of [
    ["yTrue", yTrue],
    ["yPred", yPred],
  ] as const) {
    for (let i = 0; i < ys.length; i++) {
      if (!Number.isInteger(ys[i]))
        throw new ValidationError(`${field}.${name}[${i}]`, "an integer class label", ys[i]);
    }
  }
}

/** a / b, or 0 when b is 0 (sklearn's zero_division=0). */
export function safeDiv(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/** Sorted distinct values of the union of two label vectors (sklearn's unique_labels). */
export function uniqueLabels(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const set = new Set<number>();
  for (let i = 0; i < a.length; i++) set.add(a[i] as number);
  for (let i = 0; i < b.length; i++) set.add(b[i] as number);
  return [...set].sort((x, y) => x - y);
}
