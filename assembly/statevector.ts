// WebAssembly SIMD statevector kernels (AssemblyScript). The same split layout
// as src/sim/kernels.ts: 2^n real parts at byte address `re`, 2^n imaginary
// parts at `im`, wire 0 = most significant bit. Every kernel works on f64x2
// lanes holding two neighbouring basis states; the last wire (stride 1) pairs
// neighbours, so it shuffles lanes. Build: bench/build-wasm.sh.

import { ld, st, vld, vst } from "./shared/access";
import { mat2Pass } from "./shared/one-qubit";
import { cnotPass, swapPass, czPass } from "./shared/permutations";

@inline function strideOf(n: i32, w: i32): i32 {
  return 1 << (n - 1 - w);
}

/** Applies [[a, b], [c, d]] to `wire`. */
export function apply1q(re: usize, im: usize, n: i32, wire: i32, ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64): void {
  mat2Pass(re, im, 1 << n, strideOf(n, wire), ar, ai, br, bi, cr, ci, dr, di);
}

// Pauli rotations exp(-i a P / 2) with c = cos(a/2), s = sin(a/2). They need
// half the multiplies of a dense 2x2 (8 instead of 16 per amplitude pair); the
// dense kernel is bound by f64x2 multiply throughput, these by loads/stores.
// Wires of stride >= 2 walk pointers over runs of `stride` pairs; the last
// wire (stride 1) keeps both amplitudes of a pair in one f64x2.

/** RX: [[c, -i s], [-i s, c]] */
export function applyRX(re: usize, im: usize, n: i32, wire: i32, c: f64, s: f64): void {
  const stride = strideOf(n, wire), dim = 1 << n;
  const C = f64x2.splat(c), S = f64x2.splat(s);
  if (stride >= 2) {
    const sb = <usize>stride << 3;
    for (let base = 0; base < dim; base += 2 * stride) {
      let p = re + (<usize>base << 3), q = im + (<usize>base << 3);
      const end = p + sb;
      while (p < end) {
        const xr = v128.load(p), xi = v128.load(q), yr = v128.load(p + sb), yi = v128.load(q + sb);
        v128.store(p, f64x2.add(f64x2.mul(C, xr), f64x2.mul(S, yi)));
        v128.store(q, f64x2.sub(f64x2.mul(C, xi), f64x2.mul(S, yr)));
        v128.store(p + sb, f64x2.add(f64x2.mul(C, yr), f64x2.mul(S, xi)));
        v128.store(q + sb, f64x2.sub(f64x2.mul(C, yi), f64x2.mul(S, xr)));
        p += 16; q += 16;
      }
    }
    return;
  }
  // lanes (x, y): re' = c re + s swap(im), im' = c im - s swap(re)
  const endp = re + (<usize>dim << 3);
  let p = re, q = im;
  while (p < endp) {
    const r = v128.load(p), m = v128.load(q);
    v128.store(p, f64x2.add(f64x2.mul(C, r), f64x2.mul(S, v128.shuffle<f64>(m, m, 1, 0))));
    v128.store(q, f64x2.sub(f64x2.mul(C, m), f64x2.mul(S, v128.shuffle<f64>(r, r, 1, 0))));
    p += 16; q += 16;
  }
}

/** RY: [[c, -s], [s, c]] (real) */
export function applyRY(re: usize, im: usize, n: i32, wire: i32, c: f64, s: f64): void {
  const stride = strideOf(n, wire), dim = 1 << n;
  const C = f64x2.splat(c), S = f64x2.splat(s);
  if (stride >= 2) {
    const sb = <usize>stride << 3;
    for (let base = 0; base < dim; base += 2 * stride) {
      let p = re + (<usize>base << 3), q = im + (<usize>base << 3);
      const end = p + sb;
      while (p < end) {
        const xr = v128.load(p), xi = v128.load(q), yr = v128.load(p + sb), yi = v128.load(q + sb);
        v128.store(p, f64x2.sub(f64x2.mul(C, xr), f64x2.mul(S, yr)));
        v128.store(q, f64x2.sub(f64x2.mul(C, xi), f64x2.mul(S, yi)));
        v128.store(p + sb, f64x2.add(f64x2.mul(S, xr), f64x2.mul(C, yr)));
        v128.store(q + sb, f64x2.add(f64x2.mul(S, xi), f64x2.mul(C, yi)));
        p += 16; q += 16;
      }
    }
    return;
  }
  // lanes (x, y): v' = c v + (-s, s) swap(v)
  const SV = f64x2.replace_lane(f64x2.splat(-s), 1, s);
  const endp = re + (<usize>dim << 3);
  let p = re, q = im;
  while (p < endp) {
    const r = v128.load(p), m = v128.load(q);
    v128.store(p, f64x2.add(f64x2.mul(C, r), f64x2.mul(SV, v128.shuffle<f64>(r, r, 1, 0))));
    v128.store(q, f64x2.add(f64x2.mul(C, m), f64x2.mul(SV, v128.shuffle<f64>(m, m, 1, 0))));
    p += 16; q += 16;
  }
}

/** RZ: diag(c - i s, c + i s) */
export function applyRZ(re: usize, im: usize, n: i32, wire: i32, c: f64, s: f64): void {
  const stride = strideOf(n, wire), dim = 1 << n;
  const C = f64x2.splat(c), S = f64x2.splat(s);
  if (stride >= 2) {
    const sb = <usize>stride << 3;
    for (let base = 0; base < dim; base += 2 * stride) {
      let p = re + (<usize>base << 3), q = im + (<usize>base << 3);
      const end = p + sb;
      while (p < end) {
        const xr = v128.load(p), xi = v128.load(q), yr = v128.load(p + sb), yi = v128.load(q + sb);
        v128.store(p, f64x2.add(f64x2.mul(C, xr), f64x2.mul(S, xi)));
        v128.store(q, f64x2.sub(f64x2.mul(C, xi), f64x2.mul(S, xr)));
        v128.store(p + sb, f64x2.sub(f64x2.mul(C, yr), f64x2.mul(S, yi)));
        v128.store(q + sb, f64x2.add(f64x2.mul(C, yi), f64x2.mul(S, yr)));
        p += 16; q += 16;
      }
    }
    return;
  }
  // lanes (x, y): re' = c re + (s, -s) im, im' = c im - (s, -s) re
  const SV = f64x2.replace_lane(f64x2.splat(s), 1, -s);
  const endp = re + (<usize>dim << 3);
  let p = re, q = im;
  while (p < endp) {
    const r = v128.load(p), m = v128.load(q);
    v128.store(p, f64x2.add(f64x2.mul(C, r), f64x2.mul(SV, m)));
    v128.store(q, f64x2.sub(f64x2.mul(C, m), f64x2.mul(SV, r)));
    p += 16; q += 16;
  }
}

/** CNOT(control, target): swaps the target pair where the control bit is 1. */
export function applyCNOT(re: usize, im: usize, n: i32, control: i32, target: i32): void {
  cnotPass(re, im, 1 << n, strideOf(n, control), strideOf(n, target));
}

/** SWAP(a, b) */
export function applySWAP(re: usize, im: usize, n: i32, wa: i32, wb: i32): void {
  swapPass(re, im, 1 << n, strideOf(n, wa), strideOf(n, wb));
}

/** CZ(a, b): negates the amplitudes where both bits are 1. */
export function applyCZ(re: usize, im: usize, n: i32, wa: i32, wb: i32): void {
  czPass(re, im, 1 << n, strideOf(n, wa), strideOf(n, wb));
}

/**
 * Applies a dense 4x4 matrix (row-major; real parts at `m`, imaginary parts at
 * m + 128) to wires (a, b), a the high bit of the local index.
 */
export function apply2q(re: usize, im: usize, n: i32, wa: i32, wb: i32, m: usize): void {
  const sa = strideOf(n, wa), sb = strideOf(n, wb);
  const lo = min(sa, sb), hi = max(sa, sb), dim = 1 << n;
  const mi = m + 128;
  for (let a = 0; a < dim; a += 2 * hi)
    for (let b = a; b < a + hi; b += 2 * lo) {
      if (lo >= 2) {
        for (let k = b; k < b + lo; k += 2) {
          const i0 = k, i1 = k | sb, i2 = k | sa, i3 = k | sa | sb;
          const x0r = vld(re, i0), x0i = vld(im, i0), x1r = vld(re, i1), x1i = vld(im, i1);
          const x2r = vld(re, i2), x2i = vld(im, i2), x3r = vld(re, i3), x3i = vld(im, i3);
          for (let r = 0; r < 4; r++) {
            const o = <usize>(r * 32);
            const m0r = f64x2.splat(load<f64>(m + o)), m0i = f64x2.splat(load<f64>(mi + o));
            const m1r = f64x2.splat(load<f64>(m + o + 8)), m1i = f64x2.splat(load<f64>(mi + o + 8));
            const m2r = f64x2.splat(load<f64>(m + o + 16)), m2i = f64x2.splat(load<f64>(mi + o + 16));
            const m3r = f64x2.splat(load<f64>(m + o + 24)), m3i = f64x2.splat(load<f64>(mi + o + 24));
            const yr = f64x2.sub(
              f64x2.add(f64x2.add(f64x2.mul(m0r, x0r), f64x2.mul(m1r, x1r)), f64x2.add(f64x2.mul(m2r, x2r), f64x2.mul(m3r, x3r))),
              f64x2.add(f64x2.add(f64x2.mul(m0i, x0i), f64x2.mul(m1i, x1i)), f64x2.add(f64x2.mul(m2i, x2i), f64x2.mul(m3i, x3i))));
            const yi = f64x2.add(
              f64x2.add(f64x2.add(f64x2.mul(m0r, x0i), f64x2.mul(m1r, x1i)), f64x2.add(f64x2.mul(m2r, x2i), f64x2.mul(m3r, x3i))),
              f64x2.add(f64x2.add(f64x2.mul(m0i, x0r), f64x2.mul(m1i, x1r)), f64x2.add(f64x2.mul(m2i, x2r), f64x2.mul(m3i, x3r))));
            const t = r === 0 ? i0 : r === 1 ? i1 : r === 2 ? i2 : i3;
            vst(re, t, yr); vst(im, t, yi);
          }
        }
      } else {
        const i0 = b, i1 = b | sb, i2 = b | sa, i3 = b | sa | sb;
        const x0r = ld(re, i0), x0i = ld(im, i0), x1r = ld(re, i1), x1i = ld(im, i1);
        const x2r = ld(re, i2), x2i = ld(im, i2), x3r = ld(re, i3), x3i = ld(im, i3);
        for (let r = 0; r < 4; r++) {
          const o = <usize>(r * 32);
          const m0r = load<f64>(m + o), m0i = load<f64>(mi + o), m1r = load<f64>(m + o + 8), m1i = load<f64>(mi + o + 8);
          const m2r = load<f64>(m + o + 16), m2i = load<f64>(mi + o + 16), m3r = load<f64>(m + o + 24), m3i = load<f64>(mi + o + 24);
          const yr = m0r * x0r - m0i * x0i + m1r * x1r - m1i * x1i + m2r * x2r - m2i * x2i + m3r * x3r - m3i * x3i;
          const yi = m0r * x0i + m0i * x0r + m1r * x1i + m1i * x1r + m2r * x2i + m2i * x2r + m3r * x3i + m3i * x3r;
          const t = r === 0 ? i0 : r === 1 ? i1 : r === 2 ? i2 : i3;
          st(re, t, yr); st(im, t, yi);
        }
      }
    }
}

@inline function lanesSum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * Im <lam| P_wire |psi> for a one-qubit Pauli P (pauli: 0 = X, 1 = Y, 2 = Z):
 * the adjoint method's derivative of a rotation exp(-i a P / 2). Read-only;
 * x, y are psi's amplitudes with the wire's bit 0 and 1, l0, l1 lambda's:
 *   Z: Im(conj(l0) x) - Im(conj(l1) y)
 *   X: Im(conj(l0) y) + Im(conj(l1) x)
 *   Y: Re(conj(l1) x) - Re(conj(l0) y)
 */
export function imInnerPauli(lre: usize, lim: usize, pre: usize, pim: usize, n: i32, wire: i32, pauli: i32): f64 {
  const stride = strideOf(n, wire), dim = 1 << n;
  let acc = f64x2.splat(0);
  if (stride >= 2) {
    const sb = <usize>stride << 3;
    for (let base = 0; base < dim; base += 2 * stride) {
      const at = <usize>base << 3;
      let a = lre + at, b = lim + at, p = pre + at, q = pim + at;
      const end = a + sb;
      while (a < end) {
        const l0r = v128.load(a), l0i = v128.load(b), l1r = v128.load(a + sb), l1i = v128.load(b + sb);
        const xr = v128.load(p), xi = v128.load(q), yr = v128.load(p + sb), yi = v128.load(q + sb);
        if (pauli === 2) {
          acc = f64x2.add(acc, f64x2.sub(f64x2.sub(f64x2.mul(l0r, xi), f64x2.mul(l0i, xr)), f64x2.sub(f64x2.mul(l1r, yi), f64x2.mul(l1i, yr))));
        } else if (pauli === 0) {
          acc = f64x2.add(acc, f64x2.add(f64x2.sub(f64x2.mul(l0r, yi), f64x2.mul(l0i, yr)), f64x2.sub(f64x2.mul(l1r, xi), f64x2.mul(l1i, xr))));
        } else {
          acc = f64x2.add(acc, f64x2.sub(f64x2.add(f64x2.mul(l1r, xr), f64x2.mul(l1i, xi)), f64x2.add(f64x2.mul(l0r, yr), f64x2.mul(l0i, yi))));
        }
        a += 16; b += 16; p += 16; q += 16;
      }
    }
    return lanesSum(acc);
  }
  // stride 1: one f64x2 holds (bit 0, bit 1) of a pair
  const bytes = <usize>dim << 3;
  const pm = f64x2.replace_lane(f64x2.splat(1), 1, -1), mp = f64x2.replace_lane(f64x2.splat(-1), 1, 1);
  for (let o: usize = 0; o < bytes; o += 16) {
    const lr = v128.load(lre + o), li = v128.load(lim + o), pr = v128.load(pre + o), pi = v128.load(pim + o);
    if (pauli === 2) {
      acc = f64x2.add(acc, f64x2.mul(pm, f64x2.sub(f64x2.mul(lr, pi), f64x2.mul(li, pr))));
    } else {
      const sr = v128.shuffle<f64>(pr, pr, 1, 0), si = v128.shuffle<f64>(pi, pi, 1, 0);
      if (pauli === 0) acc = f64x2.add(acc, f64x2.sub(f64x2.mul(lr, si), f64x2.mul(li, sr)));
      else acc = f64x2.add(acc, f64x2.mul(mp, f64x2.add(f64x2.mul(lr, sr), f64x2.mul(li, si))));
    }
  }
  return lanesSum(acc);
}

/** dst = src for `count` doubles (a memory-bandwidth reference for the benchmarks) */
export function copyF64(dst: usize, src: usize, count: i32): void {
  memory.copy(dst, src, <usize>count << 3);
}
