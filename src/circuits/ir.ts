import type { GateName } from "../gates/spec.ts";
import type { CMatrix } from "../gates/matrix.ts";
import type { PauliWord } from "./pauli.ts";

/**
 * Circuit IR: a list of operations on numbered wires (wire 0 = most
 * significant bit, PennyLane's convention) whose angles are constants, entries
 * of a per-sample input vector (data angles, differentiable per sample), or
 * entries of a shared trainable weight vector. One weight may feed several
 * gates (the QMTL encoder's shared RY/RZ angle does).
 */
export type ParamRef =
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "input"; readonly index: number }
  | { readonly kind: "weight"; readonly index: number };

export type Op =
  | { readonly gate: GateName; readonly wires: readonly number[]; readonly params: readonly ParamRef[] }
  | { readonly gate: "Unitary"; readonly wires: readonly number[]; readonly params: readonly []; readonly matrix: CMatrix };

export interface Circuit {
  readonly nQubits: number;
  readonly nInputs: number;
  readonly nWeights: number;
  readonly ops: readonly Op[];
  /** Measured observables, in output order. */
  readonly observables: readonly PauliWord[];
}

export const cst = (value: number): ParamRef => ({ kind: "const", value });
export const inp = (index: number): ParamRef => ({ kind: "input", index });
export const wgt = (index: number): ParamRef => ({ kind: "weight", index });

/** Resolves a parameter reference for one sample. */
export function paramValue(p: ParamRef, inputs: ArrayLike<number>, inputOffset: number, weights: ArrayLike<number>): number {
  switch (p.kind) {
    case "const":
      return p.value;
    case "input":
      return inputs[inputOffset + p.index]!;
    case "weight":
      return weights[p.index]!;
  }
}
