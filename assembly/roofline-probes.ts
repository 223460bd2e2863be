// Roofline probes for one-qubit gates on split re/im f64 states in WebAssembly
// SIMD (f64x2): the same pass with 16, 12, 8 and 0 multiplies per amplitude
// pair, to show what bounds the kernels of assembly/statevector.ts. Compiled
// at bench time by bench/roofline.ts (not shipped).
// Each walks wires of stride s >= 2 (pairs (i, i + s)) two pairs at a time.

@inline function vld(p: usize, i: i32): v128 { return v128.load(p + (<usize>i << 3)); }
@inline function vst(p: usize, i: i32, v: v128): void { v128.store(p + (<usize>i << 3), v); }

/** dense complex 2x2, 16 multiplies + 12 adds per pair (assembly/statevector.ts apply1q) */
export function dense(re: usize, im: usize, n: i32, s: i32, ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64): void {
  const dim = 1 << n;
  const Ar = f64x2.splat(ar), Ai = f64x2.splat(ai), Br = f64x2.splat(br), Bi = f64x2.splat(bi);
  const Cr = f64x2.splat(cr), Ci = f64x2.splat(ci), Dr = f64x2.splat(dr), Di = f64x2.splat(di);
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
}

/** dense 2x2 with 3-multiply complex products ((a+ib)(x+iy): t = a(x+y), re = t - y(a+b), im = t + x(b-a)): 12 multiplies + 14 adds */
export function denseGauss(re: usize, im: usize, n: i32, s: i32, ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64): void {
  const dim = 1 << n;
  const A = f64x2.splat(ar), Ap = f64x2.splat(ar + ai), Am = f64x2.splat(ai - ar);
  const B = f64x2.splat(br), Bp = f64x2.splat(br + bi), Bm = f64x2.splat(bi - br);
  const C = f64x2.splat(cr), Cp = f64x2.splat(cr + ci), Cm = f64x2.splat(ci - cr);
  const D = f64x2.splat(dr), Dp = f64x2.splat(dr + di), Dm = f64x2.splat(di - dr);
  for (let base = 0; base < dim; base += 2 * s) {
    for (let i0 = base; i0 < base + s; i0 += 2) {
      const i1 = i0 + s;
      const xr = vld(re, i0), xi = vld(im, i0), yr = vld(re, i1), yi = vld(im, i1);
      const sx = f64x2.add(xr, xi), sy = f64x2.add(yr, yi);
      const t0 = f64x2.add(f64x2.mul(A, sx), f64x2.mul(B, sy)), t1 = f64x2.add(f64x2.mul(C, sx), f64x2.mul(D, sy));
      vst(re, i0, f64x2.sub(t0, f64x2.add(f64x2.mul(xi, Ap), f64x2.mul(yi, Bp))));
      vst(im, i0, f64x2.add(t0, f64x2.add(f64x2.mul(xr, Am), f64x2.mul(yr, Bm))));
      vst(re, i1, f64x2.sub(t1, f64x2.add(f64x2.mul(xi, Cp), f64x2.mul(yi, Dp))));
      vst(im, i1, f64x2.add(t1, f64x2.add(f64x2.mul(xr, Cm), f64x2.mul(yr, Dm))));
    }
  }
}

/** real 2x2 (RY's form), 8 multiplies + 4 adds */
export function real(re: usize, im: usize, n: i32, s: i32, a: f64, b: f64, c: f64, d: f64): void {
  const dim = 1 << n;
  const A = f64x2.splat(a), B = f64x2.splat(b), C = f64x2.splat(c), D = f64x2.splat(d);
  for (let base = 0; base < dim; base += 2 * s) {
    for (let i0 = base; i0 < base + s; i0 += 2) {
      const i1 = i0 + s;
      const xr = vld(re, i0), xi = vld(im, i0), yr = vld(re, i1), yi = vld(im, i1);
      vst(re, i0, f64x2.add(f64x2.mul(A, xr), f64x2.mul(B, yr)));
      vst(im, i0, f64x2.add(f64x2.mul(A, xi), f64x2.mul(B, yi)));
      vst(re, i1, f64x2.add(f64x2.mul(C, xr), f64x2.mul(D, yr)));
      vst(im, i1, f64x2.add(f64x2.mul(C, xi), f64x2.mul(D, yi)));
    }
  }
}

/** the pair swapped (Pauli X): loads and stores only, the ceiling of any pass of this shape */
export function loadStore(re: usize, im: usize, n: i32, s: i32): void {
  const dim = 1 << n;
  for (let base = 0; base < dim; base += 2 * s) {
    for (let i0 = base; i0 < base + s; i0 += 2) {
      const i1 = i0 + s;
      const xr = vld(re, i0), xi = vld(im, i0), yr = vld(re, i1), yi = vld(im, i1);
      vst(re, i0, yr); vst(im, i0, yi); vst(re, i1, xr); vst(im, i1, xi);
    }
  }
}

/** dst = src for `count` doubles (memory.copy: the reference bandwidth) */
export function copy(dst: usize, src: usize, count: i32): void { memory.copy(dst, src, <usize>count << 3); }
