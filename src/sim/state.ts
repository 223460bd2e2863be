import { requireInt } from "../core/errors.ts";

/**
 * A pure state of n qubits: 2^n complex amplitudes in split real/imaginary
 * Float64Arrays (measured 1.5x faster than interleaved in plain TS). Basis
 * index bit (n-1-w) is wire w: wire 0 is the most significant bit.
 */
export interface StateVector {
  readonly n: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

export const MAX_QUBITS = 26;

export function zeroState(n: number): StateVector {
  requireInt("nQubits", n, 1, MAX_QUBITS);
  const re = new Float64Array(1 << n);
  re[0] = 1;
  return { n, re, im: new Float64Array(1 << n) };
}

export function cloneState(s: StateVector): StateVector {
  return { n: s.n, re: s.re.slice(), im: s.im.slice() };
}

export function copyInto(dst: StateVector, src: StateVector): void {
  dst.re.set(src.re);
  dst.im.set(src.im);
}

/** Stride of wire w's bit in the basis index. */
export function wireStride(n: number, w: number): number {
  return 1 << (n - 1 - w);
}

export function norm2(s: StateVector): number {
  let acc = 0;
  for (let i = 0; i < s.re.length; i++) acc += s.re[i]! * s.re[i]! + s.im[i]! * s.im[i]!;
  return acc;
}

/** <a|b> as [re, im]. */
export function inner(a: StateVector, b: StateVector): [number, number] {
  let r = 0,
    i = 0;
  for (let k = 0; k < a.re.length; k++) {
    r += a.re[k]! * b.re[k]! + a.im[k]! * b.im[k]!;
    i += a.re[k]! * b.im[k]! - a.im[k]! * b.re[k]!;
  }
  return [r, i];
}
