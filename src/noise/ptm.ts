import { dagger, matmul, type CMatrix } from "../gates/matrix.ts";
import type { Channel } from "./channels.ts";
import { pauliLabels, pauliMatrix } from "./channels.ts";

/**
 * Pauli transfer matrices. A state on n qubits is the real vector c_P = Tr(rho P)
 * over the 4^n Pauli words P (base-4 index, I X Y Z per qubit, qubit 0 most
 * significant), so rho = 2^-n sum_P c_P P and a Pauli expectation is one entry.
 * A channel acts as the real 4^n x 4^n matrix R[P][Q] = 2^-n Tr(P E(Q)), c' = R c.
 * Row-major Float64Array.
 */
export type Ptm = Float64Array;

const labelCache = new Map<number, CMatrix[]>();
function paulis(n: number): CMatrix[] {
  let p = labelCache.get(n);
  if (!p) {
    p = pauliLabels(n).map(pauliMatrix);
    labelCache.set(n, p);
  }
  return p;
}

function traceProductRe(a: CMatrix, b: CMatrix): number {
  const n = a.dim;
  let acc = 0;
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++)
      acc += a.re[i * n + k]! * b.re[k * n + i]! - a.im[i * n + k]! * b.im[k * n + i]!;
  return acc;
}

/** PTM of sum_i K_i rho K_i^dag (Kraus list, e.g. [U] for a unitary). */
export function krausPtm(kraus: readonly CMatrix[]): Ptm {
  const dim = kraus[0]!.dim;
  const n = Math.round(Math.log2(dim));
  const ps = paulis(n);
  const D = ps.length;
  const out = new Float64Array(D * D);
  const kd = kraus.map(dagger);
  for (let q = 0; q < D; q++) {
    // E(Q)
    let eq: CMatrix | null = null;
    kraus.forEach((k, i) => {
      const t = matmul(matmul(k, ps[q]!), kd[i]!);
      if (eq === null) eq = t;
      else
        for (let j = 0; j < t.re.length; j++) {
          eq.re[j]! += t.re[j]!;
          eq.im[j]! += t.im[j]!;
        }
    });
    for (let p = 0; p < D; p++) out[p * D + q] = traceProductRe(ps[p]!, eq!) / dim;
  }
  return out;
}

export function channelPtm(ch: Channel): Ptm {
  return krausPtm(ch.kraus);
}

/** C = A B for D x D row-major real matrices. */
export function ptmMul(a: Float64Array, b: Float64Array, D: number): Float64Array {
  const c = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    for (let k = 0; k < D; k++) {
      const aik = a[i * D + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < D; j++) c[i * D + j]! += aik * b[k * D + j]!;
    }
  }
  return c;
}

export function ptmIdentity(D: number): Float64Array {
  const m = new Float64Array(D * D);
  for (let i = 0; i < D; i++) m[i * D + i] = 1;
  return m;
}

export function transpose(a: Float64Array, D: number): Float64Array {
  const t = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) t[j * D + i] = a[i * D + j]!;
  return t;
}

/**
 * PTM of the rotation exp(-i a P / 2) on one qubit (4x4) and its derivative in a.
 * RX rotates (Y, Z): Y -> cos a Y + sin a Z, Z -> cos a Z - sin a Y, and cyclically.
 */
export function rotationPtm(pauli: "X" | "Y" | "Z", a: number, out: Float64Array, dOut?: Float64Array): void {
  out.fill(0);
  out[0] = 1;
  const c = Math.cos(a),
    s = Math.sin(a);
  const ax = pauli === "X" ? 1 : pauli === "Y" ? 2 : 3;
  const u = ax === 1 ? 2 : ax === 2 ? 3 : 1; // cyclic successor
  const v = ax === 1 ? 3 : ax === 2 ? 1 : 2;
  out[ax * 4 + ax] = 1;
  out[u * 4 + u] = c;
  out[v * 4 + v] = c;
  out[v * 4 + u] = s;
  out[u * 4 + v] = -s;
  if (dOut) {
    dOut.fill(0);
    dOut[u * 4 + u] = -s;
    dOut[v * 4 + v] = -s;
    dOut[v * 4 + u] = c;
    dOut[u * 4 + v] = -c;
  }
}
