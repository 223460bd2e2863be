import { describe, expect, it } from "vitest";
import { gemmAB, gemmABt, gemmAtB } from "../../src/nn/gemm.ts";
import { randomVector } from "./gradcheck.ts";

function naive(
  m: number,
  n: number,
  k: number,
  a: (r: number, kk: number) => number,
  b: (kk: number, c: number) => number,
): Float64Array {
  const C = new Float64Array(m * n);
  for (let r = 0; r < m; r++)
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let kk = 0; kk < k; kk++) s += a(r, kk) * b(kk, c);
      C[r * n + c] = s;
    }
  return C;
}

describe("gemm kernels", () => {
  // Odd and even sizes exercise the blocked body and every remainder loop.
  for (const [m, n, k] of [
    [1, 1, 1],
    [2, 4, 3],
    [3, 5, 7],
    [16, 39, 1024],
    [5, 2, 1],
    [7, 9, 4],
  ] as const) {
    it(`match the plain triple loop exactly for m=${m} n=${n} k=${k}, accumulating into C`, () => {
      const A = randomVector(m * k, m * 100 + k);
      const Bt = randomVector(n * k, n * 7 + 1);
      const Bk = randomVector(k * n, n * 3 + 2);
      const At = randomVector(k * m, m * 5 + 3);
      const C0 = randomVector(m * n, 99);
      const cases: Array<[(C: Float64Array) => void, Float64Array]> = [
        [
          (C) => gemmABt(A, Bt, C, m, n, k),
          naive(
            m,
            n,
            k,
            (r, kk) => A[r * k + kk],
            (kk, c) => Bt[c * k + kk],
          ),
        ],
        [
          (C) => gemmAB(A, Bk, C, m, n, k),
          naive(
            m,
            n,
            k,
            (r, kk) => A[r * k + kk],
            (kk, c) => Bk[kk * n + c],
          ),
        ],
        [
          (C) => gemmAtB(At, Bk, C, m, n, k),
          naive(
            m,
            n,
            k,
            (r, kk) => At[kk * m + r],
            (kk, c) => Bk[kk * n + c],
          ),
        ],
      ];
      for (const [run, expected] of cases) {
        const C = Float64Array.from(C0);
        run(C);
        for (let i = 0; i < C.length; i++) expect(C[i]).toBe(C0[i] + expected[i]);
      }
    });
  }
});
