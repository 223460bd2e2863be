import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { ValidationError } from "../core/errors.ts";
import { writeFileAtomic } from "../core/atomic-file.ts";
import type { StateDict } from "../nn/state-dict.ts";
import type { AdamState } from "./optim/adam.ts";
import type { PlateauState } from "./optim/plateau.ts";
import type { EarlyStoppingState } from "./early-stopping.ts";
import { decodeNumberArrays, encodeNumberArrays } from "./checkpoint-codec.ts";

/**
 * Everything a run needs to continue exactly where it stopped (written after epochs: see the trainer's
 * checkpointDue). Version 2 files hold the long number arrays as float64 bytes (checkpoint-codec.ts);
 * version 1 files (plain JSON numbers, qmtl before 2026-12-04) still load.
 */
export interface TrainCheckpoint {
  readonly version: 2;
  /** epochs finished */
  readonly epoch: number;
  readonly updates: number;
  readonly model: StateDict;
  readonly optimizer: AdamState;
  readonly scheduler: PlateauState | null;
  readonly early: EarlyStoppingState;
  readonly rng: number[];
  readonly best: {
    readonly score: number | null;
    readonly epoch: number | null;
    readonly model: StateDict | null;
  };
  readonly history: EpochRecord[];
  readonly stopped: boolean;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly taskLosses: Record<string, number>;
  /** the epoch's validation score; null when the epoch ended without a validation (validateEvery) */
  readonly valScore: number | null;
  readonly lr: number;
  readonly seconds: number;
  readonly simSeconds: number;
  /** where the epoch's wall time went (absent in checkpoints written before it existed) */
  readonly phases?: TrainPhases;
  /** the epoch's validation metrics; null when it had no validation */
  readonly val: Record<string, Record<string, number>> | null;
}

/**
 * Wall-clock seconds of training by phase; the four add up to the epoch's `seconds`. `simulator` is the
 * quantum circuits' forward and backward passes on training batches, `evaluation` every validation pass
 * (its own circuit simulation included), `optimizer` gradient clipping and the optimizer step, and
 * `classical` the rest: batch gathering, the classical layers forward and backward, and the losses.
 */
export interface TrainPhases {
  readonly simulator: number;
  readonly classical: number;
  readonly optimizer: number;
  readonly evaluation: number;
}

/** The epoch-record fields that hold wall-clock timings: not part of a checkpoint's checksum. */
const TIMING_KEYS = new Set(["seconds", "simSeconds", "phases"]);

/**
 * sha256 of the checkpoint's JSON without its own checksum field and without
 * the wall-clock timings of its epoch records (seconds, simSeconds, phases), so two
 * runs that trained the same way carry the same checksum. (The timings live in
 * `history` only; stripping them there gives the same JSON as a replacer over
 * every key, which is 2x slower on a 4 MB checkpoint.)
 */
function checksum(c: object): string {
  const { sha256: _omit, ...rest } = c as Record<string, unknown>;
  const history = rest["history"];
  const timeless = Array.isArray(history)
    ? {
        ...rest,
        history: history.map((h: unknown) =>
          h !== null && typeof h === "object" && !Array.isArray(h)
            ? Object.fromEntries(Object.entries(h).filter(([k]) => !TIMING_KEYS.has(k)))
            : h,
        ),
      }
    : rest;
  return createHash("sha256").update(JSON.stringify(timeless)).digest("hex");
}

/**
 * Writes the checkpoint atomically with a sha256 of its content (as stored), so a
 * hand-edited or damaged file is refused on load instead of resumed from.
 * Compact JSON with the number arrays as float64 bytes: written after every epoch
 * (MUStARD QMTL: 5.4 MB pretty-printed, 3.8 MB compact, 1.9 MB encoded).
 */
export function saveCheckpoint(path: string, c: TrainCheckpoint): void {
  const stored = encodeNumberArrays({ ...c, version: 2 }) as Record<string, unknown>;
  writeFileAtomic(path, JSON.stringify({ ...stored, sha256: checksum(stored) }) + "\n");
}

const REDO = "delete it to start this run over";

/**
 * Reads a checkpoint written by saveCheckpoint (null if there is none).
 * Refuses, naming the file and the field, a file that is not JSON, not a
 * version-1 checkpoint, has a field of the wrong type, or whose checksum does
 * not match its content (edited by hand or damaged).
 */
export function loadCheckpoint(path: string): TrainCheckpoint | null {
  if (!existsSync(path)) return null;
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ValidationError(
      path,
      `a readable JSON checkpoint (${REDO})`,
      e instanceof Error ? e.message : String(e),
    );
  }
  if (v === null || typeof v !== "object" || Array.isArray(v))
    throw new ValidationError(path, `a qmtl checkpoint object (${REDO})`, v);
  const c = v as Record<string, unknown>;
  const field = (name: string, ok: boolean, expected: string): void => {
    if (!ok) throw new ValidationError(`${path} ${name}`, `${expected} (${REDO})`, c[name]);
  };
  const isObj = (x: unknown): boolean => x !== null && typeof x === "object" && !Array.isArray(x);
  const isCount = (x: unknown): boolean => typeof x === "number" && Number.isInteger(x) && x >= 0;
  field("version", c["version"] === 1 || c["version"] === 2, "version 1 or 2 (a checkpoint of this qmtl)");
  field("epoch", isCount(c["epoch"]), "a whole number of epochs");
  field("updates", isCount(c["updates"]), "a whole number of updates");
  field("model", isObj(c["model"]), "the model's state dict");
  field("optimizer", isObj(c["optimizer"]), "the optimizer state");
  field("scheduler", c["scheduler"] === null || isObj(c["scheduler"]), "the scheduler state or null");
  field("early", isObj(c["early"]), "the early-stopping state");
  const rng = c["rng"];
  field(
    "rng",
    Array.isArray(rng) &&
      rng.length === 5 &&
      rng.slice(0, 4).every((x) => isCount(x)) &&
      (rng[4] === null || typeof rng[4] === "number"),
    "the random generator's state (4 integers and a spare normal)",
  );
  field("best", isObj(c["best"]), "the best epoch's record");
  field("history", Array.isArray(c["history"]), "the list of finished epochs");
  field("stopped", typeof c["stopped"] === "boolean", "true or false");
  if (typeof c["sha256"] !== "string" || c["sha256"] !== checksum(c)) {
    throw new ValidationError(
      path,
      `a checkpoint as qmtl wrote it (its checksum does not match its content: edited by hand or damaged; ${REDO})`,
      "a changed file",
    );
  }
  const { sha256: _omit, ...rest } = c;
  const decoded = c["version"] === 2 ? (decodeNumberArrays(rest, path) as Record<string, unknown>) : rest;
  return { ...decoded, version: 2 } as unknown as TrainCheckpoint;
}
