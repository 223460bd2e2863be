/**
 * Small dense complex m x m matrices stored interleaved (re, im) and row-major
 * at an offset of a Float64Array: element (r, c) is at o + 2*(r*m + c). These
 * are the hot kernels of the structured QMTL engine (m = 2^(L-1), 4 for the
 * paper's heads). No allocation; outputs must not alias inputs.
 */
import {
  mulNN4,
  mulNH4,
  mulHN4,
  mulNNAcc4,
  mulNHAcc4,
  mulHNAcc4,
  dsandTo4,
  dsandAcc4,
  dsandGrad4,
} from "./flat-cmat4.ts";
import { activeKernels, addr } from "./wasm-kernels.ts";

type F64 = Float64Array;

/** byte addresses of y, a, b in the active pass's kernel memory (wasm-kernels.ts), set by wasmArgs */
let ya = 0,
  aa = 0,
  ba = 0;
function wasmArgs(y: F64, a: F64, b: F64): boolean {
  ya = addr(y);
  aa = addr(a);
  ba = addr(b);
  return ya >= 0 && aa >= 0 && ba >= 0;
}

/** Y = A B */
export function mulNN(m: number, y: F64, yo: number, a: F64, ao: number, b: F64, bo: number): void {
  if (m === 4) {
    const k = activeKernels();
    if (k !== null && wasmArgs(y, a, b)) k.mulNN4(ya + 8 * yo, aa + 8 * ao, ba + 8 * bo);
    else mulNN4(y, yo, a, ao, b, bo);
    return;
  }
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < m; c++) {
      let sr = 0,
        si = 0;
      for (let k = 0; k < m; k++) {
        const ia = ao + 2 * (r * m + k),
          ib = bo + 2 * (k * m + c);
        const ar = a[ia]!,
          ai = a[ia + 1]!,
          br = b[ib]!,
          bi = b[ib + 1]!;
        sr += ar * br - ai * bi;
        si += ar * bi + ai * br;
      }
      const iy = yo + 2 * (r * m + c);
      y[iy] = sr;
      y[iy + 1] = si;
    }
  }
}

/** Y = A B^dag */
export function mulNH(m: number, y: F64, yo: number, a: F64, ao: number, b: F64, bo: number): void {
  if (m === 4) {
    const k = activeKernels();
    if (k !== null && wasmArgs(y, a, b)) k.mulNH4(ya + 8 * yo, aa + 8 * ao, ba + 8 * bo);
    else mulNH4(y, yo, a, ao, b, bo);
    return;
  }
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < m; c++) {
      let sr = 0,
        si = 0;
      const ra = ao + 2 * r * m,
        rb = bo + 2 * c * m;
      for (let k = 0; k < 2 * m; k += 2) {
        const ar = a[ra + k]!,
          ai = a[ra + k + 1]!,
          br = b[rb + k]!,
          bi = b[rb + k + 1]!;
        sr += ar * br + ai * bi;
        si += ai * br - ar * bi;
      }
      const iy = yo + 2 * (r * m + c);
      y[iy] = sr;
      y[iy + 1] = si;
    }
  }
}

/** Y = A^dag B */
export function mulHN(m: number, y: F64, yo: number, a: F64, ao: number, b: F64, bo: number): void {
  if (m === 4) {
    const k = activeKernels();
    if (k !== null && wasmArgs(y, a, b)) k.mulHN4(ya + 8 * yo, aa + 8 * ao, ba + 8 * bo);
    else mulHN4(y, yo, a, ao, b, bo);
    return;
  }
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < m; c++) {
      let sr = 0,
        si = 0;
      for (let k = 0; k < m; k++) {
        const ia = ao + 2 * (k * m + r),
          ib = bo + 2 * (k * m + c);
        const ar = a[ia]!,
          ai = a[ia + 1]!,
          br = b[ib]!,
          bi = b[ib + 1]!;
        sr += ar * br + ai * bi;
        si += ar * bi - ai * br;
      }
      const iy = yo + 2 * (r * m + c);
      y[iy] = sr;
      y[iy + 1] = si;
    }
  }
}

/** Y += s A B (s real) */
export function mulNNAcc(
  m: number,
  s: number,
  y: F64,
  yo: number,
  a: F64,
  ao: number,
  b: F64,
  bo: number,
): void {
  if (m === 4) {
    const k = activeKernels();
    if (k !== null && wasmArgs(y, a, b)) k.mulNNAcc4(s, ya + 8 * yo, aa + 8 * ao, ba + 8 * bo);
    else mulNNAcc4(s, y, yo, a, ao, b, bo);
    return;
  }
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < m; c++) {
      let sr = 0,
        si = 0;
      for (let k = 0; k < m; k++) {
        const ia = ao + 2 * (r * m + k),
          ib = bo + 2 * (k * m + c);
        const ar = a[ia]!,
          ai = a[ia + 1]!,
          br = b[ib]!,
          bi = b[ib + 1]!;
        sr += ar * br - ai * bi;
        si += ar * bi + ai * br;
      }
      const iy = yo + 2 * (r * m + c);
      y[iy]! += s * sr;
      y[iy + 1]! += s * si;
    }
  }
}

/** Y += A B^dag */
export function mulNHAcc(m: number, y: F64, yo: number, a: F64, ao: number, b: F64, bo: number): void {
  if (m === 4) {
    const k = activeKernels();
    if (k !== null && wasmArgs(y, a, b)) k.mulNHAcc4(ya + 8 * yo, aa + 8 * ao, ba + 8 * bo);
    else mulNHAcc4(y, yo, a, ao, b, bo);
    return;
  }
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < m; c++) {
      let sr = 0,
        si = 0;
      const ra = ao + 2 * r * m,
        rb = bo + 2 * c * m;
      for (let k = 0; k < 2 * m; k += 2) {
        const ar = a[ra + k]!,
          ai = a[ra + k + 1]!,
          br = b[rb + k]!,
          bi = b[rb + k + 1]!;
        sr += ar * br + ai * bi;
        si += ai * br - ar * bi;
      }
      const iy = yo + 2 * (r * m + c);
      y[iy]! += sr;
      y[iy + 1]! += si;
    }
  }
}

/**
 * Diagonal scalings D1 X D2^dag where each D is two-valued: D = diag(d[0] I, d[1] I)
 * (halves of the index; m = 1 uses d[0] only). d1, d2 point at 2 complex values.
 * This is the shape of the encoder's top factor: it depends on one bond bit.
 */
function quadrant(
  m: number,
  acc: boolean,
  y: F64,
  yo: number,
  x: F64,
  xo: number,
  d1: F64,
  d1o: number,
  d2: F64,
  d2o: number,
): void {
  const h = m > 1 ? m >> 1 : 1;
  for (let q1 = 0; q1 < 2; q1++) {
    const r0 = q1 * h,
      r1 = Math.min(m, r0 + h);
    if (r0 >= r1) break;
    const pr = d1[d1o + 2 * q1]!,
      pi = d1[d1o + 2 * q1 + 1]!;
    for (let q2 = 0; q2 < 2; q2++) {
      const c0 = q2 * h,
        c1 = Math.min(m, c0 + h);
      if (c0 >= c1) break;
      const qr = d2[d2o + 2 * q2]!,
        qi = -d2[d2o + 2 * q2 + 1]!;
      const wr = pr * qr - pi * qi,
        wi = pr * qi + pi * qr;
      for (let r = r0; r < r1; r++) {
        const base = 2 * (r * m);
        for (let c = c0; c < c1; c++) {
          const ix = xo + base + 2 * c,
            iy = yo + base + 2 * c;
          const xr = x[ix]!,
            xi = x[ix + 1]!;
          if (acc) {
            y[iy]! += wr * xr - wi * xi;
            y[iy + 1]! += wr * xi + wi * xr;
          } else {
            y[iy] = wr * xr - wi * xi;
            y[iy + 1] = wr * xi + wi * xr;
          }
        }
      }
    }
  }
}

/** Y += D1 X D2^dag (two-valued diagonals, see quadrant) */
export function dsandAcc(
  m: number,
  y: F64,
  yo: number,
  x: F64,
  xo: number,
  d1: F64,
  d1o: number,
  d2: F64,
  d2o: number,
): void {
  if (m === 4) {
    dsandAcc4(y, yo, x, xo, d1, d1o, d2, d2o);
    return;
  }
  quadrant(m, true, y, yo, x, xo, d1, d1o, d2, d2o);
}

/** Y = D1 X D2^dag (two-valued diagonals, see quadrant) */
export function dsandTo(
  m: number,
  y: F64,
  yo: number,
  x: F64,
  xo: number,
  d1: F64,
  d1o: number,
  d2: F64,
  d2o: number,
): void {
  if (m === 4) {
    dsandTo4(y, yo, x, xo, d1, d1o, d2, d2o);
    return;
  }
  quadrant(m, false, y, yo, x, xo, d1, d1o, d2, d2o);
}

/**
 * Cotangents of the two values of d1 and d2 in Y = D1 X D2^dag, given Ybar:
 * with S[q1][q2] = sum over quadrant (q1, q2) of Ybar conj(X),
 * g1[q1] += sum_q2 S[q1][q2] d2[q2], g2[q2] += sum_q1 conj(S[q1][q2]) d1[q1].
 */
export function dsandGrad(
  m: number,
  yb: F64,
  ybo: number,
  x: F64,
  xo: number,
  d1: F64,
  d1o: number,
  d2: F64,
  d2o: number,
  g1: F64,
  g1o: number,
  g2: F64,
  g2o: number,
): void {
  if (m === 4) {
    dsandGrad4(yb, ybo, x, xo, d1, d1o, d2, d2o, g1, g1o, g2, g2o);
    return;
  }
  const h = m > 1 ? m >> 1 : 1;
  for (let q1 = 0; q1 < 2; q1++) {
    const r0 = q1 * h,
      r1 = Math.min(m, r0 + h);
    if (r0 >= r1) break;
    const pr = d1[d1o + 2 * q1]!,
      pi = d1[d1o + 2 * q1 + 1]!;
    for (let q2 = 0; q2 < 2; q2++) {
      const c0 = q2 * h,
        c1 = Math.min(m, c0 + h);
      if (c0 >= c1) break;
      let tr = 0,
        ti = 0;
      for (let r = r0; r < r1; r++) {
        const base = 2 * (r * m);
        for (let c = c0; c < c1; c++) {
          const i = base + 2 * c;
          const br = yb[ybo + i]!,
            bi = yb[ybo + i + 1]!,
            xr = x[xo + i]!,
            xi = x[xo + i + 1]!;
          tr += br * xr + bi * xi;
          ti += bi * xr - br * xi;
        }
      }
      const qr = d2[d2o + 2 * q2]!,
        qi = d2[d2o + 2 * q2 + 1]!;
      g1[g1o + 2 * q1]! += tr * qr - ti * qi;
      g1[g1o + 2 * q1 + 1]! += tr * qi + ti * qr;
      g2[g2o + 2 * q2]! += tr * pr + ti * pi;
      g2[g2o + 2 * q2 + 1]! += tr * pi - ti * pr;
    }
  }
}

/** Y += A^dag B */
export function mulHNAcc(m: number, y: F64, yo: number, a: F64, ao: number, b: F64, bo: number): void {
  if (m === 4) {
    const k = activeKernels();
    if (k !== null && wasmArgs(y, a, b)) k.mulHNAcc4(ya + 8 * yo, aa + 8 * ao, ba + 8 * bo);
    else mulHNAcc4(y, yo, a, ao, b, bo);
    return;
  }
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < m; c++) {
      let sr = 0,
        si = 0;
      for (let k = 0; k < m; k++) {
        const ia = ao + 2 * (k * m + r),
          ib = bo + 2 * (k * m + c);
        const ar = a[ia]!,
          ai = a[ia + 1]!,
          br = b[ib]!,
          bi = b[ib + 1]!;
        sr += ar * br + ai * bi;
        si += ar * bi - ai * br;
      }
      const iy = yo + 2 * (r * m + c);
      y[iy]! += sr;
      y[iy + 1]! += si;
    }
  }
}

export { cdot, caxpy, daggerTo, daggerAcc, hermTo, cdot4, cdot4Back } from "./flat-cvec.ts";
