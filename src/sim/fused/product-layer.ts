/**
 * The first layer of blocks acts on |0...0>: the state after it is the
 * product of one 2-vector per wire, v_w = U_w |0> (|0> for a wire without a
 * first block). Wire 0 is the most significant bit. Vectors are packed four
 * numbers per wire: [v0r, v0i, v1r, v1i].
 */

/** psi = v_0 (x) v_1 (x) ... (x) v_{n-1}, built by doubling in place (about 2^n complex products). */
export function initProduct(re: Float64Array, im: Float64Array, n: number, v: Float64Array): void {
  re[0] = 1;
  im[0] = 0;
  for (let w = 0; w < n; w++) {
    const ar = v[4 * w]!,
      ai = v[4 * w + 1]!,
      br = v[4 * w + 2]!,
      bi = v[4 * w + 3]!;
    // top down so that entry y is read before entries 2y, 2y+1 >= y are written
    for (let y = (1 << w) - 1; y >= 0; y--) {
      const xr = re[y]!,
        xi = im[y]!;
      re[2 * y + 1] = xr * br - xi * bi;
      im[2 * y + 1] = xr * bi + xi * br;
      re[2 * y] = xr * ar - xi * ai;
      im[2 * y] = xr * ai + xi * ar;
    }
  }
}

/** Scratch for productEnvironments: 2^n complex for the right contractions, 2^(n-1) for the left products. */
export interface ProductScratch {
  readonly rRe: Float64Array;
  readonly rIm: Float64Array;
  readonly lRe: Float64Array;
  readonly lIm: Float64Array;
}

export function productScratch(n: number): ProductScratch {
  const dim = 1 << n,
    half = Math.max(1, dim >> 1);
  return {
    rRe: new Float64Array(dim),
    rIm: new Float64Array(dim),
    lRe: new Float64Array(half),
    lIm: new Float64Array(half),
  };
}

/**
 * For every wire w: g_w[s] = sum over the other wires of conj(prod_{v != w} v_v[x_v]) lambda[.. s ..],
 * so that the cross matrix of w's first block is K_w[s', s] = v_w[s'] conj(g_w[s])
 * (psi is the product state there). Out: g packed like v.
 *
 * R_k = lambda contracted with conj(v_v) for v = k .. n-1 (a tensor on wires
 * 0..k-1, stored at offset 2^k of rRe/rIm; R_n = lambda), and L_w = the
 * product of conj(v_v) for v < w; then g_w[s] = sum_y L_w[y] R_{w+1}[2y + s].
 * About 4 * 2^n complex products in all, instead of one state pass per wire.
 */
export function productEnvironments(
  lr: Float64Array,
  li: Float64Array,
  n: number,
  v: Float64Array,
  g: Float64Array,
  sc: ProductScratch,
): void {
  const { rRe, rIm, lRe, lIm } = sc;
  for (let k = n - 1; k >= 1; k--) {
    const ar = v[4 * k]!,
      ai = -v[4 * k + 1]!,
      br = v[4 * k + 2]!,
      bi = -v[4 * k + 3]!;
    const sRe = k + 1 === n ? lr : rRe,
      sIm = k + 1 === n ? li : rIm,
      so = k + 1 === n ? 0 : 1 << (k + 1);
    const d = 1 << k;
    for (let y = 0; y < d; y++) {
      const x0r = sRe[so + 2 * y]!,
        x0i = sIm[so + 2 * y]!,
        x1r = sRe[so + 2 * y + 1]!,
        x1i = sIm[so + 2 * y + 1]!;
      rRe[d + y] = ar * x0r - ai * x0i + br * x1r - bi * x1i;
      rIm[d + y] = ar * x0i + ai * x0r + br * x1i + bi * x1r;
    }
  }
  lRe[0] = 1;
  lIm[0] = 0;
  for (let w = 0; w < n; w++) {
    const sRe = w + 1 === n ? lr : rRe,
      sIm = w + 1 === n ? li : rIm,
      so = w + 1 === n ? 0 : 1 << (w + 1);
    const len = 1 << w;
    let g0r = 0,
      g0i = 0,
      g1r = 0,
      g1i = 0;
    for (let y = 0; y < len; y++) {
      const pr = lRe[y]!,
        pi = lIm[y]!;
      const x0r = sRe[so + 2 * y]!,
        x0i = sIm[so + 2 * y]!,
        x1r = sRe[so + 2 * y + 1]!,
        x1i = sIm[so + 2 * y + 1]!;
      g0r += pr * x0r - pi * x0i;
      g0i += pr * x0i + pi * x0r;
      g1r += pr * x1r - pi * x1i;
      g1i += pr * x1i + pi * x1r;
    }
    g[4 * w] = g0r;
    g[4 * w + 1] = g0i;
    g[4 * w + 2] = g1r;
    g[4 * w + 3] = g1i;
    if (w + 1 < n) {
      // L_{w+1}[2y + b] = L_w[y] conj(v_w[b]), doubling in place top down
      const ar = v[4 * w]!,
        ai = -v[4 * w + 1]!,
        br = v[4 * w + 2]!,
        bi = -v[4 * w + 3]!;
      for (let y = len - 1; y >= 0; y--) {
        const xr = lRe[y]!,
          xi = lIm[y]!;
        lRe[2 * y + 1] = xr * br - xi * bi;
        lIm[2 * y + 1] = xr * bi + xi * br;
        lRe[2 * y] = xr * ar - xi * ai;
        lIm[2 * y] = xr * ai + xi * ar;
      }
    }
  }
}
