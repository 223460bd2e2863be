import { fromRows, type CMatrix } from "./matrix.ts";

/**
 * The gate table. Each gate is a small spec: wire count, parameter count, its
 * matrix as a function of its parameters, and, for one-parameter rotations,
 * the generator: U(a) = exp(-i a G / 2) with G a Pauli, so dU/da = -i/2 G U.
 * Gradient rules (adjoint, parameter shift) are derived from the generator;
 * Rot is lowered to RZ RY RZ before differentiation. The table is exhaustive:
 * adding a GateName without a spec is a compile error.
 */
export type GateName =
  "H" | "X" | "Y" | "Z" | "S" | "T" | "RX" | "RY" | "RZ" | "Rot" | "CNOT" | "CZ" | "SWAP";
export type PauliName = "X" | "Y" | "Z";

export interface GateSpec {
  readonly wires: number;
  readonly params: number;
  /** Pauli generator for one-parameter rotations exp(-i a P/2). */
  readonly generator?: PauliName;
  matrix(params: ArrayLike<number>): CMatrix;
}

const SQ = Math.SQRT1_2;

const fixed = (m: CMatrix, wires: number): GateSpec => ({ wires, params: 0, matrix: () => m });

export function rx(a: number): CMatrix {
  const c = Math.cos(a / 2),
    s = Math.sin(a / 2);
  return fromRows([
    [c, [0, -s]],
    [[0, -s], c],
  ]);
}
export function ry(a: number): CMatrix {
  const c = Math.cos(a / 2),
    s = Math.sin(a / 2);
  return fromRows([
    [c, -s],
    [s, c],
  ]);
}
export function rz(a: number): CMatrix {
  const c = Math.cos(a / 2),
    s = Math.sin(a / 2);
  return fromRows([
    [[c, -s], 0],
    [0, [c, s]],
  ]);
}
/** PennyLane's Rot(phi, theta, omega) = RZ(omega) RY(theta) RZ(phi). */
export function rot(phi: number, theta: number, omega: number): CMatrix {
  const c = Math.cos(theta / 2),
    s = Math.sin(theta / 2);
  const a = (phi + omega) / 2,
    b = (phi - omega) / 2;
  return fromRows([
    [
      [Math.cos(a) * c, -Math.sin(a) * c],
      [-Math.cos(b) * s, -Math.sin(b) * s],
    ],
    [
      [Math.cos(b) * s, -Math.sin(b) * s],
      [Math.cos(a) * c, Math.sin(a) * c],
    ],
  ]);
}

export const PAULI: Record<PauliName, CMatrix> = {
  X: fromRows([
    [0, 1],
    [1, 0],
  ]),
  Y: fromRows([
    [0, [0, -1]],
    [[0, 1], 0],
  ]),
  Z: fromRows([
    [1, 0],
    [0, -1],
  ]),
};

export const GATES: { readonly [G in GateName]: GateSpec } = {
  H: fixed(
    fromRows([
      [SQ, SQ],
      [SQ, -SQ],
    ]),
    1,
  ),
  X: fixed(PAULI.X, 1),
  Y: fixed(PAULI.Y, 1),
  Z: fixed(PAULI.Z, 1),
  S: fixed(
    fromRows([
      [1, 0],
      [0, [0, 1]],
    ]),
    1,
  ),
  T: fixed(
    fromRows([
      [1, 0],
      [0, [SQ, SQ]],
    ]),
    1,
  ),
  RX: { wires: 1, params: 1, generator: "X", matrix: (p) => rx(p[0]!) },
  RY: { wires: 1, params: 1, generator: "Y", matrix: (p) => ry(p[0]!) },
  RZ: { wires: 1, params: 1, generator: "Z", matrix: (p) => rz(p[0]!) },
  Rot: { wires: 1, params: 3, matrix: (p) => rot(p[0]!, p[1]!, p[2]!) },
  CNOT: fixed(
    fromRows([
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 1, 0],
    ]),
    2,
  ),
  CZ: fixed(
    fromRows([
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, -1],
    ]),
    2,
  ),
  SWAP: fixed(
    fromRows([
      [1, 0, 0, 0],
      [0, 0, 1, 0],
      [0, 1, 0, 0],
      [0, 0, 0, 1],
    ]),
    2,
  ),
};

export function isGateName(name: string): name is GateName {
  return Object.prototype.hasOwnProperty.call(GATES, name);
}
