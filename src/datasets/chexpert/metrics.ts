/**
 * The paper's CheXpert evaluation (App. C.2, Eq. 25) as the suite's metrics:
 * per task, the 3-class logits become p+ = p_pos / (p_pos + p_neg) on the
 * samples labelled negative or positive (uncertain and blank are not
 * scored), thresholded at 0.5; accuracy and the positive class's precision,
 * recall and F1; and AUROC of p+ (what CheXpert papers report). A task whose
 * scored samples hold a single class has no AUROC: the key is left out
 * rather than filled with a made-up value.
 */
import type { TaskInfo } from "../../models/task-info.ts";
import { ValidationError } from "../../core/errors.ts";
import type { MultiTaskData } from "../../training/dataset.ts";
import type { TaskMetrics } from "../../training/evaluate.ts";
import { averageRanks } from "../../training/metrics/correlation.ts";
import {
  chexpertBinary,
  chexpertPositiveFromLogits,
  chexpertTaskScores,
} from "../../training/metrics/chexpert.ts";

/**
 * Area under the ROC curve of scores for binary labels (1 positive, 0
 * negative): the Mann-Whitney statistic with tied scores counted one half,
 * (sum of positives' average ranks - P(P+1)/2) / (P N). Null when P or N is 0.
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  if (scores.length !== labels.length)
    throw new ValidationError("auroc.labels", `length ${scores.length}`, `length ${labels.length}`);
  const ranks = averageRanks(scores);
  let pos = 0,
    neg = 0,
    rankSum = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y === 1) {
      pos++;
      rankSum += ranks[i]!;
    } else if (y === 0) neg++;
    else throw new ValidationError(`auroc.labels[${i}]`, "0 or 1", y);
  }
  if (pos === 0 || neg === 0) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Per task: accuracy, precision, recall, f1 (positive class), auroc, n (scored samples), n_uncertain, n_missing. */
export function chexpertMetrics(
  tasks: readonly TaskInfo[],
  logits: Float64Array,
  nOutputs: number,
  data: MultiTaskData,
): TaskMetrics {
  if (logits.length !== data.n * nOutputs)
    throw new ValidationError(
      "chexpertMetrics.logits",
      `${data.n} x ${nOutputs} values`,
      `length ${logits.length}`,
    );
  const out: TaskMetrics = {};
  tasks.forEach((t, k) => {
    if (t.kind !== "multiclass" || t.nOutputs !== 3)
      throw new ValidationError(
        `chexpertMetrics.tasks[${t.name}]`,
        "a 3-class task (uncertain, negative, positive)",
        `${t.kind} with ${t.nOutputs} outputs`,
      );
    const z = new Float64Array(data.n * 3);
    for (let i = 0; i < data.n; i++)
      z.set(logits.subarray(i * nOutputs + t.outputOffset, i * nOutputs + t.outputOffset + 3), i * 3);
    const y = data.labels[k]!;
    const s = chexpertTaskScores(z, y);
    const b = chexpertBinary(chexpertPositiveFromLogits(z), y);
    let unc = 0,
      miss = 0;
    for (let i = 0; i < data.n; i++) {
      if (y[i] === 0) unc++;
      else if (y[i] !== 1 && y[i] !== 2) miss++;
    }
    const m: Record<string, number> = {
      accuracy: s.accuracy,
      precision: s.precision,
      recall: s.recall,
      f1: s.f1,
      n: s.n,
      n_uncertain: unc,
      n_missing: miss,
    };
    const a = auroc(b.pPos, b.yTrue);
    if (a !== null) m["auroc"] = a;
    out[t.name] = m;
  });
  return out;
}
