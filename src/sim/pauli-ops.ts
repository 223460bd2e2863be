import type { PauliWord } from "../circuits/pauli.ts";
import type { StateVector } from "./state.ts";
import { wireStride } from "./state.ts";

/**
 * A Pauli word acts on a basis state as P|x> = i^nY (-1)^popcount(x & zy) |x ^ flip>,
 * where flip marks X and Y wires and zy marks Z and Y wires.
 */
export interface PauliMasks {
  readonly flip: number;
  readonly zy: number;
  /** number of Y factors mod 4 */
  readonly nY: number;
}

export function pauliMasks(w: PauliWord, n: number): PauliMasks {
  let flip = 0, zy = 0, nY = 0;
  for (const f of w.factors) {
    const s = wireStride(n, f.wire);
    if (f.pauli === "X") flip |= s;
    else if (f.pauli === "Z") zy |= s;
    else { flip |= s; zy |= s; nY++; }
  }
  return { flip, zy, nY: nY % 4 };
}

function parity(x: number): number {
  x ^= x >>> 16; x ^= x >>> 8; x ^= x >>> 4; x ^= x >>> 2; x ^= x >>> 1;
  return x & 1;
}

/** <psi|P|psi> (real for Hermitian P). */
export function expvalPauli(s: StateVector, m: PauliMasks): number {
  const { re, im } = s;
  let acc = 0;
  // i^nY factor: the expectation is real; with nY odd the sum is purely imaginary before the factor.
  if (m.flip === 0) {
    for (let x = 0; x < re.length; x++) {
      const p = re[x]! * re[x]! + im[x]! * im[x]!;
      acc += parity(x & m.zy) ? -p : p;
    }
    return acc;
  }
  let accIm = 0;
  for (let x = 0; x < re.length; x++) {
    const y = x ^ m.flip;
    // conj(psi[y]) * psi[x]
    const pr = re[y]! * re[x]! + im[y]! * im[x]!;
    const pi = re[y]! * im[x]! - im[y]! * re[x]!;
    if (parity(x & m.zy)) { acc -= pr; accIm -= pi; } else { acc += pr; accIm += pi; }
  }
  // multiply (acc + i accIm) by i^nY and keep the real part
  switch (m.nY) {
    case 0: return acc;
    case 1: return -accIm;
    case 2: return -acc;
    default: return accIm;
  }
}

/** out += coeff * P|psi> */
export function addPauliTimes(out: StateVector, s: StateVector, m: PauliMasks, coeff: number): void {
  const { re, im } = s;
  const ore = out.re, oim = out.im;
  // phase i^nY * coeff
  let cr = coeff, ci = 0;
  for (let k = 0; k < m.nY; k++) { const t = cr; cr = -ci; ci = t; }
  for (let x = 0; x < re.length; x++) {
    const sign = parity(x & m.zy) ? -1 : 1;
    const y = x ^ m.flip;
    const vr = sign * re[x]!, vi = sign * im[x]!;
    ore[y]! += cr * vr - ci * vi;
    oim[y]! += cr * vi + ci * vr;
  }
}
