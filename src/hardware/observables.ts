import { ValidationError } from "../core/errors.ts";
import type { PauliName } from "../gates/spec.ts";
import { groupQubitWise, type PauliWord } from "../circuits/pauli.ts";
import { constAngle, type HwCircuit, type HwOp } from "./hw-circuit.ts";
import { optimizeNative } from "./transpile/optimize.ts";

/**
 * Observables for IBM primitives.
 *
 * Qiskit writes a Pauli operator on n qubits as a string whose RIGHTMOST
 * character acts on qubit 0 (little-endian): Z on qubit 0 of 3 is "IIZ". qmtl
 * writes words by wire ("Z0"); wire w of a circuit is OpenQASM q[w] / $w, so
 * "Z0 X2" on 3 qubits is "XIZ". For a transpiled circuit the words are already on
 * physical qubits and the strings have one character per device qubit.
 */
export function toQiskitPauli(w: PauliWord, nQubits: number): string {
  const chars = new Array<string>(nQubits).fill("I");
  for (const f of w.factors) {
    if (!Number.isInteger(f.wire) || f.wire < 0 || f.wire >= nQubits)
      throw new ValidationError("observable", `qubits in [0, ${nQubits - 1}]`, f.wire);
    chars[nQubits - 1 - f.wire] = f.pauli;
  }
  return chars.join("");
}

/** Inverse of toQiskitPauli ("XIZ" -> X2 Z0). */
export function fromQiskitPauli(s: string): PauliWord {
  if (!/^[IXYZ]+$/.test(s)) throw new ValidationError("observable", "a string of I, X, Y, Z", s);
  const n = s.length;
  const factors: Array<{ pauli: PauliName; wire: number }> = [];
  for (let i = n - 1; i >= 0; i--)
    if (s[i] !== "I") factors.push({ pauli: s[i] as PauliName, wire: n - 1 - i });
  return { factors };
}

/** One measurement setting: a basis per measured qubit and the words it yields. */
export interface MeasurementSetting {
  /** indices into the word list */
  readonly members: readonly number[];
  /** qubit -> basis letter, ascending qubits */
  readonly basis: ReadonlyArray<readonly [number, PauliName]>;
}

/** Groups words into qubit-wise-commuting settings (greedy, largest words first). */
export function measurementSettings(words: readonly PauliWord[]): MeasurementSetting[] {
  return groupQubitWise(words).map((g) => ({
    members: g.members,
    basis: [...g.basis.entries()].sort((a, b) => a[0] - b[0]),
  }));
}

/**
 * The circuit for one setting: the ISA circuit plus basis changes (X: h, Y: rx(pi/2),
 * which map X resp. Y to Z), re-lowered to native gates, measuring the setting's qubits
 * (classical bit i = i-th qubit of `basis`).
 */
export function settingCircuit(
  isa: HwCircuit,
  setting: MeasurementSetting,
): { circuit: HwCircuit; measure: number[] } {
  const extra: HwOp[] = [];
  for (const [q, p] of setting.basis) {
    if (p === "X") extra.push({ gate: "h", qubits: [q], angles: [] });
    else if (p === "Y") extra.push({ gate: "rx", qubits: [q], angles: [constAngle(Math.PI / 2)] });
  }
  const ops = extra.length > 0 ? optimizeNative([...isa.ops, ...extra]) : [...isa.ops];
  return { circuit: { ...isa, ops }, measure: setting.basis.map(([q]) => q) };
}

/**
 * Expectation values of a setting's words from sampled bitstrings. `samples` are
 * integers (bit i = classical bit i = the i-th measured qubit), as Sampler V2
 * returns them (hex strings such as "0x5" are accepted).
 */
export function expvalsFromSamples(
  words: readonly PauliWord[],
  setting: MeasurementSetting,
  samples: ReadonlyArray<string | number | bigint>,
): Map<number, number> {
  if (samples.length === 0) throw new ValidationError("samples", "at least one shot");
  const bitOf = new Map(setting.basis.map(([q], i) => [q, i] as [number, number]));
  const masks = setting.members.map((m) => {
    let mask = 0n;
    for (const f of words[m]!.factors) {
      const b = bitOf.get(f.wire);
      if (b === undefined) throw new ValidationError("setting", `a basis for qubit ${f.wire}`);
      mask |= 1n << BigInt(b);
    }
    return mask;
  });
  const sums = new Float64Array(masks.length);
  samples.forEach((s, k) => {
    let v: bigint;
    try {
      v = typeof s === "bigint" ? s : BigInt(s);
    } catch {
      throw new ValidationError(`samples[${k}]`, "an integer or a hex string like 0x5", s);
    }
    masks.forEach((mask, j) => {
      let x = v & mask,
        parity = 0;
      while (x) {
        parity ^= Number(x & 1n);
        x >>= 1n;
      }
      sums[j]! += parity ? -1 : 1;
    });
  });
  return new Map(setting.members.map((m, j) => [m, sums[j]! / samples.length]));
}
