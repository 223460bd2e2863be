import type { MultiTaskData } from "../training/dataset.ts";

/**
 * Z-scores every feature column with the mean and standard deviation of the
 * training part only (no information from validation or test leaks in);
 * constant columns are centred and left unscaled.
 */
export function standardize(train: MultiTaskData, others: readonly MultiTaskData[]): { train: MultiTaskData; others: MultiTaskData[] } {
  const d = train.dim;
  const mean = new Float64Array(d), sd = new Float64Array(d);
  for (let i = 0; i < train.n; i++) for (let j = 0; j < d; j++) mean[j]! += train.features[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= Math.max(1, train.n);
  for (let i = 0; i < train.n; i++) for (let j = 0; j < d; j++) sd[j]! += (train.features[i * d + j]! - mean[j]!) ** 2;
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(sd[j]! / Math.max(1, train.n - 1));
    sd[j] = s > 1e-12 ? s : 1;
  }
  const apply = (x: MultiTaskData): MultiTaskData => {
    const f = new Float64Array(x.features.length);
    for (let i = 0; i < x.n; i++) for (let j = 0; j < d; j++) f[i * d + j] = (x.features[i * d + j]! - mean[j]!) / sd[j]!;
    return { ...x, features: f };
  };
  return { train: apply(train), others: others.map(apply) };
}
