import { ValidationError } from "../core/errors.ts";
import type { Standardization } from "../models/saved-model.ts";
import type { MultiTaskData } from "../training/dataset.ts";

/**
 * Z-scores every feature column with the mean and standard deviation of the
 * training part only (no information from validation or test leaks in);
 * constant columns are centred and left unscaled. Features so large that their
 * moments overflow (|x| ~ 1e154 and up) would turn into zeros: refused, naming
 * the column.
 */
export function fitStandardization(train: MultiTaskData, field = "features"): Standardization {
  const d = train.dim;
  const mean = new Float64Array(d),
    sd = new Float64Array(d);
  for (let i = 0; i < train.n; i++) for (let j = 0; j < d; j++) mean[j]! += train.features[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= Math.max(1, train.n);
  for (let i = 0; i < train.n; i++)
    for (let j = 0; j < d; j++) sd[j]! += (train.features[i * d + j]! - mean[j]!) ** 2;
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(sd[j]! / Math.max(1, train.n - 1));
    if (!Number.isFinite(mean[j]!) || !Number.isFinite(s)) {
      throw new ValidationError(
        `${field}[:, ${j}]`,
        "feature values whose mean and standard deviation are finite (this column overflows float64: rescale the features)",
      );
    }
    sd[j] = s > 1e-12 ? s : 1;
  }
  return { mean: Array.from(mean), std: Array.from(sd) };
}

export function applyStandardization(x: MultiTaskData, s: Standardization): MultiTaskData {
  const d = x.dim;
  const f = new Float64Array(x.features.length);
  for (let i = 0; i < x.n; i++)
    for (let j = 0; j < d; j++) f[i * d + j] = (x.features[i * d + j]! - s.mean[j]!) / s.std[j]!;
  return { ...x, features: f };
}

export function standardize(
  train: MultiTaskData,
  others: readonly MultiTaskData[],
): { train: MultiTaskData; others: MultiTaskData[]; stats: Standardization } {
  const stats = fitStandardization(train);
  return {
    train: applyStandardization(train, stats),
    others: others.map((o) => applyStandardization(o, stats)),
    stats,
  };
}
