// WebAssembly SIMD (f64x2) dense product of src/nn/gemm.ts:
//   C[m,n] += op(A) * B,  op(A)[r,kk] = A[r*rs + kk*ks],  B row-major [k,n].
// Lanes run along the columns of B and C, never along k: every output entry
// is still 0 + a0*b0 + a1*b1 + ... in index order (separate mul and add, no
// fused multiply-add), then added to C, so the results are bit for bit those
// of the plain TypeScript kernels. Blocks of 4 x 4 outputs (8 accumulators),
// with 2- and 1-row and 2- and 1-column remainders.
// Arrays are byte addresses into this module's memory.
// Build: bench/build-wasm.sh -> src/nn/gemm.wasm.

@inline function addTo(p: usize, v: v128): void {
  v128.store(p, f64x2.add(v128.load(p), v));
}

@inline function spl(p: usize): v128 {
  return f64x2.splat(load<f64>(p));
}

function rows4x4(a: usize, ars: usize, aks: usize, b: usize, bn: usize, c: usize, cn: usize, k: i32): void {
  let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s10 = f64x2.splat(0), s11 = f64x2.splat(0);
  let s20 = f64x2.splat(0), s21 = f64x2.splat(0), s30 = f64x2.splat(0), s31 = f64x2.splat(0);
  for (let kk = 0; kk < k; kk++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    const x0 = spl(a), x1 = spl(a + ars);
    s00 = f64x2.add(s00, f64x2.mul(x0, b0));
    s01 = f64x2.add(s01, f64x2.mul(x0, b1));
    s10 = f64x2.add(s10, f64x2.mul(x1, b0));
    s11 = f64x2.add(s11, f64x2.mul(x1, b1));
    const x2 = spl(a + 2 * ars), x3 = spl(a + 3 * ars);
    s20 = f64x2.add(s20, f64x2.mul(x2, b0));
    s21 = f64x2.add(s21, f64x2.mul(x2, b1));
    s30 = f64x2.add(s30, f64x2.mul(x3, b0));
    s31 = f64x2.add(s31, f64x2.mul(x3, b1));
    a += aks;
    b += bn;
  }
  addTo(c, s00);
  addTo(c + 16, s01);
  addTo(c + cn, s10);
  addTo(c + cn + 16, s11);
  addTo(c + 2 * cn, s20);
  addTo(c + 2 * cn + 16, s21);
  addTo(c + 3 * cn, s30);
  addTo(c + 3 * cn + 16, s31);
}

function rows2x4(a: usize, ars: usize, aks: usize, b: usize, bn: usize, c: usize, cn: usize, k: i32): void {
  let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s10 = f64x2.splat(0), s11 = f64x2.splat(0);
  for (let kk = 0; kk < k; kk++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    const x0 = spl(a), x1 = spl(a + ars);
    s00 = f64x2.add(s00, f64x2.mul(x0, b0));
    s01 = f64x2.add(s01, f64x2.mul(x0, b1));
    s10 = f64x2.add(s10, f64x2.mul(x1, b0));
    s11 = f64x2.add(s11, f64x2.mul(x1, b1));
    a += aks;
    b += bn;
  }
  addTo(c, s00);
  addTo(c + 16, s01);
  addTo(c + cn, s10);
  addTo(c + cn + 16, s11);
}

function rows1x4(a: usize, aks: usize, b: usize, bn: usize, c: usize, k: i32): void {
  let s00 = f64x2.splat(0), s01 = f64x2.splat(0);
  for (let kk = 0; kk < k; kk++) {
    const x0 = spl(a);
    s00 = f64x2.add(s00, f64x2.mul(x0, v128.load(b)));
    s01 = f64x2.add(s01, f64x2.mul(x0, v128.load(b, 16)));
    a += aks;
    b += bn;
  }
  addTo(c, s00);
  addTo(c + 16, s01);
}

function rows4x2(a: usize, ars: usize, aks: usize, b: usize, bn: usize, c: usize, cn: usize, k: i32): void {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  for (let kk = 0; kk < k; kk++) {
    const b0 = v128.load(b);
    s0 = f64x2.add(s0, f64x2.mul(spl(a), b0));
    s1 = f64x2.add(s1, f64x2.mul(spl(a + ars), b0));
    s2 = f64x2.add(s2, f64x2.mul(spl(a + 2 * ars), b0));
    s3 = f64x2.add(s3, f64x2.mul(spl(a + 3 * ars), b0));
    a += aks;
    b += bn;
  }
  addTo(c, s0);
  addTo(c + cn, s1);
  addTo(c + 2 * cn, s2);
  addTo(c + 3 * cn, s3);
}

function rows1x2(a: usize, aks: usize, b: usize, bn: usize, c: usize, k: i32): void {
  let s0 = f64x2.splat(0);
  for (let kk = 0; kk < k; kk++) {
    s0 = f64x2.add(s0, f64x2.mul(spl(a), v128.load(b)));
    a += aks;
    b += bn;
  }
  addTo(c, s0);
}

/** One column of C: scalar sums, two rows at a time. */
function column(a: usize, ars: usize, aks: usize, b: usize, bn: usize, c: usize, cn: usize, m: i32, k: i32): void {
  let r = 0;
  for (; r + 1 < m; r += 2) {
    let s0: f64 = 0, s1: f64 = 0;
    let pa = a, pb = b;
    for (let kk = 0; kk < k; kk++) {
      const y = load<f64>(pb);
      s0 += load<f64>(pa) * y;
      s1 += load<f64>(pa + ars) * y;
      pa += aks;
      pb += bn;
    }
    store<f64>(c, load<f64>(c) + s0);
    store<f64>(c + cn, load<f64>(c + cn) + s1);
    a += 2 * ars;
    c += 2 * cn;
  }
  if (r < m) {
    let s0: f64 = 0;
    for (let kk = 0; kk < k; kk++) {
      s0 += load<f64>(a) * load<f64>(b);
      a += aks;
      b += bn;
    }
    store<f64>(c, load<f64>(c) + s0);
  }
}

/**
 * C[m,n] += op(A) B with op(A)[r,kk] = A[r*rs + kk*ks] (strides in doubles), C [m,n] row-major and B
 * packed in column panels (packRows, packCols): the panel of columns col..col+w-1 (w = 4, or what is
 * left at the end) starts at double col*k and holds B[kk, col + j] at kk*w + j, so the inner loops
 * read B contiguously.
 */
export function opAB(a: usize, rs: i32, ks: i32, b: usize, c: usize, m: i32, n: i32, k: i32): void {
  const ars = <usize>rs << 3, aks = <usize>ks << 3, cn = <usize>n << 3;
  let col = 0;
  // column panels outside, rows inside: a panel of B stays in cache across the row blocks
  for (; col + 3 < n; col += 4) {
    const pb = b + (<usize>col * <usize>k << 3), pc = c + (<usize>col << 3);
    let r = 0;
    for (; r + 3 < m; r += 4) rows4x4(a + <usize>r * ars, ars, aks, pb, 32, pc + <usize>r * cn, cn, k);
    for (; r + 1 < m; r += 2) rows2x4(a + <usize>r * ars, ars, aks, pb, 32, pc + <usize>r * cn, cn, k);
    if (r < m) rows1x4(a + <usize>r * ars, aks, pb, 32, pc + <usize>r * cn, k);
  }
  const w = n - col;
  if (w == 0) return;
  const pb = b + (<usize>col * <usize>k << 3), bn = <usize>w << 3;
  if (w >= 2) {
    const pc = c + (<usize>col << 3);
    let r = 0;
    for (; r + 3 < m; r += 4) rows4x2(a + <usize>r * ars, ars, aks, pb, bn, pc + <usize>r * cn, cn, k);
    for (; r < m; r++) rows1x2(a + <usize>r * ars, aks, pb, bn, pc + <usize>r * cn, k);
  }
  if (w & 1) column(a, ars, aks, pb + (<usize>(w - 1) << 3), bn, c + (<usize>(n - 1) << 3), cn, m, k);
}

/**
 * dst = src [k,n] row-major packed in opAB's column panels. Four panels (16 columns, two cache lines of
 * a row) at a time: row after row of a narrower group would write 4 KiB apart and thrash the cache.
 */
export function packRows(src: usize, dst: usize, n: i32, k: i32): void {
  const full = n & ~3, w = n - full, panel = <usize>k << 5;
  for (let g = 0; g < full; g += 16) {
    const gEnd = min(g + 16, full);
    for (let kk = 0; kk < k; kk++) {
      let s = src + (<usize>(kk * n + g) << 3);
      let d = dst + ((<usize>g * <usize>k + <usize>(kk << 2)) << 3);
      for (let col = g; col < gEnd; col += 4) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        s += 32;
        d += panel;
      }
    }
  }
  const d = dst + (<usize>full * <usize>k << 3);
  for (let kk = 0; kk < k; kk++) {
    const s = src + (<usize>(kk * n + full) << 3);
    for (let j = 0; j < w; j++) store<f64>(d + (<usize>(kk * w + j) << 3), load<f64>(s + (<usize>j << 3)));
  }
}

/** dst = B packed in opAB's column panels, from src = B^T [n,k] row-major (a Linear weight). */
export function packCols(src: usize, dst: usize, n: i32, k: i32): void {
  for (let col = 0; col < n; col += 4) {
    const w = min(4, n - col);
    const d = dst + (<usize>col * <usize>k << 3);
    for (let j = 0; j < w; j++) {
      const s = src + (<usize>(col + j) * <usize>k << 3);
      for (let kk = 0; kk < k; kk++) store<f64>(d + (<usize>(kk * w + j) << 3), load<f64>(s + (<usize>kk << 3)));
    }
  }
}
