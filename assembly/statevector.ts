// WebAssembly SIMD statevector kernels (AssemblyScript). The same split layout
// as src/sim/kernels.ts: 2^n real parts at byte address `re`, 2^n imaginary
// parts at `im`, wire 0 = most significant bit. Every kernel works on f64x2
// lanes holding two neighbouring basis states; the last wire (stride 1) pairs
// neighbours, so it shuffles lanes. Build: bench/build-wasm.sh.

@inline function strideOf(n: i32, w: i32): i32 {
  return 1 << (n - 1 - w);
}

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

@inline function vld(p: usize, i: i32): v128 {
  return v128.load(p + (<usize>i << 3));
}

@inline function vst(p: usize, i: i32, v: v128): void {
  v128.store(p + (<usize>i << 3), v);
}

/** Applies [[a, b], [c, d]] to `wire`. */
export function apply1q(re: usize, im: usize, n: i32, wire: i32, ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64): void {
  const s = strideOf(n, wire);
  const dim = 1 << n;
  const Ar = f64x2.splat(ar), Ai = f64x2.splat(ai), Br = f64x2.splat(br), Bi = f64x2.splat(bi);
  const Cr = f64x2.splat(cr), Ci = f64x2.splat(ci), Dr = f64x2.splat(dr), Di = f64x2.splat(di);
  if (s >= 2) {
    for (let base = 0; base < dim; base += 2 * s) {
      for (let i0 = base; i0 < base + s; i0 += 2) {
        const i1 = i0 + s;
        const xr = vld(re, i0), xi = vld(im, i0), yr = vld(re, i1), yi = vld(im, i1);
        vst(re, i0, f64x2.sub(f64x2.add(f64x2.mul(Ar, xr), f64x2.mul(Br, yr)), f64x2.add(f64x2.mul(Ai, xi), f64x2.mul(Bi, yi))));
        vst(im, i0, f64x2.add(f64x2.add(f64x2.mul(Ar, xi), f64x2.mul(Ai, xr)), f64x2.add(f64x2.mul(Br, yi), f64x2.mul(Bi, yr))));
        vst(re, i1, f64x2.sub(f64x2.add(f64x2.mul(Cr, xr), f64x2.mul(Dr, yr)), f64x2.add(f64x2.mul(Ci, xi), f64x2.mul(Di, yi))));
        vst(im, i1, f64x2.add(f64x2.add(f64x2.mul(Cr, xi), f64x2.mul(Ci, xr)), f64x2.add(f64x2.mul(Dr, yi), f64x2.mul(Di, yr))));
      }
    }
    return;
  }
  if (dim < 4) {
    const xr = ld(re, 0), xi = ld(im, 0), yr = ld(re, 1), yi = ld(im, 1);
    st(re, 0, ar * xr - ai * xi + br * yr - bi * yi);
    st(im, 0, ar * xi + ai * xr + br * yi + bi * yr);
    st(re, 1, cr * xr - ci * xi + dr * yr - di * yi);
    st(im, 1, cr * xi + ci * xr + dr * yi + di * yr);
    return;
  }
  // stride 1: pairs (k, k+1); take two pairs, gather x = (x0, x1), y = (y0, y1)
  for (let k = 0; k < dim; k += 4) {
    const r0 = vld(re, k), r1 = vld(re, k + 2), m0 = vld(im, k), m1 = vld(im, k + 2);
    const xr = v128.shuffle<f64>(r0, r1, 0, 2), yr = v128.shuffle<f64>(r0, r1, 1, 3);
    const xi = v128.shuffle<f64>(m0, m1, 0, 2), yi = v128.shuffle<f64>(m0, m1, 1, 3);
    const ur = f64x2.sub(f64x2.add(f64x2.mul(Ar, xr), f64x2.mul(Br, yr)), f64x2.add(f64x2.mul(Ai, xi), f64x2.mul(Bi, yi)));
    const ui = f64x2.add(f64x2.add(f64x2.mul(Ar, xi), f64x2.mul(Ai, xr)), f64x2.add(f64x2.mul(Br, yi), f64x2.mul(Bi, yr)));
    const vr = f64x2.sub(f64x2.add(f64x2.mul(Cr, xr), f64x2.mul(Dr, yr)), f64x2.add(f64x2.mul(Ci, xi), f64x2.mul(Di, yi)));
    const vi = f64x2.add(f64x2.add(f64x2.mul(Cr, xi), f64x2.mul(Ci, xr)), f64x2.add(f64x2.mul(Dr, yi), f64x2.mul(Di, yr)));
    vst(re, k, v128.shuffle<f64>(ur, vr, 0, 2));
    vst(re, k + 2, v128.shuffle<f64>(ur, vr, 1, 3));
    vst(im, k, v128.shuffle<f64>(ui, vi, 0, 2));
    vst(im, k + 2, v128.shuffle<f64>(ui, vi, 1, 3));
  }
}

// Pauli rotations exp(-i a P / 2) with c = cos(a/2), s = sin(a/2). They need
// half the multiplies of a dense 2x2 (8 instead of 16 per amplitude pair); the
// dense kernel is bound by f64x2 multiply throughput, these by loads/stores.
// Wires of stride >= 2 walk pointers over runs of `stride` pairs; the last
// wire (stride 1) keeps both amplitudes of a pair in one f64x2.

/** RX: [[c, -i s], [-i s, c]] */
export function applyRX(re: usize, im: usize, n: i32, wire: i32, c: f64, s: f64): void {
  const st = strideOf(n, wire), dim = 1 << n;
  const C = f64x2.splat(c), S = f64x2.splat(s);
  if (st >= 2) {
    const sb = <usize>st << 3;
    for (let base = 0; base < dim; base += 2 * st) {
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
  const st = strideOf(n, wire), dim = 1 << n;
  const C = f64x2.splat(c), S = f64x2.splat(s);
  if (st >= 2) {
    const sb = <usize>st << 3;
    for (let base = 0; base < dim; base += 2 * st) {
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
  const st = strideOf(n, wire), dim = 1 << n;
  const C = f64x2.splat(c), S = f64x2.splat(s);
  if (st >= 2) {
    const sb = <usize>st << 3;
    for (let base = 0; base < dim; base += 2 * st) {
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

/** swaps amplitudes i and j in both arrays, two at a time when `pairs` */
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
 * CNOT(control, target): swaps the target pair where the control bit is 1.
 * Both strides >= 2: runs of min(stride) amplitudes swap as whole f64x2s.
 * Target on the last wire: the control-1 runs are contiguous and each f64x2
 * holds one pair, so its lanes swap. Control on the last wire: lane 1 of each
 * f64x2 (control bit 1) swaps with the same lane at +target stride.
 */
export function applyCNOT(re: usize, im: usize, n: i32, control: i32, target: i32): void {
  const cs = strideOf(n, control), ts = strideOf(n, target), dim = 1 << n;
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

/** SWAP(a, b) */
export function applySWAP(re: usize, im: usize, n: i32, wa: i32, wb: i32): void {
  const sa = strideOf(n, wa), sb = strideOf(n, wb);
  const lo = min(sa, sb), hi = max(sa, sb), dim = 1 << n;
  for (let a = 0; a < dim; a += 2 * hi)
    for (let b = a; b < a + hi; b += 2 * lo) swapRun(re, im, b | sa, b | sb, lo);
}

/** CZ(a, b): negates the amplitudes where both bits are 1. */
export function applyCZ(re: usize, im: usize, n: i32, wa: i32, wb: i32): void {
  const sa = strideOf(n, wa), sb = strideOf(n, wb);
  const lo = min(sa, sb), hi = max(sa, sb), dim = 1 << n;
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
  const st = strideOf(n, wire), dim = 1 << n;
  let acc = f64x2.splat(0);
  if (st >= 2) {
    const sb = <usize>st << 3;
    for (let base = 0; base < dim; base += 2 * st) {
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
