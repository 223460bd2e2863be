import { ValidationError, requireInt } from "../../core/errors.ts";
import { Rng } from "../../core/rng.ts";
import type { DeviceCalibration } from "../../devices/calibration.ts";
import type { HwCircuit } from "../hw-circuit.ts";
import { DEFAULT_MAX_DENSITY_QUBITS, requireDensityFits, runDensity } from "./density.ts";
import { noisyProgram, type NoiseOptions, type NoisyProgram } from "./schedule.ts";
import { runTrajectories } from "./trajectories.ts";

export { noisyProgram, relaxParams, type NoiseOptions, type NoisyProgram } from "./schedule.ts";
export { DEFAULT_MAX_DENSITY_QUBITS, runDensity } from "./density.ts";
export { runTrajectories } from "./trajectories.ts";

/**
 * Emulation of a transpiled (ISA) circuit under its device's calibrated noise
 * (channels: src/hardware/noisy/schedule.ts). "density": exact density matrix on
 * the active qubits (up to `maxDensityQubits`, default 10, and the memory limit);
 * "trajectories": seeded Monte-Carlo wave functions with a standard error per
 * value; "auto" (default): density when it fits, else trajectories.
 */
export type EmulationMethod = "auto" | "density" | "trajectories";

export interface NoisyEmulationOptions extends NoiseOptions {
  readonly method?: EmulationMethod;
  /** trajectories per parameter row (default 200) */
  readonly trajectories?: number;
  readonly seed?: number;
  readonly maxDensityQubits?: number;
}

export interface NoisyEmulation {
  /** rows x words, row-major */
  readonly values: Float64Array;
  /** standard errors beside `values` (trajectories), null when exact */
  readonly stderr: Float64Array | null;
  readonly method: "density" | "trajectories";
  readonly trajectories: number | null;
  /** physical qubits simulated, ascending (wire i = physical[i]) */
  readonly activeQubits: readonly number[];
  readonly channels: readonly string[];
  readonly seed: number;
}

export const DEFAULT_TRAJECTORIES = 200;

function densityFits(prog: NoisyProgram, max: number): boolean {
  try {
    requireDensityFits(prog, max);
    return true;
  } catch (e) {
    if (e instanceof ValidationError) return false;
    throw e;
  }
}

/** Emulates `rows` parameter vectors (each inputs then weights) of an ISA circuit on `dev`. */
export function emulateNoisy(
  isa: HwCircuit,
  dev: DeviceCalibration,
  rows: readonly ArrayLike<number>[],
  opts: NoisyEmulationOptions = {},
): NoisyEmulation {
  const method = opts.method ?? "auto";
  if (method !== "auto" && method !== "density" && method !== "trajectories")
    throw new ValidationError("method", `"auto", "density" or "trajectories"`, method);
  const T = opts.trajectories ?? DEFAULT_TRAJECTORIES;
  requireInt("trajectories", T, 2, 1e7);
  const seed = opts.seed ?? 0;
  requireInt("seed", seed, 0, 2 ** 32 - 1);
  const maxDm = opts.maxDensityQubits ?? DEFAULT_MAX_DENSITY_QUBITS;
  const prog = noisyProgram(isa, dev, opts);
  const use = method === "auto" ? (densityFits(prog, maxDm) ? "density" : "trajectories") : method;
  const K = prog.words.length;
  const values = new Float64Array(rows.length * K);
  let stderr: Float64Array | null = null;
  if (use === "density") {
    requireDensityFits(prog, maxDm);
    rows.forEach((p, b) => values.set(runDensity(prog, p, maxDm), b * K));
  } else {
    stderr = new Float64Array(rows.length * K);
    const base = new Rng(seed);
    rows.forEach((p, b) => {
      const r = runTrajectories(prog, p, T, base.fork(`row${b}`));
      values.set(r.values, b * K);
      stderr!.set(r.stderr, b * K);
    });
  }
  return {
    values,
    stderr,
    method: use,
    trajectories: use === "trajectories" ? T : null,
    activeQubits: prog.map.physical,
    channels: prog.channels,
    seed,
  };
}
