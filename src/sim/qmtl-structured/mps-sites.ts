/**
 * The per-site tensors of the structured QMTL engine's MPS (first block, CNOT-ladder sites and their
 * adjoints, cross matrices), split from mps-engine.ts.
 */
import type { QmtlLayout } from "../../circuits/qmtl.ts";
import { matmul, dagger, cmat, type CMatrix } from "../../gates/matrix.ts";
import type { DifferentiableExecutor, Gradients, Tape } from "../executor.ts";
import { checkBatchArgs, checkCotangent } from "../executor.ts";
import {
  t3,
  cmIdentity1,
  applyPhys,
  mergeSites,
  envLeft,
  envRight,
  closeLeft,
  closeRight,
  closeBoth,
  addInto,
  type T3,
  type CM,
} from "./tensor3.ts";
import { splitBlockGradient } from "./mps-split.ts";
import { encoderGate, firstBlockVector, headUnitary, pauliMatrix, type EncoderGate } from "./local-ops.ts";

export function leftDim(i: number, layers: number, entangle: boolean): number {
  return entangle && i > 0 ? 1 << layers : 1;
}

/** Site tensor of a product-state factor v (2-vector stored in column 0 of a CMatrix) after one ladder. */
export function firstBlockSite(i: number, Q: number, v: CMatrix, entangle: boolean): T3 {
  if (!entangle) {
    const t = t3(1, 2, 1);
    for (let s = 0; s < 2; s++) {
      t.re[s] = v.re[s * 2]!;
      t.im[s] = v.im[s * 2]!;
    }
    return t;
  }
  const dl = i > 0 ? 2 : 1,
    dr = i < Q - 1 ? 2 : 1;
  const t = t3(dl, 2, dr);
  for (let p = 0; p < dl; p++)
    for (let s = 0; s < 2; s++) {
      const x = s ^ p;
      const q = dr === 2 ? s : 0;
      t.re[(p * 2 + s) * dr + q] = v.re[x * 2]!;
      t.im[(p * 2 + s) * dr + q] = v.im[x * 2]!;
    }
  return t;
}

/** T[(a,p), s, (b,q)] = P[a, s^p, b] delta(q = s): one CNOT ladder on a site (edges keep bond 1 sides). */
export function ladderSite(pt: T3, i: number, Q: number): T3 {
  const hasP = i > 0,
    hasQ = i < Q - 1;
  const dl = hasP ? pt.dl * 2 : pt.dl,
    dr = hasQ ? pt.dr * 2 : pt.dr;
  const t = t3(dl, 2, dr);
  for (let a = 0; a < pt.dl; a++)
    for (let p = 0; p < (hasP ? 2 : 1); p++)
      for (let s = 0; s < 2; s++) {
        const x = s ^ p;
        const al = hasP ? a * 2 + p : a;
        for (let b = 0; b < pt.dr; b++) {
          const br = hasQ ? b * 2 + s : b;
          const src = (a * 2 + x) * pt.dr + b,
            dst = (al * 2 + s) * dr + br;
          t.re[dst] = pt.re[src]!;
          t.im[dst] = pt.im[src]!;
        }
      }
  return t;
}

/** Adjoint of ladderSite: G_P[a, x, b] = sum_p G_T[(a,p), x^p, (b, x^p)]. */
export function ladderSiteAdjoint(gt: T3, i: number, Q: number, dlP: number, drP: number): T3 {
  const hasP = i > 0,
    hasQ = i < Q - 1;
  const g = t3(dlP, 2, drP);
  for (let a = 0; a < dlP; a++)
    for (let p = 0; p < (hasP ? 2 : 1); p++)
      for (let s = 0; s < 2; s++) {
        const x = s ^ p;
        const al = hasP ? a * 2 + p : a;
        for (let b = 0; b < drP; b++) {
          const br = hasQ ? b * 2 + s : b;
          const src = (al * 2 + s) * gt.dr + br,
            dst = (a * 2 + x) * drP + b;
          g.re[dst]! += gt.re[src]!;
          g.im[dst]! += gt.im[src]!;
        }
      }
  return g;
}

/** K[s', s] = sum_{a,b} P[a, s', b] conj(G[a, s, b]) (2x2), so df = 2 Re Tr(dU K). */
export function crossMatrix(p: T3, g: T3): CMatrix {
  const k = cmat(2);
  const { dl, dr } = p;
  for (let a = 0; a < dl; a++)
    for (let sp = 0; sp < 2; sp++)
      for (let s = 0; s < 2; s++) {
        let sr = 0,
          si = 0;
        const po = (a * 2 + sp) * dr,
          go = (a * 2 + s) * dr;
        for (let b = 0; b < dr; b++) {
          const pr = p.re[po + b]!,
            pi = p.im[po + b]!,
            gr = g.re[go + b]!,
            gi = g.im[go + b]!;
          sr += pr * gr + pi * gi;
          si += pi * gr - pr * gi;
        }
        k.re[sp * 2 + s]! += sr;
        k.im[sp * 2 + s]! += si;
      }
  return k;
}

/** Adjoint of firstBlockSite: d f / d conj(b)[x]. */
export function firstBlockAdjoint(
  g: T3,
  i: number,
  Q: number,
  entangle: boolean,
): { re: Float64Array; im: Float64Array } {
  const out = { re: new Float64Array(2), im: new Float64Array(2) };
  if (!entangle) {
    for (let s = 0; s < 2; s++) {
      out.re[s] = g.re[s]!;
      out.im[s] = g.im[s]!;
    }
    return out;
  }
  const dl = i > 0 ? 2 : 1,
    dr = i < Q - 1 ? 2 : 1;
  for (let p = 0; p < dl; p++)
    for (let s = 0; s < 2; s++) {
      const q = dr === 2 ? s : 0;
      out.re[s ^ p]! += g.re[(p * 2 + s) * dr + q]!;
      out.im[s ^ p]! += g.im[(p * 2 + s) * dr + q]!;
    }
  return out;
}
