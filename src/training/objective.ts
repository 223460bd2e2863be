import { ValidationError } from "../core/errors.ts";
import type { TaskInfo } from "../models/task-info.ts";
import { bceWithLogits } from "./losses/bce.ts";
import { crossEntropy } from "./losses/ce.ts";
import { focalLoss } from "./losses/focal.ts";
import { mse } from "./losses/mse.ts";
import type { LossResult } from "./losses/common.ts";
import { MISSING, type MultiTaskData } from "./dataset.ts";
import { inverseFrequencyWeights } from "./losses/class-weights.ts";

export type LossKind = "bce" | "ce" | "mse" | "focal";

/**
 * How one task is scored: its loss, its weight lambda_t, optional class weights and focal settings.
 * `classWeights: "inverse-frequency"` asks `train` for Eq. 23's w_c = N / (K n_c) from the labels
 * of the rows it trains on (see resolveClassWeights).
 */
export interface TaskLoss {
  readonly kind: LossKind;
  readonly weight: number;
  readonly classWeights?: Float64Array | "inverse-frequency";
  readonly gamma?: number;
  readonly alpha?: number;
}

/** Names the first task whose part of the loss is not finite (or null). */
export function nonFiniteTask(tasks: readonly TaskInfo[], r: ObjectiveResult): string | null {
  const k = r.parts.findIndex((p) => !Number.isFinite(p));
  if (k >= 0) return tasks[k]!.name;
  return Number.isFinite(r.loss) ? null : tasks.map((t) => t.name).join(", ");
}

export interface ObjectiveResult {
  readonly loss: number;
  /** d loss / d logits, batch * nOutputs */
  readonly grad: Float64Array;
  /** lambda_t * L_t per task (0 for tasks not in this batch) */
  readonly parts: number[];
}

/** The loss a task gets by default: BCE for binary, CE for multiclass, MSE for regression. */
export function defaultLossKind(t: TaskInfo): LossKind {
  return t.kind === "binary" ? "bce" : t.kind === "multiclass" ? "ce" : "mse";
}

export function checkLossFits(t: TaskInfo, l: TaskLoss, field: string): void {
  if (!l || typeof l !== "object") throw new ValidationError(field, "a loss { kind, weight }", l);
  if (typeof l.weight !== "number" || !Number.isFinite(l.weight) || l.weight < 0)
    throw new ValidationError(`${field}.weight`, "a finite weight >= 0", l.weight);
  if (l.gamma !== undefined && !(Number.isFinite(l.gamma) && l.gamma >= 0))
    throw new ValidationError(`${field}.gamma`, "a finite number >= 0", l.gamma);
  if (l.alpha !== undefined && !(Number.isFinite(l.alpha) && l.alpha >= 0))
    throw new ValidationError(`${field}.alpha`, "a finite number >= 0", l.alpha);
  if (l.classWeights === "inverse-frequency") {
    if (t.kind !== "multiclass")
      throw new ValidationError(`${field}.classWeights`, "class weights only for a multiclass task", t.kind);
  } else if (l.classWeights !== undefined) {
    if (!ArrayBuffer.isView(l.classWeights))
      throw new ValidationError(
        `${field}.classWeights`,
        'a Float64Array of class weights or "inverse-frequency"',
        l.classWeights,
      );
    if (l.classWeights.length !== t.numClasses)
      throw new ValidationError(
        `${field}.classWeights`,
        `${t.numClasses} class weights`,
        l.classWeights.length,
      );
    l.classWeights.forEach((w, i) => {
      if (!(Number.isFinite(w) && w >= 0))
        throw new ValidationError(`${field}.classWeights[${i}]`, "a finite weight >= 0", w);
    });
  }
  const ok =
    (l.kind === "bce" && t.kind === "binary") ||
    ((l.kind === "ce" || l.kind === "focal") && t.kind === "multiclass") ||
    (l.kind === "mse" && t.kind === "regression");
  if (!ok)
    throw new ValidationError(
      field,
      `a loss for a ${t.kind} task (${t.kind === "binary" ? "bce" : t.kind === "multiclass" ? "ce or focal" : "mse"})`,
      l.kind,
    );
}

/**
 * The losses with every `classWeights: "inverse-frequency"` replaced by Eq. 23's
 * weights w_c = N / (K n_c) computed from `trainData`: N = the rows of
 * `trainData` (labelled or not, as Eq. 23 reads), n_c = rows labelled c
 * (missing labels never count), K = the task's classes. A class with no row in
 * `trainData` gets weight 0 (never a target there, so the loss stays finite).
 */
export function resolveClassWeights(
  tasks: readonly TaskInfo[],
  losses: readonly TaskLoss[],
  trainData: Pick<MultiTaskData, "labels">,
): TaskLoss[] {
  return losses.map((l, k) =>
    l.classWeights === "inverse-frequency"
      ? { ...l, classWeights: inverseFrequencyWeights(trainData.labels[k]!, tasks[k]!.numClasses) }
      : l,
  );
}

/**
 * The multi-task objective (paper Eq. 1): sum_t lambda_t L_t(logits_t, y_t)
 * over the tasks this batch trains (all, or one under task sampling). Missing
 * labels (-100, or NaN for regression) add nothing to the loss or gradient.
 */
export function multiTaskObjective(
  tasks: readonly TaskInfo[],
  losses: readonly TaskLoss[],
  logits: Float64Array,
  batch: number,
  nOutputs: number,
  labels: readonly Float64Array[],
  onlyTask: number | null,
): ObjectiveResult {
  const grad = new Float64Array(batch * nOutputs);
  const parts = tasks.map(() => 0);
  let total = 0;
  tasks.forEach((t, k) => {
    if (onlyTask !== null && k !== onlyTask) return;
    const spec = losses[k]!;
    const cw = spec.classWeights;
    if (typeof cw === "string")
      throw new ValidationError(`losses[${t.name}].classWeights`, "weights (resolveClassWeights first)", cw);
    const z = new Float64Array(batch * t.nOutputs);
    for (let b = 0; b < batch; b++)
      z.set(
        logits.subarray(b * nOutputs + t.outputOffset, b * nOutputs + t.outputOffset + t.nOutputs),
        b * t.nOutputs,
      );
    const y = labels[k]!.map((v) => (Number.isNaN(v) ? MISSING : v));
    let r: LossResult;
    switch (spec.kind) {
      case "bce":
        r = bceWithLogits(z, y);
        break;
      case "ce":
        r = crossEntropy(z, y, t.numClasses, cw ? { weights: cw } : {});
        break;
      case "focal":
        r = focalLoss(z, y, t.numClasses, {
          gamma: spec.gamma ?? 2,
          alpha: spec.alpha ?? 1,
          ...(cw ? { weights: cw } : {}),
        });
        break;
      case "mse":
        r = mse(z, y);
        break;
    }
    if (r.count === 0) return;
    parts[k] = spec.weight * r.loss;
    total += parts[k]!;
    for (let b = 0; b < batch; b++)
      for (let o = 0; o < t.nOutputs; o++)
        grad[b * nOutputs + t.outputOffset + o] = spec.weight * r.grad[b * t.nOutputs + o]!;
  });
  return { loss: total, grad, parts };
}
