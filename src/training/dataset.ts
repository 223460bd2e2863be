import { ValidationError, requireAllFinite } from "../core/errors.ts";
import type { TaskInfo } from "../models/task-info.ts";

/** Sentinel for a missing classification label (PyTorch's ignore_index). */
export const MISSING = -100;

/**
 * A multi-task dataset in memory: N feature rows of size D and, per task, N
 * labels. Classification labels are class indices (MISSING where absent);
 * regression targets are numbers (NaN where absent).
 */
export interface MultiTaskData {
  readonly n: number;
  readonly dim: number;
  readonly features: Float64Array;
  /** labels[t][i] for task t, sample i */
  readonly labels: readonly Float64Array[];
}

export function isMissing(task: TaskInfo, y: number): boolean {
  return task.kind === "regression" ? Number.isNaN(y) : y === MISSING;
}

/** Checks a data set against tasks: sizes, finiteness, label ranges (MISSING / NaN allowed for missing labels). */
export function validateData(data: MultiTaskData, tasks: readonly TaskInfo[], field = "data"): void {
  if (data.features.length !== data.n * data.dim) {
    throw new ValidationError(
      `${field}.features`,
      `length n*dim = ${data.n}*${data.dim}`,
      `length ${data.features.length}`,
    );
  }
  requireAllFinite(`${field}.features`, data.features);
  if (data.labels.length !== tasks.length)
    throw new ValidationError(
      `${field}.labels`,
      `one label vector per task (${tasks.length})`,
      data.labels.length,
    );
  tasks.forEach((t, k) => {
    const y = data.labels[k]!;
    if (y.length !== data.n)
      throw new ValidationError(`${field}.labels[${t.name}]`, `length ${data.n}`, `length ${y.length}`);
    for (let i = 0; i < y.length; i++) {
      const v = y[i]!;
      if (isMissing(t, v)) continue;
      if (t.kind === "regression") {
        if (!Number.isFinite(v))
          throw new ValidationError(
            `${field}.labels[${t.name}][${i}]`,
            "a finite target or NaN for missing",
            v,
          );
      } else if (!Number.isInteger(v) || v < 0 || v >= t.numClasses) {
        throw new ValidationError(
          `${field}.labels[${t.name}][${i}]`,
          `a class index in [0, ${t.numClasses - 1}] or ${MISSING} for missing`,
          v,
        );
      }
    }
  });
}

/** Rows `idx` of a dataset, as a new dataset. */
export function subset(data: MultiTaskData, idx: readonly number[]): MultiTaskData {
  const features = new Float64Array(idx.length * data.dim);
  idx.forEach((i, r) => features.set(data.features.subarray(i * data.dim, (i + 1) * data.dim), r * data.dim));
  return {
    n: idx.length,
    dim: data.dim,
    features,
    labels: data.labels.map((y) => Float64Array.from(idx, (i) => y[i]!)),
  };
}

/** A batch: its features and per-task labels, plus which rows of the source it holds. */
export interface Batch {
  readonly size: number;
  readonly features: Float64Array;
  readonly labels: readonly Float64Array[];
  /** the single task this batch trains (task-sampled protocol), or null for all tasks */
  readonly task: number | null;
}

export function gatherBatch(data: MultiTaskData, rows: readonly number[], task: number | null): Batch {
  const s = subset(data, rows);
  return { size: rows.length, features: s.features, labels: s.labels, task };
}
