// Element-wise kernels of the structured engine on 4 x 4 complex blocks at byte addresses (256 bytes,
// one complex per f64x2): two-valued diagonal sandwiches (flat-cmat4.ts dsandTo4 / dsandAcc4 /
// dsandGrad4), the four-way inner products of the close (flat-cvec.ts cdot4 / cdot4Back), conjugate
// transposes. Every result is computed with the same operations in the same order as the JavaScript
// kernel it replaces (lane 0 the real part, lane 1 the imaginary part), so the values are identical.

// w * x for a complex x = (xr, xi), with wr, wi splat: (wr xr - wi xi, wr xi + wi xr)
@inline function cmul(wr: v128, wi: v128, xv: v128): v128 {
  const xs = f64x2.mul(v128.shuffle<f64>(xv, xv, 1, 0), f64x2(-1.0, 1.0)); // (-xi, xr)
  return f64x2.add(f64x2.mul(wr, xv), f64x2.mul(wi, xs));
}

// two rows (128 bytes) of Y (+)= w X, columns 0-1 scaled by (ar, ai), columns 2-3 by (br, bi)
@inline function rows2(y: usize, x: usize, ar: f64, ai: f64, br: f64, bi: f64, acc: bool): void {
  const war = f64x2.splat(ar), wai = f64x2.splat(ai), wbr = f64x2.splat(br), wbi = f64x2.splat(bi);
  for (let k: usize = 0; k < 128; k += 64) {
    let t0 = cmul(war, wai, v128.load(x + k)),
      t1 = cmul(war, wai, v128.load(x + k, 16)),
      t2 = cmul(wbr, wbi, v128.load(x + k, 32)),
      t3 = cmul(wbr, wbi, v128.load(x + k, 48));
    if (acc) {
      t0 = f64x2.add(v128.load(y + k), t0);
      t1 = f64x2.add(v128.load(y + k, 16), t1);
      t2 = f64x2.add(v128.load(y + k, 32), t2);
      t3 = f64x2.add(v128.load(y + k, 48), t3);
    }
    v128.store(y + k, t0);
    v128.store(y + k, t1, 16);
    v128.store(y + k, t2, 32);
    v128.store(y + k, t3, 48);
  }
}

// Y (+)= D1 X D2^dag, D = diag(d[0] I2, d[1] I2): d1, d2 point at two complex values each
@inline export function dsand(y: usize, x: usize, d1: usize, d2: usize, acc: bool): void {
  const p0r = load<f64>(d1), p0i = load<f64>(d1, 8), p1r = load<f64>(d1, 16), p1i = load<f64>(d1, 24);
  const q0r = load<f64>(d2), q0i = -load<f64>(d2, 8), q1r = load<f64>(d2, 16), q1i = -load<f64>(d2, 24);
  const w00r = p0r * q0r - p0i * q0i, w00i = p0r * q0i + p0i * q0r;
  const w01r = p0r * q1r - p0i * q1i, w01i = p0r * q1i + p0i * q1r;
  const w10r = p1r * q0r - p1i * q0i, w10i = p1r * q0i + p1i * q0r;
  const w11r = p1r * q1r - p1i * q1i, w11i = p1r * q1i + p1i * q1r;
  rows2(y, x, w00r, w00i, w01r, w01i, acc);
  rows2(y + 128, x + 128, w10r, w10i, w11r, w11i, acc);
}

/** Y = D1 X D2^dag */
export function dsandTo4(y: usize, x: usize, d1: usize, d2: usize): void {
  dsand(y, x, d1, d2, false);
}
/** Y += D1 X D2^dag */
export function dsandAcc4(y: usize, x: usize, d1: usize, d2: usize): void {
  dsand(y, x, d1, d2, true);
}

// sum over one 2 x 2 quadrant (first entry at byte q) of Ybar conj(X), as (re, im), summed term by term
@inline function quadSum(yb: usize, x: usize, q: usize): v128 {
  let t = f64x2.splat(0);
  for (let k: usize = 0; k < 4; k++) {
    const o = q + (k >> 1) * 64 + (k & 1) * 16;
    const bv = v128.load(yb + o);
    const bs = f64x2.mul(v128.shuffle<f64>(bv, bv, 1, 0), f64x2(1.0, -1.0)); // (bi, -br)
    const pr = f64x2.mul(bv, v128.load64_splat(x + o)); // (br xr, bi xr)
    t = k == 0 ? pr : f64x2.add(t, pr);
    t = f64x2.add(t, f64x2.mul(bs, v128.load64_splat(x + o, 8))); // + (bi xi, -br xi)
  }
  return t;
}

/** cotangents of the two values of d1 and d2 in Y = D1 X D2^dag, given Ybar (flat-cmat.ts dsandGrad) */
export function dsandGrad4(yb: usize, x: usize, d1: usize, d2: usize, g1: usize, g2: usize): void {
  const s00 = quadSum(yb, x, 0), s01 = quadSum(yb, x, 32), s10 = quadSum(yb, x, 128), s11 = quadSum(yb, x, 160);
  const t00r = f64x2.extract_lane(s00, 0), t00i = f64x2.extract_lane(s00, 1);
  const t01r = f64x2.extract_lane(s01, 0), t01i = f64x2.extract_lane(s01, 1);
  const t10r = f64x2.extract_lane(s10, 0), t10i = f64x2.extract_lane(s10, 1);
  const t11r = f64x2.extract_lane(s11, 0), t11i = f64x2.extract_lane(s11, 1);
  const p0r = load<f64>(d1), p0i = load<f64>(d1, 8), p1r = load<f64>(d1, 16), p1i = load<f64>(d1, 24);
  const q0r = load<f64>(d2), q0i = load<f64>(d2, 8), q1r = load<f64>(d2, 16), q1i = load<f64>(d2, 24);
  // stored in the JavaScript kernel's order: g1 may be g2 (the same two values when c1 = c2)
  const a0 = t00r * q0r - t00i * q0i + t01r * q1r - t01i * q1i;
  const a1 = t00r * q0i + t00i * q0r + t01r * q1i + t01i * q1r;
  const a2 = t10r * q0r - t10i * q0i + t11r * q1r - t11i * q1i;
  const a3 = t10r * q0i + t10i * q0r + t11r * q1i + t11i * q1r;
  const b0 = t00r * p0r + t00i * p0i + t10r * p1r + t10i * p1i;
  const b1 = t00r * p0i - t00i * p0r + t10r * p1i - t10i * p1r;
  const b2 = t01r * p0r + t01i * p0i + t11r * p1r + t11i * p1i;
  const b3 = t01r * p0i - t01i * p0r + t11r * p1i - t11i * p1r;
  store<f64>(g1, load<f64>(g1) + a0);
  store<f64>(g1, load<f64>(g1, 8) + a1, 8);
  store<f64>(g1, load<f64>(g1, 16) + a2, 16);
  store<f64>(g1, load<f64>(g1, 24) + a3, 24);
  store<f64>(g2, load<f64>(g2) + b0);
  store<f64>(g2, load<f64>(g2, 8) + b1, 8);
  store<f64>(g2, load<f64>(g2, 16) + b2, 16);
  store<f64>(g2, load<f64>(g2, 24) + b3, 24);
}

// x conj(y) for a complex y at byte address yp, with xv = (xr, xi), xs = (xi, -xr)
@inline function cdotTerm(xv: v128, xs: v128, yp: usize): v128 {
  return f64x2.add(f64x2.mul(xv, v128.load64_splat(yp)), f64x2.mul(xs, v128.load64_splat(yp, 8)));
}

/**
 * Up to four inner products <X, Y_k> = sum X conj(Y_k) over a 4 x 4 block in one pass; y3 = -1 skips the
 * fourth. Results (re, im) stored at o0..o3.
 */
export function cdot4(x: usize, y0: usize, y1: usize, y2: usize, y3: isize, o0: usize, o1: usize, o2: usize, o3: usize): void {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  const four = y3 >= 0;
  const y3u = <usize>y3;
  for (let e: usize = 0; e < 256; e += 16) {
    const xv = v128.load(x + e);
    const xs = f64x2.mul(v128.shuffle<f64>(xv, xv, 1, 0), f64x2(1.0, -1.0));
    a0 = f64x2.add(a0, cdotTerm(xv, xs, y0 + e));
    a1 = f64x2.add(a1, cdotTerm(xv, xs, y1 + e));
    a2 = f64x2.add(a2, cdotTerm(xv, xs, y2 + e));
    if (four) a3 = f64x2.add(a3, cdotTerm(xv, xs, y3u + e));
  }
  v128.store(o0, a0);
  v128.store(o1, a1);
  v128.store(o2, a2);
  if (four) v128.store(o3, a3);
}

// c y for complex c = (cr, ci) splat and y at yp: (cr yr - ci yi, cr yi + ci yr)
@inline function cyTerm(cr: v128, ci: v128, yp: usize): v128 {
  const yv = v128.load(yp);
  const ys = f64x2.mul(v128.shuffle<f64>(yv, yv, 1, 0), f64x2(-1.0, 1.0)); // (-yi, yr)
  return f64x2.add(f64x2.mul(cr, yv), f64x2.mul(ci, ys));
}

// conj(c) x with xv = (xr, xi), xs = (xi, -xr): (cr xr + ci xi, cr xi - ci xr)
@inline function cxTerm(cr: v128, ci: v128, xv: v128, xs: v128): v128 {
  return f64x2.add(f64x2.mul(cr, xv), f64x2.mul(ci, xs));
}

/**
 * Adjoint of cdot4 with cotangents g0..g3 of its results: Xbar += sum_k g_k Y_k, Ybar_k += conj(g_k) X
 * (X, Y_k at fr + offset, their cotangents at cf + the same offset; offsets in bytes).
 */
export function cdot4Back(fr: usize, cf: usize, x: usize, y0: usize, y1: usize, y2: usize, y3: isize, g0: usize, g1: usize, g2: usize, g3: usize): void {
  const four = y3 >= 0;
  const y3u = <usize>y3;
  const c0r = v128.load64_splat(g0), c0i = v128.load64_splat(g0, 8);
  const c1r = v128.load64_splat(g1), c1i = v128.load64_splat(g1, 8);
  const c2r = v128.load64_splat(g2), c2i = v128.load64_splat(g2, 8);
  const c3r = four ? v128.load64_splat(g3) : f64x2.splat(0), c3i = four ? v128.load64_splat(g3, 8) : f64x2.splat(0);
  for (let e: usize = 0; e < 256; e += 16) {
    const xv = v128.load(fr + x + e);
    const xs = f64x2.mul(v128.shuffle<f64>(xv, xv, 1, 0), f64x2(1.0, -1.0));
    let b = f64x2.add(f64x2.splat(0), cyTerm(c0r, c0i, fr + y0 + e));
    v128.store(cf + y0 + e, f64x2.add(v128.load(cf + y0 + e), cxTerm(c0r, c0i, xv, xs)));
    b = f64x2.add(b, cyTerm(c1r, c1i, fr + y1 + e));
    v128.store(cf + y1 + e, f64x2.add(v128.load(cf + y1 + e), cxTerm(c1r, c1i, xv, xs)));
    b = f64x2.add(b, cyTerm(c2r, c2i, fr + y2 + e));
    v128.store(cf + y2 + e, f64x2.add(v128.load(cf + y2 + e), cxTerm(c2r, c2i, xv, xs)));
    if (four) {
      b = f64x2.add(b, cyTerm(c3r, c3i, fr + y3u + e));
      v128.store(cf + y3u + e, f64x2.add(v128.load(cf + y3u + e), cxTerm(c3r, c3i, xv, xs)));
    }
    v128.store(cf + x + e, f64x2.add(v128.load(cf + x + e), b));
  }
}

/** Y = X^dag (4 x 4) */
@inline export function daggerTo(y: usize, x: usize): void {
  const cj = f64x2(1.0, -1.0);
  for (let r: usize = 0; r < 4; r++)
    for (let c: usize = 0; c < 4; c++) v128.store(y + r * 64 + c * 16, f64x2.mul(v128.load(x + c * 64 + r * 16), cj));
}

/** Y += X^dag (4 x 4) */
@inline export function daggerAcc(y: usize, x: usize): void {
  const cj = f64x2(1.0, -1.0);
  for (let r: usize = 0; r < 4; r++)
    for (let c: usize = 0; c < 4; c++) {
      const at = y + r * 64 + c * 16;
      v128.store(at, f64x2.add(v128.load(at), f64x2.mul(v128.load(x + c * 64 + r * 16), cj)));
    }
}

/** Y = X + X^dag (4 x 4) */
@inline export function hermTo(y: usize, x: usize): void {
  const cj = f64x2(1.0, -1.0);
  for (let r: usize = 0; r < 4; r++)
    for (let c: usize = 0; c < 4; c++)
      v128.store(y + r * 64 + c * 16, f64x2.add(v128.load(x + r * 64 + c * 16), f64x2.mul(v128.load(x + c * 64 + r * 16), cj)));
}

/** Y += X over one 4 x 4 block */
@inline export function addTo(y: usize, x: usize): void {
  for (let e: usize = 0; e < 256; e += 16) v128.store(y + e, f64x2.add(v128.load(y + e), v128.load(x + e)));
}

/** out = <X, Y> = sum X conj(Y) over a 4 x 4 block (flat-cvec.ts cdot, n = 16) */
@inline export function cdot1(x: usize, y: usize, out: usize): void {
  let a = f64x2.splat(0);
  for (let e: usize = 0; e < 256; e += 16) {
    const xv = v128.load(x + e);
    a = f64x2.add(a, cdotTerm(xv, f64x2.mul(v128.shuffle<f64>(xv, xv, 1, 0), f64x2(1.0, -1.0)), y + e));
  }
  v128.store(out, a);
}

/** Y += (ar + i ai) X over a 4 x 4 block (flat-cvec.ts caxpy, n = 16) */
@inline export function caxpy(y: usize, ar: f64, ai: f64, x: usize): void {
  const wr = f64x2.splat(ar), wi = f64x2.splat(ai);
  for (let e: usize = 0; e < 256; e += 16) v128.store(y + e, f64x2.add(v128.load(y + e), cmul(wr, wi, v128.load(x + e))));
}
