/**
 * The settings of `train` (TrainConfig) and their checks, and the validation
 * score that selects a checkpoint.
 */
import { ValidationError, requireInt } from "../core/errors.ts";
import type { Protocol } from "./protocols.ts";
import type { TaskLoss } from "./objective.ts";
import type { PlateauOptions } from "./optim/plateau.ts";
import type { TaskMetrics } from "./evaluate.ts";

/** Validate every n updates, or every n epochs (n a whole number >= 1). */
export type ValidationInterval = { readonly updates: number } | { readonly epochs: number };

const INTERVAL = "{ updates: n } or { epochs: n } with a whole n >= 1";

/** Throws (one line naming `field`) unless `v` is `{ updates: n }` or `{ epochs: n }`, n >= 1. */
export function checkValidationInterval(field: string, v: unknown): asserts v is ValidationInterval {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new ValidationError(field, INTERVAL, v);
  const keys = Object.keys(v);
  if (keys.length !== 1 || (keys[0] !== "updates" && keys[0] !== "epochs"))
    throw new ValidationError(field, INTERVAL, keys.length === 0 ? "{}" : `{ ${keys.join(", ")} }`);
  requireInt(`${field}.${keys[0]}`, (v as Record<string, number>)[keys[0]!]!, 1);
}

/** Whether validation runs after update `updates` (counted from the start of training). */
export function validatesAtUpdate(every: ValidationInterval | undefined, updates: number): boolean {
  return every !== undefined && "updates" in every && updates % every.updates === 0;
}

/**
 * Whether validation runs at the end of epoch `epoch` (1-based), given whether a
 * periodic (per-update) validation already fell in it: every epoch by default;
 * with `{ epochs: n }` after epochs n, 2n, ... and after the last epoch, so the
 * final weights are always scored; with `{ updates: n }` only after an epoch in
 * which no periodic validation fell.
 */
export function validatesAtEpochEnd(
  every: ValidationInterval | undefined,
  epoch: number,
  lastEpoch: number,
  validatedInEpoch: boolean,
): boolean {
  if (every === undefined) return true;
  if ("updates" in every) return !validatedInEpoch;
  return epoch % every.epochs === 0 || epoch === lastEpoch;
}

/** How to train: protocol, optimiser, schedule, stopping, and which validation score selects the checkpoint. */
export interface TrainConfig {
  readonly epochs: number;
  readonly batchSize: number;
  readonly protocol: Protocol;
  readonly losses: readonly TaskLoss[];
  readonly optimizer: { readonly kind: "adam" | "adamw"; readonly lr: number; readonly weightDecay?: number };
  readonly clipNorm?: number | null;
  readonly scheduler?: (PlateauOptions & { readonly mode?: "min" | "max" }) | null;
  readonly earlyStopping?: { readonly patience: number } | null;
  /** validation score: one task's metric, or the macro average of each task's metric */
  readonly selection:
    { readonly task: string; readonly metric: string } | { readonly macro: Readonly<Record<string, string>> };
  /**
   * how often validation runs (default: after every epoch): every n updates (the paper's GLUE
   * protocol) or every n epochs (its CheXpert protocol); early stopping's patience counts validations
   */
  readonly validateEvery?: ValidationInterval;
}

const PROTOCOLS = new Set(["parallel", "masked", "task-sampled"]);

/** Every setting of a TrainConfig that train() reads, checked before anything is built or trained. */
export function validateTrainConfig(cfg: TrainConfig, taskNames: readonly string[]): void {
  requireInt("train.epochs", cfg.epochs, 1);
  requireInt("train.batchSize", cfg.batchSize, 1);
  if (!cfg.protocol || !PROTOCOLS.has(cfg.protocol.kind))
    throw new ValidationError(
      "train.protocol.kind",
      '"parallel", "masked" or "task-sampled"',
      cfg.protocol?.kind,
    );
  const o = cfg.optimizer;
  if (!o || (o.kind !== "adam" && o.kind !== "adamw"))
    throw new ValidationError("train.optimizer.kind", '"adam" or "adamw"', o?.kind);
  if (typeof o.lr !== "number" || !Number.isFinite(o.lr) || o.lr <= 0)
    throw new ValidationError("train.optimizer.lr", "a finite learning rate > 0", o.lr);
  if (o.weightDecay !== undefined && !(Number.isFinite(o.weightDecay) && o.weightDecay >= 0)) {
    throw new ValidationError("train.optimizer.weightDecay", "a finite number >= 0", o.weightDecay);
  }
  if (
    cfg.clipNorm !== undefined &&
    cfg.clipNorm !== null &&
    !(Number.isFinite(cfg.clipNorm) && cfg.clipNorm > 0)
  ) {
    throw new ValidationError("train.clipNorm", "a finite number > 0, or null for no clipping", cfg.clipNorm);
  }
  if (cfg.earlyStopping) requireInt("train.earlyStopping.patience", cfg.earlyStopping.patience, 1);
  if (cfg.validateEvery !== undefined) checkValidationInterval("train.validateEvery", cfg.validateEvery);
  const sel = cfg.selection;
  const known = new Set(taskNames);
  if (!sel || typeof sel !== "object")
    throw new ValidationError("train.selection", "{ task, metric } or { macro }", sel);
  if ("task" in sel) {
    if (!known.has(sel.task))
      throw new ValidationError("train.selection", `a task of the model (${taskNames.join(", ")})`, sel.task);
  } else {
    const tasks = Object.keys(sel.macro ?? {});
    if (tasks.length === 0)
      throw new ValidationError("train.selection.macro", "at least one task: metric pair", "none");
    const unknown = tasks.find((t) => !known.has(t));
    if (unknown !== undefined)
      throw new ValidationError(
        "train.selection.macro",
        `tasks of the model (${taskNames.join(", ")})`,
        unknown,
      );
  }
}

export function selectionScore(sel: TrainConfig["selection"], m: TaskMetrics): number {
  if ("task" in sel) {
    const v = m[sel.task]?.[sel.metric];
    if (v === undefined)
      throw new ValidationError(
        "train.selection",
        `a task and metric that validation reports (${Object.keys(m).join(", ")})`,
        `${sel.task}.${sel.metric}`,
      );
    return v;
  }
  const vals = Object.entries(sel.macro).map(([task, metric]) => {
    const v = m[task]?.[metric];
    if (v === undefined)
      throw new ValidationError(
        "train.selection.macro",
        "tasks and metrics that validation reports",
        `${task}.${metric}`,
      );
    return v;
  });
  return vals.reduce((a, b) => a + b, 0) / vals.length;
}
