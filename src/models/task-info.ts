import { ValidationError } from "../core/errors.ts";
import { outputDim, type TaskKind } from "../circuits/readout.ts";

/** A task as the model sees it: where its logits sit in the output vector. */
export interface TaskInfo {
  readonly name: string;
  readonly kind: TaskKind;
  /** classes for classification (2 for binary), 0 for regression */
  readonly numClasses: number;
  readonly outputOffset: number;
  /** logits: 1 for binary (one logit, BCE) and regression, K for K classes */
  readonly nOutputs: number;
}

/** A task: its name, kind (binary, multiclass, regression) and class count (multiclass). */
export interface TaskDef {
  readonly name: string;
  readonly kind: TaskKind;
  readonly numClasses?: number;
}

export function taskOutputs(t: TaskDef): number {
  return t.kind === "multiclass" ? (t.numClasses ?? 0) : 1;
}

/** Checks a model's task list: non-empty, unique non-empty names, a known kind, a class count for multiclass. */
export function validateTasks(defs: readonly TaskDef[], field = "model.tasks"): void {
  if (!Array.isArray(defs) || defs.length === 0)
    throw new ValidationError(field, "a non-empty list of tasks", defs);
  const names = new Set<string>();
  defs.forEach((t, k) => {
    const f = `${field}[${k}]`;
    if (!t || typeof t.name !== "string" || t.name.length === 0)
      throw new ValidationError(`${f}.name`, "a non-empty string", t?.name);
    if (names.has(t.name)) throw new ValidationError(`${f}.name`, "a unique task name", t.name);
    names.add(t.name);
    if (t.kind !== "binary" && t.kind !== "multiclass" && t.kind !== "regression") {
      throw new ValidationError(`${f}.kind`, '"binary", "multiclass" or "regression"', t.kind);
    }
    try {
      outputDim(t);
    } catch (e) {
      if (e instanceof ValidationError)
        throw new ValidationError(`${f}.numClasses`, e.expected, t.numClasses);
      throw e;
    }
  });
}

/** Checks the task list and gives each task its output slice of the model's logits. */
export function layoutTasks(defs: readonly TaskDef[]): TaskInfo[] {
  validateTasks(defs);
  let off = 0;
  return defs.map((t) => {
    const n = taskOutputs(t);
    const info: TaskInfo = {
      name: t.name,
      kind: t.kind,
      numClasses: t.kind === "binary" ? 2 : t.kind === "multiclass" ? n : 0,
      outputOffset: off,
      nOutputs: n,
    };
    off += n;
    return info;
  });
}
