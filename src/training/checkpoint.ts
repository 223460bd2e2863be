import { existsSync, readFileSync } from "node:fs";
import { ValidationError } from "../core/errors.ts";
import { writeJsonAtomic } from "../core/atomic-file.ts";
import type { StateDict } from "../nn/state-dict.ts";
import type { AdamState } from "./optim/adam.ts";
import type { PlateauState } from "./optim/plateau.ts";
import type { EarlyStoppingState } from "./early-stopping.ts";

/** Everything a run needs to continue exactly where it stopped (written after every epoch). */
export interface TrainCheckpoint {
  readonly version: 1;
  /** epochs finished */
  readonly epoch: number;
  readonly updates: number;
  readonly model: StateDict;
  readonly optimizer: AdamState;
  readonly scheduler: PlateauState | null;
  readonly early: EarlyStoppingState;
  readonly rng: number[];
  readonly best: { readonly score: number | null; readonly epoch: number | null; readonly model: StateDict | null };
  readonly history: EpochRecord[];
  readonly stopped: boolean;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly taskLosses: Record<string, number>;
  readonly valScore: number;
  readonly lr: number;
  readonly seconds: number;
  readonly simSeconds: number;
  readonly val: Record<string, Record<string, number>>;
}

export function saveCheckpoint(path: string, c: TrainCheckpoint): void {
  writeJsonAtomic(path, c);
}

export function loadCheckpoint(path: string): TrainCheckpoint | null {
  if (!existsSync(path)) return null;
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ValidationError(path, "a readable JSON checkpoint (delete it to start this run over)", e instanceof Error ? e.message : String(e));
  }
  const c = v as Partial<TrainCheckpoint>;
  if (c.version !== 1 || typeof c.epoch !== "number" || typeof c.model !== "object" || !Array.isArray(c.rng)) {
    throw new ValidationError(path, "a qmtl checkpoint (version 1 with epoch, model, optimizer, rng)", "something else");
  }
  return c as TrainCheckpoint;
}
