import type { Fold } from "../data/splits.ts";
import type { TaskInfo } from "../models/task-info.ts";
import { isMissing, subset, type MultiTaskData } from "../training/dataset.ts";
import { taskMetrics, type TaskMetrics } from "../training/evaluate.ts";

/**
 * The majority-class predictor of each fold: for every classification task it
 * predicts the most frequent training class (ties: the smaller index) on the
 * test fold. Implemented as constant logits through the same metric code the
 * heads use, so the comparison is like for like.
 */
export function majorityBaseline(tasks: readonly TaskInfo[], data: MultiTaskData, fold: Fold): TaskMetrics {
  const nOut = tasks.reduce((a, t) => a + t.nOutputs, 0);
  const test = subset(data, fold.test);
  const logits = new Float64Array(test.n * nOut);
  tasks.forEach((t, k) => {
    const y = data.labels[k]!;
    if (t.kind === "regression") {
      let s = 0,
        n = 0;
      for (const i of fold.train)
        if (!isMissing(t, y[i]!)) {
          s += y[i]!;
          n++;
        }
      for (let r = 0; r < test.n; r++) logits[r * nOut + t.outputOffset] = n ? s / n : 0;
      return;
    }
    const counts = new Array<number>(t.numClasses).fill(0);
    for (const i of fold.train) if (!isMissing(t, y[i]!)) counts[y[i]!]!++;
    const maj = counts.indexOf(Math.max(...counts));
    for (let r = 0; r < test.n; r++) {
      if (t.kind === "binary") logits[r * nOut + t.outputOffset] = maj === 1 ? 1 : -1;
      else logits[r * nOut + t.outputOffset + maj] = 1;
    }
  });
  return taskMetrics(tasks, logits, nOut, test);
}
