// The m = 4 complex matrix products of the structured engine on byte addresses (see ../structured.ts).
// A 4 x 4 complex matrix is 16 (re, im) pairs, row-major, 256 bytes; one complex number per f64x2.
// Each output column is built from the 4 entries of one B column (or B row) kept in registers
// and splat-loaded scalars of A; outputs must not alias inputs.

// (-im, re) = i v
@inline function mulI(v: v128): v128 {
  return f64x2.mul(v128.shuffle<f64>(v, v, 1, 0), f64x2(-1.0, 1.0));
}

// sum_k a_k * b_k for splat rows: ar_k * u_k + ai_k * v_k, k = 0..3, a row at byte address `ar`
// with scalar stride `sk` bytes between k (16 for a row, 64 for a column)
@inline function dot4(ar: usize, sk: usize, u0: v128, v0: v128, u1: v128, v1: v128, u2: v128, v2: v128, u3: v128, v3: v128): v128 {
  const t0 = f64x2.add(f64x2.mul(v128.load64_splat(ar), u0), f64x2.mul(v128.load64_splat(ar, 8), v0));
  const t1 = f64x2.add(f64x2.mul(v128.load64_splat(ar + sk), u1), f64x2.mul(v128.load64_splat(ar + sk, 8), v1));
  const t2 = f64x2.add(f64x2.mul(v128.load64_splat(ar + 2 * sk), u2), f64x2.mul(v128.load64_splat(ar + 2 * sk, 8), v2));
  const t3 = f64x2.add(f64x2.mul(v128.load64_splat(ar + 3 * sk), u3), f64x2.mul(v128.load64_splat(ar + 3 * sk, 8), v3));
  return f64x2.add(f64x2.add(t0, t1), f64x2.add(t2, t3));
}

// mode bits: 1 = accumulate into y, 2 = A^dag (else A), 4 = B^dag (else B)
@inline export function product(y: usize, a: usize, b: usize, mode: i32, s: f64): void {
  const acc = (mode & 1) != 0, ah = (mode & 2) != 0, bh = (mode & 4) != 0;
  // A's element (r, k) lives at a + r * rs + k * ks (bytes); for A^dag it is conj(A(k, r))
  const rs: usize = ah ? 16 : 64, ks: usize = ah ? 64 : 16;
  const sv = f64x2.splat(s);
  for (let c: usize = 0; c < 4; c++) {
    // B's element (k, c): column c of B, or conj of row c of B for B^dag
    let b0: v128, b1: v128, b2: v128, b3: v128;
    if (bh) {
      const conj = f64x2(1.0, -1.0);
      b0 = f64x2.mul(v128.load(b + c * 64), conj);
      b1 = f64x2.mul(v128.load(b + c * 64, 16), conj);
      b2 = f64x2.mul(v128.load(b + c * 64, 32), conj);
      b3 = f64x2.mul(v128.load(b + c * 64, 48), conj);
    } else {
      b0 = v128.load(b + c * 16);
      b1 = v128.load(b + c * 16, 64);
      b2 = v128.load(b + c * 16, 128);
      b3 = v128.load(b + c * 16, 192);
    }
    // (ar + i ai) b = ar b + ai (i b); with conj(A) the i b term changes sign
    let v0 = mulI(b0), v1 = mulI(b1), v2 = mulI(b2), v3 = mulI(b3);
    if (ah) {
      v0 = f64x2.neg(v0);
      v1 = f64x2.neg(v1);
      v2 = f64x2.neg(v2);
      v3 = f64x2.neg(v3);
    }
    for (let r: usize = 0; r < 4; r++) {
      let t = dot4(a + r * rs, ks, b0, v0, b1, v1, b2, v2, b3, v3);
      const at = y + r * 64 + c * 16;
      if (acc) t = f64x2.add(v128.load(at), f64x2.mul(sv, t));
      v128.store(at, t);
    }
  }
}

/** Y = A B */
export function mNN(y: usize, a: usize, b: usize): void {
  product(y, a, b, 0, 1.0);
}
/** Y = A B^dag */
export function mNH(y: usize, a: usize, b: usize): void {
  product(y, a, b, 4, 1.0);
}
/** Y = A^dag B */
export function mHN(y: usize, a: usize, b: usize): void {
  product(y, a, b, 2, 1.0);
}
/** Y += s A B */
export function mNNAcc(s: f64, y: usize, a: usize, b: usize): void {
  product(y, a, b, 1, s);
}
/** Y += A B^dag */
export function mNHAcc(y: usize, a: usize, b: usize): void {
  product(y, a, b, 5, 1.0);
}
/** Y += A^dag B */
export function mHNAcc(y: usize, a: usize, b: usize): void {
  product(y, a, b, 3, 1.0);
}
