/**
 * CheXpert's binary evaluation of 3-class outputs (paper Eq. 25, App. A.2/C.2).
 * Class order: 0 uncertain, 1 negative, 2 positive. The positive probability
 * is renormalised without the uncertain class, p+ = p_pos / (p_pos + p_neg),
 * which from logits is exactly sigmoid(z_pos - z_neg) (no division, no
 * underflow). Only samples labelled negative or positive are scored
 * (uncertain and missing, -100, are left out); prediction = p+ >= threshold
 * (0.5); accuracy, precision, recall and F1 are for the positive class.
 */
import { ValidationError, requireLength } from "../../core/errors.ts";
import { sigmoid } from "../losses/bce.ts";
import { accuracy, precisionRecallF1 } from "./classification.ts";

export const CHEXPERT_UNCERTAIN = 0;
export const CHEXPERT_NEGATIVE = 1;
export const CHEXPERT_POSITIVE = 2;

function requireThreeColumns(field: string, v: Float64Array): number {
  if (v.length % 3 !== 0)
    throw new ValidationError(
      field,
      "3 values per sample (uncertain, negative, positive)",
      `length ${v.length}`,
    );
  return v.length / 3;
}

/** p+ per sample from 3-class probabilities; 0.5 when p_pos + p_neg is 0. */
export function chexpertPositiveFromProbs(probs: Float64Array): Float64Array {
  const rows = requireThreeColumns("chexpertPositiveFromProbs.probs", probs);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const neg = probs[3 * r + CHEXPERT_NEGATIVE];
    const pos = probs[3 * r + CHEXPERT_POSITIVE];
    out[r] = neg + pos === 0 ? 0.5 : pos / (neg + pos);
  }
  return out;
}

/** p+ per sample from 3-class logits: softmax then renormalise, computed as sigmoid(z_pos - z_neg). */
export function chexpertPositiveFromLogits(logits: Float64Array): Float64Array {
  const rows = requireThreeColumns("chexpertPositiveFromLogits.logits", logits);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++)
    out[r] = sigmoid(logits[3 * r + CHEXPERT_POSITIVE] - logits[3 * r + CHEXPERT_NEGATIVE]);
  return out;
}

export interface ChexpertBinary {
  /** 1 = positive, 0 = negative, for the scored samples. */
  yTrue: number[];
  yPred: number[];
  pPos: number[];
  /** Indices of the scored samples in the input. */
  kept: number[];
}

/** The binary problem: samples labelled negative/positive, with their predictions. */
export function chexpertBinary(
  pPos: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold = 0.5,
): ChexpertBinary {
  requireLength("chexpertBinary.labels", labels, pPos.length);
  const out: ChexpertBinary = { yTrue: [], yPred: [], pPos: [], kept: [] };
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== CHEXPERT_NEGATIVE && y !== CHEXPERT_POSITIVE) continue;
    const p = pPos[i] as number;
    out.yTrue.push(y === CHEXPERT_POSITIVE ? 1 : 0);
    out.yPred.push(p >= threshold ? 1 : 0);
    out.pPos.push(p);
    out.kept.push(i);
  }
  return out;
}

export interface ChexpertScores {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** Number of scored (negative or positive) samples. */
  n: number;
}

/** Accuracy and positive-class P/R/F1 of one task from its 3-class logits and labels. */
export function chexpertTaskScores(
  logits: Float64Array,
  labels: ArrayLike<number>,
  threshold = 0.5,
): ChexpertScores {
  const b = chexpertBinary(chexpertPositiveFromLogits(logits), labels, threshold);
  const prf = precisionRecallF1(b.yTrue, b.yPred, { average: "binary", posLabel: 1 });
  return { accuracy: accuracy(b.yTrue, b.yPred), ...prf, n: b.yTrue.length };
}
