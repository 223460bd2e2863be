import { ValidationError } from "../core/errors.ts";
import { GATES, PAULI } from "../gates/spec.ts";
import { add, kron, scale, type CMatrix } from "../gates/matrix.ts";
import type { PauliWord } from "../circuits/pauli.ts";
import { MAX_QUBITS, zeroState, type StateVector } from "../sim/state.ts";
import { apply1q, apply2q, applyCNOT, applyCZ, applySWAP } from "../sim/kernels.ts";
import { applyRotation } from "../sim/apply-steps.ts";
import { expvalPauli, pauliMasks } from "../sim/pauli-ops.ts";
import { bindAngle, validateHw, type HwCircuit, type HwGate, type HwOp } from "./hw-circuit.ts";

/**
 * Exact statevector simulation of a hardware circuit with the project's
 * kernels (src/sim). Only the qubits the circuit touches (or its observables
 * name) are simulated: a transpiled circuit on a 156-qubit device becomes a
 * k-qubit simulation with its used physical qubits in ascending order.
 */

const H = Math.SQRT1_2;
type M2 = readonly [number, number, number, number, number, number, number, number];
/** [a, b; c, d] packed as re/im pairs. */
const FIXED1: Partial<Record<HwGate, M2>> = {
  h: [H, 0, H, 0, H, 0, -H, 0],
  x: [0, 0, 1, 0, 1, 0, 0, 0],
  y: [0, 0, 0, -1, 0, 1, 0, 0],
  z: [1, 0, 0, 0, 0, 0, -1, 0],
  s: [1, 0, 0, 0, 0, 0, 0, 1],
  sdg: [1, 0, 0, 0, 0, 0, 0, -1],
  t: [1, 0, 0, 0, 0, 0, H, H],
  tdg: [1, 0, 0, 0, 0, 0, H, -H],
  sx: [0.5, 0.5, 0.5, -0.5, 0.5, -0.5, 0.5, 0.5],
  sxdg: [0.5, -0.5, 0.5, 0.5, 0.5, 0.5, 0.5, -0.5],
};

/**
 * Qiskit's ECRGate on (q0, q1) = (X_q0 - X_q1 Y_q0) / sqrt 2, q0 the first argument.
 * As a 4x4 matrix with the first argument as the high bit (src/sim's apply2q order).
 */
export const ECR: CMatrix = scale(add(kron(PAULI.X, identity2()), scale(kron(PAULI.Y, PAULI.X), -1)), H);

function identity2(): CMatrix {
  return { dim: 2, re: Float64Array.from([1, 0, 0, 1]), im: new Float64Array(4) };
}

/** Physical qubits a circuit uses (ops and observables), ascending. */
export function usedQubits(hc: HwCircuit): number[] {
  const s = new Set<number>();
  for (const op of hc.ops) for (const q of op.qubits) s.add(q);
  for (const o of hc.observables) for (const f of o.factors) s.add(f.wire);
  return [...s].sort((a, b) => a - b);
}

export interface CompactMap {
  /** physical qubit -> simulated wire */
  readonly toLocal: ReadonlyMap<number, number>;
  readonly physical: readonly number[];
}

export function compactMap(hc: HwCircuit): CompactMap {
  const physical = usedQubits(hc);
  if (physical.length > MAX_QUBITS) {
    throw new ValidationError("circuit", `at most ${MAX_QUBITS} used qubits to simulate`, physical.length);
  }
  return { physical, toLocal: new Map(physical.map((p, i) => [p, i])) };
}

/**
 * The same circuit on qubits 0..k-1 (its used physical qubits in ascending order), observables
 * remapped: a 156-qubit ISA circuit becomes a k-qubit one that other tools can simulate.
 */
export function compactCircuit(hc: HwCircuit): { circuit: HwCircuit; physical: readonly number[] } {
  const map = compactMap(hc);
  const L = (q: number): number => map.toLocal.get(q)!;
  return {
    physical: map.physical,
    circuit: {
      ...hc,
      nQubits: Math.max(1, map.physical.length),
      ops: hc.ops.map((op) => ({ ...op, qubits: op.qubits.map(L) })),
      observables: hc.observables.map((w) => ({
        factors: w.factors.map((f) => ({ pauli: f.pauli, wire: L(f.wire) })),
      })),
    },
  };
}

/** Runs the circuit for one flat parameter vector (inputs then weights) on the compacted qubits. */
export function simulateHw(hc: HwCircuit, params: ArrayLike<number>, map = compactMap(hc)): StateVector {
  validateHw(hc);
  if (params.length !== hc.nInputs + hc.nWeights) {
    throw new ValidationError(
      "params",
      `length nInputs + nWeights = ${hc.nInputs + hc.nWeights}`,
      params.length,
    );
  }
  const s = zeroState(Math.max(1, map.physical.length));
  const L = (q: number): number => map.toLocal.get(q)!;
  for (const op of hc.ops) applyHwOp(s, op, params, L);
  return s;
}

/** Applies one hardware op to a state; `L` maps the op's qubits to the state's wires. */
export function applyHwOp(
  s: StateVector,
  op: HwOp,
  params: ArrayLike<number>,
  L: (q: number) => number = (q) => q,
): void {
  const q0 = L(op.qubits[0]!);
  const m = FIXED1[op.gate];
  if (m) {
    apply1q(s, q0, ...m);
    return;
  }
  switch (op.gate) {
    case "rx":
      applyRotation(s, q0, "X", bindAngle(op.angles[0]!, params));
      break;
    case "ry":
      applyRotation(s, q0, "Y", bindAngle(op.angles[0]!, params));
      break;
    case "rz":
      applyRotation(s, q0, "Z", bindAngle(op.angles[0]!, params));
      break;
    case "cx":
      applyCNOT(s, q0, L(op.qubits[1]!));
      break;
    case "cz":
      applyCZ(s, q0, L(op.qubits[1]!));
      break;
    case "swap":
      applySWAP(s, q0, L(op.qubits[1]!));
      break;
    case "ecr":
      apply2q(s, q0, L(op.qubits[1]!), ECR.re, ECR.im);
      break;
    default:
      throw new ValidationError("gate", "a known hardware gate", op.gate);
  }
}

/** The op's matrix (2x2 or 4x4, first qubit the high bit), for density-matrix paths. */
export function hwOpMatrix(op: HwOp, params: ArrayLike<number>): CMatrix {
  const m = FIXED1[op.gate];
  if (m)
    return {
      dim: 2,
      re: Float64Array.from([m[0], m[2], m[4], m[6]]),
      im: Float64Array.from([m[1], m[3], m[5], m[7]]),
    };
  const a = (): number => bindAngle(op.angles[0]!, params);
  const perm = (rows: number[]): CMatrix => {
    const re = new Float64Array(16);
    rows.forEach((c, r) => (re[r * 4 + c] = 1));
    return { dim: 4, re, im: new Float64Array(16) };
  };
  switch (op.gate) {
    case "rx":
      return GATES.RX.matrix([a()]);
    case "ry":
      return GATES.RY.matrix([a()]);
    case "rz":
      return GATES.RZ.matrix([a()]);
    case "cx":
      return perm([0, 1, 3, 2]);
    case "swap":
      return perm([0, 2, 1, 3]);
    case "cz": {
      const c = perm([0, 1, 2, 3]);
      c.re[15] = -1;
      return c;
    }
    case "ecr":
      return ECR;
    default:
      throw new ValidationError("gate", "a known hardware gate", op.gate);
  }
}

/** <P> for words on physical qubits, given the state from simulateHw with the same map. */
export function expvalsHw(s: StateVector, words: readonly PauliWord[], map: CompactMap): Float64Array {
  return Float64Array.from(words, (w) => {
    const local = {
      factors: w.factors.map((f) => {
        const l = map.toLocal.get(f.wire);
        if (l === undefined)
          throw new ValidationError(
            "observable",
            `qubits the circuit uses (${map.physical.join(",")})`,
            f.wire,
          );
        return { pauli: f.pauli, wire: l };
      }),
    };
    return expvalPauli(s, pauliMasks(local, s.n));
  });
}

/** The circuit's own observables' expectation values for one parameter vector. */
export function expectationsHw(hc: HwCircuit, params: ArrayLike<number>): Float64Array {
  const map = compactMap(hc);
  return expvalsHw(simulateHw(hc, params, map), hc.observables, map);
}
