import { ValidationError } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import type { QmtlLayout } from "../circuits/qmtl.ts";
import type { NoiseModel, ReadoutError } from "./noise-model.ts";
import { NoisyQmtlExecutor } from "./structured/executor.ts";
import {
  applyAssignment,
  parityMean,
  sampleShots,
  settingDistribution,
  taskReadout,
  taskSettings,
} from "./shots.ts";

/** How a measured distribution is corrected for readout errors. */
export type ReadoutMethod = "invert" | "lsq";

/** Per site, the inverse of [[1 - p01, p10], [p01, 1 - p10]] applied to a distribution over S bits. */
function invertAssignment(p: Float64Array, S: number, errs: readonly (ReadoutError | null)[]): Float64Array {
  const out = p.slice();
  for (let s = 0; s < S; s++) {
    const e = errs[s];
    if (!e) continue;
    const det = 1 - e.p01 - e.p10;
    const st = 1 << (S - 1 - s);
    for (let x = 0; x < out.length; x++) {
      if (x & st) continue;
      const m0 = out[x]!,
        m1 = out[x | st]!;
      out[x] = ((1 - e.p10) * m0 - e.p10 * m1) / det;
      out[x | st] = (-e.p01 * m0 + (1 - e.p01) * m1) / det;
    }
  }
  return out;
}

/** Euclidean projection onto the probability simplex. */
function projectSimplex(v: Float64Array): Float64Array {
  const u = Array.from(v).sort((a, b) => b - a);
  let css = 0,
    theta = 0;
  for (let k = 0; k < u.length; k++) {
    css += u[k]!;
    const t = (css - 1) / (k + 1);
    if (u[k]! - t > 0) theta = t;
  }
  return v.map((x) => Math.max(0, x - theta));
}

/**
 * Readout-error mitigation of one sub-register's measured distribution with the
 * assignment matrix A = (x)_s A_s: "invert" returns A^-1 p (exact, may leave the
 * simplex under shot noise); "lsq" the probability vector x minimising |A x - p|^2
 * (projected gradient from the projected inverse, 4000 steps of 1/|A|^2).
 */
export function mitigateReadout(
  p: Float64Array,
  S: number,
  errs: readonly (ReadoutError | null)[],
  method: ReadoutMethod,
): Float64Array {
  const inv = invertAssignment(p, S, errs);
  if (method === "invert") return inv;
  if (method !== "lsq") throw new ValidationError("readout mitigation method", `"invert" or "lsq"`, method);
  let x = projectSimplex(inv);
  const transpose = errs.map((e) => (e ? { p01: e.p10, p10: e.p01 } : null));
  const step = 0.5;
  for (let it = 0; it < 4000; it++) {
    const r = applyAssignment(x, S, errs);
    for (let k = 0; k < r.length; k++) r[k]! -= p[k]!;
    // gradient A^T r: A^T's per-site matrix is [[1 - p01, p01], [p10, 1 - p10]]
    const g = applyAssignmentT(r, S, transpose);
    const nx = projectSimplex(x.map((v, k) => v - step * g[k]!));
    let d = 0;
    for (let k = 0; k < nx.length; k++) d = Math.max(d, Math.abs(nx[k]! - x[k]!));
    x = nx;
    if (d < 1e-15) break;
  }
  return x;
}

function applyAssignmentT(
  r: Float64Array,
  S: number,
  errsT: readonly ({ p01: number; p10: number } | null)[],
): Float64Array {
  const out = r.slice();
  for (let s = 0; s < S; s++) {
    const e = errsT[s];
    if (!e) continue;
    const st = 1 << (S - 1 - s);
    for (let x = 0; x < out.length; x++) {
      if (x & st) continue;
      const a = out[x]!,
        b = out[x | st]!;
      // A_s^T = [[1 - p01, p01], [p10, 1 - p10]] (original p01, p10) = [[1 - p10', p10'], [p01', 1 - p01']] with swapped names
      out[x] = (1 - e.p10) * a + e.p10 * b;
      out[x | st] = e.p01 * a + (1 - e.p01) * b;
    }
  }
  return out;
}

export interface ReadoutMitigationOptions {
  readonly method?: ReadoutMethod;
  /** finite shots per setting (seeded by rng); absent: the exact measured distribution */
  readonly shots?: number;
  readonly rng?: Rng;
}

/**
 * Outputs of a noisy head with readout errors mitigated per task sub-register
 * and measurement setting. Exact mode: the measured distribution is the exact
 * noisy one, so "invert" recovers the readout-free noisy outputs exactly.
 */
export function readoutMitigatedForward(
  ex: NoisyQmtlExecutor,
  inputs: Float64Array,
  weights: Float64Array,
  batch: number,
  opts: ReadoutMitigationOptions = {},
): Float64Array {
  const method = opts.method ?? "invert";
  const settings = taskSettings(ex);
  const ro = taskReadout(ex, ex.noise);
  const out = new Float64Array(batch * ex.nOutputs);
  let dists: Float64Array[][];
  if (opts.shots !== undefined) {
    if (!opts.rng) throw new ValidationError("rng", "a seeded Rng when shots are given");
    dists = sampleShots(ex, inputs, weights, batch, opts.shots, opts.rng).counts;
  } else {
    const states = ex.taskStates(inputs, weights, batch);
    dists = states.map((row) =>
      settings.map((st) => {
        const S = ex.layout.tasks[st.task]!.size;
        return applyAssignment(settingDistribution(row[st.task]!, S, st.basis), S, ro[st.task]!);
      }),
    );
  }
  for (let b = 0; b < batch; b++) {
    settings.forEach((st, k) => {
      const S = ex.layout.tasks[st.task]!.size;
      const p = mitigateReadout(dists[b]![k]!, S, ro[st.task]!, method);
      st.outputs.forEach((o, j) => {
        out[b * ex.nOutputs + o] = parityMean(p, st.masks[j]!);
      });
    });
  }
  return out;
}

export type ZneMethod = "linear" | "richardson";

/**
 * Extrapolates values measured at noise scales to scale 0: "linear" fits a
 * least-squares line; "richardson" the interpolating polynomial through all points.
 */
export function extrapolateToZero(
  scales: readonly number[],
  values: readonly number[],
  method: ZneMethod,
): number {
  if (scales.length !== values.length || scales.length < 2)
    throw new ValidationError("zne.scales", "at least two scales, one value each", scales.length);
  if (new Set(scales).size !== scales.length)
    throw new ValidationError("zne.scales", "distinct scale factors", scales.join(","));
  if (method === "linear") {
    const n = scales.length;
    const mx = scales.reduce((a, b) => a + b, 0) / n,
      my = values.reduce((a, b) => a + b, 0) / n;
    let sxy = 0,
      sxx = 0;
    for (let k = 0; k < n; k++) {
      sxy += (scales[k]! - mx) * (values[k]! - my);
      sxx += (scales[k]! - mx) ** 2;
    }
    return my - (sxy / sxx) * mx;
  }
  if (method !== "richardson") throw new ValidationError("zne.method", `"linear" or "richardson"`, method);
  let acc = 0;
  for (let j = 0; j < scales.length; j++) {
    let w = 1;
    for (let m = 0; m < scales.length; m++) if (m !== j) w *= scales[m]! / (scales[m]! - scales[j]!);
    acc += w * values[j]!;
  }
  return acc;
}

export interface ZneOptions {
  /** odd gate-folding scale factors, default [1, 3, 5] */
  readonly scales?: readonly number[];
  readonly method?: ZneMethod;
  /** also mitigate readout errors at each scale (exact inversion) */
  readonly readout?: boolean;
}

/**
 * Zero-noise extrapolation by gate folding: every gate G becomes G (G^dag G)^k
 * with its noise after each, at scales 2k + 1, evaluated exactly by the structured path.
 */
export function zneForward(
  layout: QmtlLayout,
  noise: NoiseModel,
  inputs: Float64Array,
  weights: Float64Array,
  batch: number,
  opts: ZneOptions = {},
): Float64Array {
  const scales = opts.scales ?? [1, 3, 5];
  const method = opts.method ?? "richardson";
  const runs = scales.map((f) => {
    const ex = new NoisyQmtlExecutor(layout, noise, { fold: f });
    return opts.readout
      ? readoutMitigatedForward(ex, inputs, weights, batch)
      : ex.forward(inputs, weights, batch);
  });
  const out = new Float64Array(runs[0]!.length);
  for (let k = 0; k < out.length; k++)
    out[k] = extrapolateToZero(
      scales,
      runs.map((r) => r[k]!),
      method,
    );
  return out;
}
