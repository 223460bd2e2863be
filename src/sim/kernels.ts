import type { StateVector } from "./state.ts";
import { wireStride } from "./state.ts";

/**
 * Plain-TypeScript statevector kernels: the reference implementation and the
 * fallback of every faster path. A kernel loops over amplitude pairs (i0, i1)
 * that differ in one wire's bit, as Lightning does.
 */

/** Applies the 2x2 matrix [[a, b], [c, d]] (split re/im) to `wire`. */
export function apply1q(
  s: StateVector,
  wire: number,
  ar: number,
  ai: number,
  br: number,
  bi: number,
  cr: number,
  ci: number,
  dr: number,
  di: number,
): void {
  const { re, im } = s;
  const stride = wireStride(s.n, wire);
  const dim = re.length;
  for (let base = 0; base < dim; base += 2 * stride) {
    for (let i0 = base; i0 < base + stride; i0++) {
      const i1 = i0 + stride;
      const xr = re[i0]!,
        xi = im[i0]!,
        yr = re[i1]!,
        yi = im[i1]!;
      re[i0] = ar * xr - ai * xi + br * yr - bi * yi;
      im[i0] = ar * xi + ai * xr + br * yi + bi * yr;
      re[i1] = cr * xr - ci * xi + dr * yr - di * yi;
      im[i1] = cr * xi + ci * xr + dr * yi + di * yr;
    }
  }
}

/** Applies a 2x2 matrix given as 8 numbers [ar, ai, br, bi, cr, ci, dr, di]. */
export function apply1qPacked(s: StateVector, wire: number, m: ArrayLike<number>): void {
  apply1q(s, wire, m[0]!, m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!, m[7]!);
}

/** CNOT(control, target): swaps the target pair where the control bit is 1. */
export function applyCNOT(s: StateVector, control: number, target: number): void {
  const { re, im } = s;
  const cs = wireStride(s.n, control),
    ts = wireStride(s.n, target);
  for (let i = 0; i < re.length; i++) {
    if ((i & cs) !== 0 && (i & ts) === 0) {
      const j = i | ts;
      const tr = re[i]!,
        ti = im[i]!;
      re[i] = re[j]!;
      im[i] = im[j]!;
      re[j] = tr;
      im[j] = ti;
    }
  }
}

export function applyCZ(s: StateVector, a: number, b: number): void {
  const { re, im } = s;
  const mask = wireStride(s.n, a) | wireStride(s.n, b);
  for (let i = 0; i < re.length; i++) {
    if ((i & mask) === mask) {
      re[i] = -re[i]!;
      im[i] = -im[i]!;
    }
  }
}

export function applySWAP(s: StateVector, a: number, b: number): void {
  const { re, im } = s;
  const sa = wireStride(s.n, a),
    sb = wireStride(s.n, b);
  for (let i = 0; i < re.length; i++) {
    if ((i & sa) !== 0 && (i & sb) === 0) {
      const j = (i ^ sa) | sb;
      const tr = re[i]!,
        ti = im[i]!;
      re[i] = re[j]!;
      im[i] = im[j]!;
      re[j] = tr;
      im[j] = ti;
    }
  }
}

/** Applies a dense 4x4 matrix (split re/im, row-major) to wires (a, b), a the high bit of the local index. */
export function apply2q(
  s: StateVector,
  a: number,
  b: number,
  mre: ArrayLike<number>,
  mim: ArrayLike<number>,
): void {
  const { re, im } = s;
  const sa = wireStride(s.n, a),
    sb = wireStride(s.n, b);
  const vr = new Float64Array(4),
    vi = new Float64Array(4);
  const idx = [0, 0, 0, 0];
  for (let i = 0; i < re.length; i++) {
    if ((i & sa) !== 0 || (i & sb) !== 0) continue;
    idx[0] = i;
    idx[1] = i | sb;
    idx[2] = i | sa;
    idx[3] = i | sa | sb;
    for (let k = 0; k < 4; k++) {
      vr[k] = re[idx[k]!]!;
      vi[k] = im[idx[k]!]!;
    }
    for (let r = 0; r < 4; r++) {
      let accr = 0,
        acci = 0;
      for (let c = 0; c < 4; c++) {
        const xr = mre[r * 4 + c]!,
          xi = mim[r * 4 + c]!;
        accr += xr * vr[c]! - xi * vi[c]!;
        acci += xr * vi[c]! + xi * vr[c]!;
      }
      re[idx[r]!] = accr;
      im[idx[r]!] = acci;
    }
  }
}
