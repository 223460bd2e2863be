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
import { apply1q, applyCZ } from "../../sim/kernels.ts";
import { bindAngle } from "../hw-circuit.ts";
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
 *   else the no-jump operator diag(1, sqrt(1 - gamma)) (see Pending: applied lazily; P(1) is
 *   only computed when the drawn u < gamma, since u >= gamma means no jump whatever P(1) is).
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

/**
 * Pending diagonal 1-qubit operators diag(d0, d1) per wire: rz, the no-jump amplitude-damping
 * operator diag(1, sqrt(1 - gamma)) and phase flips are diagonal, commute with each other and
 * with cz, so they are collected here and folded into the wire's next non-diagonal gate (one
 * pass instead of several). The state is left unnormalised between jumps (the no-jump
 * operator shrinks it); jump probabilities and the final distribution use the actual norm.
 */
class Pending {
  readonly d0r: Float64Array;
  readonly d0i: Float64Array;
  readonly d1r: Float64Array;
  readonly d1i: Float64Array;
  readonly set: Uint8Array;
  constructor(n: number) {
    this.d0r = new Float64Array(n).fill(1);
    this.d0i = new Float64Array(n);
    this.d1r = new Float64Array(n).fill(1);
    this.d1i = new Float64Array(n);
    this.set = new Uint8Array(n);
  }
  reset(): void {
    this.d0r.fill(1);
    this.d0i.fill(0);
    this.d1r.fill(1);
    this.d1i.fill(0);
    this.set.fill(0);
  }
  /** multiplies wire w's pending operator by diag(a0r + i a0i, a1r + i a1i) */
  mul(w: number, a0r: number, a0i: number, a1r: number, a1i: number): void {
    const r0 = this.d0r[w]!,
      i0 = this.d0i[w]!,
      r1 = this.d1r[w]!,
      i1 = this.d1i[w]!;
    this.d0r[w] = r0 * a0r - i0 * a0i;
    this.d0i[w] = r0 * a0i + i0 * a0r;
    this.d1r[w] = r1 * a1r - i1 * a1i;
    this.d1i[w] = r1 * a1i + i1 * a1r;
    this.set[w] = 1;
  }
  /** applies wire w's pending operator to the state (if any) */
  flush(s: StateVector, w: number): void {
    if (!this.set[w]) return;
    apply1q(s, w, this.d0r[w]!, this.d0i[w]!, 0, 0, 0, 0, this.d1r[w]!, this.d1i[w]!);
    this.clear(w);
  }
  /** applies the 2x2 matrix m (packed) after wire w's pending operator, in one pass */
  applyAfter(s: StateVector, w: number, m: ArrayLike<number>): void {
    const a0r = this.d0r[w]!,
      a0i = this.d0i[w]!,
      a1r = this.d1r[w]!,
      a1i = this.d1i[w]!;
    // m . diag(a0, a1): first column times a0, second column times a1
    apply1q(
      s,
      w,
      m[0]! * a0r - m[1]! * a0i,
      m[0]! * a0i + m[1]! * a0r,
      m[2]! * a1r - m[3]! * a1i,
      m[2]! * a1i + m[3]! * a1r,
      m[4]! * a0r - m[5]! * a0i,
      m[4]! * a0i + m[5]! * a0r,
      m[6]! * a1r - m[7]! * a1i,
      m[6]! * a1i + m[7]! * a1r,
    );
    this.clear(w);
  }
  private clear(w: number): void {
    this.d0r[w] = 1;
    this.d0i[w] = 0;
    this.d1r[w] = 1;
    this.d1i[w] = 0;
    this.set[w] = 0;
  }
}

const SX = [0.5, 0.5, 0.5, -0.5, 0.5, -0.5, 0.5, 0.5] as const;
const X = [0, 0, 1, 0, 1, 0, 0, 0] as const;

function norm2(s: StateVector): number {
  let t = 0;
  for (let i = 0; i < s.re.length; i++) t += s.re[i]! * s.re[i]! + s.im[i]! * s.im[i]!;
  return t;
}

/** Amplitude damping with a drawn u < gamma: jump iff u < gamma * P(1) (state normalised here). */
function dampCheck(s: StateVector, w: number, gamma: number, u: number, pend: Pending): void {
  pend.flush(s, w);
  const { re, im } = s;
  const stride = wireStride(s.n, w),
    dim = re.length;
  let p1 = 0;
  for (let base = 0; base < dim; base += 2 * stride)
    for (let i1 = base + stride; i1 < base + 2 * stride; i1++) p1 += re[i1]! * re[i1]! + im[i1]! * im[i1]!;
  const total = norm2(s);
  if (u * total < gamma * p1) {
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
  pend: Pending,
): void {
  for (let e = from; e < to; e++) {
    const ev = events[e]!;
    if (ev.kind === "gate") {
      const op = ev.op,
        w = op.qubits[0]!;
      if (op.gate === "rz") {
        const h = bindAngle(op.angles[0]!, params) / 2;
        const c = Math.cos(h),
          sn = Math.sin(h);
        pend.mul(w, c, -sn, c, sn);
      } else if (op.gate === "sx") pend.applyAfter(s, w, SX);
      else if (op.gate === "x") pend.applyAfter(s, w, X);
      else if (op.gate === "cz") applyCZ(s, w, op.qubits[1]!);
      else {
        for (const q of op.qubits) pend.flush(s, q);
        applyHwOp(s, op, params);
      }
    } else if (ev.kind === "depolarizing") {
      if (rng.uniform() < ev.lam) {
        let word = rng.int(4 ** ev.wires.length);
        for (let k = ev.wires.length - 1; k >= 0; k--) {
          const p = word & 3;
          word >>= 2;
          if (p === 0) continue;
          pend.flush(s, ev.wires[k]!);
          applyPauliIndex(s, ev.wires[k]!, p);
        }
      }
    } else {
      if (ev.gamma > 0) {
        const u = rng.uniform();
        if (u < ev.gamma) dampCheck(s, ev.wire, ev.gamma, u, pend);
        else pend.mul(ev.wire, 1, 0, Math.sqrt(1 - ev.gamma), 0);
      }
      if (ev.pz > 0 && rng.uniform() < ev.pz) pend.mul(ev.wire, 1, 0, -1, 0);
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
  let total = 0;
  for (let k = 0; k < dist.length; k++) total += dist[k]!;
  for (let k = 0; k < dist.length; k++) dist[k] = dist[k]! / total;
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
  const pend = new Pending(n);
  for (let t = 0; t < trajectories; t++) {
    s.re.fill(0);
    s.im.fill(0);
    s.re[0] = 1;
    pend.reset();
    if (prog.settings.length === 0) break;
    applyEvents(s, prog.settings[0]!.events, 0, prog.shared, params, rng, pend);
    if (prog.settings.length > 1) for (let w = 0; w < n; w++) pend.flush(s, w);
    prog.settings.forEach((st, i) => {
      const last = i === prog.settings.length - 1;
      let cur = s;
      if (!last) {
        copyInto(work, s);
        cur = work;
      }
      applyEvents(cur, st.events, prog.shared, st.events.length, params, rng, pend);
      for (let w = 0; w < n; w++) pend.flush(cur, w);
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
