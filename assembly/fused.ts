// WebAssembly SIMD passes of the fused-block adjoint (src/sim/fused), f64x2.
// The layout of src/sim/fused: split re/im arrays of 2^n doubles at byte
// addresses, wire 0 the most significant bit, amplitude pairs (i0, i0 + stride)
// of a wire. Lanes hold two neighbouring basis states; stride 1 pairs
// neighbours, so it shuffles lanes. Exact float64: the same products and sums
// as the TypeScript passes, only the order of some sums differs (lanes).
// Build: bench/build-wasm.sh -> src/sim/fused/fused.wasm.

import { ld, st, vld, vst } from "./shared/access";
import { mat2Pass } from "./shared/one-qubit";
import { cnotPass, swapPass, czPass } from "./shared/permutations";

@inline function ldi(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

@inline function lo(a: v128, b: v128): v128 {
  return v128.shuffle<f64>(a, b, 0, 2);
}

@inline function hi(a: v128, b: v128): v128 {
  return v128.shuffle<f64>(a, b, 1, 3);
}

/**
 * A whole layer of blocks: for each of `count` entries of the descriptor
 * table (4 i32 each: stride, offset of the block's 2x2 in `mats` in doubles,
 * wire, differentiable), applies the 2x2 (packed [ar, ai, br, bi, cr, ci, dr, di]),
 * or its conjugate transpose when `dagger`.
 */
function applyLayer64(re: usize, im: usize, n: i32, desc: usize, count: i32, mats: usize, dagger: i32): void {
  const dim = 1 << n;
  for (let j = 0; j < count; j++) {
    const s = ldi(desc, 4 * j), m = mats + (<usize>ldi(desc, 4 * j + 1) << 3);
    const ar = ld(m, 0), ai = ld(m, 1), br = ld(m, 2), bi = ld(m, 3), cr = ld(m, 4), ci = ld(m, 5), dr = ld(m, 6), di = ld(m, 7);
    if (dagger) mat2Pass(re, im, dim, s, ar, -ai, cr, -ci, br, -bi, dr, -di);
    else mat2Pass(re, im, dim, s, ar, ai, br, bi, cr, ci, dr, di);
  }
}

/** One 2x2 [[a, b], [c, d]] on the wire of stride s. */
export function applyMat2(re: usize, im: usize, n: i32, s: i32, ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64): void {
  mat2Pass(re, im, 1 << n, s, ar, ai, br, bi, cr, ci, dr, di);
}

/**
 * Cross matrices K = Tr_other |psi><lambda| of every differentiable block of
 * a layer (descriptor table as in applyLayer), packed 8 doubles per entry at
 * `ks`. Diagonals for all wires from z = psi conj(lambda) (written at zr, zi)
 * and a halving fold (into diag, 4 doubles per wire); off-diagonals from one
 * read-only pass per block.
 */
function layerCross64(pr: usize, pi: usize, lr: usize, li: usize, n: i32, zr: usize, zi: usize, diag: usize, desc: usize, count: i32, ks: usize): void {
  const dim = 1 << n;
  if (dim >= 2) {
    for (let x = 0; x < dim; x += 2) {
      const a = vld(pr, x), b = vld(pi, x), c = vld(lr, x), d = vld(li, x);
      vst(zr, x, f64x2.add(f64x2.mul(a, c), f64x2.mul(b, d)));
      vst(zi, x, f64x2.sub(f64x2.mul(b, c), f64x2.mul(a, d)));
    }
  } else {
    const a = ld(pr, 0), b = ld(pi, 0), c = ld(lr, 0), d = ld(li, 0);
    st(zr, 0, a * c + b * d); st(zi, 0, b * c - a * d);
  }
  for (let k = n; k >= 1; k--) {
    const half = 1 << (k - 1);
    const q = 4 * (k - 1);
    if (half >= 2) {
      // lane 0 collects the even entries (bit 0 of the index = wire k-1 is 0), lane 1 the odd ones
      let accR = f64x2.splat(0), accI = f64x2.splat(0);
      for (let y = 0; y < half; y += 2) {
        const ar = vld(zr, 2 * y), br = vld(zr, 2 * y + 2), ai = vld(zi, 2 * y), bi = vld(zi, 2 * y + 2);
        accR = f64x2.add(accR, f64x2.add(ar, br));
        accI = f64x2.add(accI, f64x2.add(ai, bi));
        vst(zr, y, f64x2.add(lo(ar, br), hi(ar, br)));
        vst(zi, y, f64x2.add(lo(ai, bi), hi(ai, bi)));
      }
      st(diag, q, f64x2.extract_lane(accR, 0)); st(diag, q + 1, f64x2.extract_lane(accI, 0));
      st(diag, q + 2, f64x2.extract_lane(accR, 1)); st(diag, q + 3, f64x2.extract_lane(accI, 1));
    } else {
      const ar = ld(zr, 0), ai = ld(zi, 0), br = ld(zr, 1), bi = ld(zi, 1);
      st(diag, q, ar); st(diag, q + 1, ai); st(diag, q + 2, br); st(diag, q + 3, bi);
      st(zr, 0, ar + br); st(zi, 0, ai + bi);
    }
  }
  for (let j = 0; j < count; j++) {
    if (ldi(desc, 4 * j + 3) == 0) continue;
    const s = ldi(desc, 4 * j), w = ldi(desc, 4 * j + 2);
    const o = ks + (<usize>(8 * j) << 3), dq = 4 * w;
    st(o, 0, ld(diag, dq)); st(o, 1, ld(diag, dq + 1)); st(o, 6, ld(diag, dq + 2)); st(o, 7, ld(diag, dq + 3));
    offDiagonal(pr, pi, lr, li, dim, s, o);
  }
}

/** K01 = sum psi[i0] conj(lambda[i1]), K10 = sum psi[i1] conj(lambda[i0]) into o[2..5]. */
@inline function offDiagonal(pr: usize, pi: usize, lr: usize, li: usize, dim: i32, s: i32, o: usize): void {
  if (dim < 4) {
    const p0r = ld(pr, 0), p0i = ld(pi, 0), p1r = ld(pr, 1), p1i = ld(pi, 1);
    const l0r = ld(lr, 0), l0i = ld(li, 0), l1r = ld(lr, 1), l1i = ld(li, 1);
    st(o, 2, p0r * l1r + p0i * l1i); st(o, 3, p0i * l1r - p0r * l1i);
    st(o, 4, p1r * l0r + p1i * l0i); st(o, 5, p1i * l0r - p1r * l0i);
    return;
  }
  let k01r = f64x2.splat(0), k01i = f64x2.splat(0), k10r = f64x2.splat(0), k10i = f64x2.splat(0);
  if (s >= 2) {
    for (let base = 0; base < dim; base += 2 * s) {
      const end = base + s;
      for (let i0 = base; i0 < end; i0 += 2) {
        const i1 = i0 + s;
        const p0r = vld(pr, i0), p0i = vld(pi, i0), p1r = vld(pr, i1), p1i = vld(pi, i1);
        const l0r = vld(lr, i0), l0i = vld(li, i0), l1r = vld(lr, i1), l1i = vld(li, i1);
        k01r = f64x2.add(k01r, f64x2.add(f64x2.mul(p0r, l1r), f64x2.mul(p0i, l1i)));
        k01i = f64x2.add(k01i, f64x2.sub(f64x2.mul(p0i, l1r), f64x2.mul(p0r, l1i)));
        k10r = f64x2.add(k10r, f64x2.add(f64x2.mul(p1r, l0r), f64x2.mul(p1i, l0i)));
        k10i = f64x2.add(k10i, f64x2.sub(f64x2.mul(p1i, l0r), f64x2.mul(p1r, l0i)));
      }
    }
  } else {
    for (let k = 0; k < dim; k += 4) {
      const a = vld(pr, k), b = vld(pr, k + 2), c = vld(pi, k), d = vld(pi, k + 2);
      const p0r = lo(a, b), p1r = hi(a, b), p0i = lo(c, d), p1i = hi(c, d);
      const e = vld(lr, k), f = vld(lr, k + 2), g = vld(li, k), h = vld(li, k + 2);
      const l0r = lo(e, f), l1r = hi(e, f), l0i = lo(g, h), l1i = hi(g, h);
      k01r = f64x2.add(k01r, f64x2.add(f64x2.mul(p0r, l1r), f64x2.mul(p0i, l1i)));
      k01i = f64x2.add(k01i, f64x2.sub(f64x2.mul(p0i, l1r), f64x2.mul(p0r, l1i)));
      k10r = f64x2.add(k10r, f64x2.add(f64x2.mul(p1r, l0r), f64x2.mul(p1i, l0i)));
      k10i = f64x2.add(k10i, f64x2.sub(f64x2.mul(p1i, l0r), f64x2.mul(p1r, l0i)));
    }
  }
  st(o, 2, f64x2.extract_lane(k01r, 0) + f64x2.extract_lane(k01r, 1));
  st(o, 3, f64x2.extract_lane(k01i, 0) + f64x2.extract_lane(k01i, 1));
  st(o, 4, f64x2.extract_lane(k10r, 0) + f64x2.extract_lane(k10r, 1));
  st(o, 5, f64x2.extract_lane(k10i, 0) + f64x2.extract_lane(k10i, 1));
}

/** dst[y] = sign[y] * src[idx[y]] (sign = 0: all +1). */
function gather64(sr: usize, si: usize, dr: usize, di: usize, idx: usize, sign: usize, dim: i32): void {
  if (sign == 0) {
    for (let y = 0; y < dim; y++) { const x = ldi(idx, y); st(dr, y, ld(sr, x)); st(di, y, ld(si, x)); }
  } else {
    for (let y = 0; y < dim; y++) { const x = ldi(idx, y), s = ld(sign, y); st(dr, y, s * ld(sr, x)); st(di, y, s * ld(si, x)); }
  }
}

/** The same gather on two states (psi and lambda in backward). */
function gather2_64(ar: usize, ai: usize, adr: usize, adi: usize, br: usize, bi: usize, bdr: usize, bdi: usize, idx: usize, sign: usize, dim: i32): void {
  if (sign == 0) {
    for (let y = 0; y < dim; y++) {
      const x = ldi(idx, y);
      st(adr, y, ld(ar, x)); st(adi, y, ld(ai, x)); st(bdr, y, ld(br, x)); st(bdi, y, ld(bi, x));
    }
  } else {
    for (let y = 0; y < dim; y++) {
      const x = ldi(idx, y), s = ld(sign, y);
      st(adr, y, s * ld(ar, x)); st(adi, y, s * ld(ai, x)); st(bdr, y, s * ld(br, x)); st(bdi, y, s * ld(bi, x));
    }
  }
}

/** psi = v_0 (x) ... (x) v_{n-1} by doubling (v: 4 doubles per wire, [v0r, v0i, v1r, v1i]). */
export function initProduct(re: usize, im: usize, n: i32, v: usize): void {
  st(re, 0, 1); st(im, 0, 0);
  for (let w = 0; w < n; w++) {
    const ar = ld(v, 4 * w), ai = ld(v, 4 * w + 1), br = ld(v, 4 * w + 2), bi = ld(v, 4 * w + 3);
    // entries (2y, 2y + 1) = x * (a, b): one vector store each, top down
    const ABr = f64x2(ar, br), ABi = f64x2(ai, bi);
    for (let y = (1 << w) - 1; y >= 0; y--) {
      const xr = f64x2.splat(ld(re, y)), xi = f64x2.splat(ld(im, y));
      vst(re, 2 * y, f64x2.sub(f64x2.mul(xr, ABr), f64x2.mul(xi, ABi)));
      vst(im, 2 * y, f64x2.add(f64x2.mul(xr, ABi), f64x2.mul(xi, ABr)));
    }
  }
}

/**
 * The first layer's environments g_w (src/sim/fused/product-layer.ts,
 * productEnvironments): right contractions R_k of lambda with conj(v) at
 * offset 2^k of rRe/rIm, left products L_w in lRe/lIm, g packed like v.
 */
export function productEnvironments(lr: usize, li: usize, n: i32, v: usize, g: usize, rRe: usize, rIm: usize, lRe: usize, lIm: usize): void {
  for (let k = n - 1; k >= 1; k--) {
    const ar = ld(v, 4 * k), ai = -ld(v, 4 * k + 1), br = ld(v, 4 * k + 2), bi = -ld(v, 4 * k + 3);
    const last = k + 1 == n;
    const sRe = last ? lr : rRe + (<usize>(1 << (k + 1)) << 3), sIm = last ? li : rIm + (<usize>(1 << (k + 1)) << 3);
    const d = 1 << k;
    const oRe = rRe + (<usize>d << 3), oIm = rIm + (<usize>d << 3);
    if (d >= 2) {
      const Ar = f64x2.splat(ar), Ai = f64x2.splat(ai), Br = f64x2.splat(br), Bi = f64x2.splat(bi);
      for (let y = 0; y < d; y += 2) {
        const a = vld(sRe, 2 * y), b = vld(sRe, 2 * y + 2), c = vld(sIm, 2 * y), e = vld(sIm, 2 * y + 2);
        const x0r = lo(a, b), x1r = hi(a, b), x0i = lo(c, e), x1i = hi(c, e);
        vst(oRe, y, f64x2.sub(f64x2.add(f64x2.mul(Ar, x0r), f64x2.mul(Br, x1r)), f64x2.add(f64x2.mul(Ai, x0i), f64x2.mul(Bi, x1i))));
        vst(oIm, y, f64x2.add(f64x2.add(f64x2.mul(Ar, x0i), f64x2.mul(Ai, x0r)), f64x2.add(f64x2.mul(Br, x1i), f64x2.mul(Bi, x1r))));
      }
    } else {
      const x0r = ld(sRe, 0), x0i = ld(sIm, 0), x1r = ld(sRe, 1), x1i = ld(sIm, 1);
      st(oRe, 0, ar * x0r - ai * x0i + br * x1r - bi * x1i);
      st(oIm, 0, ar * x0i + ai * x0r + br * x1i + bi * x1r);
    }
  }
  st(lRe, 0, 1); st(lIm, 0, 0);
  for (let w = 0; w < n; w++) {
    const last = w + 1 == n;
    const sRe = last ? lr : rRe + (<usize>(1 << (w + 1)) << 3), sIm = last ? li : rIm + (<usize>(1 << (w + 1)) << 3);
    const len = 1 << w;
    let g0r = 0.0, g0i = 0.0, g1r = 0.0, g1i = 0.0;
    if (len >= 2) {
      // lanes: (s = 0, s = 1) of the pair at 2y
      let accR = f64x2.splat(0), accI = f64x2.splat(0);
      for (let y = 0; y < len; y++) {
        const pr = f64x2.splat(ld(lRe, y)), pi = f64x2.splat(ld(lIm, y));
        const xr = vld(sRe, 2 * y), xi = vld(sIm, 2 * y);
        accR = f64x2.add(accR, f64x2.sub(f64x2.mul(pr, xr), f64x2.mul(pi, xi)));
        accI = f64x2.add(accI, f64x2.add(f64x2.mul(pr, xi), f64x2.mul(pi, xr)));
      }
      g0r = f64x2.extract_lane(accR, 0); g1r = f64x2.extract_lane(accR, 1);
      g0i = f64x2.extract_lane(accI, 0); g1i = f64x2.extract_lane(accI, 1);
    } else {
      const pr = ld(lRe, 0), pi = ld(lIm, 0);
      const x0r = ld(sRe, 0), x0i = ld(sIm, 0), x1r = ld(sRe, 1), x1i = ld(sIm, 1);
      g0r = pr * x0r - pi * x0i; g0i = pr * x0i + pi * x0r;
      g1r = pr * x1r - pi * x1i; g1i = pr * x1i + pi * x1r;
    }
    st(g, 4 * w, g0r); st(g, 4 * w + 1, g0i); st(g, 4 * w + 2, g1r); st(g, 4 * w + 3, g1i);
    if (w + 1 < n) {
      const ABr = f64x2(ld(v, 4 * w), ld(v, 4 * w + 2)), ABi = f64x2(-ld(v, 4 * w + 1), -ld(v, 4 * w + 3));
      for (let y = len - 1; y >= 0; y--) {
        const xr = f64x2.splat(ld(lRe, y)), xi = f64x2.splat(ld(lIm, y));
        vst(lRe, 2 * y, f64x2.sub(f64x2.mul(xr, ABr), f64x2.mul(xi, ABi)));
        vst(lIm, 2 * y, f64x2.add(f64x2.mul(xr, ABi), f64x2.mul(xi, ABr)));
      }
    }
  }
}

/** dst = src, `count` doubles. */
export function copyF64(dst: usize, src: usize, count: i32): void {
  memory.copy(dst, src, <usize>count << 3);
}

/** CNOT with control and target strides cs, ts. */
export function cnot(re: usize, im: usize, n: i32, cs: i32, ts: i32): void {
  cnotPass(re, im, 1 << n, cs, ts);
}

/** SWAP of the wires with strides sa, sb. */
export function swap(re: usize, im: usize, n: i32, sa: i32, sb: i32): void {
  swapPass(re, im, 1 << n, sa, sb);
}

/** CZ of the wires with strides sa, sb. */
export function cz(re: usize, im: usize, n: i32, sa: i32, sb: i32): void {
  czPass(re, im, 1 << n, sa, sb);
}

// Readout and lambda (src/sim/fused/readout.ts, lambda.ts). Words are a table
// of 8 i32 each: kind (0 single Z, 1 other diagonal, 2 flips bits), zWire,
// flip mask, nY, byte address of sHi, of sLo (0: no sign tables), 0, 0.
// Signs are split sHi[x >> h] * sLo[x & (2^h - 1)], h = n >> 1. Needs n >= 2.

@inline function wordAt(words: usize, o: i32, f: i32): i32 {
  return load<i32>(words + (<usize>(8 * o + f) << 2));
}

@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** (a1, a0) */
@inline function swapLanes(a: v128): v128 {
  return v128.shuffle<f64>(a, a, 1, 0);
}

/** sum_x v[x] sHi[x >> h] sLo[x & (2^h - 1)] */
function signedSum(v: usize, sHi: usize, sLo: usize, h: i32, nHi: i32): f64 {
  const nLo = 1 << h;
  let acc = 0.0;
  for (let hi = 0; hi < nHi; hi++) {
    const base = hi << h;
    let part = f64x2.splat(0);
    for (let l = 0; l < nLo; l += 2) part = f64x2.add(part, f64x2.mul(vld(sLo, l), vld(v, base + l)));
    acc += ld(sHi, hi) * hsum(part);
  }
  return acc;
}

/** Re <psi| P |psi> for a word that flips bits. */
function flipExpval(re: usize, im: usize, flip: i32, nY: i32, sHi: usize, sLo: usize, h: i32, nHi: i32): f64 {
  const nLo = 1 << h, odd = flip & 1, fe = flip & ~1;
  let ar = 0.0, ai = 0.0;
  for (let hi = 0; hi < nHi; hi++) {
    const x0 = hi << h;
    let pr = f64x2.splat(0), pi = f64x2.splat(0);
    for (let l = 0; l < nLo; l += 2) {
      const x = x0 + l, y = x ^ fe;
      let yr = vld(re, y), yi = vld(im, y);
      if (odd) { yr = swapLanes(yr); yi = swapLanes(yi); }
      const xr = vld(re, x), xi = vld(im, x);
      let tr = f64x2.add(f64x2.mul(yr, xr), f64x2.mul(yi, xi));
      let ti = f64x2.sub(f64x2.mul(yr, xi), f64x2.mul(yi, xr));
      if (sLo != 0) { const s = vld(sLo, l); tr = f64x2.mul(s, tr); ti = f64x2.mul(s, ti); }
      pr = f64x2.add(pr, tr); pi = f64x2.add(pi, ti);
    }
    const sh = sHi != 0 ? ld(sHi, hi) : 1.0;
    ar += sh * hsum(pr); ai += sh * hsum(pi);
  }
  switch (nY & 3) {
    case 0: return ar;
    case 1: return -ai;
    case 2: return -ar;
    default: return ai;
  }
}

/** Every word's expectation into out (p: 2^n scratch, marg: n scratch). */
export function measure(n: i32, re: usize, im: usize, words: usize, nWords: i32, p: usize, marg: usize, out: usize): void {
  const dim = 1 << n, h = n >> 1, nHi = 1 << (n - h);
  let anyDiagonal = false;
  for (let o = 0; o < nWords; o++) if (wordAt(words, o, 0) != 2) anyDiagonal = true;
  if (anyDiagonal) {
    let tot = f64x2.splat(0);
    for (let x = 0; x < dim; x += 2) {
      const a = vld(re, x), b = vld(im, x);
      const v = f64x2.add(f64x2.mul(a, a), f64x2.mul(b, b));
      vst(p, x, v);
      tot = f64x2.add(tot, v);
    }
    const total = hsum(tot);
    for (let o = 0; o < nWords; o++) {
      if (wordAt(words, o, 0) != 1) continue;
      const sHi = <usize>wordAt(words, o, 4), sLo = <usize>wordAt(words, o, 5);
      st(out, o, sLo != 0 ? signedSum(p, sHi, sLo, h, nHi) : total);
    }
    for (let k = n; k >= 1; k--) {
      const half = 1 << (k - 1);
      if (half >= 2) {
        let acc = f64x2.splat(0);
        for (let y = 0; y < half; y += 2) {
          const a = vld(p, 2 * y), b = vld(p, 2 * y + 2);
          acc = f64x2.add(acc, f64x2.add(a, b));
          vst(p, y, f64x2.add(lo(a, b), hi(a, b)));
        }
        st(marg, k - 1, f64x2.extract_lane(acc, 1));
      } else {
        const a = ld(p, 0), b = ld(p, 1);
        st(marg, k - 1, b); st(p, 0, a + b);
      }
    }
    for (let o = 0; o < nWords; o++) {
      if (wordAt(words, o, 0) != 0) continue;
      st(out, o, total - 2 * ld(marg, wordAt(words, o, 1)));
    }
  }
  for (let o = 0; o < nWords; o++) {
    if (wordAt(words, o, 0) != 2) continue;
    st(out, o, flipExpval(re, im, wordAt(words, o, 2), wordAt(words, o, 3), <usize>wordAt(words, o, 4), <usize>wordAt(words, o, 5), h, nHi));
  }
}

/** lambda = sum_o cot[o] O_o psi (overwritten); d: 2^n scratch. */
export function buildLambda(n: i32, pr: usize, pi: usize, lr: usize, li: usize, words: usize, nWords: i32, cot: usize, d: usize): void {
  const dim = 1 << n, h = n >> 1, nLo = 1 << h, nHi = 1 << (n - h);
  let identity = 0.0;
  for (let o = 0; o < nWords; o++) {
    if (wordAt(words, o, 0) == 1 && wordAt(words, o, 5) == 0) identity += ld(cot, o);
  }
  st(d, 0, identity);
  for (let w = 0; w < n; w++) {
    let c = 0.0;
    for (let o = 0; o < nWords; o++) if (wordAt(words, o, 0) == 0 && wordAt(words, o, 1) == w) c += ld(cot, o);
    const pm = f64x2(c, -c);
    for (let y = (1 << w) - 1; y >= 0; y--) vst(d, 2 * y, f64x2.add(f64x2.splat(ld(d, y)), pm));
  }
  for (let o = 0; o < nWords; o++) {
    const c = ld(cot, o), sHi = <usize>wordAt(words, o, 4), sLo = <usize>wordAt(words, o, 5);
    if (wordAt(words, o, 0) != 1 || sLo == 0 || c == 0) continue;
    for (let hi = 0; hi < nHi; hi++) {
      const x0 = hi << h, sh = f64x2.splat(c * ld(sHi, hi));
      for (let l = 0; l < nLo; l += 2) vst(d, x0 + l, f64x2.add(vld(d, x0 + l), f64x2.mul(sh, vld(sLo, l))));
    }
  }
  for (let x = 0; x < dim; x += 2) {
    const s = vld(d, x);
    vst(lr, x, f64x2.mul(s, vld(pr, x)));
    vst(li, x, f64x2.mul(s, vld(pi, x)));
  }
  for (let o = 0; o < nWords; o++) {
    const c = ld(cot, o);
    if (wordAt(words, o, 0) != 2 || c == 0) continue;
    const flip = wordAt(words, o, 2), nY = wordAt(words, o, 3), sHi = <usize>wordAt(words, o, 4), sLo = <usize>wordAt(words, o, 5);
    let cr = c, ci = 0.0;
    for (let k = 0; k < nY; k++) { const t = cr; cr = -ci; ci = t; }
    const Cr = f64x2.splat(cr), Ci = f64x2.splat(ci), odd = flip & 1, fe = flip & ~1;
    for (let hi = 0; hi < nHi; hi++) {
      const x0 = hi << h, sh = sHi != 0 ? ld(sHi, hi) : 1.0;
      for (let l = 0; l < nLo; l += 2) {
        const x = x0 + l, y = x ^ fe;
        let vr = vld(pr, x), vi = vld(pi, x);
        if (sLo != 0) { const s = f64x2.mul(f64x2.splat(sh), vld(sLo, l)); vr = f64x2.mul(s, vr); vi = f64x2.mul(s, vi); }
        let ar = f64x2.sub(f64x2.mul(Cr, vr), f64x2.mul(Ci, vi));
        let ai = f64x2.add(f64x2.mul(Cr, vi), f64x2.mul(Ci, vr));
        if (odd) { ar = swapLanes(ar); ai = swapLanes(ai); }
        vst(lr, y, f64x2.add(vld(lr, y), ar));
        vst(li, y, f64x2.add(vld(li, y), ai));
      }
    }
  }
}

// ---------------------------------------------------------------------------
// float32 states (precision: "float32"): 2^n f32 real parts at `re`, 2^n f32
// imaginary parts at `im`. The passes that dominate (a layer's blocks, the
// off-diagonal cross passes, gathers) run in f32x4, four basis states per
// lane group; sums are kept in f64 (f32 partial sums of at most 8 vectors,
// then added into f64 lanes). Everything else converts to a float64 scratch
// state and runs the float64 pass (toF64 / toF32).

@inline function fld(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}

@inline function fst(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}

@inline function fvld(p: usize, i: i32): v128 {
  return v128.load(p + (<usize>i << 2));
}

@inline function fvst(p: usize, i: i32, v: v128): void {
  v128.store(p + (<usize>i << 2), v);
}

/** u = A x + B y (complex, lanes of f32x4): real part */
@inline function cre(Ar: v128, Ai: v128, Br: v128, Bi: v128, xr: v128, xi: v128, yr: v128, yi: v128): v128 {
  return f32x4.sub(f32x4.add(f32x4.mul(Ar, xr), f32x4.mul(Br, yr)), f32x4.add(f32x4.mul(Ai, xi), f32x4.mul(Bi, yi)));
}

@inline function cim(Ar: v128, Ai: v128, Br: v128, Bi: v128, xr: v128, xi: v128, yr: v128, yi: v128): v128 {
  return f32x4.add(f32x4.add(f32x4.mul(Ar, xi), f32x4.mul(Ai, xr)), f32x4.add(f32x4.mul(Br, yi), f32x4.mul(Bi, yr)));
}

@inline function mat2Pass32(re: usize, im: usize, dim: i32, s: i32, ar: f32, ai: f32, br: f32, bi: f32, cr: f32, ci: f32, dr: f32, di: f32): void {
  if (dim < 8) {
    for (let base = 0; base < dim; base += 2 * s) {
      for (let i0 = base; i0 < base + s; i0++) {
        const i1 = i0 + s;
        const xr = fld(re, i0), xi = fld(im, i0), yr = fld(re, i1), yi = fld(im, i1);
        fst(re, i0, ar * xr - ai * xi + br * yr - bi * yi);
        fst(im, i0, ar * xi + ai * xr + br * yi + bi * yr);
        fst(re, i1, cr * xr - ci * xi + dr * yr - di * yi);
        fst(im, i1, cr * xi + ci * xr + dr * yi + di * yr);
      }
    }
    return;
  }
  const Ar = f32x4.splat(ar), Ai = f32x4.splat(ai), Br = f32x4.splat(br), Bi = f32x4.splat(bi);
  const Cr = f32x4.splat(cr), Ci = f32x4.splat(ci), Dr = f32x4.splat(dr), Di = f32x4.splat(di);
  if (s >= 4) {
    for (let base = 0; base < dim; base += 2 * s) {
      const end = base + s;
      for (let i0 = base; i0 < end; i0 += 4) {
        const i1 = i0 + s;
        const xr = fvld(re, i0), xi = fvld(im, i0), yr = fvld(re, i1), yi = fvld(im, i1);
        fvst(re, i0, cre(Ar, Ai, Br, Bi, xr, xi, yr, yi));
        fvst(im, i0, cim(Ar, Ai, Br, Bi, xr, xi, yr, yi));
        fvst(re, i1, cre(Cr, Ci, Dr, Di, xr, xi, yr, yi));
        fvst(im, i1, cim(Cr, Ci, Dr, Di, xr, xi, yr, yi));
      }
    }
  } else if (s == 2) {
    // [x0 x1 y0 y1 | x2 x3 y2 y3]
    for (let k = 0; k < dim; k += 8) {
      const r0 = fvld(re, k), r1 = fvld(re, k + 4), m0 = fvld(im, k), m1 = fvld(im, k + 4);
      const xr = v128.shuffle<f32>(r0, r1, 0, 1, 4, 5), yr = v128.shuffle<f32>(r0, r1, 2, 3, 6, 7);
      const xi = v128.shuffle<f32>(m0, m1, 0, 1, 4, 5), yi = v128.shuffle<f32>(m0, m1, 2, 3, 6, 7);
      const ur = cre(Ar, Ai, Br, Bi, xr, xi, yr, yi), ui = cim(Ar, Ai, Br, Bi, xr, xi, yr, yi);
      const vr = cre(Cr, Ci, Dr, Di, xr, xi, yr, yi), vi = cim(Cr, Ci, Dr, Di, xr, xi, yr, yi);
      fvst(re, k, v128.shuffle<f32>(ur, vr, 0, 1, 4, 5)); fvst(re, k + 4, v128.shuffle<f32>(ur, vr, 2, 3, 6, 7));
      fvst(im, k, v128.shuffle<f32>(ui, vi, 0, 1, 4, 5)); fvst(im, k + 4, v128.shuffle<f32>(ui, vi, 2, 3, 6, 7));
    }
  } else {
    // [x0 y0 x1 y1 | x2 y2 x3 y3]
    for (let k = 0; k < dim; k += 8) {
      const r0 = fvld(re, k), r1 = fvld(re, k + 4), m0 = fvld(im, k), m1 = fvld(im, k + 4);
      const xr = v128.shuffle<f32>(r0, r1, 0, 2, 4, 6), yr = v128.shuffle<f32>(r0, r1, 1, 3, 5, 7);
      const xi = v128.shuffle<f32>(m0, m1, 0, 2, 4, 6), yi = v128.shuffle<f32>(m0, m1, 1, 3, 5, 7);
      const ur = cre(Ar, Ai, Br, Bi, xr, xi, yr, yi), ui = cim(Ar, Ai, Br, Bi, xr, xi, yr, yi);
      const vr = cre(Cr, Ci, Dr, Di, xr, xi, yr, yi), vi = cim(Cr, Ci, Dr, Di, xr, xi, yr, yi);
      fvst(re, k, v128.shuffle<f32>(ur, vr, 0, 4, 1, 5)); fvst(re, k + 4, v128.shuffle<f32>(ur, vr, 2, 6, 3, 7));
      fvst(im, k, v128.shuffle<f32>(ui, vi, 0, 4, 1, 5)); fvst(im, k + 4, v128.shuffle<f32>(ui, vi, 2, 6, 3, 7));
    }
  }
}

/** applyLayer on a float32 state (matrices stay float64 in `mats`, rounded to f32 here). */
function applyLayer32(re: usize, im: usize, n: i32, desc: usize, count: i32, mats: usize, dagger: i32): void {
  const dim = 1 << n;
  for (let j = 0; j < count; j++) {
    const s = ldi(desc, 4 * j), m = mats + (<usize>ldi(desc, 4 * j + 1) << 3);
    const ar = <f32>ld(m, 0), ai = <f32>ld(m, 1), br = <f32>ld(m, 2), bi = <f32>ld(m, 3);
    const cr = <f32>ld(m, 4), ci = <f32>ld(m, 5), dr = <f32>ld(m, 6), di = <f32>ld(m, 7);
    if (dagger) mat2Pass32(re, im, dim, s, ar, -ai, cr, -ci, br, -bi, dr, -di);
    else mat2Pass32(re, im, dim, s, ar, ai, br, bi, cr, ci, dr, di);
  }
}

/** (lane0 + lane2, lane1 + lane3) of an f32x4, promoted: a partial sum into f64 lanes */
@inline function widen(a: v128): v128 {
  return f64x2.add(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(v128.shuffle<f32>(a, a, 2, 3, 0, 1)));
}

/**
 * layerCross on float32 psi, lambda: z = psi conj(lambda) is written in
 * float64 (zr, zi: 2^n doubles each) and folded in float64; off-diagonals in
 * f32x4 with float64 sums.
 */
function layerCross32(pr: usize, pi: usize, lr: usize, li: usize, n: i32, zr: usize, zi: usize, diag: usize, desc: usize, count: i32, ks: usize): void {
  const dim = 1 << n;
  if (dim >= 4) {
    for (let x = 0; x < dim; x += 2) {
      const a = f64x2.promote_low_f32x4(v128.load64_zero(pr + (<usize>x << 2))), b = f64x2.promote_low_f32x4(v128.load64_zero(pi + (<usize>x << 2)));
      const c = f64x2.promote_low_f32x4(v128.load64_zero(lr + (<usize>x << 2))), d = f64x2.promote_low_f32x4(v128.load64_zero(li + (<usize>x << 2)));
      vst(zr, x, f64x2.add(f64x2.mul(a, c), f64x2.mul(b, d)));
      vst(zi, x, f64x2.sub(f64x2.mul(b, c), f64x2.mul(a, d)));
    }
  } else {
    for (let x = 0; x < dim; x++) {
      const a = <f64>fld(pr, x), b = <f64>fld(pi, x), c = <f64>fld(lr, x), d = <f64>fld(li, x);
      st(zr, x, a * c + b * d); st(zi, x, b * c - a * d);
    }
  }
  foldDiag(zr, zi, n, diag);
  for (let j = 0; j < count; j++) {
    if (ldi(desc, 4 * j + 3) == 0) continue;
    const s = ldi(desc, 4 * j), w = ldi(desc, 4 * j + 2);
    const o = ks + (<usize>(8 * j) << 3), dq = 4 * w;
    offDiagonal32(pr, pi, lr, li, dim, s, o);
    st(o, 0, ld(diag, dq)); st(o, 1, ld(diag, dq + 1)); st(o, 6, ld(diag, dq + 2)); st(o, 7, ld(diag, dq + 3));
  }
}

/** The halving fold of layerCross (float64 z, destroyed) into diag. */
function foldDiag(zr: usize, zi: usize, n: i32, diag: usize): void {
  for (let k = n; k >= 1; k--) {
    const half = 1 << (k - 1);
    const q = 4 * (k - 1);
    if (half >= 2) {
      let accR = f64x2.splat(0), accI = f64x2.splat(0);
      for (let y = 0; y < half; y += 2) {
        const ar = vld(zr, 2 * y), br = vld(zr, 2 * y + 2), ai = vld(zi, 2 * y), bi = vld(zi, 2 * y + 2);
        accR = f64x2.add(accR, f64x2.add(ar, br));
        accI = f64x2.add(accI, f64x2.add(ai, bi));
        vst(zr, y, f64x2.add(lo(ar, br), hi(ar, br)));
        vst(zi, y, f64x2.add(lo(ai, bi), hi(ai, bi)));
      }
      st(diag, q, f64x2.extract_lane(accR, 0)); st(diag, q + 1, f64x2.extract_lane(accI, 0));
      st(diag, q + 2, f64x2.extract_lane(accR, 1)); st(diag, q + 3, f64x2.extract_lane(accI, 1));
    } else {
      const ar = ld(zr, 0), ai = ld(zi, 0), br = ld(zr, 1), bi = ld(zi, 1);
      st(diag, q, ar); st(diag, q + 1, ai); st(diag, q + 2, br); st(diag, q + 3, bi);
      st(zr, 0, ar + br); st(zi, 0, ai + bi);
    }
  }
}

function offDiagonal32(pr: usize, pi: usize, lr: usize, li: usize, dim: i32, s: i32, o: usize): void {
  if (dim < 8) {
    let k01r = 0.0, k01i = 0.0, k10r = 0.0, k10i = 0.0;
    for (let base = 0; base < dim; base += 2 * s) {
      for (let i0 = base; i0 < base + s; i0++) {
        const i1 = i0 + s;
        const p0r = <f64>fld(pr, i0), p0i = <f64>fld(pi, i0), p1r = <f64>fld(pr, i1), p1i = <f64>fld(pi, i1);
        const l0r = <f64>fld(lr, i0), l0i = <f64>fld(li, i0), l1r = <f64>fld(lr, i1), l1i = <f64>fld(li, i1);
        k01r += p0r * l1r + p0i * l1i; k01i += p0i * l1r - p0r * l1i;
        k10r += p1r * l0r + p1i * l0i; k10i += p1i * l0r - p1r * l0i;
      }
    }
    st(o, 2, k01r); st(o, 3, k01i); st(o, 4, k10r); st(o, 5, k10i);
    return;
  }
  // f32 partial sums over at most 8 vectors of 4 pairs, then widened and added
  // into f64 lanes kept in o[0..7] (in memory: in registers they crowd the loop)
  const zero = f64x2.splat(0);
  vst(o, 0, zero); vst(o, 2, zero); vst(o, 4, zero); vst(o, 6, zero);
  let a01r = f32x4.splat(0), a01i = f32x4.splat(0), a10r = f32x4.splat(0), a10i = f32x4.splat(0);
  let cnt = 0;
  if (s >= 4) {
    for (let base = 0; base < dim; base += 2 * s) {
      const end = base + s;
      for (let i0 = base; i0 < end; i0 += 4) {
        const i1 = i0 + s;
        const p0r = fvld(pr, i0), p0i = fvld(pi, i0), p1r = fvld(pr, i1), p1i = fvld(pi, i1);
        const l0r = fvld(lr, i0), l0i = fvld(li, i0), l1r = fvld(lr, i1), l1i = fvld(li, i1);
        a01r = f32x4.add(a01r, f32x4.add(f32x4.mul(p0r, l1r), f32x4.mul(p0i, l1i)));
        a01i = f32x4.add(a01i, f32x4.sub(f32x4.mul(p0i, l1r), f32x4.mul(p0r, l1i)));
        a10r = f32x4.add(a10r, f32x4.add(f32x4.mul(p1r, l0r), f32x4.mul(p1i, l0i)));
        a10i = f32x4.add(a10i, f32x4.sub(f32x4.mul(p1i, l0r), f32x4.mul(p1r, l0i)));
        if (++cnt == 8) {
          flush32(o, a01r, a01i, a10r, a10i);
          a01r = f32x4.splat(0); a01i = f32x4.splat(0); a10r = f32x4.splat(0); a10i = f32x4.splat(0);
          cnt = 0;
        }
      }
    }
  } else {
    const two = s == 2;
    for (let k = 0; k < dim; k += 8) {
      const a = fvld(pr, k), b = fvld(pr, k + 4), c = fvld(pi, k), d = fvld(pi, k + 4);
      const e = fvld(lr, k), f = fvld(lr, k + 4), g = fvld(li, k), h = fvld(li, k + 4);
      const p0r = two ? v128.shuffle<f32>(a, b, 0, 1, 4, 5) : v128.shuffle<f32>(a, b, 0, 2, 4, 6);
      const p1r = two ? v128.shuffle<f32>(a, b, 2, 3, 6, 7) : v128.shuffle<f32>(a, b, 1, 3, 5, 7);
      const p0i = two ? v128.shuffle<f32>(c, d, 0, 1, 4, 5) : v128.shuffle<f32>(c, d, 0, 2, 4, 6);
      const p1i = two ? v128.shuffle<f32>(c, d, 2, 3, 6, 7) : v128.shuffle<f32>(c, d, 1, 3, 5, 7);
      const l0r = two ? v128.shuffle<f32>(e, f, 0, 1, 4, 5) : v128.shuffle<f32>(e, f, 0, 2, 4, 6);
      const l1r = two ? v128.shuffle<f32>(e, f, 2, 3, 6, 7) : v128.shuffle<f32>(e, f, 1, 3, 5, 7);
      const l0i = two ? v128.shuffle<f32>(g, h, 0, 1, 4, 5) : v128.shuffle<f32>(g, h, 0, 2, 4, 6);
      const l1i = two ? v128.shuffle<f32>(g, h, 2, 3, 6, 7) : v128.shuffle<f32>(g, h, 1, 3, 5, 7);
      a01r = f32x4.add(a01r, f32x4.add(f32x4.mul(p0r, l1r), f32x4.mul(p0i, l1i)));
      a01i = f32x4.add(a01i, f32x4.sub(f32x4.mul(p0i, l1r), f32x4.mul(p0r, l1i)));
      a10r = f32x4.add(a10r, f32x4.add(f32x4.mul(p1r, l0r), f32x4.mul(p1i, l0i)));
      a10i = f32x4.add(a10i, f32x4.sub(f32x4.mul(p1i, l0r), f32x4.mul(p1r, l0i)));
      if (++cnt == 8) {
        flush32(o, a01r, a01i, a10r, a10i);
        a01r = f32x4.splat(0); a01i = f32x4.splat(0); a10r = f32x4.splat(0); a10i = f32x4.splat(0);
        cnt = 0;
      }
    }
  }
  flush32(o, a01r, a01i, a10r, a10i);
  const k01r = hsum(vld(o, 0)), k01i = hsum(vld(o, 2)), k10r = hsum(vld(o, 4)), k10i = hsum(vld(o, 6));
  st(o, 2, k01r); st(o, 3, k01i); st(o, 4, k10r); st(o, 5, k10i);
}

/** o[0..7] (K01r, K01i, K10r, K10i as f64x2 lanes) += the widened f32 partial sums */
@inline function flush32(o: usize, a01r: v128, a01i: v128, a10r: v128, a10i: v128): void {
  vst(o, 0, f64x2.add(vld(o, 0), widen(a01r))); vst(o, 2, f64x2.add(vld(o, 2), widen(a01i)));
  vst(o, 4, f64x2.add(vld(o, 4), widen(a10r))); vst(o, 6, f64x2.add(vld(o, 6), widen(a10i)));
}

/** gather on float32 states. */
function gather32(sr: usize, si: usize, dr: usize, di: usize, idx: usize, sign: usize, dim: i32): void {
  if (sign == 0) {
    for (let y = 0; y < dim; y++) { const x = ldi(idx, y); fst(dr, y, fld(sr, x)); fst(di, y, fld(si, x)); }
  } else {
    for (let y = 0; y < dim; y++) { const x = ldi(idx, y), s = <f32>ld(sign, y); fst(dr, y, s * fld(sr, x)); fst(di, y, s * fld(si, x)); }
  }
}

function gather2_32(ar: usize, ai: usize, adr: usize, adi: usize, br: usize, bi: usize, bdr: usize, bdi: usize, idx: usize, sign: usize, dim: i32): void {
  if (sign == 0) {
    for (let y = 0; y < dim; y++) {
      const x = ldi(idx, y);
      fst(adr, y, fld(ar, x)); fst(adi, y, fld(ai, x)); fst(bdr, y, fld(br, x)); fst(bdi, y, fld(bi, x));
    }
  } else {
    for (let y = 0; y < dim; y++) {
      const x = ldi(idx, y), s = <f32>ld(sign, y);
      fst(adr, y, s * fld(ar, x)); fst(adi, y, s * fld(ai, x)); fst(bdr, y, s * fld(br, x)); fst(bdi, y, s * fld(bi, x));
    }
  }
}

/** dst (float64) = src (float32), `count` numbers. */
export function toF64(dst: usize, src: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const v = fvld(src, i);
    vst(dst, i, f64x2.promote_low_f32x4(v));
    vst(dst, i + 2, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
  }
  for (; i < count; i++) st(dst, i, <f64>fld(src, i));
}

/** dst (float32) = src (float64) rounded, `count` numbers. */
export function toF32(dst: usize, src: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const a = f32x4.demote_f64x2_zero(vld(src, i)), b = f32x4.demote_f64x2_zero(vld(src, i + 2));
    fvst(dst, i, v128.shuffle<f32>(a, b, 0, 1, 4, 5));
  }
  for (; i < count; i++) fst(dst, i, <f32>ld(src, i));
}

// Exported entry points shared by both precisions (f32 = 1: float32 states),
// so that a JavaScript call site always calls the same wasm function whatever
// the executor's precision (a call site that sees two targets made V8 run the
// float64 path up to 30% slower in processes that used both).

/**
 * A whole layer of blocks: for each of `count` entries of the descriptor
 * table (4 i32 each: stride, offset of the block's 2x2 in `mats` in doubles,
 * wire, differentiable), applies the 2x2 (packed [ar, ai, br, bi, cr, ci, dr, di]),
 * or its conjugate transpose when `dagger`.
 */
export function applyLayer(re: usize, im: usize, n: i32, desc: usize, count: i32, mats: usize, dagger: i32, f32: i32): void {
  if (f32) applyLayer32(re, im, n, desc, count, mats, dagger);
  else applyLayer64(re, im, n, desc, count, mats, dagger);
}

/**
 * Cross matrices K = Tr_other |psi><lambda| of every differentiable block of
 * a layer (descriptor table as in applyLayer), packed 8 doubles per entry at
 * `ks`; z (float64, 2^n each at zr, zi) and diag (4 doubles per wire) are scratch.
 */
export function layerCross(pr: usize, pi: usize, lr: usize, li: usize, n: i32, zr: usize, zi: usize, diag: usize, desc: usize, count: i32, ks: usize, f32: i32): void {
  if (f32) layerCross32(pr, pi, lr, li, n, zr, zi, diag, desc, count, ks);
  else layerCross64(pr, pi, lr, li, n, zr, zi, diag, desc, count, ks);
}

/** dst[y] = sign[y] * src[idx[y]] (sign = 0: all +1). */
export function gather(sr: usize, si: usize, dr: usize, di: usize, idx: usize, sign: usize, dim: i32, f32: i32): void {
  if (f32) gather32(sr, si, dr, di, idx, sign, dim);
  else gather64(sr, si, dr, di, idx, sign, dim);
}

/** The same gather on two states (psi and lambda in backward). */
export function gather2(ar: usize, ai: usize, adr: usize, adi: usize, br: usize, bi: usize, bdr: usize, bdi: usize, idx: usize, sign: usize, dim: i32, f32: i32): void {
  if (f32) gather2_32(ar, ai, adr, adi, br, bi, bdr, bdi, idx, sign, dim);
  else gather2_64(ar, ai, adr, adi, br, bi, bdr, bdi, idx, sign, dim);
}
