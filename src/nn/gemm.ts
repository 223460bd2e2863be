/**
 * Small dense matrix products on row-major Float64Arrays, register-blocked
 * (2 rows x 2 or 4 columns of accumulators) so V8 keeps the partial sums in
 * registers; about 2x faster than the plain triple loop at the sizes qmtl
 * uses (see docs/decisions-nn.md). Every kernel *adds* into C. Within one
 * output entry the products are summed in index order, as a plain loop would,
 * and the sum is then added to C. Large products go to the WebAssembly SIMD
 * kernel of gemm-wasm.ts, which sums in the same order (same bits, about 4x
 * less CPU time; docs/decisions/speed.md, "Dense layers").
 */
import { opABWasm } from "./gemm-wasm.ts";

/**
 * Products of at least this many multiply-adds, and at least one per two
 * operand entries copied, go to the WebAssembly SIMD kernel (gemm-wasm.ts);
 * tinier or thinner ones stay in TypeScript, where the call and the copies
 * into wasm memory cost about what they save (measured: 4x4x4 is 4x slower in
 * wasm, 8x8x8 even, 32x3x30 3x faster). Both give the same bits.
 */
export const WASM_MIN_MACS = 1024;

function useWasm(m: number, n: number, k: number): boolean {
  const macs = m * n * k;
  return macs >= WASM_MIN_MACS && 2 * macs >= m * k + k * n + m * n;
}

/** C[m,n] += A[m,k] * B[n,k]^T (a Linear forward: x W^T). */
export function gemmABt(
  A: Float64Array,
  B: Float64Array,
  C: Float64Array,
  m: number,
  n: number,
  k: number,
): void {
  if (useWasm(m, n, k) && opABWasm(A, k, 1, B, true, C, m, n, k)) return;
  gemmABtTs(A, B, C, m, n, k);
}

/** C[m,n] += A[m,k] * B[k,n] (a Linear input gradient: g W). */
export function gemmAB(
  A: Float64Array,
  B: Float64Array,
  C: Float64Array,
  m: number,
  n: number,
  k: number,
): void {
  if (useWasm(m, n, k) && opABWasm(A, k, 1, B, false, C, m, n, k)) return;
  gemmOpAB(A, k, 1, B, C, m, n, k);
}

/** C[m,n] += A[k,m]^T * B[k,n] (a Linear weight gradient: g^T x). */
export function gemmAtB(
  A: Float64Array,
  B: Float64Array,
  C: Float64Array,
  m: number,
  n: number,
  k: number,
): void {
  if (useWasm(m, n, k) && opABWasm(A, 1, m, B, false, C, m, n, k)) return;
  gemmOpAB(A, 1, m, B, C, m, n, k);
}

/** gemmABt in TypeScript only (the fallback, and the baseline of bench/nn-gemm.ts). */
export function gemmABtTs(
  A: Float64Array,
  B: Float64Array,
  C: Float64Array,
  m: number,
  n: number,
  k: number,
): void {
  let r = 0;
  for (; r + 1 < m; r += 2) {
    const a0 = r * k;
    const a1 = a0 + k;
    const o0 = r * n;
    const o1 = o0 + n;
    let c = 0;
    for (; c + 1 < n; c += 2) {
      const b0 = c * k;
      const b1 = b0 + k;
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0;
      for (let i = 0; i < k; i++) {
        const x0 = A[a0 + i],
          x1 = A[a1 + i],
          y0 = B[b0 + i],
          y1 = B[b1 + i];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      C[o0 + c] += s00;
      C[o0 + c + 1] += s01;
      C[o1 + c] += s10;
      C[o1 + c + 1] += s11;
    }
    for (; c < n; c++) {
      const b0 = c * k;
      let s0 = 0,
        s1 = 0;
      for (let i = 0; i < k; i++) {
        const y = B[b0 + i];
        s0 += A[a0 + i] * y;
        s1 += A[a1 + i] * y;
      }
      C[o0 + c] += s0;
      C[o1 + c] += s1;
    }
  }
  for (; r < m; r++) {
    const a0 = r * k;
    for (let c = 0; c < n; c++) {
      const b0 = c * k;
      let s = 0;
      for (let i = 0; i < k; i++) s += A[a0 + i] * B[b0 + i];
      C[r * n + c] += s;
    }
  }
}

/** gemmAB in TypeScript only. */
export function gemmABTs(
  A: Float64Array,
  B: Float64Array,
  C: Float64Array,
  m: number,
  n: number,
  k: number,
): void {
  gemmOpAB(A, k, 1, B, C, m, n, k);
}

/** gemmAtB in TypeScript only. */
export function gemmAtBTs(
  A: Float64Array,
  B: Float64Array,
  C: Float64Array,
  m: number,
  n: number,
  k: number,
): void {
  gemmOpAB(A, 1, m, B, C, m, n, k);
}

/** C[m,n] += op(A) * B where op(A)[r,kk] = A[r*rs + kk*ks] and B is [k,n]. */
function gemmOpAB(
  A: Float64Array,
  rs: number,
  ks: number,
  B: Float64Array,
  C: Float64Array,
  m: number,
  n: number,
  k: number,
): void {
  let r = 0;
  for (; r + 1 < m; r += 2) {
    const ra0 = r * rs;
    const ra1 = ra0 + rs;
    const o0 = r * n;
    const o1 = o0 + n;
    let c = 0;
    for (; c + 3 < n; c += 4) {
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      for (let kk = 0; kk < k; kk++) {
        const a0 = A[ra0 + kk * ks],
          a1 = A[ra1 + kk * ks];
        const bo = kk * n + c;
        const y0 = B[bo],
          y1 = B[bo + 1],
          y2 = B[bo + 2],
          y3 = B[bo + 3];
        s00 += a0 * y0;
        s01 += a0 * y1;
        s02 += a0 * y2;
        s03 += a0 * y3;
        s10 += a1 * y0;
        s11 += a1 * y1;
        s12 += a1 * y2;
        s13 += a1 * y3;
      }
      C[o0 + c] += s00;
      C[o0 + c + 1] += s01;
      C[o0 + c + 2] += s02;
      C[o0 + c + 3] += s03;
      C[o1 + c] += s10;
      C[o1 + c + 1] += s11;
      C[o1 + c + 2] += s12;
      C[o1 + c + 3] += s13;
    }
    for (; c < n; c++) {
      let s0 = 0,
        s1 = 0;
      for (let kk = 0; kk < k; kk++) {
        const y = B[kk * n + c];
        s0 += A[ra0 + kk * ks] * y;
        s1 += A[ra1 + kk * ks] * y;
      }
      C[o0 + c] += s0;
      C[o1 + c] += s1;
    }
  }
  for (; r < m; r++) {
    const ra = r * rs;
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let kk = 0; kk < k; kk++) s += A[ra + kk * ks] * B[kk * n + c];
      C[r * n + c] += s;
    }
  }
}
