import { ValidationError } from "../core/errors.ts";
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

const isList = (x: unknown): boolean => Array.isArray(x);

/** Throws unless `w` is a Pauli word on distinct wires in [0, n). */
export function checkPauliWord(w: PauliWord, n: number, field = "observable"): void {
  if (!w || !isList(w.factors))
    throw new ValidationError(field, "a Pauli word { factors: [{ pauli, wire }] }", w);
  const seen = new Set<number>();
  for (const f of w.factors) {
    if (f.pauli !== "X" && f.pauli !== "Y" && f.pauli !== "Z")
      throw new ValidationError(field, "Pauli factors X, Y or Z", f.pauli);
    if (!Number.isInteger(f.wire) || f.wire < 0 || f.wire >= n)
      throw new ValidationError(
        `${field} wire`,
        `a wire in [0, ${n - 1}] (the register has ${n} qubits)`,
        f.wire,
      );
    if (seen.has(f.wire)) throw new ValidationError(field, "each wire at most once", f.wire);
    seen.add(f.wire);
  }
}

/**
 * Throws unless `s` is a usable state: 2^n amplitudes in re and im. Its norm
 * is checked where it is computed anyway (expvalPauli, sampling).
 */
export function checkStateShape(s: StateVector, field = "state"): void {
  if (!s || !(s.re instanceof Float64Array) || !(s.im instanceof Float64Array))
    throw new ValidationError(field, "a statevector { n, re, im } of Float64Arrays", s);
  if (!Number.isInteger(s.n) || s.n < 1 || s.n > 30)
    throw new ValidationError(`${field}.n`, "an integer in [1, 30]", s.n);
  const dim = 2 ** s.n;
  if (s.re.length !== dim || s.im.length !== dim) {
    throw new ValidationError(
      field,
      `re and im of length 2^n = ${dim}`,
      `lengths ${s.re.length} and ${s.im.length}`,
    );
  }
}

/** Throws unless `norm2` (the sum of |amplitude|^2) is 1 to within 1e-6; NaN and Infinity included. */
export function checkNorm(norm2: number, field = "state"): void {
  if (!Number.isFinite(norm2)) throw new ValidationError(field, "finite amplitudes", norm2);
  if (Math.abs(norm2 - 1) > 1e-6)
    throw new ValidationError(
      field,
      "a normalised state (norm 1; an all-zero state has none)",
      `squared norm ${norm2}`,
    );
}

export function pauliMasks(w: PauliWord, n: number): PauliMasks {
  checkPauliWord(w, n);
  let flip = 0,
    zy = 0,
    nY = 0;
  for (const f of w.factors) {
    const s = wireStride(n, f.wire);
    if (f.pauli === "X") flip |= s;
    else if (f.pauli === "Z") zy |= s;
    else {
      flip |= s;
      zy |= s;
      nY++;
    }
  }
  return { flip, zy, nY: nY % 4 };
}

function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/**
 * <psi|P|psi> (real for Hermitian P). Throws on a state of the wrong shape,
 * with masks beyond its register, or that is not normalised (all-zero, NaN).
 */
export function expvalPauli(s: StateVector, m: PauliMasks): number {
  checkStateShape(s);
  const { re, im } = s;
  if ((m.flip | m.zy) >= re.length || m.flip < 0 || m.zy < 0)
    throw new ValidationError(
      "observable wire",
      `wires inside the state's ${s.n} qubits`,
      "masks beyond the register",
    );
  let acc = 0,
    nrm = 0;
  // i^nY factor: the expectation is real; with nY odd the sum is purely imaginary before the factor.
  if (m.flip === 0) {
    for (let x = 0; x < re.length; x++) {
      const p = re[x]! * re[x]! + im[x]! * im[x]!;
      nrm += p;
      acc += parity(x & m.zy) ? -p : p;
    }
    checkNorm(nrm);
    return acc;
  }
  let accIm = 0;
  for (let x = 0; x < re.length; x++) {
    nrm += re[x]! * re[x]! + im[x]! * im[x]!;
    const y = x ^ m.flip;
    // conj(psi[y]) * psi[x]
    const pr = re[y]! * re[x]! + im[y]! * im[x]!;
    const pi = re[y]! * im[x]! - im[y]! * re[x]!;
    if (parity(x & m.zy)) {
      acc -= pr;
      accIm -= pi;
    } else {
      acc += pr;
      accIm += pi;
    }
  }
  checkNorm(nrm);
  // multiply (acc + i accIm) by i^nY and keep the real part
  switch (m.nY) {
    case 0:
      return acc;
    case 1:
      return -accIm;
    case 2:
      return -acc;
    default:
      return accIm;
  }
}

/** out += coeff * P|psi> */
export function addPauliTimes(out: StateVector, s: StateVector, m: PauliMasks, coeff: number): void {
  const { re, im } = s;
  const ore = out.re,
    oim = out.im;
  // phase i^nY * coeff
  let cr = coeff,
    ci = 0;
  for (let k = 0; k < m.nY; k++) {
    const t = cr;
    cr = -ci;
    ci = t;
  }
  for (let x = 0; x < re.length; x++) {
    const sign = parity(x & m.zy) ? -1 : 1;
    const y = x ^ m.flip;
    const vr = sign * re[x]!,
      vi = sign * im[x]!;
    ore[y]! += cr * vr - ci * vi;
    oim[y]! += cr * vi + ci * vr;
  }
}
