/**
 * Noise as an axis of EVALUATION (no retraining): a sweep's `noise` section
 * names depolarizing levels (Aer's convention, p1 = p2 = p after every gate),
 * calibrated device models and optionally finite shot counts. Every trained
 * cell of the sweep (its QMTL runs) is evaluated again under every condition:
 * one evaluation cell per (training cell, condition), id `<cell>~<label>`,
 * written atomically to `<sweep>/noise/<cell>/<label>.json` (done exactly when
 * that file holds a valid result), so evaluation cells resume like training
 * cells and run the same way locally and on Slurm (`qmtl sweep-eval`).
 *
 *   noise:
 *     levels: [0, 0.01, 0.05, 0.1, 0.2]   # p = 0: the noiseless circuit through the noisy simulator
 *     devices: [ibm_boston, ibm_fez]
 *     shots: [1024]                         # each condition also from 1024 shots per setting
 *     seed: 0
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ValidationError } from "../../core/errors.ts";
import { KNOWN_DEVICES, resolveDeviceName } from "../../devices/load.ts";
import { validateDepolarizingLevels } from "../noise-study.ts";

export const noiseAxisSchema = z
  .object({
    /** depolarizing levels p (Aer's depolarizing_error(p) after every 1- and 2-qubit gate) */
    levels: z.array(z.number()).default([]),
    /** calibrated device models (data/ibm) */
    devices: z.array(z.string()).default([]),
    /** shot counts per measurement setting; each condition is also evaluated from each */
    shots: z.array(z.number().int().min(2).max(10_000_000)).default([]),
    /** seed of the shot draws */
    seed: z.number().int().min(0).default(0),
  })
  .strict();
export type NoiseAxis = z.infer<typeof noiseAxisSchema>;
export type NoiseAxisInput = z.input<typeof noiseAxisSchema>;

/** One evaluation condition. */
export interface NoiseConditionSpec {
  /** stable label: `p0.01`, `ibm_boston`, with `-<n>shots` for shot estimates */
  readonly label: string;
  readonly kind: "depolarizing" | "device";
  readonly p?: number;
  readonly device?: string;
  readonly shots?: number;
}

/**
 * The conditions of a noise axis, validated before anything runs: each level
 * in [0, 16/15] and distinct, each device a shipped snapshot (named by its
 * index and value when not), at least one condition.
 */
export function noiseConditions(axis: NoiseAxis, where = "noise"): NoiseConditionSpec[] {
  const base: NoiseConditionSpec[] = [];
  axis.levels.forEach((p, i) => {
    try {
      validateDepolarizingLevels([p]);
    } catch {
      throw new ValidationError(
        `${where}.levels[${i}]`,
        "a depolarizing level p in [0, 16/15] (Aer's convention, p1 = p2 = p)",
        p,
      );
    }
    if (axis.levels.indexOf(p) !== i) throw new ValidationError(`${where}.levels`, "distinct levels", p);
    base.push({ label: `p${String(p)}`, kind: "depolarizing", p });
  });
  axis.devices.forEach((d, i) => {
    let name: string;
    try {
      name = resolveDeviceName(d);
    } catch {
      throw new ValidationError(`${where}.devices[${i}]`, `one of ${KNOWN_DEVICES.join(", ")}`, d);
    }
    if (base.some((c) => c.device === name))
      throw new ValidationError(`${where}.devices`, "distinct devices", d);
    base.push({ label: name, kind: "device", device: name });
  });
  if (base.length === 0) throw new ValidationError(where, "at least one depolarizing level or device model");
  const shots = [...new Set(axis.shots)];
  if (shots.length !== axis.shots.length)
    throw new ValidationError(`${where}.shots`, "distinct shot counts", axis.shots);
  return [
    ...base,
    ...shots.flatMap((s) => base.map((c) => ({ ...c, label: `${c.label}-${s}shots`, shots: s }))),
  ];
}

/** The head a noise evaluation simulates. */
export const NOISE_HEAD = "qmtl";

export const EVAL_SEP = "~";

export const evalId = (cell: string, label: string): string => `${cell}${EVAL_SEP}${label}`;

/** Splits an evaluation cell id into its training cell and condition label. */
export function parseEvalId(id: string): { cell: string; label: string } {
  const k = id.lastIndexOf(EVAL_SEP);
  if (k <= 0 || k === id.length - 1)
    throw new ValidationError("evaluation cell", `an id <cell>${EVAL_SEP}<condition>`, id);
  return { cell: id.slice(0, k), label: id.slice(k + 1) };
}

export const evalPath = (sweepDir: string, id: string): string => {
  const { cell, label } = parseEvalId(id);
  return join(sweepDir, "noise", cell, `${label}.json`);
};

/** One trained run (head:split:seed) of a training cell evaluated under one condition. */
export interface NoiseEvalRun {
  readonly head: string;
  readonly fold: number;
  readonly seed: number;
  /** test[task][metric], scored as the run scores (the suite's metrics) */
  readonly test: Record<string, Record<string, number>>;
  /** per task: mean |noisy - ideal| of the head's raw outputs over the test rows */
  readonly outputError: Record<string, number>;
}

export interface NoiseEvalResult {
  readonly kind: "qmtl-noise-eval";
  readonly cell: string;
  readonly condition: NoiseConditionSpec;
  readonly runs: NoiseEvalRun[];
  readonly seconds: number;
}

/** Reads an evaluation cell's result, or null when absent or torn. */
export function readEval(sweepDir: string, id: string): NoiseEvalResult | null {
  const path = evalPath(sweepDir, id);
  if (!existsSync(path)) return null;
  try {
    const r = JSON.parse(readFileSync(path, "utf8")) as NoiseEvalResult;
    return r.kind === "qmtl-noise-eval" && Array.isArray(r.runs) && r.runs.length > 0 ? r : null;
  } catch {
    return null;
  }
}

export const evalDone = (sweepDir: string, id: string): boolean => readEval(sweepDir, id) !== null;

/** The evaluation cells of a sweep: every training cell x every condition (training cell order first). */
export function evalCells(
  cells: ReadonlyArray<{ readonly id: string; readonly cost: number }>,
  conditions: readonly NoiseConditionSpec[],
): Array<{ id: string; cost: number }> {
  // cost: one noisy forward pass per test row; shots and devices a little more (relative to each other only)
  return cells.flatMap((c) =>
    conditions.map((k) => ({
      id: evalId(c.id, k.label),
      cost: (k.kind === "device" ? 1.5 : 1.2) * (k.shots !== undefined ? 2 : 1),
    })),
  );
}

/**
 * Checks a sweep's noise axis against its cells before anything runs: the
 * conditions (levels, devices, shots), no axis already named `noise` (the
 * merged groups use that label), and a QMTL head in every cell.
 */
export function checkNoiseSweep(
  noise: NoiseAxis | undefined,
  cells: ReadonlyArray<{ readonly id: string; readonly config: Record<string, unknown> }>,
  axisNames: readonly string[],
): NoiseConditionSpec[] {
  if (noise === undefined) return [];
  const conds = noiseConditions(noise);
  if (axisNames.includes("noise"))
    throw new ValidationError("axes", "no axis named noise in a sweep with a noise axis", "noise");
  for (const c of cells) {
    const heads = c.config["heads"];
    if (!Array.isArray(heads) || !heads.includes(NOISE_HEAD))
      throw new ValidationError(
        `cell ${c.id}`,
        `heads including ${NOISE_HEAD} (the noise axis evaluates the QMTL circuit)`,
        heads,
      );
  }
  return conds;
}
