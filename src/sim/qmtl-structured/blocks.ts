import {
  mulNN,
  mulNH,
  mulHN,
  mulNNAcc,
  mulNHAcc,
  mulHNAcc,
  dsandAcc,
  dsandTo,
  dsandGrad,
  cdot,
  caxpy,
  cdot4,
  cdot4Back,
  daggerTo,
  daggerAcc,
  hermTo,
} from "./flat-cmat.ts";
import {
  type Plan,
  type BlockPlan,
  wOffset,
  dOffset,
  dcOffset,
  elOffset,
  flOffset,
  rOffset,
} from "./plan.ts";

/**
 * Reduced density matrix of one task's sub-register (sites o..o+S-1) and its
 * adjoint. Growing from the left environment with the physical indices kept
 * open gives Hermitian grids Z_k[p, p'] of m x m blocks (p: the first k
 * physical bits of the sub-register, p_l its last bit):
 *   Z_1[s, s'] = sum_y' D(s^y') F_o(y') D(s'^y')^dag,
 *   Z_{k+1}[(p,s), (p',s')] = D(s^p_l) W Z_k[p,p'] W^dag D(s'^p'_l)^dag.
 * The last site is folded into the right environment R = R[o+S]:
 *   rho[(p,s), (p',s')] = Tr(X[p,p'] Y(p'_l,s'; p_l,s)) = <X[p,p'], Y(p_l,s; p'_l,s')>
 * (<A, B> = sum A conj(B), Y a Hermitian 4 x 4 grid), with
 * G2(c,s; c',s') = D(s^c)^dag R(s,s') D(s'^c') and either (X, Y) = (F_{S-1}, G2),
 * or, cheaper for S >= 4, (Z_{S-1}, N = W^dag G2 W). For S = 1 it is simply
 * rho[s, s'] = <Z_1[s,s'], R(s,s')>. The diagonal blocks Z_1[s, s] are the
 * left chain's EL[o+1](s) and are shared with it when it runs past o.
 *
 * Only upper blocks (row <= column) of Hermitian grids are computed; lower
 * blocks that are read are mirror copies whose adjoint folds the cotangent
 * into the upper block. rho is computed on and above the diagonal.
 */

const yIndex = (a: number, b: number): number => a * 4 + b;

/** sites whose y' = 1 left block is zero (site 0) */
const yCount = (o: number): number => (o === 0 ? 1 : 2);

/** Z_1[s, s] equals the left chain's EL[o+1](s) where the chain runs past o: copied, not recomputed */
const sharesDiag = (p: Plan, bp: BlockPlan): boolean => bp.o < p.oLast;

export function blockForward(p: Plan, bp: BlockPlan, fr: Float64Array): void {
  const { m, bs } = p;
  const { o, S } = bp;
  const z1 = bp.z[1]!,
    mm = m * m;
  for (let s = 0; s < 2; s++)
    for (let sb = s; sb < 2; sb++) {
      const zb = z1 + (s * 2 + sb) * bs;
      if (s === sb && sharesDiag(p, bp)) {
        fr.copyWithin(zb, elOffset(p, o + 1, s), elOffset(p, o + 1, s) + bs);
        continue;
      }
      dsandTo(m, fr, zb, fr, flOffset(p, o, 0), fr, dOffset(p, o, s), fr, dOffset(p, o, sb));
      if (o > 0)
        dsandAcc(m, fr, zb, fr, flOffset(p, o, 1), fr, dOffset(p, o, s ^ 1), fr, dOffset(p, o, sb ^ 1));
    }
  if (S === 1) {
    for (let s = 0; s < 2; s++)
      for (let sb = s; sb < 2; sb++)
        cdot(mm, fr, z1 + (s * 2 + sb) * bs, fr, rOffset(p, o + 1, s, sb), fr, bp.rho + 2 * (s * 2 + sb));
    return;
  }
  for (let k = 1; k <= S - 2; k++) {
    const j = o + k,
      d = 1 << k,
      dn = 2 * d,
      zn = bp.z[k + 1]!;
    sandwichUpper(m, bs, d, fr, bp.z[k]!, bp.t[k]!, bp.f[k]!, wOffset(p, j));
    for (let a = 0; a < d; a++)
      for (let b = a; b < d; b++)
        for (let s = 0; s < 2; s++)
          for (let sb = 0; sb < 2; sb++) {
            const P = 2 * a + s,
              Pb = 2 * b + sb;
            if (P > Pb) continue;
            const zb = zn + (P * dn + Pb) * bs;
            dsandTo(
              m,
              fr,
              zb,
              fr,
              bp.f[k]! + (a * d + b) * bs,
              fr,
              dOffset(p, j, s ^ (a & 1)),
              fr,
              dOffset(p, j, sb ^ (b & 1)),
            );
          }
  }
  // close at site j = o + S - 1 against R[o + S]
  const j = o + S - 1,
    w = wOffset(p, j),
    end = o + S;
  for (let al = 0; al < 4; al++)
    for (let be = al; be < 4; be++)
      dsandTo(
        m,
        fr,
        bp.g2 + yIndex(al, be) * bs,
        fr,
        rOffset(p, end, al & 1, be & 1),
        fr,
        dcOffset(p, j, (al & 1) ^ (al >> 1)),
        fr,
        dcOffset(p, j, (be & 1) ^ (be >> 1)),
      );
  let yOff = bp.g2;
  if (bp.useN) {
    for (let al = 0; al < 4; al++)
      for (let be = al; be < 4; be++) {
        const k = yIndex(al, be) * bs;
        mulNN(m, fr, bp.v2 + k, fr, bp.g2 + k, fr, w);
        mulHN(m, fr, bp.n + k, fr, w, fr, bp.v2 + k);
      }
    mirrorLower(m, bs, fr, bp.n);
    yOff = bp.n;
  } else {
    sandwichUpper(m, bs, 1 << (S - 1), fr, bp.z[S - 1]!, bp.t[S - 1]!, bp.f[S - 1]!, w);
    // a 2 x 2 grid (S = 2) only reads upper Y blocks
    if (S > 2) mirrorLower(m, bs, fr, bp.g2);
  }
  const x = bp.useN ? bp.z[S - 1]! : bp.f[S - 1]!,
    d = 1 << (S - 1),
    dim = bp.dim;
  // per X block, its (s, s') entries in one pass: (0,0), (0,1), (1,1) and, above the diagonal, (1,0)
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const ya = 2 * (a & 1),
        yb = 2 * (b & 1),
        ro = bp.rho + 2 * (2 * a * dim + 2 * b);
      cdot4(
        mm,
        fr,
        x + (a * d + b) * bs,
        fr,
        yOff + yIndex(ya, yb) * bs,
        yOff + yIndex(ya, yb + 1) * bs,
        yOff + yIndex(ya + 1, yb + 1) * bs,
        a < b ? yOff + yIndex(ya + 1, yb) * bs : -1,
        fr,
        ro,
        ro + 2,
        ro + 2 * dim + 2,
        ro + 2 * dim,
      );
    }
}

/** lower blocks of a 4 x 4 Hermitian grid from the upper ones */
function mirrorLower(m: number, bs: number, fr: Float64Array, g: number): void {
  for (let al = 1; al < 4; al++)
    for (let be = 0; be < al; be++) daggerTo(m, fr, g + yIndex(al, be) * bs, fr, g + yIndex(be, al) * bs);
}

/** adjoint of mirrorLower: upper cotangent += lower cotangent^dag */
function foldLower(m: number, bs: number, cf: Float64Array, g: number): void {
  for (let al = 1; al < 4; al++)
    for (let be = 0; be < al; be++) daggerAcc(m, cf, g + yIndex(be, al) * bs, cf, g + yIndex(al, be) * bs);
}

/** T = W Z, F = T W^dag on the upper blocks of a d x d grid. */
function sandwichUpper(
  m: number,
  bs: number,
  d: number,
  fr: Float64Array,
  z: number,
  t: number,
  f: number,
  w: number,
): void {
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const k = (a * d + b) * bs;
      mulNN(m, fr, t + k, fr, w, fr, z + k);
      mulNH(m, fr, f + k, fr, t + k, fr, w);
    }
}

/** Adjoint of sandwichUpper: Zbar += W^dag Fbar W; Wbar += Fbar (W Z^dag) + Fbar^dag T (W Z^dag = T on the diagonal). */
function sandwichUpperBack(
  m: number,
  bs: number,
  d: number,
  fr: Float64Array,
  cf: Float64Array,
  z: number,
  t: number,
  f: number,
  w: number,
  tmp: Float64Array,
): void {
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const k = (a * d + b) * bs;
      mulHN(m, tmp, 0, fr, w, cf, f + k);
      mulNNAcc(m, 1, cf, z + k, tmp, 0, fr, w);
      if (a === b) {
        hermTo(m, tmp, bs, cf, f + k);
        mulNNAcc(m, 1, cf, w, tmp, bs, fr, t + k);
      } else {
        mulHNAcc(m, cf, w, cf, f + k, fr, t + k);
        mulNH(m, tmp, bs, fr, w, fr, z + k);
        mulNNAcc(m, 1, cf, w, cf, f + k, tmp, bs);
      }
    }
}

/** Adjoint of blockForward, from the effective rhobar (upper entries) in the cotangent frame's rho slot. */
export function blockBackward(
  p: Plan,
  bp: BlockPlan,
  fr: Float64Array,
  cf: Float64Array,
  tmp: Float64Array,
): void {
  const { m, bs } = p;
  const { o, S } = bp;
  const mm = m * m,
    z1 = bp.z[1]!;
  if (S === 1) {
    // rho[s, s'] = <Z_1[s,s'], R(s,s')>: Z1bar += rhobar R, Rbar += conj(rhobar) Z_1
    for (let s = 0; s < 2; s++)
      for (let sb = s; sb < 2; sb++) {
        const ri = bp.rho + 2 * (s * 2 + sb),
          zb = z1 + (s * 2 + sb) * bs,
          rk = rOffset(p, o + 1, s, sb);
        caxpy(mm, cf, zb, cf[ri]!, cf[ri + 1]!, fr, rk);
        caxpy(mm, cf, rk, cf[ri]!, -cf[ri + 1]!, fr, zb);
      }
  } else closeBackward(p, bp, fr, cf, tmp);
  for (let s = 0; s < 2; s++)
    for (let sb = s; sb < 2; sb++) {
      const zb = z1 + (s * 2 + sb) * bs;
      if (s === sb && sharesDiag(p, bp)) {
        const e = elOffset(p, o + 1, s);
        for (let k = 0; k < bs; k++) cf[e + k]! += cf[zb + k]!;
        continue;
      }
      for (let y = 0; y < yCount(o); y++) {
        const fy = flOffset(p, o, y),
          c1 = s ^ y,
          c2 = sb ^ y;
        dsandAcc(m, cf, fy, cf, zb, fr, dcOffset(p, o, c1), fr, dcOffset(p, o, c2));
        dsandGrad(
          m,
          cf,
          zb,
          fr,
          fy,
          fr,
          dOffset(p, o, c1),
          fr,
          dOffset(p, o, c2),
          cf,
          dOffset(p, o, c1),
          cf,
          dOffset(p, o, c2),
        );
      }
    }
}

/** Backward of the close and the Z steps of a block with S >= 2, down to Z1bar. */
function closeBackward(p: Plan, bp: BlockPlan, fr: Float64Array, cf: Float64Array, tmp: Float64Array): void {
  const { m, bs } = p;
  const { o, S } = bp;
  const j = o + S - 1,
    w = wOffset(p, j),
    end = o + S,
    dim = bp.dim,
    mm = m * m;
  const yOff = bp.useN ? bp.n : bp.g2;
  const x = bp.useN ? bp.z[S - 1]! : bp.f[S - 1]!,
    d = 1 << (S - 1);
  // rho = <X, Y>: Xbar += rhobar Y, Ybar += conj(rhobar) X
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const ya = 2 * (a & 1),
        yb = 2 * (b & 1),
        ro = bp.rho + 2 * (2 * a * dim + 2 * b);
      cdot4Back(
        mm,
        fr,
        cf,
        x + (a * d + b) * bs,
        yOff + yIndex(ya, yb) * bs,
        yOff + yIndex(ya, yb + 1) * bs,
        yOff + yIndex(ya + 1, yb + 1) * bs,
        a < b ? yOff + yIndex(ya + 1, yb) * bs : -1,
        cf,
        ro,
        ro + 2,
        ro + 2 * dim + 2,
        ro + 2 * dim,
      );
    }
  if (bp.useN) {
    foldLower(m, bs, cf, bp.n);
    for (let al = 0; al < 4; al++)
      for (let be = al; be < 4; be++) {
        const k = yIndex(al, be) * bs;
        // G2bar = W Nbar W^dag; Wbar += V2 Nbar^dag + (G2^dag W) Nbar
        mulNN(m, tmp, 0, fr, w, cf, bp.n + k);
        mulNH(m, cf, bp.g2 + k, tmp, 0, fr, w);
        if (al === be) {
          hermTo(m, tmp, bs, cf, bp.n + k);
          mulNNAcc(m, 1, cf, w, fr, bp.v2 + k, tmp, bs);
        } else {
          mulNHAcc(m, cf, w, fr, bp.v2 + k, cf, bp.n + k);
          mulHN(m, tmp, bs, fr, bp.g2 + k, fr, w);
          mulNNAcc(m, 1, cf, w, tmp, bs, cf, bp.n + k);
        }
      }
  } else {
    if (S > 2) foldLower(m, bs, cf, bp.g2);
    sandwichUpperBack(m, bs, 1 << (S - 1), fr, cf, bp.z[S - 1]!, bp.t[S - 1]!, bp.f[S - 1]!, w, tmp);
  }
  for (let al = 0; al < 4; al++)
    for (let be = al; be < 4; be++) {
      const gk = bp.g2 + yIndex(al, be) * bs,
        rk = rOffset(p, end, al & 1, be & 1);
      const c1 = (al & 1) ^ (al >> 1),
        c2 = (be & 1) ^ (be >> 1);
      const d1 = dcOffset(p, j, c1),
        d2 = dcOffset(p, j, c2);
      dsandAcc(m, cf, rk, cf, gk, fr, dOffset(p, j, c1), fr, dOffset(p, j, c2));
      dsandGrad(m, cf, gk, fr, rk, fr, d1, fr, d2, cf, d1, cf, d2);
    }
  for (let k = S - 2; k >= 1; k--) {
    const jj = o + k,
      dd = 1 << k,
      dn = 2 * dd,
      zn = bp.z[k + 1]!;
    for (let a = 0; a < dd; a++)
      for (let b = a; b < dd; b++)
        for (let s = 0; s < 2; s++)
          for (let sb = 0; sb < 2; sb++) {
            const P = 2 * a + s,
              Pb = 2 * b + sb;
            if (P > Pb) continue;
            const zb = zn + (P * dn + Pb) * bs,
              fk = bp.f[k]! + (a * dd + b) * bs;
            const c1 = s ^ (a & 1),
              c2 = sb ^ (b & 1);
            dsandAcc(m, cf, fk, cf, zb, fr, dcOffset(p, jj, c1), fr, dcOffset(p, jj, c2));
            dsandGrad(
              m,
              cf,
              zb,
              fr,
              fk,
              fr,
              dOffset(p, jj, c1),
              fr,
              dOffset(p, jj, c2),
              cf,
              dOffset(p, jj, c1),
              cf,
              dOffset(p, jj, c2),
            );
          }
    sandwichUpperBack(m, bs, dd, fr, cf, bp.z[k]!, bp.t[k]!, bp.f[k]!, wOffset(p, jj), tmp);
  }
}
