import type { NoisyPlan } from "./plan.ts";
import { foldedBlock } from "./plan.ts";
import { rotationPtm, ptmMul } from "../ptm.ts";
import { foldRepeats } from "../density-matrix.ts";

/**
 * One site's MPS tensor: the column of L encoder layers on qubit i (local noisy
 * rotations, then the two ladder halves touching i) applied to its initial
 * Pauli vector. Layout T[K][K'][p], K = (k_1..k_L) left bond, K' right bond
 * (layer 1 most significant), p the Pauli index; bonds of bondL[i] x bondR[i].
 */
export interface Column {
  readonly t: Float64Array;
  /** for backward: X_{l-1} and M_l per layer */
  readonly xs: Float64Array[];
  readonly ms: Float64Array[];
  /** per layer the three rotation factors (N R) in application order and their angle derivatives (N dR) */
  readonly factors: Float64Array[][];
  readonly dFactors: Float64Array[][];
}

type Axis = "X" | "Y" | "Z";

export function buildColumn(
  plan: NoisyPlan,
  i: number,
  inputs: ArrayLike<number>,
  inOff: number,
  weights: ArrayLike<number>,
  keep: boolean,
): Column {
  const { Q, L, encoderOrder } = plan.layout;
  const reps = foldRepeats(plan.fold);
  let x: Float64Array = plan.v0[i]!;
  let DL = 1,
    DR = 1;
  const xs: Float64Array[] = [],
    ms: Float64Array[] = [],
    factors: Float64Array[][] = [],
    dFactors: Float64Array[][] = [];
  const r = new Float64Array(16),
    dr = new Float64Array(16);
  for (let l = 0; l < L; l++) {
    const z = inputs[inOff + Q * l + i]!,
      th = weights[Q * l + i]!;
    const seq: Array<[Axis, number, Float64Array]> = [["X", z, plan.nRX[l]![i]!]];
    if (encoderOrder === "ry-rz") seq.push(["Y", th, plan.nRY[l]![i]!], ["Z", th, plan.nRZ[l]![i]!]);
    else seq.push(["Z", th, plan.nRZ[l]![i]!], ["Y", th, plan.nRY[l]![i]!]);
    let m: Float64Array | null = null;
    const fs: Float64Array[] = [],
      dfs: Float64Array[] = [];
    for (const [ax, a, n] of seq) {
      rotationPtm(ax, a, r, dr);
      const f = reps === 0 ? ptmMul(n, r, 4) : foldedBlock(n, r, 4, reps);
      if (keep) {
        fs.push(f);
        dfs.push(ptmMul(n, dr, 4));
      }
      m = m === null ? f : ptmMul(f, m, 4);
    }
    // Y = M x
    const cnt = DL * DR;
    const y = new Float64Array(cnt * 4);
    for (let c = 0; c < cnt; c++) {
      const o = c * 4,
        x0 = x[o]!,
        x1 = x[o + 1]!,
        x2 = x[o + 2]!,
        x3 = x[o + 3]!;
      for (let p = 0; p < 4; p++)
        y[o + p] = m![p * 4]! * x0 + m![p * 4 + 1]! * x1 + m![p * 4 + 2]! * x2 + m![p * 4 + 3]! * x3;
    }
    const { rl, rr, start, row, col, val } = plan.ladder[l]![i]!;
    const nDR = DR * rr;
    const nx = new Float64Array(DL * rl * nDR * 4);
    for (let K = 0; K < DL; K++)
      for (let Kp = 0; Kp < DR; Kp++) {
        const o = (K * DR + Kp) * 4;
        for (let kl = 0; kl < rl; kl++)
          for (let kr = 0; kr < rr; kr++) {
            const c = kl * rr + kr;
            const d = ((K * rl + kl) * nDR + Kp * rr + kr) * 4;
            for (let e = start[c]!; e < start[c + 1]!; e++) nx[d + row[e]!]! += val[e]! * y[o + col[e]!]!;
          }
      }
    if (keep) {
      xs.push(x);
      ms.push(m!);
      factors.push(fs);
      dFactors.push(dfs);
    }
    x = nx;
    DL *= rl;
    DR = nDR;
  }
  return { t: x, xs, ms, factors, dFactors };
}

/**
 * Reverse mode through a column: from dT (same layout as T) to the gradients of
 * its input angle z_{l,i} and shared angle theta_{l,i} (both added into gInputs / gWeights).
 */
export function columnBackward(
  plan: NoisyPlan,
  i: number,
  col: Column,
  dT: Float64Array,
  gInputs: Float64Array,
  inOff: number,
  gWeights: Float64Array,
): void {
  const { Q, L } = plan.layout;
  let dx = dT;
  for (let l = L - 1; l >= 0; l--) {
    const { rl, rr, start, row, col: cix, val } = plan.ladder[l]![i]!;
    const xPrev = col.xs[l]!,
      m = col.ms[l]!;
    const DL = xPrev.length > 0 ? dimsL(plan, i, l) : 1;
    const DR = xPrev.length / 4 / DL;
    const nDR = DR * rr;
    const dy = new Float64Array(DL * DR * 4);
    for (let K = 0; K < DL; K++)
      for (let Kp = 0; Kp < DR; Kp++) {
        const o = (K * DR + Kp) * 4;
        for (let kl = 0; kl < rl; kl++)
          for (let kr = 0; kr < rr; kr++) {
            const c = kl * rr + kr;
            const d = ((K * rl + kl) * nDR + Kp * rr + kr) * 4;
            for (let e = start[c]!; e < start[c + 1]!; e++) dy[o + cix[e]!]! += val[e]! * dx[d + row[e]!]!;
          }
      }
    // dM = sum dY x^T ; dX = M^T dY
    const dM = new Float64Array(16);
    const ndx = new Float64Array(xPrev.length);
    for (let c = 0; c < DL * DR; c++) {
      const o = c * 4;
      for (let p = 0; p < 4; p++) {
        const g = dy[o + p]!;
        for (let q = 0; q < 4; q++) {
          dM[p * 4 + q]! += g * xPrev[o + q]!;
          ndx[o + q]! += m[p * 4 + q]! * g;
        }
      }
    }
    // angles: M = F3 F2 F1, dF/da_j = <dM, F3..D_j..F1>
    const fs = col.factors[l]!,
      dfs = col.dFactors[l]!;
    const grads = [0, 0, 0];
    for (let j = 0; j < 3; j++) {
      let prod: Float64Array | null = null;
      for (let k = 0; k < 3; k++) {
        const f = k === j ? dfs[k]! : fs[k]!;
        prod = prod === null ? f : ptmMul(f, prod, 4);
      }
      let s = 0;
      for (let e = 0; e < 16; e++) s += dM[e]! * prod![e]!;
      grads[j] = s;
    }
    gInputs[inOff + Q * l + i]! += grads[0]!;
    gWeights[Q * l + i]! += grads[1]! + grads[2]!;
    dx = ndx;
  }
}

/** Left bond dimension of site i's column before layer l (product of the left ranks of layers < l). */
function dimsL(plan: NoisyPlan, i: number, l: number): number {
  let d = 1;
  for (let k = 0; k < l; k++) d *= plan.ladder[k]![i]!.rl;
  return d;
}
