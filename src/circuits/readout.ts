import { ValidationError } from "../core/errors.ts";
import { parsePauliWord, type PauliWord } from "./pauli.ts";

/** What a task predicts; decides its default sub-register and readout. */
export type TaskKind = "binary" | "regression" | "multiclass";

export interface TaskShape {
  readonly kind: TaskKind;
  /** number of classes for multiclass; ignored otherwise */
  readonly numClasses?: number;
}

/** Most classes a multiclass task may have (any head); a quantum readout has a lower limit (maxReadoutWords). */
export const MAX_CLASSES = 10_000;

/** Largest sub-register the default readout rule will consider (the simulators' qubit limit). */
export const MAX_READOUT_QUBITS = 26;

/** Number of logits a task needs: 1 for binary (one logit, BCE) and regression, K for K classes. */
export function outputDim(t: TaskShape): number {
  if (t.kind === "multiclass") {
    if (!Number.isInteger(t.numClasses) || (t.numClasses ?? 0) < 2 || (t.numClasses ?? 0) > MAX_CLASSES) {
      throw new ValidationError(
        "task.numClasses",
        `an integer in [2, ${MAX_CLASSES}] for a multiclass task`,
        t.numClasses,
      );
    }
    return t.numClasses!;
  }
  return 1;
}

/** Most outputs the default readout can give: 2S + 1 Pauli words on S = MAX_READOUT_QUBITS qubits. */
export function maxReadoutWords(): number {
  return candidates(MAX_READOUT_QUBITS).length;
}

/**
 * Candidate Pauli words on an S-qubit sub-register, in priority order, from
 * the families the paper uses: single Z_i, then the all-X word X_0...X_{S-1}
 * (S >= 2), then Z_i Z_{i+1} around the ring (one pair for S = 2). S qubits
 * offer 2S + 1 words (1 for S = 1).
 */
function candidates(S: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < S; i++) out.push(`Z${i}`);
  if (S >= 2) out.push(Array.from({ length: S }, (_, i) => `X${i}`).join(" "));
  if (S === 2) out.push("Z0 Z1");
  if (S >= 3) for (let i = 0; i < S; i++) out.push(`Z${i} Z${(i + 1) % S}`);
  return out;
}

/** Canonical output order: singles Z, ZZ pairs, all-X, then the rest as chosen. */
function canonicalRank(w: string, S: number): number {
  const allX = Array.from({ length: S }, (_, i) => `X${i}`).join(" ");
  if (/^Z\d+$/.test(w)) return 0;
  if (/^Z\d+ Z\d+$/.test(w)) return 1;
  if (w === allX) return 2;
  return 3;
}

/**
 * The default readout, as the paper states it: binary or regression -> 1 qubit, <Z>;
 * 3 classes -> 2 qubits {Z0, Z1, X0X1}; 9 classes -> 4 qubits
 * {Z0..Z3, Z0Z1, Z1Z2, Z2Z3, Z3Z0, X0X1X2X3}. Any other class count K takes the
 * smallest S whose candidate list (see `candidates`) has K words and the first
 * K of them, emitted in the canonical order; the two paper cases are instances
 * of this rule.
 */
export function defaultReadout(t: TaskShape, qubits?: number): { qubits: number; observables: string[] } {
  const K = outputDim(t);
  if (K > maxReadoutWords()) {
    throw new ValidationError(
      "task.numClasses",
      `at most ${maxReadoutWords()} classes for a quantum readout (2S+1 Pauli words on at most ${MAX_READOUT_QUBITS} qubits)`,
      K,
    );
  }
  if (qubits !== undefined && (!Number.isInteger(qubits) || qubits < 1 || qubits > MAX_READOUT_QUBITS)) {
    throw new ValidationError("task.qubits", `an integer in [1, ${MAX_READOUT_QUBITS}]`, qubits);
  }
  let S = qubits ?? 1;
  if (qubits === undefined) while (candidates(S).length < K) S++;
  const cand = candidates(S);
  if (cand.length < K)
    throw new ValidationError("task.qubits", `at least ${minQubitsFor(K)} qubits for ${K} outputs`, S);
  const chosen = cand.slice(0, K);
  const ordered = chosen
    .map((w, i) => ({ w, i }))
    .sort((a, b) => canonicalRank(a.w, S) - canonicalRank(b.w, S) || a.i - b.i)
    .map((x) => x.w);
  // keep ZZ ring pairs in ring order
  return { qubits: S, observables: ordered };
}

/** The fewest qubits whose readout gives at least K outputs (1 for K <= 1, 2 for K <= 3, 4 for K <= 9). */
export function minQubitsFor(K: number): number {
  let S = 1;
  while (candidates(S).length < K && S < MAX_READOUT_QUBITS) S++;
  return S;
}

/** Parses a task's observables on its local sub-register (wires 0..S-1). */
export function parseLocalObservables(words: readonly string[], S: number, field: string): PauliWord[] {
  if (words.length === 0) throw new ValidationError(field, "at least one observable");
  return words.map((w, i) => parsePauliWord(w, S, `${field}[${i}]`));
}
