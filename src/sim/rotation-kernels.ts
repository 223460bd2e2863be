import type { StateVector } from "./state.ts";
import { wireStride } from "./state.ts";

/**
 * Pauli rotations exp(-i a P / 2) as their own kernels, with c = cos(a/2) and
 * s = sin(a/2). Each needs 8 multiplies per amplitude pair where the dense
 * 2x2 of kernels.ts needs 16, and gives the same result (the dense kernel's
 * extra terms are products with zero). kernels.ts's apply1q is their
 * reference in the tests.
 */

/** RX: [[c, -i s], [-i s, c]] */
export function applyRX(st: StateVector, wire: number, c: number, s: number): void {
  const { re, im } = st;
  const stride = wireStride(st.n, wire),
    dim = re.length;
  for (let base = 0; base < dim; base += 2 * stride) {
    const end = base + stride;
    for (let i0 = base; i0 < end; i0++) {
      const i1 = i0 + stride;
      const xr = re[i0]!,
        xi = im[i0]!,
        yr = re[i1]!,
        yi = im[i1]!;
      re[i0] = c * xr + s * yi;
      im[i0] = c * xi - s * yr;
      re[i1] = c * yr + s * xi;
      im[i1] = c * yi - s * xr;
    }
  }
}

/** RY: [[c, -s], [s, c]] */
export function applyRY(st: StateVector, wire: number, c: number, s: number): void {
  const { re, im } = st;
  const stride = wireStride(st.n, wire),
    dim = re.length;
  for (let base = 0; base < dim; base += 2 * stride) {
    const end = base + stride;
    for (let i0 = base; i0 < end; i0++) {
      const i1 = i0 + stride;
      const xr = re[i0]!,
        xi = im[i0]!,
        yr = re[i1]!,
        yi = im[i1]!;
      re[i0] = c * xr - s * yr;
      im[i0] = c * xi - s * yi;
      re[i1] = s * xr + c * yr;
      im[i1] = s * xi + c * yi;
    }
  }
}

/** RZ: diag(c - i s, c + i s) */
export function applyRZ(st: StateVector, wire: number, c: number, s: number): void {
  const { re, im } = st;
  const stride = wireStride(st.n, wire),
    dim = re.length;
  for (let base = 0; base < dim; base += 2 * stride) {
    const end = base + stride;
    for (let i0 = base; i0 < end; i0++) {
      const i1 = i0 + stride;
      const xr = re[i0]!,
        xi = im[i0]!,
        yr = re[i1]!,
        yi = im[i1]!;
      re[i0] = c * xr + s * xi;
      im[i0] = c * xi - s * xr;
      re[i1] = c * yr - s * yi;
      im[i1] = c * yi + s * yr;
    }
  }
}
