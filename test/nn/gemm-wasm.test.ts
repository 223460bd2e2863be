import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { gemmAB, gemmABTs, gemmABt, gemmABtTs, gemmAtB, gemmAtBTs } from "../../src/nn/gemm.ts";
import { gemmWasmAvailable, opABWasm } from "../../src/nn/gemm-wasm.ts";
import { Linear } from "../../src/nn/linear.ts";
import { checkModuleGrads, randomVector } from "./gradcheck.ts";

/** C0 + op(A) B by the plain triple loop, each entry summed from 0 in index order, then added */
function reference(
  C0: Float64Array,
  m: number,
  n: number,
  k: number,
  a: (r: number, kk: number) => number,
  b: (kk: number, c: number) => number,
): Float64Array {
  const C = Float64Array.from(C0.subarray(0, m * n));
  for (let r = 0; r < m; r++)
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let kk = 0; kk < k; kk++) s += a(r, kk) * b(kk, c);
      C[r * n + c] += s;
    }
  return C;
}

function expectSameBits(got: Float64Array, want: Float64Array, what: string): void {
  let bad = -1;
  for (let i = 0; i < want.length && bad < 0; i++) if (!Object.is(got[i], want[i])) bad = i;
  expect(bad, `${what}: entry ${bad} is ${got[bad]}, want ${want[bad]}`).toBe(-1);
}

/** The three products on random operands, by `run`, against the reference bit for bit. */
function checkAll(
  m: number,
  n: number,
  k: number,
  seed: number,
  run: (which: "ABt" | "AB" | "AtB", A: Float64Array, B: Float64Array, C: Float64Array) => void,
): void {
  const A = randomVector(m * k, seed),
    Bt = randomVector(n * k, seed + 1),
    Bk = randomVector(k * n, seed + 2),
    At = randomVector(k * m, seed + 3),
    C0 = randomVector(m * n, seed + 4);
  const shape = `m=${m} n=${n} k=${k}`;
  let C = Float64Array.from(C0);
  run("ABt", A, Bt, C);
  expectSameBits(
    C,
    reference(
      C0,
      m,
      n,
      k,
      (r, i) => A[r * k + i],
      (i, c) => Bt[c * k + i],
    ),
    `ABt ${shape}`,
  );
  C = Float64Array.from(C0);
  run("AB", A, Bk, C);
  expectSameBits(
    C,
    reference(
      C0,
      m,
      n,
      k,
      (r, i) => A[r * k + i],
      (i, c) => Bk[i * n + c],
    ),
    `AB ${shape}`,
  );
  C = Float64Array.from(C0);
  run("AtB", At, Bk, C);
  expectSameBits(
    C,
    reference(
      C0,
      m,
      n,
      k,
      (r, i) => At[i * m + r],
      (i, c) => Bk[i * n + c],
    ),
    `AtB ${shape}`,
  );
}

describe("WebAssembly SIMD gemm", () => {
  it("loads in this runtime (else every product falls back to TypeScript)", () => {
    expect(gemmWasmAvailable()).toBe(true);
  });

  it("matches the plain triple loop bit for bit on every block and remainder (m, n, k down to 1)", () => {
    let seed = 1;
    for (const m of [1, 2, 3, 4, 5, 6, 7, 9, 18])
      for (const n of [1, 2, 3, 4, 5, 6, 7, 9, 18, 33])
        for (const k of [1, 2, 3, 17, 128])
          checkAll(m, n, k, (seed += 10), (which, A, B, C) => {
            const ok =
              which === "ABt"
                ? opABWasm(A, k, 1, B, true, C, m, n, k)
                : which === "AB"
                  ? opABWasm(A, k, 1, B, false, C, m, n, k)
                  : opABWasm(A, 1, m, B, false, C, m, n, k);
            expect(ok).toBe(true);
          });
  });

  it("gives the TypeScript kernels' bits at the suites' projection shapes through gemm.ts", () => {
    for (const [m, n, k] of [
      [128, 18, 2048],
      [18, 2048, 128],
      [16, 39, 1024],
      [39, 1024, 16],
      [32, 128, 1280],
      [128, 1280, 32],
      [32, 30, 128],
    ] as const) {
      // the reference loop is slow: the bits of the CheXpert-sized products are checked against the TS kernels only
      if (m * n * k < 5e6)
        checkAll(m, n, k, m + n + k, (which, A, B, C) => {
          if (which === "ABt") gemmABt(A, B, C, m, n, k);
          else if (which === "AB") gemmAB(A, B, C, m, n, k);
          else gemmAtB(A, B, C, m, n, k);
        });
      const A = randomVector(m * k, 5),
        B = randomVector(n * k, 6),
        C1 = randomVector(m * n, 7),
        C2 = Float64Array.from(C1);
      gemmABt(A, B, C1, m, n, k);
      gemmABtTs(A, B, C2, m, n, k);
      expectSameBits(C1, C2, "gemmABt vs gemmABtTs");
      const At = randomVector(k * m, 8),
        Bk = randomVector(k * n, 9),
        D1 = randomVector(m * n, 10),
        D2 = Float64Array.from(D1),
        E1 = Float64Array.from(D1),
        E2 = Float64Array.from(D1);
      gemmAtB(At, Bk, D1, m, n, k);
      gemmAtBTs(At, Bk, D2, m, n, k);
      expectSameBits(D1, D2, "gemmAtB vs gemmAtBTs");
      gemmAB(A, Bk, E1, m, n, k);
      gemmABTs(A, Bk, E2, m, n, k);
      expectSameBits(E1, E2, "gemmAB vs gemmABTs");
    }
  });

  it("propagates NaN, infinities and signed zeros as the plain loop does", () => {
    const m = 6,
      n = 7,
      k = 5;
    const run = (which: "ABt" | "AB" | "AtB", A: Float64Array, B: Float64Array, C: Float64Array): void => {
      if (which === "ABt") opABWasm(A, k, 1, B, true, C, m, n, k);
      else if (which === "AB") opABWasm(A, k, 1, B, false, C, m, n, k);
      else opABWasm(A, 1, m, B, false, C, m, n, k);
    };
    const A = randomVector(m * k, 1);
    A[3] = Infinity;
    A[7] = -0;
    const B = randomVector(n * k, 2);
    B[4] = NaN;
    const C = new Float64Array(m * n).fill(-0);
    const want = reference(
      C,
      m,
      n,
      k,
      (r, i) => A[r * k + i],
      (i, c) => B[c * k + i],
    );
    run("ABt", A, B, C);
    expectSameBits(C, want, "special values");
  });

  it("reads only the leading m*k, k*n and m*n entries of longer arrays and grows its memory on demand", () => {
    const m = 40,
      n = 300,
      k = 600;
    const A = randomVector(m * k + 5, 1),
      B = randomVector(k * n + 3, 2),
      C = randomVector(m * n + 4, 3);
    const tail = C[m * n + 2];
    const want = reference(
      C,
      m,
      n,
      k,
      (r, i) => A[r * k + i],
      (i, c) => B[i * n + c],
    );
    expect(opABWasm(A, k, 1, B, false, C, m, n, k)).toBe(true);
    expectSameBits(C.subarray(0, m * n), want, "long arrays");
    expect(C[m * n + 2]).toBe(tail);
    // a small product after a large one still sees its own operands
    checkAll(3, 5, 2, 77, (which, A2, B2, C2) => {
      if (which === "ABt") opABWasm(A2, 2, 1, B2, true, C2, 3, 5, 2);
      else if (which === "AB") opABWasm(A2, 2, 1, B2, false, C2, 3, 5, 2);
      else opABWasm(A2, 1, 3, B2, false, C2, 3, 5, 2);
    });
  });

  it("gives a Linear layer on the wasm path exact gradients (central differences)", () => {
    // 13 x 40 -> 9: each of the three products has 4,680 multiply-adds and goes to wasm
    const l = new Linear(40, 9, new Rng(5));
    const ctx = () => ({ training: true, rng: new Rng(1) });
    const rep = checkModuleGrads(l, randomVector(13 * 40, 6), 13, ctx);
    expect(rep.maxRelErr, rep.worst).toBeLessThan(1e-7);
    expect(rep.checked).toBe(13 * 40 + 9 * 40 + 9);
  });
});
