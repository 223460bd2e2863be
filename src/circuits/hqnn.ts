import { requireInt } from "../core/errors.ts";
import type { Circuit, Op } from "./ir.ts";
import { inp, wgt } from "./ir.ts";
import type { PauliWord } from "./pauli.ts";

/**
 * The HQNN baseline circuit of Phukan et al. (2024) as the QMTL paper
 * describes it (Appendix B.1-B.3): a 3-d input (beta, gamma, theta) enters a
 * circuit on n qubits (4 in the original, scaled to Q) whose ansatz repeats
 * three times, and each qubit is read out as <Z>; a trainable scale and one
 * linear layer per task follow (in src/models). The exact gates are not
 * public. Our reading, kept in this one function so it can be changed:
 *
 *   for r in 0..R-1:
 *     on every qubit q: RX(beta) RY(gamma) RZ(theta)   (data re-uploading)
 *     on every qubit q: RY(w[r, q])                    (one trainable angle)
 *     CNOT ring: CNOT(q, q+1 mod n) (a single CNOT(0,1) for n = 2)
 *   measure <Z_q> for every q
 *
 * from |0...0>. Trainable circuit parameters: R * n (12 for n = 4, 39 for n = 13).
 */
export interface HqnnSpec {
  readonly qubits: number;
  readonly repetitions?: number;
}

/** Inputs of the HQNN circuit (the paper's Linear(d, 3) in front of it). */
export const HQNN_INPUTS = 3;

/** Trainable circuit weights of an HQNN spec: repetitions x qubits. */
export function hqnnWeightCount(spec: HqnnSpec): number {
  return (spec.repetitions ?? 3) * spec.qubits;
}

/** The HQNN baseline's circuit (the reading above): R repetitions of data re-uploading, one RY per qubit, a CNOT ring; <Z> per qubit. */
export function hqnnCircuit(spec: HqnnSpec): Circuit {
  requireInt("hqnn.qubits", spec.qubits, 1, 24);
  const R = spec.repetitions ?? 3;
  requireInt("hqnn.repetitions", R, 1);
  const n = spec.qubits;
  const ops: Op[] = [];
  for (let r = 0; r < R; r++) {
    for (let q = 0; q < n; q++) {
      ops.push({ gate: "RX", wires: [q], params: [inp(0)] });
      ops.push({ gate: "RY", wires: [q], params: [inp(1)] });
      ops.push({ gate: "RZ", wires: [q], params: [inp(2)] });
    }
    for (let q = 0; q < n; q++) ops.push({ gate: "RY", wires: [q], params: [wgt(r * n + q)] });
    if (n === 2) ops.push({ gate: "CNOT", wires: [0, 1], params: [] });
    else if (n > 2)
      for (let q = 0; q < n; q++) ops.push({ gate: "CNOT", wires: [q, (q + 1) % n], params: [] });
  }
  const observables: PauliWord[] = Array.from({ length: n }, (_, q) => ({
    factors: [{ pauli: "Z" as const, wire: q }],
  }));
  return { nQubits: n, nInputs: HQNN_INPUTS, nWeights: R * n, ops, observables };
}
