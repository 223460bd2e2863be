import { ValidationError, requireAllFinite } from "../core/errors.ts";
import { GATES, isGateName, type PauliName } from "../gates/spec.ts";
import type { Circuit, ParamRef } from "../circuits/ir.ts";
import { paramValue } from "../circuits/ir.ts";

/**
 * Lowers the circuit IR to primitive steps the kernels and gradient rules
 * understand: fixed one- and two-qubit matrices, and one-parameter Pauli
 * rotations exp(-i a P / 2). Rot(phi, theta, omega) becomes RZ(phi), RY(theta),
 * RZ(omega) in application order.
 */
export type Step =
  | { readonly kind: "fixed1"; readonly wire: number; readonly m: Float64Array }
  | { readonly kind: "rot"; readonly wire: number; readonly pauli: PauliName; readonly param: ParamRef }
  | { readonly kind: "cnot"; readonly control: number; readonly target: number }
  | { readonly kind: "cz"; readonly a: number; readonly b: number }
  | { readonly kind: "swap"; readonly a: number; readonly b: number }
  | {
      readonly kind: "fixed2";
      readonly a: number;
      readonly b: number;
      readonly re: Float64Array;
      readonly im: Float64Array;
    };

/** Packs a 2x2 CMatrix into [ar, ai, br, bi, cr, ci, dr, di]. */
function pack2(re: Float64Array, im: Float64Array): Float64Array {
  return Float64Array.from([re[0]!, im[0]!, re[1]!, im[1]!, re[2]!, im[2]!, re[3]!, im[3]!]);
}

const PAULI_LETTERS = new Set(["X", "Y", "Z"]);
/** Array.isArray without narrowing (narrowing readonly arrays through it gives any). */
const isList = (x: unknown): boolean => Array.isArray(x);

/** Checks a circuit against the IR's contract; every message names the op or observable at fault. */
export function validateCircuit(c: Circuit): void {
  if (c === null || typeof c !== "object") throw new ValidationError("circuit", "a circuit object", c);
  if (!Number.isInteger(c.nQubits) || c.nQubits < 1)
    throw new ValidationError("circuit.nQubits", "an integer >= 1", c.nQubits);
  if (!Number.isInteger(c.nInputs) || c.nInputs < 0)
    throw new ValidationError("circuit.nInputs", "an integer >= 0", c.nInputs);
  if (!Number.isInteger(c.nWeights) || c.nWeights < 0)
    throw new ValidationError("circuit.nWeights", "an integer >= 0", c.nWeights);
  if (!isList(c.ops)) throw new ValidationError("circuit.ops", "an array of operations", c.ops);
  if (!isList(c.observables))
    throw new ValidationError("circuit.observables", "an array of Pauli words", c.observables);
  c.ops.forEach((op, k) => {
    const field = `circuit.ops[${k}]`;
    if (op.gate !== "Unitary" && !isGateName(op.gate)) {
      throw new ValidationError(
        `${field}.gate`,
        `a known gate (unknown gate; one of ${Object.keys(GATES).join(", ")}, Unitary)`,
        op.gate,
      );
    }
    if (!isList(op.wires)) throw new ValidationError(`${field}.wires`, "an array of wire numbers", op.wires);
    if (!isList(op.params)) throw new ValidationError(`${field}.params`, "an array of parameters", op.params);
    const expectedWires =
      op.gate === "Unitary" ? (op.matrix.dim === 2 ? 1 : op.matrix.dim === 4 ? 2 : -1) : GATES[op.gate].wires;
    if (expectedWires < 0)
      throw new ValidationError(
        `${field}.matrix`,
        "a 2x2 or 4x4 matrix",
        `dim ${op.gate === "Unitary" ? op.matrix.dim : "?"}`,
      );
    if (op.wires.length !== expectedWires)
      throw new ValidationError(`${field}.wires`, `${expectedWires} wire(s) for ${op.gate}`, op.wires.length);
    for (const w of op.wires) {
      if (!Number.isInteger(w) || w < 0 || w >= c.nQubits)
        throw new ValidationError(`${field}.wires`, `wires in [0, ${c.nQubits - 1}]`, w);
    }
    if (new Set(op.wires).size !== op.wires.length)
      throw new ValidationError(`${field}.wires`, "distinct wires", op.wires.join(","));
    if (op.gate === "Unitary") {
      const n = op.matrix.dim * op.matrix.dim;
      if (op.matrix.re.length !== n || op.matrix.im.length !== n)
        throw new ValidationError(
          `${field}.matrix`,
          `${n} real and ${n} imaginary entries`,
          op.matrix.re.length,
        );
      requireAllFinite(`${field}.matrix.re`, op.matrix.re);
      requireAllFinite(`${field}.matrix.im`, op.matrix.im);
    }
    if (op.gate !== "Unitary" && op.params.length !== GATES[op.gate].params) {
      throw new ValidationError(
        `${field}.params`,
        `${GATES[op.gate].params} parameter(s) for ${op.gate}`,
        op.params.length,
      );
    }
    op.params.forEach((p, j) => {
      const pf = `${field}.params[${j}]`;
      if (p.kind === "const") {
        if (typeof p.value !== "number" || !Number.isFinite(p.value))
          throw new ValidationError(pf, "a finite constant angle", p.value);
      } else if (p.kind === "input") {
        if (!Number.isInteger(p.index) || p.index < 0 || p.index >= c.nInputs)
          throw new ValidationError(pf, `an input index in [0, ${c.nInputs - 1}]`, p.index);
      } else if (p.kind === "weight") {
        if (!Number.isInteger(p.index) || p.index < 0 || p.index >= c.nWeights)
          throw new ValidationError(pf, `a weight index in [0, ${c.nWeights - 1}]`, p.index);
      } else {
        throw new ValidationError(
          pf,
          'a parameter of kind "const", "input" or "weight"',
          (p as { kind: unknown }).kind,
        );
      }
    });
  });
  c.observables.forEach((o, k) => {
    const field = `circuit.observables[${k}]`;
    if (!o || !isList(o.factors)) throw new ValidationError(field, "a Pauli word { factors: [...] }", o);
    const seen = new Set<number>();
    for (const f of o.factors) {
      if (!PAULI_LETTERS.has(f.pauli)) throw new ValidationError(field, "Pauli factors X, Y or Z", f.pauli);
      if (!Number.isInteger(f.wire) || f.wire < 0 || f.wire >= c.nQubits)
        throw new ValidationError(field, `wires in [0, ${c.nQubits - 1}]`, f.wire);
      if (seen.has(f.wire)) throw new ValidationError(field, "each wire at most once", f.wire);
      seen.add(f.wire);
    }
  });
}

export function lower(c: Circuit): Step[] {
  validateCircuit(c);
  const steps: Step[] = [];
  for (const op of c.ops) {
    if (op.gate === "Unitary") {
      if (op.matrix.dim === 2)
        steps.push({ kind: "fixed1", wire: op.wires[0]!, m: pack2(op.matrix.re, op.matrix.im) });
      else
        steps.push({ kind: "fixed2", a: op.wires[0]!, b: op.wires[1]!, re: op.matrix.re, im: op.matrix.im });
      continue;
    }
    const spec = GATES[op.gate];
    switch (op.gate) {
      case "RX":
      case "RY":
      case "RZ":
        steps.push({ kind: "rot", wire: op.wires[0]!, pauli: spec.generator!, param: op.params[0]! });
        break;
      case "Rot":
        steps.push({ kind: "rot", wire: op.wires[0]!, pauli: "Z", param: op.params[0]! });
        steps.push({ kind: "rot", wire: op.wires[0]!, pauli: "Y", param: op.params[1]! });
        steps.push({ kind: "rot", wire: op.wires[0]!, pauli: "Z", param: op.params[2]! });
        break;
      case "CNOT":
        steps.push({ kind: "cnot", control: op.wires[0]!, target: op.wires[1]! });
        break;
      case "CZ":
        steps.push({ kind: "cz", a: op.wires[0]!, b: op.wires[1]! });
        break;
      case "SWAP":
        steps.push({ kind: "swap", a: op.wires[0]!, b: op.wires[1]! });
        break;
      case "H":
      case "X":
      case "Y":
      case "Z":
      case "S":
      case "T": {
        const m = spec.matrix([]);
        steps.push({ kind: "fixed1", wire: op.wires[0]!, m: pack2(m.re, m.im) });
        break;
      }
    }
  }
  return steps;
}

export function stepAngle(
  s: Step & { kind: "rot" },
  inputs: ArrayLike<number>,
  inputOffset: number,
  weights: ArrayLike<number>,
): number {
  return paramValue(s.param, inputs, inputOffset, weights);
}
