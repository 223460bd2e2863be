import type { TaskKind } from "../circuits/readout.ts";

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

export interface TaskDef {
  readonly name: string;
  readonly kind: TaskKind;
  readonly numClasses?: number;
}

export function taskOutputs(t: TaskDef): number {
  return t.kind === "multiclass" ? t.numClasses ?? 0 : 1;
}

export function layoutTasks(defs: readonly TaskDef[]): TaskInfo[] {
  let off = 0;
  return defs.map((t) => {
    const n = taskOutputs(t);
    const info: TaskInfo = { name: t.name, kind: t.kind, numClasses: t.kind === "binary" ? 2 : t.kind === "multiclass" ? n : 0, outputOffset: off, nOutputs: n };
    off += n;
    return info;
  });
}
