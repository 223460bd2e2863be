// The fused diagonal-scaling steps of the environment chains (src/sim/qmtl-structured/chain-kernels.ts)
// for m = 4 (quadrants of 2 x 2 entries) on byte addresses, one complex per f64x2. Same operations in
// the same order as the JavaScript kernels (lane 0 real, lane 1 imaginary), so the values are equal.

// (-im, re): w x = wr x + wi swapNeg(x)
@inline function swapNeg(v: v128): v128 {
  return f64x2.mul(v128.shuffle<f64>(v, v, 1, 0), f64x2(-1.0, 1.0));
}
// (im, -re): x conj(y) = x * yr + swapConj(x) * yi
@inline function swapConj(v: v128): v128 {
  return f64x2.mul(v128.shuffle<f64>(v, v, 1, 0), f64x2(1.0, -1.0));
}
// ((a x0 + b x1)): (ar x0r - ai x0i + br x1r - bi x1i, ar x0i + ai x0r + br x1i + bi x1r), summed left to right
@inline function mix(ar: v128, ai: v128, br: v128, bi: v128, x0: v128, x1: v128): v128 {
  let t = f64x2.add(f64x2.mul(ar, x0), f64x2.mul(ai, swapNeg(x0)));
  t = f64x2.add(t, f64x2.mul(br, x1));
  return f64x2.add(t, f64x2.mul(bi, swapNeg(x1)));
}
// e conj(x) = (er xr + ei xi, ei xr - er xi)
@inline function econj(e: v128, x: usize): v128 {
  return f64x2.add(f64x2.mul(e, v128.load64_splat(x)), f64x2.mul(swapConj(e), v128.load64_splat(x, 8)));
}
// byte offset of entry k (0..3) of quadrant (q1, q2): rows 2 q1 + (k >> 1), columns 2 q2 + (k & 1)
@inline function qe(q1: i32, q2: i32, k: i32): usize {
  return <usize>(((2 * q1 + (k >> 1)) * 4 + 2 * q2 + (k & 1)) * 16);
}

// g1[q1] += s e2 and g2[q2] += conj(s) e1 (chain-kernels.ts addPair), in that order
@inline function addPair(g1: usize, g2: usize, sr: f64, si: f64, q1: i32, q2: i32, e1r: f64, e1i: f64, e2r: f64, e2i: f64): void {
  const a = g1 + <usize>(16 * q1), b = g2 + <usize>(16 * q2);
  store<f64>(a, load<f64>(a) + (sr * e2r - si * e2i));
  store<f64>(a, load<f64>(a, 8) + (sr * e2i + si * e2r), 8);
  store<f64>(b, load<f64>(b) + (sr * e1r + si * e1i));
  store<f64>(b, load<f64>(b, 8) + (sr * e1i - si * e1r), 8);
}

/** EL'(0), EL'(1) at y0, y1 from F(0), F(1) at x0, x1 (x1 absent at site 0: single); D(0) = a, D(1) = b */
export function leftFused(y0: usize, y1: usize, x0: usize, x1: usize, a: usize, b: usize, single: bool): void {
  const zero = f64x2.splat(0);
  for (let q1 = 0; q1 < 2; q1++)
    for (let q2 = 0; q2 < 2; q2++) {
      const ar = load<f64>(a + 16 * q1), ai = load<f64>(a + 16 * q1, 8), cr = load<f64>(a + 16 * q2), ci = -load<f64>(a + 16 * q2, 8);
      const br = load<f64>(b + 16 * q1), bi = load<f64>(b + 16 * q1, 8), dr = load<f64>(b + 16 * q2), di = -load<f64>(b + 16 * q2, 8);
      const aR = f64x2.splat(ar * cr - ai * ci), aI = f64x2.splat(ar * ci + ai * cr);
      const bR = f64x2.splat(br * dr - bi * di), bI = f64x2.splat(br * di + bi * dr);
      for (let k = 0; k < 4; k++) {
        const e = qe(q1, q2, k);
        const v0 = v128.load(x0 + e), v1 = single ? zero : v128.load(x1 + e);
        v128.store(y0 + e, mix(aR, aI, bR, bI, v0, v1));
        v128.store(y1 + e, mix(bR, bI, aR, aI, v0, v1));
      }
    }
}

/** adjoint of leftFused: Fbar (cf) += from ELbar' (cf), and the cotangents of a, b (cf, same offsets) */
export function leftFusedBack(fr: usize, cf: usize, y0: usize, y1: usize, x0: usize, x1: usize, a: usize, b: usize, single: bool): void {
  for (let q1 = 0; q1 < 2; q1++)
    for (let q2 = 0; q2 < 2; q2++) {
      const ar = load<f64>(fr + a + 16 * q1), ai = load<f64>(fr + a + 16 * q1, 8);
      const cr = load<f64>(fr + a + 16 * q2), ci = -load<f64>(fr + a + 16 * q2, 8);
      const br = load<f64>(fr + b + 16 * q1), bi = load<f64>(fr + b + 16 * q1, 8);
      const dr = load<f64>(fr + b + 16 * q2), di = -load<f64>(fr + b + 16 * q2, 8);
      const aR = f64x2.splat(ar * cr - ai * ci), aI = f64x2.splat(-(ar * ci + ai * cr));
      const bR = f64x2.splat(br * dr - bi * di), bI = f64x2.splat(-(br * di + bi * dr));
      let tA = f64x2.splat(0), tB = f64x2.splat(0);
      for (let k = 0; k < 4; k++) {
        const e = qe(q1, q2, k);
        const e0 = v128.load(cf + y0 + e), e1 = v128.load(cf + y1 + e);
        v128.store(cf + x0 + e, f64x2.add(v128.load(cf + x0 + e), mix(aR, aI, bR, bI, e0, e1)));
        tA = f64x2.add(tA, econj(e0, fr + x0 + e));
        tB = f64x2.add(tB, econj(e1, fr + x0 + e));
        if (!single) {
          v128.store(cf + x1 + e, f64x2.add(v128.load(cf + x1 + e), mix(bR, bI, aR, aI, e0, e1)));
          tA = f64x2.add(tA, econj(e1, fr + x1 + e));
          tB = f64x2.add(tB, econj(e0, fr + x1 + e));
        }
      }
      addPair(cf + a, cf + a, f64x2.extract_lane(tA, 0), f64x2.extract_lane(tA, 1), q1, q2, ar, ai,
        load<f64>(fr + a + 16 * q2), load<f64>(fr + a + 16 * q2, 8));
      addPair(cf + b, cf + b, f64x2.extract_lane(tB, 0), f64x2.extract_lane(tB, 1), q1, q2, br, bi,
        load<f64>(fr + b + 16 * q2), load<f64>(fr + b + 16 * q2, 8));
    }
}

/** G00, G11 (and G01 when off) from R0 = R'(0,0), R1 = R'(1,1); D(0) = a, D(1) = b */
export function rightFused(g00: usize, g11: usize, g01: usize, r0: usize, r1: usize, a: usize, b: usize, off: bool): void {
  for (let q1 = 0; q1 < 2; q1++)
    for (let q2 = 0; q2 < 2; q2++) {
      const a1r = load<f64>(a + 16 * q1), a1i = -load<f64>(a + 16 * q1, 8), a2r = load<f64>(a + 16 * q2), a2i = load<f64>(a + 16 * q2, 8);
      const b1r = load<f64>(b + 16 * q1), b1i = -load<f64>(b + 16 * q1, 8), b2r = load<f64>(b + 16 * q2), b2i = load<f64>(b + 16 * q2, 8);
      const v00r = f64x2.splat(a1r * a2r - a1i * a2i), v00i = f64x2.splat(a1r * a2i + a1i * a2r);
      const v11r = f64x2.splat(b1r * b2r - b1i * b2i), v11i = f64x2.splat(b1r * b2i + b1i * b2r);
      const v01r = f64x2.splat(a1r * b2r - a1i * b2i), v01i = f64x2.splat(a1r * b2i + a1i * b2r);
      const v10r = f64x2.splat(b1r * a2r - b1i * a2i), v10i = f64x2.splat(b1r * a2i + b1i * a2r);
      for (let k = 0; k < 4; k++) {
        const e = qe(q1, q2, k);
        const x0 = v128.load(r0 + e), x1 = v128.load(r1 + e);
        v128.store(g00 + e, mix(v00r, v00i, v11r, v11i, x0, x1));
        v128.store(g11 + e, mix(v11r, v11i, v00r, v00i, x0, x1));
        if (off) v128.store(g01 + e, mix(v01r, v01i, v10r, v10i, x0, x1));
      }
    }
}

/** adjoint of rightFused: Rbar0, Rbar1 (cf) += from Gbar (cf); cotangents of conj(D) at ca, cb (cf offsets) */
export function rightFusedBack(fr: usize, cf: usize, g00: usize, g11: usize, g01: usize, r0: usize, r1: usize, a: usize, b: usize, ca: usize, cb: usize, off: bool): void {
  for (let q1 = 0; q1 < 2; q1++)
    for (let q2 = 0; q2 < 2; q2++) {
      const a1r = load<f64>(fr + a + 16 * q1), a1i = -load<f64>(fr + a + 16 * q1, 8);
      const a2r = load<f64>(fr + a + 16 * q2), a2i = load<f64>(fr + a + 16 * q2, 8);
      const b1r = load<f64>(fr + b + 16 * q1), b1i = -load<f64>(fr + b + 16 * q1, 8);
      const b2r = load<f64>(fr + b + 16 * q2), b2i = load<f64>(fr + b + 16 * q2, 8);
      const v00r = f64x2.splat(a1r * a2r - a1i * a2i), v00i = f64x2.splat(-(a1r * a2i + a1i * a2r));
      const v11r = f64x2.splat(b1r * b2r - b1i * b2i), v11i = f64x2.splat(-(b1r * b2i + b1i * b2r));
      const v01r = f64x2.splat(a1r * b2r - a1i * b2i), v01i = f64x2.splat(-(a1r * b2i + a1i * b2r));
      const v10r = f64x2.splat(b1r * a2r - b1i * a2i), v10i = f64x2.splat(-(b1r * a2i + b1i * a2r));
      let s00 = f64x2.splat(0), s11 = f64x2.splat(0), s01 = f64x2.splat(0), s10 = f64x2.splat(0);
      for (let k = 0; k < 4; k++) {
        const e = qe(q1, q2, k);
        const p0 = v128.load(cf + g00 + e), p1 = v128.load(cf + g11 + e);
        const xa = fr + r0 + e, xb = fr + r1 + e;
        let z0 = mix(v00r, v00i, v11r, v11i, p0, p1), z1 = mix(v11r, v11i, v00r, v00i, p0, p1);
        // S00 += G00 conj(R0) + G11 conj(R1); S11 += G00 conj(R1) + G11 conj(R0), each summed left to right
        let u = econj(p0, xa);
        u = f64x2.add(u, f64x2.mul(p1, v128.load64_splat(xb)));
        u = f64x2.add(u, f64x2.mul(swapConj(p1), v128.load64_splat(xb, 8)));
        s00 = f64x2.add(s00, u);
        u = econj(p0, xb);
        u = f64x2.add(u, f64x2.mul(p1, v128.load64_splat(xa)));
        u = f64x2.add(u, f64x2.mul(swapConj(p1), v128.load64_splat(xa, 8)));
        s11 = f64x2.add(s11, u);
        if (off) {
          const q = v128.load(cf + g01 + e), qs = swapNeg(q);
          z0 = f64x2.add(z0, f64x2.add(f64x2.mul(v01r, q), f64x2.mul(v01i, qs)));
          z1 = f64x2.add(z1, f64x2.add(f64x2.mul(v10r, q), f64x2.mul(v10i, qs)));
          s01 = f64x2.add(s01, econj(q, xa));
          s10 = f64x2.add(s10, econj(q, xb));
        }
        v128.store(cf + r0 + e, f64x2.add(v128.load(cf + r0 + e), z0));
        v128.store(cf + r1 + e, f64x2.add(v128.load(cf + r1 + e), z1));
      }
      addPair(cf + ca, cf + ca, f64x2.extract_lane(s00, 0), f64x2.extract_lane(s00, 1), q1, q2, a1r, a1i, a2r, -a2i);
      addPair(cf + cb, cf + cb, f64x2.extract_lane(s11, 0), f64x2.extract_lane(s11, 1), q1, q2, b1r, b1i, b2r, -b2i);
      if (off) {
        addPair(cf + ca, cf + cb, f64x2.extract_lane(s01, 0), f64x2.extract_lane(s01, 1), q1, q2, a1r, a1i, b2r, -b2i);
        addPair(cf + cb, cf + ca, f64x2.extract_lane(s10, 0), f64x2.extract_lane(s10, 1), q1, q2, b1r, b1i, a2r, -a2i);
      }
    }
}
