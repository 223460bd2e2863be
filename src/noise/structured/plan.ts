import { ValidationError } from "../../core/errors.ts";
import { GATES, type GateName } from "../../gates/spec.ts";
import type { QmtlLayout } from "../../circuits/qmtl.ts";
import type { PauliWord } from "../../circuits/pauli.ts";
import type { NoiseModel } from "../noise-model.ts";
import { foldRepeats } from "../density-matrix.ts";
import { krausPtm, ptmIdentity, ptmMul, transpose } from "../ptm.ts";

/**
 * The sample-independent part of the noisy structured QMTL evaluation: every
 * gate's noise as a Pauli transfer matrix, the noisy CNOT ladders split into
 * bond sums, and each task's noisy head block as a list of PTM steps.
 *
 * A noisy CNOT on (i, i+1) is a 16x16 PTM G; reshuffled to (p_i q_i) x (p_i+1 q_i+1)
 * it has a small exact rank r (4 for a bare or locally-noisy CNOT, 5 with 2-qubit
 * depolarizing, at most 16), G = sum_k A_k (x) B_k (pivoted Gram-Schmidt, residual
 * checked). A ladder is then an MPO of bond r, and the encoder's output, a product
 * state pushed through L ladders and local channels, an exact MPS of Pauli
 * coefficients with bond prod_l r_l (64 noiseless, 125 with depolarizing for L = 3).
 */

export const MAX_BOND = 4096;

export type TaskStep =
  | {
      readonly kind: "rot";
      readonly site: number;
      readonly w: readonly [number, number, number];
      readonly noise: Float64Array;
    }
  | { readonly kind: "two"; readonly a: number; readonly b: number; readonly g: Float64Array };

export interface TaskPlan {
  readonly offset: number;
  readonly size: number;
  readonly outputOffset: number;
  readonly steps: readonly TaskStep[];
  /** per output, the measured word as a 4^S vector (readout errors folded in: P -> (1 - p01 - p10) P + (p10 - p01) I) */
  readonly words: readonly Float64Array[];
}

export interface LadderSite {
  /** rank from the CNOT on (i-1, i) (1 at i = 0) and on (i, i+1) (1 at i = Q-1) */
  readonly rl: number;
  readonly rr: number;
  /** rl * rr 4x4 matrices N[kl][kr] = A^(i)_kr B^(i-1)_kl (row-major, 16 each) */
  readonly mats: Float64Array;
  /**
   * the same, sparse (CNOT's PTM is a signed permutation, so ~1 nonzero per
   * matrix survives): entries start[c]..start[c+1]-1 of (row, col, val) for c = kl * rr + kr
   */
  readonly start: Int32Array;
  readonly row: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
}

export interface NoisyPlan {
  readonly layout: QmtlLayout;
  readonly fold: number;
  /** per site: the Pauli vector after the noisy H */
  readonly v0: readonly Float64Array[];
  /** [layer][site] noise PTM after RX, RY, RZ (4x4) */
  readonly nRX: readonly (readonly Float64Array[])[];
  readonly nRY: readonly (readonly Float64Array[])[];
  readonly nRZ: readonly (readonly Float64Array[])[];
  /** [layer][site] */
  readonly ladder: readonly (readonly LadderSite[])[];
  /** bond dimension left of site i (bondL[0] = 1) and right of it (bondR[Q-1] = 1) */
  readonly bondL: readonly number[];
  readonly bondR: readonly number[];
  readonly tasks: readonly TaskPlan[];
}

const ptmCache = new Map<string, Float64Array>();
export function gatePtm(g: GateName): Float64Array {
  let p = ptmCache.get(g);
  if (!p) {
    p = krausPtm([GATES[g].matrix([])]);
    ptmCache.set(g, p);
  }
  return p;
}

/** Product of the model's noise PTMs after a gate (identity if none), later channels on the left. */
export function noisePtm(noise: NoiseModel | null, gate: GateName, wires: readonly number[]): Float64Array {
  const D = wires.length === 1 ? 4 : 16;
  let m = ptmIdentity(D);
  if (noise) for (const p of noise.ptmsFor(gate, wires)) m = ptmMul(p, m, D);
  return m;
}

/** A folded noisy gate: N R, or (N R N R^T)^k N R with R^T = R^-1 (unitary R). */
export function foldedBlock(n: Float64Array, r: Float64Array, D: number, reps: number): Float64Array {
  let m = ptmMul(n, r, D);
  if (reps > 0) {
    const back = ptmMul(n, transpose(r, D), D);
    const pair = ptmMul(m, back, D); // N R N R^T
    for (let k = 0; k < reps; k++) m = ptmMul(pair, m, D);
  }
  return m;
}

/** Rank-revealing split of a 16x16 two-site PTM into sum_k A_k (x) B_k. */
export function splitTwoSite(g: Float64Array): { rank: number; a: Float64Array[]; b: Float64Array[] } {
  // M[(p_a q_a)][(p_b q_b)] = G[(p_a p_b)][(q_a q_b)]
  const m: number[][] = Array.from({ length: 16 }, () => new Array<number>(16).fill(0));
  for (let pa = 0; pa < 4; pa++)
    for (let pb = 0; pb < 4; pb++)
      for (let qa = 0; qa < 4; qa++)
        for (let qb = 0; qb < 4; qb++) {
          m[pa * 4 + qa]![pb * 4 + qb] = g[(pa * 4 + pb) * 16 + qa * 4 + qb]!;
        }
  // pivoted Gram-Schmidt on the columns of m: m = U V, U orthonormal (16 x r)
  const cols = Array.from({ length: 16 }, (_, j) => m.map((row) => row[j]!));
  const norm = (v: number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const scale = Math.max(...cols.map(norm));
  const basis: number[][] = [];
  const work = cols.map((c) => [...c]);
  for (;;) {
    let best = -1,
      bn = 0;
    work.forEach((c, j) => {
      const nn = norm(c);
      if (nn > bn) {
        bn = nn;
        best = j;
      }
    });
    if (best < 0 || bn <= 1e-13 * scale) break;
    const u = work[best]!.map((x) => x / bn);
    // re-orthogonalise against the basis for stability
    for (const bv of basis) {
      const d = u.reduce((s, x, k) => s + x * bv[k]!, 0);
      for (let k = 0; k < 16; k++) u[k]! -= d * bv[k]!;
    }
    const un = norm(u);
    for (let k = 0; k < 16; k++) u[k]! /= un;
    basis.push(u);
    for (const c of work) {
      const d = c.reduce((s, x, k) => s + x * u[k]!, 0);
      for (let k = 0; k < 16; k++) c[k]! -= d * u[k]!;
    }
  }
  const a: Float64Array[] = [],
    b: Float64Array[] = [];
  for (const u of basis) {
    a.push(Float64Array.from(u));
    b.push(Float64Array.from(cols.map((c) => c.reduce((s, x, k) => s + x * u[k]!, 0))));
  }
  // residual check: the split must reproduce G
  let err = 0;
  for (let i = 0; i < 16; i++)
    for (let j = 0; j < 16; j++) {
      let s = 0;
      for (let k = 0; k < a.length; k++) s += a[k]![i]! * b[k]![j]!;
      err = Math.max(err, Math.abs(s - m[i]![j]!));
    }
  if (err > 1e-11) throw new Error(`splitTwoSite: residual ${err} (numerical failure)`);
  return { rank: a.length, a, b };
}

/** Readout-modified word: per factor P on local site s, (1 - p01 - p10) e_P + (p10 - p01) e_I; e_I elsewhere. */
function wordVector(word: PauliWord, offset: number, S: number, noise: NoiseModel | null): Float64Array {
  let v = Float64Array.of(1);
  for (let s = 0; s < S; s++) {
    const f = word.factors.find((x) => x.wire === s);
    const site = new Float64Array(4);
    if (!f) site[0] = 1;
    else {
      const e = noise?.readoutFor(offset + s);
      const idx = f.pauli === "X" ? 1 : f.pauli === "Y" ? 2 : 3;
      site[idx] = e ? 1 - e.p01 - e.p10 : 1;
      site[0] = e ? e.p10 - e.p01 : 0;
    }
    const nv = new Float64Array(v.length * 4);
    for (let i = 0; i < v.length; i++) for (let p = 0; p < 4; p++) nv[i * 4 + p] = v[i]! * site[p]!;
    v = nv;
  }
  return v;
}

export function buildPlan(layout: QmtlLayout, noise: NoiseModel | null, fold = 1): NoisyPlan {
  const reps = foldRepeats(fold);
  const { Q, L } = layout;
  const I4 = ptmIdentity(4);
  const v0 = Array.from({ length: Q }, (_, i) => {
    const h = foldedBlock(noisePtm(noise, "H", [i]), gatePtm("H"), 4, reps);
    return Float64Array.from([0, 1, 2, 3], (p) => h[p * 4]! + h[p * 4 + 3]!); // |0><0| = (I + Z) / 2
  });
  const per = (g: GateName): Float64Array[][] =>
    Array.from({ length: L }, () => Array.from({ length: Q }, (_, i) => noisePtm(noise, g, [i])));
  const splits = Array.from({ length: Q - 1 }, (_, i) => {
    if (!layout.entangle) return { rank: 1, a: [I4.slice()], b: [I4.slice()] };
    return splitTwoSite(foldedBlock(noisePtm(noise, "CNOT", [i, i + 1]), gatePtm("CNOT"), 16, reps));
  });
  const siteLadder = (i: number): LadderSite => {
    const left = i > 0 ? splits[i - 1]! : { rank: 1, a: [I4], b: [I4] };
    const right = i < Q - 1 ? splits[i]! : { rank: 1, a: [I4], b: [I4] };
    const mats = new Float64Array(left.rank * right.rank * 16);
    for (let kl = 0; kl < left.rank; kl++)
      for (let kr = 0; kr < right.rank; kr++) {
        mats.set(ptmMul(right.a[kr]!, left.b[kl]!, 4), (kl * right.rank + kr) * 16);
      }
    const start = new Int32Array(left.rank * right.rank + 1);
    const row: number[] = [],
      col: number[] = [],
      val: number[] = [];
    for (let c = 0; c < left.rank * right.rank; c++) {
      for (let e = 0; e < 16; e++) {
        const v = mats[c * 16 + e]!;
        if (v !== 0) {
          row.push(e >> 2);
          col.push(e & 3);
          val.push(v);
        }
      }
      start[c + 1] = val.length;
    }
    return {
      rl: left.rank,
      rr: right.rank,
      mats,
      start,
      row: Int32Array.from(row),
      col: Int32Array.from(col),
      val: Float64Array.from(val),
    };
  };
  const ladderRow = Array.from({ length: Q }, (_, i) => siteLadder(i));
  const ladder = Array.from({ length: L }, () => ladderRow);
  const bondR = Array.from({ length: Q }, (_, i) => (i < Q - 1 ? splits[i]!.rank ** L : 1));
  const bondL = Array.from({ length: Q }, (_, i) => (i > 0 ? bondR[i - 1]! : 1));
  const maxBond = Math.max(...bondR);
  if (maxBond > MAX_BOND) {
    throw new ValidationError(
      "noise model",
      `noisy CNOTs whose ladder bond (rank^L) stays <= ${MAX_BOND} for the structured path; use the density-matrix path`,
      maxBond,
    );
  }
  const tasks = layout.tasks.map((t): TaskPlan => {
    const steps: TaskStep[] = [];
    const S = t.size;
    for (let l = 0; l < layout.Lh; l++) {
      for (let k = 0; k < S; k++) {
        const base = t.weightOffset + (l * S + k) * 3;
        steps.push({
          kind: "rot",
          site: k,
          w: [base, base + 1, base + 2],
          noise: noisePtm(noise, "Rot", [t.offset + k]),
        });
      }
      if (S > 1) {
        const r = (l % (S - 1)) + 1;
        for (let k = 0; k < S; k++) {
          const a = k,
            b = (k + r) % S;
          steps.push({
            kind: "two",
            a,
            b,
            g: foldedBlock(noisePtm(noise, "CNOT", [t.offset + a, t.offset + b]), gatePtm("CNOT"), 16, reps),
          });
        }
      }
    }
    return {
      offset: t.offset,
      size: S,
      outputOffset: t.outputOffset,
      steps,
      words: t.local.map((w) => wordVector(w, t.offset, S, noise)),
    };
  });
  return { layout, fold, v0, nRX: per("RX"), nRY: per("RY"), nRZ: per("RZ"), ladder, bondL, bondR, tasks };
}
