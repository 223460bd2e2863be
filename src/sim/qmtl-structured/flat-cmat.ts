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

type F64 = Float64Array;

/** Y = A B */
export function mulNN(m: number, y: F64, yo: number, a: F64, ao: number, b: F64, bo: number): void {
  if (m === 4) {
    mulNN4(y, yo, a, ao, b, bo);
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
    mulNH4(y, yo, a, ao, b, bo);
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
    mulHN4(y, yo, a, ao, b, bo);
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
    mulNNAcc4(s, y, yo, a, ao, b, bo);
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
    mulNHAcc4(y, yo, a, ao, b, bo);
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
    mulHNAcc4(y, yo, a, ao, b, bo);
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

/** out[oo], out[oo+1] = sum_e X_e conj(Y_e) over n complex entries (= Tr(X Y^dag)). */
export function cdot(n: number, x: F64, xo: number, y: F64, yo: number, out: F64, oo: number): void {
  let sr = 0,
    si = 0;
  for (let e = 0; e < 2 * n; e += 2) {
    const xr = x[xo + e]!,
      xi = x[xo + e + 1]!,
      yr = y[yo + e]!,
      yi = y[yo + e + 1]!;
    sr += xr * yr + xi * yi;
    si += xi * yr - xr * yi;
  }
  out[oo] = sr;
  out[oo + 1] = si;
}

/** Y += (ar + i ai) X over n complex entries */
export function caxpy(n: number, y: F64, yo: number, ar: number, ai: number, x: F64, xo: number): void {
  for (let e = 0; e < 2 * n; e += 2) {
    const xr = x[xo + e]!,
      xi = x[xo + e + 1]!;
    y[yo + e]! += ar * xr - ai * xi;
    y[yo + e + 1]! += ar * xi + ai * xr;
  }
}

/** Y = X^dag (m x m) */
export function daggerTo(m: number, y: F64, yo: number, x: F64, xo: number): void {
  for (let r = 0; r < m; r++)
    for (let c = 0; c < m; c++) {
      const ix = xo + 2 * (c * m + r),
        iy = yo + 2 * (r * m + c);
      y[iy] = x[ix]!;
      y[iy + 1] = -x[ix + 1]!;
    }
}

/** Y += X^dag (m x m) */
export function daggerAcc(m: number, y: F64, yo: number, x: F64, xo: number): void {
  for (let r = 0; r < m; r++)
    for (let c = 0; c < m; c++) {
      const ix = xo + 2 * (c * m + r),
        iy = yo + 2 * (r * m + c);
      y[iy]! += x[ix]!;
      y[iy + 1]! -= x[ix + 1]!;
    }
}

/** Y = X + X^dag (m x m) */
export function hermTo(m: number, y: F64, yo: number, x: F64, xo: number): void {
  for (let r = 0; r < m; r++)
    for (let c = 0; c < m; c++) {
      const a = xo + 2 * (r * m + c),
        b = xo + 2 * (c * m + r),
        iy = yo + 2 * (r * m + c);
      y[iy] = x[a]! + x[b]!;
      y[iy + 1] = x[a + 1]! - x[b + 1]!;
    }
}

/**
 * Up to four inner products <X, Y_k> = sum X conj(Y_k) over n complex entries
 * in one pass (the reduced-density-matrix close); y3 < 0 skips the fourth.
 * Results go to out[o_k], out[o_k + 1].
 */
export function cdot4(
  n: number,
  x: F64,
  xo: number,
  y: F64,
  y0: number,
  y1: number,
  y2: number,
  y3: number,
  out: F64,
  o0: number,
  o1: number,
  o2: number,
  o3: number,
): void {
  let a0r = 0,
    a0i = 0,
    a1r = 0,
    a1i = 0,
    a2r = 0,
    a2i = 0,
    a3r = 0,
    a3i = 0;
  const four = y3 >= 0;
  for (let e = 0; e < 2 * n; e += 2) {
    const xr = x[xo + e]!,
      xi = x[xo + e + 1]!;
    let yr = y[y0 + e]!,
      yi = y[y0 + e + 1]!;
    a0r += xr * yr + xi * yi;
    a0i += xi * yr - xr * yi;
    yr = y[y1 + e]!;
    yi = y[y1 + e + 1]!;
    a1r += xr * yr + xi * yi;
    a1i += xi * yr - xr * yi;
    yr = y[y2 + e]!;
    yi = y[y2 + e + 1]!;
    a2r += xr * yr + xi * yi;
    a2i += xi * yr - xr * yi;
    if (four) {
      yr = y[y3 + e]!;
      yi = y[y3 + e + 1]!;
      a3r += xr * yr + xi * yi;
      a3i += xi * yr - xr * yi;
    }
  }
  out[o0] = a0r;
  out[o0 + 1] = a0i;
  out[o1] = a1r;
  out[o1 + 1] = a1i;
  out[o2] = a2r;
  out[o2 + 1] = a2i;
  if (four) {
    out[o3] = a3r;
    out[o3 + 1] = a3i;
  }
}

/**
 * Adjoint of cdot4 with cotangents g_k = (g[gk], g[gk + 1]) of the four results:
 * Xbar += sum_k g_k Y_k and Ybar_k += conj(g_k) X, in one pass (X, Y_k in fr;
 * their cotangents at the same offsets in cf).
 */
export function cdot4Back(
  n: number,
  fr: F64,
  cf: F64,
  xo: number,
  y0: number,
  y1: number,
  y2: number,
  y3: number,
  g: F64,
  g0: number,
  g1: number,
  g2: number,
  g3: number,
): void {
  const four = y3 >= 0;
  const c0r = g[g0]!,
    c0i = g[g0 + 1]!,
    c1r = g[g1]!,
    c1i = g[g1 + 1]!,
    c2r = g[g2]!,
    c2i = g[g2 + 1]!;
  const c3r = four ? g[g3]! : 0,
    c3i = four ? g[g3 + 1]! : 0;
  for (let e = 0; e < 2 * n; e += 2) {
    const xr = fr[xo + e]!,
      xi = fr[xo + e + 1]!;
    let br = 0,
      bi = 0;
    let yr = fr[y0 + e]!,
      yi = fr[y0 + e + 1]!;
    br += c0r * yr - c0i * yi;
    bi += c0r * yi + c0i * yr;
    cf[y0 + e]! += c0r * xr + c0i * xi;
    cf[y0 + e + 1]! += c0r * xi - c0i * xr;
    yr = fr[y1 + e]!;
    yi = fr[y1 + e + 1]!;
    br += c1r * yr - c1i * yi;
    bi += c1r * yi + c1i * yr;
    cf[y1 + e]! += c1r * xr + c1i * xi;
    cf[y1 + e + 1]! += c1r * xi - c1i * xr;
    yr = fr[y2 + e]!;
    yi = fr[y2 + e + 1]!;
    br += c2r * yr - c2i * yi;
    bi += c2r * yi + c2i * yr;
    cf[y2 + e]! += c2r * xr + c2i * xi;
    cf[y2 + e + 1]! += c2r * xi - c2i * xr;
    if (four) {
      yr = fr[y3 + e]!;
      yi = fr[y3 + e + 1]!;
      br += c3r * yr - c3i * yi;
      bi += c3r * yi + c3i * yr;
      cf[y3 + e]! += c3r * xr + c3i * xi;
      cf[y3 + e + 1]! += c3r * xi - c3i * xr;
    }
    cf[xo + e]! += br;
    cf[xo + e + 1]! += bi;
  }
}
