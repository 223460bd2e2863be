import type { QmtlLayout } from "../../circuits/qmtl.ts";
import type { PauliWord } from "../../circuits/pauli.ts";
import { mulNN, mulNNAcc } from "./flat-cmat.ts";
import { headFactors, applyLeft, applyRightDagger, rotGradients, type HeadFactor } from "./head-factors.ts";
import { kronHead, kronGradients, isOneLayer, type KronHead } from "./head-kron.ts";

/**
 * The task blocks in the Heisenberg picture: output k of task t is
 * Tr(rho_t O'_k) with O'_k = U_t^dag O_k U_t, computed once per batch: U by
 * applying the block's local factors, O_k U as a signed row permutation (O_k
 * is a Pauli word), then one product. The head weights' gradient is
 * 2 Re Tr(dU_j H_t) with H_t = sum_k (sum_b c_bk rho_b) U_t^dag O_k: per sample
 * only RC_k += c_bk rho_b is accumulated (upper triangles; rho is Hermitian),
 * and per batch one reverse sweep over the factors gives every dU_j term
 * without forming dU_j. Matrices are interleaved re/im, row-major. A Head
 * keeps O'_k only as its readout table (coef): it is what the thread pool
 * ships per update (MUStARD: ~60 KiB instead of ~134 KiB with the full O'_k).
 */
export interface Head {
  readonly S: number;
  readonly dim: number;
  readonly nOut: number;
  readonly u: Float64Array;
  /** nOut matrices U^dag O_k (empty with kron) */
  readonly udo: Float64Array;
  readonly factors: readonly HeadFactor[];
  /** one-layer blocks (L_h = 1): O'_k as Kronecker products (head-kron.ts); null: the dense path */
  readonly kron: KronHead | null;
  /** the upper entries (a <= b) of a dim x dim matrix: their offsets 2 (a dim + b), row-major */
  readonly upper: Int32Array;
  /**
   * per upper entry e, per output k: w Re O'_k[e], w Im O'_k[e] at 2 (e nOut + k) (w = 1 on the
   * diagonal, 2 above it), so out_k = sum_e Re(rho_e) coef + Im(rho_e) coef' and rhobar_e = sum_k c_k coef
   */
  readonly coef: Float64Array;
}

/** upper and coef of a Head from its observables (see Head) */
function readoutTables(
  dim: number,
  nOut: number,
  obs: Float64Array,
): { upper: Int32Array; coef: Float64Array } {
  const U = (dim * (dim + 1)) / 2,
    n2 = 2 * dim * dim;
  const upper = new Int32Array(U),
    coef = new Float64Array(2 * U * nOut);
  let e = 0;
  for (let a = 0; a < dim; a++)
    for (let b = a; b < dim; b++, e++) {
      const off = 2 * (a * dim + b),
        w = a === b ? 1 : 2;
      upper[e] = off;
      for (let k = 0; k < nOut; k++) {
        coef[2 * (e * nOut + k)] = w * obs[k * n2 + off]!;
        coef[2 * (e * nOut + k) + 1] = w * obs[k * n2 + off + 1]!;
      }
    }
  return { upper, coef };
}

/** (O U) for a Pauli word O on S wires: row x of the result is phase(x) * row (x ^ flip) of U. */
function pauliTimes(word: PauliWord, S: number, u: Float64Array, out: Float64Array): void {
  const dim = 1 << S;
  let flip = 0,
    zy = 0,
    nY = 0;
  for (const f of word.factors) {
    const bit = 1 << (S - 1 - f.wire);
    if (f.pauli !== "Z") flip |= bit;
    if (f.pauli !== "X") zy |= bit;
    if (f.pauli === "Y") nY++;
  }
  for (let x = 0; x < dim; x++) {
    const y = x ^ flip;
    // O|y> = i^nY (-1)^popcount(y & zy) |y ^ flip>
    let par = y & zy,
      sgn = 1;
    while (par !== 0) {
      sgn = -sgn;
      par &= par - 1;
    }
    let pr = sgn,
      pi = 0;
    for (let k = 0; k < nY % 4; k++) {
      const t = pr;
      pr = -pi;
      pi = t;
    }
    const a = 2 * x * dim,
      b = 2 * y * dim;
    for (let e = 0; e < 2 * dim; e += 2) {
      const ur = u[b + e]!,
        ui = u[b + e + 1]!;
      out[a + e] = pr * ur - pi * ui;
      out[a + e + 1] = pr * ui + pi * ur;
    }
  }
}

function daggerInto(dim: number, x: Float64Array, xo: number, y: Float64Array, yo: number): void {
  for (let r = 0; r < dim; r++)
    for (let c = 0; c < dim; c++) {
      y[yo + 2 * (c * dim + r)] = x[xo + 2 * (r * dim + c)]!;
      y[yo + 2 * (c * dim + r) + 1] = -x[xo + 2 * (r * dim + c) + 1]!;
    }
}

/** smallest sub-register given the Kronecker form (below it the dense products are as cheap; measured on the paper heads) */
export const KRON_MIN_S = 3;

export function prepareHeads(layout: QmtlLayout, w: Float64Array, kronMinS = KRON_MIN_S): Head[] {
  return layout.tasks.map((t) => {
    const S = t.size,
      dim = 1 << S,
      n2 = 2 * dim * dim;
    const factors = headFactors(S, layout.Lh, w, t.weightOffset);
    const obs = new Float64Array(t.nOutputs * n2);
    if (layout.Lh === 1 && S >= kronMinS && isOneLayer(S, factors)) {
      const kron = kronHead(S, t.local, factors, obs);
      return {
        S,
        dim,
        nOut: t.nOutputs,
        u: new Float64Array(0),
        udo: new Float64Array(0),
        factors,
        kron,
        ...readoutTables(dim, t.nOutputs, obs),
      };
    }
    const u = new Float64Array(n2);
    for (let i = 0; i < dim; i++) u[2 * (i * dim + i)] = 1;
    for (const f of factors) applyLeft(f, S, u);
    const udo = new Float64Array(t.nOutputs * n2);
    const ou = new Float64Array(n2);
    t.local.forEach((word, k) => {
      pauliTimes(word, S, u, ou);
      daggerInto(dim, ou, 0, udo, k * n2);
      mulNN(dim, obs, k * n2, udo, k * n2, u, 0);
    });
    return { S, dim, nOut: t.nOutputs, u, udo, factors, kron: null, ...readoutTables(dim, t.nOutputs, obs) };
  });
}

/**
 * out[oo + k] = Re Tr(rho O'_k), reading only the upper triangle of rho
 * (rho and O'_k are Hermitian): sum_P rho_PP O'_PP + 2 Re sum_{P<P'} rho_PP' conj(O'_PP'),
 * one pass over rho's upper entries with the coefficient table (Head.coef).
 */
export function readout(h: Head, rho: Float64Array, ro: number, out: Float64Array, oo: number): void {
  const { nOut, upper, coef } = h;
  for (let k = 0; k < nOut; k++) out[oo + k] = 0;
  const U = upper.length;
  for (let e = 0; e < U; e++) {
    const i = ro + upper[e]!,
      xr = rho[i]!,
      xi = rho[i + 1]!,
      c = 2 * e * nOut;
    for (let k = 0; k < nOut; k++) out[oo + k]! += xr * coef[c + 2 * k]! + xi * coef[c + 2 * k + 1]!;
  }
}

/**
 * Backward of readout with respect to the upper triangle of rho: rhobar_PP' =
 * 2 sum_k c_k O'_k[P, P'] above the diagonal, sum_k c_k O'_k[P, P] on it
 * (written into rb at rbo); the head accumulators rc (nOut upper triangles)
 * get += c_k rho.
 */
export function readoutBack(
  h: Head,
  cot: Float64Array,
  co: number,
  rho: Float64Array,
  ro: number,
  rb: Float64Array,
  rbo: number,
  rc: Float64Array,
): void {
  const { dim, nOut, upper, coef } = h;
  const n2 = 2 * dim * dim,
    U = upper.length;
  for (let e = 0; e < U; e++) {
    const off = upper[e]!,
      xr = rho[ro + off]!,
      xi = rho[ro + off + 1]!,
      c = 2 * e * nOut;
    let sr = 0,
      si = 0;
    for (let k = 0; k < nOut; k++) {
      const ck = cot[co + k]!;
      sr += ck * coef[c + 2 * k]!;
      si += ck * coef[c + 2 * k + 1]!;
      rc[k * n2 + off]! += ck * xr;
      rc[k * n2 + off + 1]! += ck * xi;
    }
    rb[rbo + off] = sr;
    rb[rbo + off + 1] = si;
  }
}

/** gradWeights[factor weights] += 2 Re Tr(dU_j H) with H = sum_k RC_k U^dag O_k (rc: nOut upper triangles, mirrored here). */
export function headGradients(h: Head, rc: Float64Array, gradWeights: Float64Array): void {
  const { S, dim, nOut, factors } = h;
  const n2 = 2 * dim * dim;
  for (let k = 0; k < nOut; k++)
    for (let a = 0; a < dim; a++)
      for (let b = 0; b < a; b++) {
        const base = k * n2;
        rc[base + 2 * (a * dim + b)] = rc[base + 2 * (b * dim + a)]!;
        rc[base + 2 * (a * dim + b) + 1] = -rc[base + 2 * (b * dim + a) + 1]!;
      }
  const hm = new Float64Array(n2),
    x = new Float64Array(n2);
  if (h.kron !== null) {
    kronGradients(h.kron, S, rc, gradWeights, x);
    return;
  }
  for (let k = 0; k < nOut; k++) mulNNAcc(dim, 1, hm, 0, rc, k * n2, h.udo, k * n2);
  // X_1 = H U F_1^dag; X_{j+1} = F_j X_j F_{j+1}^dag; dU_j term: Tr(dF_j X_j)
  mulNN(dim, x, 0, hm, 0, h.u, 0);
  if (factors.length > 0) applyRightDagger(factors[0]!, S, x);
  const g = new Float64Array(3);
  factors.forEach((f, j) => {
    if (f.kind === "rot") {
      rotGradients(f, S, x, g);
      for (let q = 0; q < 3; q++) gradWeights[f.weight + q]! += 2 * g[q]!;
    }
    if (j + 1 < factors.length) {
      applyLeft(f, S, x);
      applyRightDagger(factors[j + 1]!, S, x);
    }
  });
}
