/**
 * Inverse-frequency class weights (paper Eq. 23): w_c = N / (K * n_c), with
 * n_c the number of samples labelled c (missing labels, -100, never count as
 * a class) and K = numClasses.
 *
 * N: by default the number of samples in the split, labelled or not, as
 * Eq. 23 reads ("the total number of samples in the training split"), i.e.
 * `labels.length`. With `n: "labelled"` it is the number of labelled samples
 * (sklearn's class_weight="balanced"). The two agree when nothing is missing.
 * A class that never occurs gets weight 0 instead of Infinity: it can never
 * be a training target, and a 0 keeps every loss finite.
 */
import { IGNORE_INDEX, requireClassLabels } from "./common.ts";
import { requireInt } from "../../core/errors.ts";

export interface ClassWeightOptions {
  /** What N counts: "all" samples of the split (default, Eq. 23) or only "labelled" ones. */
  n?: "all" | "labelled";
  ignoreIndex?: number;
}

export function inverseFrequencyWeights(
  labels: ArrayLike<number>,
  numClasses: number,
  options: ClassWeightOptions = {},
): Float64Array {
  requireInt("inverseFrequencyWeights.numClasses", numClasses, 1);
  const ignore = options.ignoreIndex ?? IGNORE_INDEX;
  requireClassLabels("inverseFrequencyWeights.labels", labels, numClasses, ignore);
  const counts = new Float64Array(numClasses);
  let labelled = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (y === ignore) continue;
    counts[y] += 1;
    labelled++;
  }
  const n = (options.n ?? "all") === "all" ? labels.length : labelled;
  const w = new Float64Array(numClasses);
  for (let c = 0; c < numClasses; c++) w[c] = counts[c] === 0 ? 0 : n / (numClasses * counts[c]);
  return w;
}
