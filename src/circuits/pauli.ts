import { ValidationError } from "../core/errors.ts";
import type { PauliName } from "../gates/spec.ts";

/** A tensor product of Pauli operators on distinct wires, e.g. X1 X2. */
export interface PauliWord {
  readonly factors: ReadonlyArray<{ readonly pauli: PauliName; readonly wire: number }>;
}

/** Parses "Z0", "X1 X2", "Z5 Z6" (or "X1@X2"); throws naming the field on anything else. */
export function parsePauliWord(text: string, nQubits: number, field = "observable"): PauliWord {
  const tokens = text
    .trim()
    .split(/[\s@*]+/)
    .filter((t) => t.length > 0);
  if (tokens.length === 0) throw new ValidationError(field, 'a Pauli word such as "Z0" or "X1 X2"', text);
  const seen = new Set<number>();
  const factors = tokens.map((tok) => {
    const m = /^([XYZ])(\d+)$/.exec(tok);
    if (!m)
      throw new ValidationError(
        field,
        `Pauli factors like Z0, X3, Y12 (letters X, Y, Z then a wire number)`,
        text,
      );
    const wire = Number(m[2]);
    if (wire >= nQubits) throw new ValidationError(field, `wires in [0, ${nQubits - 1}]`, text);
    if (seen.has(wire)) throw new ValidationError(field, "each wire at most once", text);
    seen.add(wire);
    return { pauli: m[1] as PauliName, wire };
  });
  return { factors };
}

/** A Pauli word as text, the inverse of parsePauliWord: "Z0", "X8 X9". */
export function pauliWordToString(w: PauliWord): string {
  return w.factors.map((f) => `${f.pauli}${f.wire}`).join(" ");
}

/** Shifts every wire of a word by `offset` (local sub-register word -> global). */
export function shiftWord(w: PauliWord, offset: number): PauliWord {
  return { factors: w.factors.map((f) => ({ pauli: f.pauli, wire: f.wire + offset })) };
}

/** Qubit-wise commuting: on every shared wire the two words carry the same Pauli. */
export function qubitWiseCommute(a: PauliWord, b: PauliWord): boolean {
  for (const fa of a.factors) {
    for (const fb of b.factors) if (fa.wire === fb.wire && fa.pauli !== fb.pauli) return false;
  }
  return true;
}

/**
 * Greedy grouping into qubit-wise-commuting measurement settings (largest
 * words first). Returns, per setting, the indices of the words it measures and
 * the basis per wire. {Z0, Z1, X0X1} needs 2 settings.
 */
export function groupQubitWise(
  words: readonly PauliWord[],
): Array<{ members: number[]; basis: Map<number, PauliName> }> {
  const order = words
    .map((_, i) => i)
    .sort((i, j) => words[j]!.factors.length - words[i]!.factors.length || i - j);
  const groups: Array<{ members: number[]; basis: Map<number, PauliName> }> = [];
  for (const i of order) {
    const w = words[i]!;
    const g = groups.find((gr) =>
      w.factors.every((f) => !gr.basis.has(f.wire) || gr.basis.get(f.wire) === f.pauli),
    );
    if (g) {
      g.members.push(i);
      for (const f of w.factors) g.basis.set(f.wire, f.pauli);
    } else {
      groups.push({
        members: [i],
        basis: new Map(w.factors.map((f) => [f.wire, f.pauli] as [number, PauliName])),
      });
    }
  }
  for (const g of groups) g.members.sort((a, b) => a - b);
  return groups;
}
