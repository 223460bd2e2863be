import { ValidationError, requireInt } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import type { PauliName } from "../gates/spec.ts";
import { groupQubitWise } from "../circuits/pauli.ts";
import type { NoiseModel, ReadoutError } from "./noise-model.ts";
import type { NoisyQmtlExecutor } from "./structured/executor.ts";

/**
 * Measurement of a task's sub-register: the Born distribution of its S qubits
 * in one setting's basis, from the reduced Pauli vector c (c_P = Tr rho P):
 * P(m) = 2^-S sum over P in {I, B_0} x ... x {I, B_S-1} of c_P (-1)^(m . supp P),
 * with B_s the setting's Pauli on site s (Z where the setting leaves it free).
 */
export function settingDistribution(
  c: Float64Array,
  S: number,
  basis: ReadonlyMap<number, PauliName>,
): Float64Array {
  const idx = (p: PauliName): number => (p === "X" ? 1 : p === "Y" ? 2 : 3);
  const b = Array.from({ length: S }, (_, s) => idx(basis.get(s) ?? "Z"));
  const D = 1 << S;
  const out = new Float64Array(D);
  for (let sub = 0; sub < D; sub++) {
    // Pauli index with B_s where bit s (site 0 = high bit) of sub is set
    let pidx = 0;
    for (let s = 0; s < S; s++) pidx = pidx * 4 + ((sub >> (S - 1 - s)) & 1 ? b[s]! : 0);
    const coef = c[pidx]!;
    if (coef === 0) continue;
    for (let m = 0; m < D; m++) out[m]! += popcount(m & sub) & 1 ? -coef : coef;
  }
  for (let m = 0; m < D; m++) out[m]! /= D;
  return out;
}

function popcount(x: number): number {
  let c = 0;
  while (x) {
    x &= x - 1;
    c++;
  }
  return c;
}

/** Applies per-site assignment matrices [[1 - p01, p10], [p01, 1 - p10]] to a distribution over S bits (site 0 high). */
export function applyAssignment(
  p: Float64Array,
  S: number,
  errs: readonly (ReadoutError | null)[],
): Float64Array {
  const out = p.slice();
  for (let s = 0; s < S; s++) {
    const e = errs[s];
    if (!e) continue;
    const st = 1 << (S - 1 - s);
    for (let x = 0; x < out.length; x++) {
      if (x & st) continue;
      const p0 = out[x]!,
        p1 = out[x | st]!;
      out[x] = (1 - e.p01) * p0 + e.p10 * p1;
      out[x | st] = e.p01 * p0 + (1 - e.p10) * p1;
    }
  }
  return out;
}

/** Parity expectation of bits `mask` under distribution p. */
export function parityMean(p: Float64Array, mask: number): number {
  let acc = 0;
  for (let x = 0; x < p.length; x++) acc += popcount(x & mask) & 1 ? -p[x]! : p[x]!;
  return acc;
}

export interface TaskSetting {
  readonly task: number;
  /** output indices (global) measured by this setting, and each one's bit mask on the sub-register */
  readonly outputs: readonly number[];
  readonly masks: readonly number[];
  readonly basis: ReadonlyMap<number, PauliName>;
}

/** The qubit-wise-commuting measurement settings of every task (local to its sub-register). */
export function taskSettings(ex: NoisyQmtlExecutor): TaskSetting[] {
  const out: TaskSetting[] = [];
  ex.layout.tasks.forEach((t, k) => {
    for (const g of groupQubitWise(t.local)) {
      out.push({
        task: k,
        outputs: g.members.map((i) => t.outputOffset + i),
        masks: g.members.map((i) =>
          t.local[i]!.factors.reduce((m, f) => m | (1 << (t.size - 1 - f.wire)), 0),
        ),
        basis: g.basis,
      });
    }
  });
  return out;
}

export interface ShotResult {
  /** estimates, batch x nOutputs */
  readonly means: Float64Array;
  /** standard errors sqrt((1 - mean^2) / (shots - 1)) */
  readonly stderr: Float64Array;
  /** measured distributions per sample and setting (empirical frequencies), for readout mitigation */
  readonly counts: Float64Array[][];
  readonly settings: readonly TaskSetting[];
  readonly shots: number;
}

/** Readout errors of each task's sub-register sites (null: none). */
export function taskReadout(ex: NoisyQmtlExecutor, noise: NoiseModel | null): (ReadoutError | null)[][] {
  return ex.layout.tasks.map((t) =>
    Array.from({ length: t.size }, (_, s) => noise?.readoutFor(t.offset + s) ?? null),
  );
}

/**
 * Finite-shot estimates of a noisy QMTL head: per sample, every task's
 * qubit-wise-commuting settings are measured `shots` times each (seeded draws
 * from the exact noisy distribution of its sub-register, readout errors
 * included). Each output's estimate is the mean of its +-1 parities. The tasks'
 * marginals are exact; joint correlations across tasks (one physical shot
 * measures all sub-registers at once) do not enter any single estimate.
 */
export function sampleShots(
  ex: NoisyQmtlExecutor,
  inputs: Float64Array,
  weights: Float64Array,
  batch: number,
  shots: number,
  rng: Rng,
): ShotResult {
  requireInt("shots", shots, 2);
  const settings = taskSettings(ex);
  const ro = taskReadout(ex, ex.noise);
  const states = ex.taskStates(inputs, weights, batch);
  const means = new Float64Array(batch * ex.nOutputs),
    stderr = new Float64Array(batch * ex.nOutputs);
  const counts: Float64Array[][] = [];
  for (let b = 0; b < batch; b++) {
    const row: Float64Array[] = [];
    for (const st of settings) {
      const S = ex.layout.tasks[st.task]!.size;
      const p = applyAssignment(settingDistribution(states[b]![st.task]!, S, st.basis), S, ro[st.task]!);
      const freq = drawCounts(p, shots, rng);
      row.push(freq);
      st.outputs.forEach((o, j) => {
        const m = parityMean(freq, st.masks[j]!);
        means[b * ex.nOutputs + o] = m;
        stderr[b * ex.nOutputs + o] = Math.sqrt(Math.max(0, 1 - m * m) / (shots - 1));
      });
    }
    counts.push(row);
  }
  return { means, stderr, counts, settings, shots };
}

/** Empirical frequencies of `shots` seeded draws from p (inverse-CDF). */
export function drawCounts(p: Float64Array, shots: number, rng: Rng): Float64Array {
  const cdf = new Float64Array(p.length);
  let acc = 0;
  for (let k = 0; k < p.length; k++) {
    acc += Math.max(0, p[k]!);
    cdf[k] = acc;
  }
  if (!(acc > 0)) throw new ValidationError("distribution", "a probability vector with positive mass");
  const f = new Float64Array(p.length);
  for (let s = 0; s < shots; s++) {
    const u = rng.uniform() * acc;
    let lo = 0,
      hi = p.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    f[lo]! += 1 / shots;
  }
  return f;
}
