// Two-qubit permutation and sign passes shared by the generic kernels
// (statevector.ts) and the fused adjoint (fused.ts), on the split re/im layout
// with `dim` amplitudes; wires are given by their strides (2^(n-1-wire)).
import { ld, st, vld, vst } from "./access";

/** swaps `len` amplitudes at i and j in both arrays (two at a time when len >= 2) */
@inline function swapRun(re: usize, im: usize, i: i32, j: i32, len: i32): void {
  if (len >= 2) {
    for (let k = 0; k < len; k += 2) {
      const a = vld(re, i + k), b = vld(re, j + k);
      vst(re, i + k, b); vst(re, j + k, a);
      const c = vld(im, i + k), d = vld(im, j + k);
      vst(im, i + k, d); vst(im, j + k, c);
    }
  } else {
    const a = ld(re, i), c = ld(im, i);
    st(re, i, ld(re, j)); st(im, i, ld(im, j));
    st(re, j, a); st(im, j, c);
  }
}

/** swaps `bytes` bytes at p and p + off in both arrays, one f64x2 at a time */
@inline function swapVec(re: usize, im: usize, at: usize, off: usize, bytes: usize): void {
  let p = re + at, q = im + at;
  const end = p + bytes;
  while (p < end) {
    const a = v128.load(p), b = v128.load(p + off), c = v128.load(q), d = v128.load(q + off);
    v128.store(p, b); v128.store(p + off, a); v128.store(q, d); v128.store(q + off, c);
    p += 16; q += 16;
  }
}

/**
 * CNOT with control stride cs and target stride ts: swaps the target pair
 * where the control bit is 1. Both strides >= 2: runs of min(stride)
 * amplitudes swap as whole f64x2s. Target on the last wire (ts = 1): the
 * control-1 runs are contiguous and each f64x2 holds one pair, so its lanes
 * swap. Control on the last wire (cs = 1): lane 1 of each f64x2 (control bit
 * 1) swaps with the same lane at +ts.
 */
@inline export function cnotPass(re: usize, im: usize, dim: i32, cs: i32, ts: i32): void {
  if (cs >= 2 && ts >= 2) {
    const lo = min(cs, ts), hi = max(cs, ts);
    const off = <usize>ts << 3, run = <usize>lo << 3;
    for (let a = 0; a < dim; a += 2 * hi)
      for (let b = a; b < a + hi; b += 2 * lo) swapVec(re, im, <usize>(b | cs) << 3, off, run);
    return;
  }
  if (ts === 1) {
    const run = <usize>cs << 3;
    for (let a = cs; a < dim; a += 2 * cs) {
      let p = re + (<usize>a << 3), q = im + (<usize>a << 3);
      const end = p + run;
      while (p < end) {
        const r = v128.load(p), m = v128.load(q);
        v128.store(p, v128.shuffle<f64>(r, r, 1, 0)); v128.store(q, v128.shuffle<f64>(m, m, 1, 0));
        p += 16; q += 16;
      }
    }
    return;
  }
  // cs === 1, ts >= 2
  const off = <usize>ts << 3, run = <usize>ts << 3;
  for (let a = 0; a < dim; a += 2 * ts) {
    let p = re + (<usize>a << 3), q = im + (<usize>a << 3);
    const end = p + run;
    while (p < end) {
      const x = v128.load(p), y = v128.load(p + off), u = v128.load(q), v = v128.load(q + off);
      v128.store(p, v128.shuffle<f64>(x, y, 0, 3)); v128.store(p + off, v128.shuffle<f64>(y, x, 0, 3));
      v128.store(q, v128.shuffle<f64>(u, v, 0, 3)); v128.store(q + off, v128.shuffle<f64>(v, u, 0, 3));
      p += 16; q += 16;
    }
  }
}

/** SWAP of the wires with strides sa, sb */
@inline export function swapPass(re: usize, im: usize, dim: i32, sa: i32, sb: i32): void {
  const lo = min(sa, sb), hi = max(sa, sb);
  for (let a = 0; a < dim; a += 2 * hi)
    for (let b = a; b < a + hi; b += 2 * lo) swapRun(re, im, b | sa, b | sb, lo);
}

/** CZ of the wires with strides sa, sb: negates the amplitudes where both bits are 1 */
@inline export function czPass(re: usize, im: usize, dim: i32, sa: i32, sb: i32): void {
  const lo = min(sa, sb), hi = max(sa, sb);
  for (let a = 0; a < dim; a += 2 * hi)
    for (let b = a; b < a + hi; b += 2 * lo) {
      const i = b | sa | sb;
      if (lo >= 2) {
        for (let k = 0; k < lo; k += 2) {
          vst(re, i + k, f64x2.neg(vld(re, i + k)));
          vst(im, i + k, f64x2.neg(vld(im, i + k)));
        }
      } else {
        st(re, i, -ld(re, i)); st(im, i, -ld(im, i));
      }
    }
}
