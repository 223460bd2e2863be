import type { Mat2 } from "./mat2.ts";

/**
 * Statevector passes for one fused single-qubit block on a wire of the given
 * stride (amplitude pairs (i0, i0 + stride)). Arrays are split re/im.
 */

/** psi <- U psi on one wire. */
export function applyMat2(re: Float64Array, im: Float64Array, stride: number, u: Mat2): void {
  const ar = u[0]!,
    ai = u[1]!,
    br = u[2]!,
    bi = u[3]!,
    cr = u[4]!,
    ci = u[5]!,
    dr = u[6]!,
    di = u[7]!;
  const dim = re.length;
  for (let base = 0; base < dim; base += 2 * stride) {
    const end = base + stride;
    for (let i0 = base; i0 < end; i0++) {
      const i1 = i0 + stride;
      const xr = re[i0]!,
        xi = im[i0]!,
        yr = re[i1]!,
        yi = im[i1]!;
      re[i0] = ar * xr - ai * xi + br * yr - bi * yi;
      im[i0] = ar * xi + ai * xr + br * yi + bi * yr;
      re[i1] = cr * xr - ci * xi + dr * yr - di * yi;
      im[i1] = cr * xi + ci * xr + dr * yi + di * yr;
    }
  }
}

/**
 * The off-diagonal entries of one wire's cross matrix
 *   K[s', s] = sum over the other wires of psi[.. s' ..] conj(lambda[.. s ..]):
 * K01 = sum psi[i0] conj(lambda[i1]) and K10 = sum psi[i1] conj(lambda[i0])
 * over the pairs (i0, i1) of the wire (a read-only pass), into k[o + 2 .. o + 5]
 * (a packed Mat2 at offset o). The diagonal
 * entries of every wire come from one shared pass (layer-cross.ts).
 */
export function offDiagonalCross(
  pr: Float64Array,
  pi: Float64Array,
  lr: Float64Array,
  li: Float64Array,
  stride: number,
  k: Float64Array,
  o: number,
): void {
  let k01r = 0,
    k01i = 0,
    k10r = 0,
    k10i = 0;
  const dim = pr.length;
  for (let base = 0; base < dim; base += 2 * stride) {
    const end = base + stride;
    for (let i0 = base; i0 < end; i0++) {
      const i1 = i0 + stride;
      const p0r = pr[i0]!,
        p0i = pi[i0]!,
        p1r = pr[i1]!,
        p1i = pi[i1]!;
      const l0r = lr[i0]!,
        l0i = li[i0]!,
        l1r = lr[i1]!,
        l1i = li[i1]!;
      // p conj(l) = (pr lr + pi li) + i (pi lr - pr li)
      k01r += p0r * l1r + p0i * l1i;
      k01i += p0i * l1r - p0r * l1i;
      k10r += p1r * l0r + p1i * l0i;
      k10i += p1i * l0r - p1r * l0i;
    }
  }
  k[o + 2] = k01r;
  k[o + 3] = k01i;
  k[o + 4] = k10r;
  k[o + 5] = k10i;
}
