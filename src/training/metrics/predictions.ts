/** Turning model outputs into class predictions, and dropping missing labels. */
import { ValidationError, requireInt } from "../../core/errors.ts";
import { IGNORE_INDEX } from "../losses/common.ts";

/** Index of the largest score in each row of a (rows, K) block; the first one on ties (torch.argmax). */
export function argmaxRows(scores: Float64Array, numClasses: number): Int32Array {
  requireInt("argmaxRows.numClasses", numClasses, 1);
  if (scores.length % numClasses !== 0) {
    throw new ValidationError(
      "argmaxRows.scores",
      `a length divisible by ${numClasses}`,
      `length ${scores.length}`,
    );
  }
  const rows = scores.length / numClasses;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++)
      if (scores[r * numClasses + c] > scores[r * numClasses + best]) best = c;
    out[r] = best;
  }
  return out;
}

/** Binary predictions from single logits: sigmoid(z) >= threshold (0.5 <=> z >= 0). */
export function binaryFromLogits(logits: ArrayLike<number>, threshold = 0.5): Int32Array {
  if (!(threshold > 0 && threshold < 1))
    throw new ValidationError("binaryFromLogits.threshold", "a number in (0, 1)", threshold);
  const cut = Math.log(threshold / (1 - threshold));
  const out = new Int32Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = (logits[i] as number) >= cut ? 1 : 0;
  return out;
}

/** Keeps the pairs whose true label is not the ignore index (-100). */
export function dropMissing(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  ignoreIndex = IGNORE_INDEX,
): { yTrue: number[]; yPred: number[] } {
  const t: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] === ignoreIndex) continue;
    t.push(yTrue[i] as number);
    p.push(yPred[i] as number);
  }
  return { yTrue: t, yPred: p };
}
