import { ValidationError, requireInt } from "../../core/errors.ts";
import type { Rng } from "../../core/rng.ts";
import { requireAllocation } from "../../core/limits.ts";
import {
  MAX_QUBITS,
  cloneState,
  copyInto,
  wireStride,
  zeroState,
  type StateVector,
} from "../../sim/state.ts";
import { apply1q } from "../../sim/kernels.ts";
import { applyHwOp } from "../hw-simulate.ts";
import { applyReadoutConfusion, parityMeans } from "../emulate.ts";
import type { NoiseEvent, NoisyProgram } from "./schedule.ts";

/**
 * Monte-Carlo wave-function (quantum trajectory) emulation of a noisy program:
 * an exact stochastic unravelling, so the mean over trajectories converges to
 * the density-matrix result with no bias.
 * - depolarizing(lam) on k qubits = (1 - lam) rho + lam * (mean over all 4^k Pauli
 *   words P of P rho P): with probability lam a uniformly drawn Pauli word (identity
 *   included) is applied; state independent.
 * - amplitude damping(gamma): jump |1> -> |0> with probability gamma * P(wire = 1),
 *   else the no-jump operator diag(1, sqrt(1 - gamma)); renormalised.
 * - phase flip(pz): Z with probability pz.
 * Readout enters exactly: each trajectory's outcome distribution over a setting's
 * measured qubits goes through the confusion matrices, so a trajectory's value of a
 * word is its exact measured expectation given that trajectory. Estimates are the
 * mean over trajectories, with standard error sd / sqrt(T). Every draw comes from
 * the given seeded Rng.
 */
export interface TrajectoryResult {
  readonly values: Float64Array;
  readonly stderr: Float64Array;
}

// X, Y, Z packed [ar, ai, br, bi, cr, ci, dr, di]
const PAULI_PACKED = [
  null,
  [0, 0, 1, 0, 1, 0, 0, 0],
  [0, 0, 0, -1, 0, 1, 0, 0],
  [1, 0, 0, 0, 0, 0, -1, 0],
] as const;

function applyPauliIndex(s: StateVector, wire: number, p: number): void {
  const m = PAULI_PACKED[p];
  if (m) apply1q(s, wire, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
}

function amplitudeDamp(s: StateVector, wire: number, gamma: number, rng: Rng): void {
  const { re, im } = s;
  const stride = wireStride(s.n, wire),
    dim = re.length;
  let p1 = 0,
    total = 0;
  for (let base = 0; base < dim; base += 2 * stride) {
    for (let i0 = base; i0 < base + stride; i0++) {
      const i1 = i0 + stride;
      total += re[i0]! * re[i0]! + im[i0]! * im[i0]!;
      p1 += re[i1]! * re[i1]! + im[i1]! * im[i1]!;
    }
  }
  total += p1;
  const jump = rng.uniform() * total < gamma * p1;
  if (jump) {
    const f = 1 / Math.sqrt(p1);
    for (let base = 0; base < dim; base += 2 * stride) {
      for (let i0 = base; i0 < base + stride; i0++) {
        const i1 = i0 + stride;
        re[i0] = re[i1]! * f;
        im[i0] = im[i1]! * f;
        re[i1] = 0;
        im[i1] = 0;
      }
    }
    return;
  }
  const f = 1 / Math.sqrt(total - gamma * p1),
    g = Math.sqrt(1 - gamma) * f;
  for (let base = 0; base < dim; base += 2 * stride) {
    for (let i0 = base; i0 < base + stride; i0++) {
      const i1 = i0 + stride;
      re[i0] = re[i0]! * f;
      im[i0] = im[i0]! * f;
      re[i1] = re[i1]! * g;
      im[i1] = im[i1]! * g;
    }
  }
}

function applyEvents(
  s: StateVector,
  events: readonly NoiseEvent[],
  from: number,
  to: number,
  params: ArrayLike<number>,
  rng: Rng,
): void {
  for (let e = from; e < to; e++) {
    const ev = events[e]!;
    if (ev.kind === "gate") applyHwOp(s, ev.op, params);
    else if (ev.kind === "depolarizing") {
      if (rng.uniform() < ev.lam) {
        let word = rng.int(4 ** ev.wires.length);
        for (let k = ev.wires.length - 1; k >= 0; k--) {
          applyPauliIndex(s, ev.wires[k]!, word & 3);
          word >>= 2;
        }
      }
    } else {
      if (ev.gamma > 0) amplitudeDamp(s, ev.wire, ev.gamma, rng);
      if (ev.pz > 0 && rng.uniform() < ev.pz) applyPauliIndex(s, ev.wire, 3);
    }
  }
}

function stateDistribution(s: StateVector, measure: readonly number[]): Float64Array {
  const pos = measure.map((w) => s.n - 1 - w);
  const dist = new Float64Array(1 << measure.length);
  for (let i = 0; i < s.re.length; i++) {
    const p = s.re[i]! * s.re[i]! + s.im[i]! * s.im[i]!;
    if (p === 0) continue;
    let key = 0;
    for (let b = 0; b < pos.length; b++) if ((i >> pos[b]!) & 1) key |= 1 << b;
    dist[key]! += p;
  }
  return dist;
}

/** `trajectories` seeded trajectories of the program for one parameter vector. */
export function runTrajectories(
  prog: NoisyProgram,
  params: ArrayLike<number>,
  trajectories: number,
  rng: Rng,
): TrajectoryResult {
  requireInt("trajectories", trajectories, 2, 1e7);
  if (params.length !== prog.nParams)
    throw new ValidationError("params", `length ${prog.nParams}`, params.length);
  const n = Math.max(1, prog.n);
  if (n > MAX_QUBITS)
    throw new ValidationError("trajectory emulation", `at most ${MAX_QUBITS} active qubits`, n);
  requireAllocation("trajectory emulation", 2 ** n * 2, 16, `two ${n}-qubit statevectors`);
  for (const s of prog.settings)
    if (s.measure.length > 24)
      throw new ValidationError("measurement setting", "at most 24 measured qubits", s.measure.length);
  const K = prog.words.length;
  const sum = new Float64Array(K),
    sumSq = new Float64Array(K),
    one = new Float64Array(K);
  const s = zeroState(n);
  const work = cloneState(s);
  for (let t = 0; t < trajectories; t++) {
    s.re.fill(0);
    s.im.fill(0);
    s.re[0] = 1;
    if (prog.settings.length === 0) break;
    applyEvents(s, prog.settings[0]!.events, 0, prog.shared, params, rng);
    prog.settings.forEach((st, i) => {
      const last = i === prog.settings.length - 1;
      let cur = s;
      if (!last) {
        copyInto(work, s);
        cur = work;
      }
      applyEvents(cur, st.events, prog.shared, st.events.length, params, rng);
      const dist = stateDistribution(cur, st.measure);
      applyReadoutConfusion(dist, st.p10, st.p01);
      parityMeans(prog.words, st.setting, dist, one);
    });
    for (let k = 0; k < K; k++) {
      sum[k]! += one[k]!;
      sumSq[k]! += one[k]! * one[k]!;
    }
  }
  const values = new Float64Array(K),
    stderr = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const m = sum[k]! / trajectories;
    values[k] = m;
    const v = Math.max(0, (sumSq[k]! - trajectories * m * m) / (trajectories - 1));
    stderr[k] = Math.sqrt(v / trajectories);
  }
  return { values, stderr };
}
