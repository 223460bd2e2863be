/**
 * Complex vector and matrix helpers of the structured QMTL engine on interleaved (re, im) storage at an
 * offset of a Float64Array: inner products, axpy, conjugate transposes, and the fused 4x4 inner products
 * of the readout (split from flat-cmat.ts). No allocation; outputs must not alias inputs.
 */
type F64 = Float64Array;

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
