import { mulNN, mulNH, mulHN, mulNNAcc, mulNHAcc, daggerTo, daggerAcc, hermTo } from "./flat-cmat.ts";
import { leftStepFused, leftStepFusedBack, rightStepFused, rightStepFusedBack } from "./chain-kernels.ts";
import {
  type Plan,
  wOffset,
  dOffset,
  dcOffset,
  elOffset,
  tlOffset,
  flOffset,
  rOffset,
  gOffset,
  vOffset,
} from "./plan.ts";

/**
 * The left and right environment chains of the parity-bond MPS and their
 * adjoints. Left environments are block diagonal in the physical bit of the
 * previous site: EL[i](y') (m x m, Hermitian); right environments R[i](y, y')
 * are full 2m x 2m. With K(s, y') = D(s ^ y') W:
 *   F_i(y') = W EL[i](y') W^dag,   EL[i+1](s) = sum_y' D(s^y') F_i(y') D(s^y')^dag,
 *   G_i(y, y') = sum_s D(s^y)^dag R[i+1](s, s) D(s^y'),   R[i](y, y') = W^dag G_i(y, y') W.
 * The chains only need R's diagonal blocks; R(0, 1) is computed where a
 * sub-register ends (its reduced density matrix reads all four blocks) and
 * R(1, 0) = R(0, 1)^dag is a mirror copy, whose adjoint folds its cotangent
 * back. EL[0] has only its y' = 0 block, so site 0 skips y' = 1.
 *
 * Adjoints use df = Re sum conj(xbar) dx. Cotangents of Hermitian blocks need
 * not be Hermitian (only their Hermitian part matters), so the W cotangent of
 * a sandwich F = W X W^dag is the general (Fbar + Fbar^dag) W X.
 */

/** EL[0] = |0><0| in block y' = 0; R[Q] = all ones. */
export function chainBoundaries(p: Plan, fr: Float64Array): void {
  const { m, bs } = p;
  fr.fill(0, elOffset(p, 0, 0), elOffset(p, 0, 0) + 2 * bs);
  fr[elOffset(p, 0, 0)] = 1;
  const r = rOffset(p, p.Q, 0, 0);
  for (let k = 0; k < 4 * m * m; k++) {
    fr[r + 2 * k] = 1;
    fr[r + 2 * k + 1] = 0;
  }
}

/** F_i(y') = W EL[i](y') W^dag (T = W EL kept for the backward pass). */
export function leftSandwich(p: Plan, fr: Float64Array, i: number): void {
  const { m } = p;
  const w = wOffset(p, i);
  for (let y = 0; y < (i === 0 ? 1 : 2); y++) {
    mulNN(m, fr, tlOffset(p, i, y), fr, w, fr, elOffset(p, i, y));
    mulNH(m, fr, flOffset(p, i, y), fr, tlOffset(p, i, y), fr, w);
  }
}

/** EL[i+1](s) = sum_y' D(s^y') F_i(y') D(s^y')^dag. */
export function leftStep(p: Plan, fr: Float64Array, i: number): void {
  leftStepFused(
    p.m,
    fr,
    elOffset(p, i + 1, 0),
    elOffset(p, i + 1, 1),
    flOffset(p, i, 0),
    flOffset(p, i, 1),
    dOffset(p, i, 0),
    dOffset(p, i, 1),
    i === 0,
  );
}

/** Adjoint of leftStep: ELbar[i+1] -> Fbar_i, Dbar_i. */
export function leftStepBack(p: Plan, fr: Float64Array, cf: Float64Array, i: number): void {
  leftStepFusedBack(
    p.m,
    fr,
    cf,
    elOffset(p, i + 1, 0),
    elOffset(p, i + 1, 1),
    flOffset(p, i, 0),
    flOffset(p, i, 1),
    dOffset(p, i, 0),
    dOffset(p, i, 1),
    i === 0,
  );
}

/** Adjoint of leftSandwich: Fbar_i -> ELbar[i], Wbar_i += (Fbar + Fbar^dag) T (EL Hermitian). */
export function leftSandwichBack(
  p: Plan,
  fr: Float64Array,
  cf: Float64Array,
  i: number,
  tmp: Float64Array,
): void {
  const { m } = p;
  const w = wOffset(p, i);
  for (let y = 0; y < (i === 0 ? 1 : 2); y++) {
    const fb = flOffset(p, i, y),
      t = tlOffset(p, i, y);
    if (i > 0) {
      mulHN(m, tmp, 0, fr, w, cf, fb);
      mulNNAcc(m, 1, cf, elOffset(p, i, y), tmp, 0, fr, w);
    }
    hermTo(m, tmp, p.bs, cf, fb);
    mulNNAcc(m, 1, cf, w, tmp, p.bs, fr, t);
  }
}

/** R[i] from R[i+1] through site i: blocks (0,0), (1,1), and (0,1) with its mirror where needed. */
export function rightStep(p: Plan, fr: Float64Array, i: number): void {
  const { m } = p;
  const w = wOffset(p, i);
  const off = p.needOff[i]!;
  rightStepFused(
    m,
    fr,
    gOffset(p, i, 0, 0),
    gOffset(p, i, 1, 1),
    gOffset(p, i, 0, 1),
    rOffset(p, i + 1, 0, 0),
    rOffset(p, i + 1, 1, 1),
    dOffset(p, i, 0),
    dOffset(p, i, 1),
    off,
  );
  for (let y = 0; y < 2; y++)
    for (let yb = y; yb < 2; yb++) {
      if (yb !== y && !off) continue;
      mulNN(m, fr, vOffset(p, i, y, yb), fr, gOffset(p, i, y, yb), fr, w);
      mulHN(m, fr, rOffset(p, i, y, yb), fr, w, fr, vOffset(p, i, y, yb));
    }
  if (off) daggerTo(m, fr, rOffset(p, i, 1, 0), fr, rOffset(p, i, 0, 1));
}

/** Adjoint of rightStep: Rbar[i] -> Rbar[i+1](s, s), Wbar_i, conj(D)bar_i. */
export function rightStepBack(
  p: Plan,
  fr: Float64Array,
  cf: Float64Array,
  i: number,
  tmp: Float64Array,
): void {
  const { m, bs } = p;
  const w = wOffset(p, i);
  const off = p.needOff[i]!;
  if (off) daggerAcc(m, cf, rOffset(p, i, 0, 1), cf, rOffset(p, i, 1, 0));
  for (let y = 0; y < 2; y++)
    for (let yb = y; yb < 2; yb++) {
      if (yb !== y && !off) continue;
      const rb = rOffset(p, i, y, yb),
        gb = gOffset(p, i, y, yb),
        v = vOffset(p, i, y, yb);
      // Gbar = W Rbar W^dag
      mulNN(m, tmp, 0, fr, w, cf, rb);
      mulNH(m, cf, gb, tmp, 0, fr, w);
      // Wbar += V Rbar^dag + (G^dag W) Rbar, with G^dag W = V on the diagonal
      if (y === yb) {
        hermTo(m, tmp, bs, cf, rb);
        mulNNAcc(m, 1, cf, w, fr, v, tmp, bs);
      } else {
        mulNHAcc(m, cf, w, fr, v, cf, rb);
        mulHN(m, tmp, bs, fr, gb, fr, w);
        mulNNAcc(m, 1, cf, w, tmp, bs, cf, rb);
      }
    }
  rightStepFusedBack(
    m,
    fr,
    cf,
    gOffset(p, i, 0, 0),
    gOffset(p, i, 1, 1),
    gOffset(p, i, 0, 1),
    rOffset(p, i + 1, 0, 0),
    rOffset(p, i + 1, 1, 1),
    dOffset(p, i, 0),
    dOffset(p, i, 1),
    dcOffset(p, i, 0),
    dcOffset(p, i, 1),
    off,
  );
}
