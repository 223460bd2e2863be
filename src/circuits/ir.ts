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

/** One circuit operation: a gate from the gate table on some wires with its angles (constants, inputs or weights). */
export type Op =
  | { readonly gate: GateName; readonly wires: readonly number[]; readonly params: readonly ParamRef[] }
  | {
      readonly gate: "Unitary";
      readonly wires: readonly number[];
      readonly params: readonly [];
      readonly matrix: CMatrix;
    };

/** A circuit: qubits, its ops in order, how many inputs and weights its angles read, and the observables it outputs. */
export interface Circuit {
  readonly nQubits: number;
  readonly nInputs: number;
  readonly nWeights: number;
  readonly ops: readonly Op[];
  /** Measured observables, in output order. */
  readonly observables: readonly PauliWord[];
}

/** A constant gate angle (not trainable, not an input). */
export const cst = (value: number): ParamRef => ({ kind: "const", value });
/** A gate angle read from the sample's input vector at `index`. */
export const inp = (index: number): ParamRef => ({ kind: "input", index });
/** A gate angle read from the shared trainable weights at `index`. */
export const wgt = (index: number): ParamRef => ({ kind: "weight", index });

/** Resolves a parameter reference for one sample. */
export function paramValue(
  p: ParamRef,
  inputs: ArrayLike<number>,
  inputOffset: number,
  weights: ArrayLike<number>,
): number {
  switch (p.kind) {
    case "const":
      return p.value;
    case "input":
      return inputs[inputOffset + p.index]!;
    case "weight":
      return weights[p.index]!;
  }
}
