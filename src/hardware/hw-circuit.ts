import { ValidationError } from "../core/errors.ts";
import type { Circuit } from "../circuits/ir.ts";
import type { PauliWord } from "../circuits/pauli.ts";

/**
 * The hardware layer's circuit form: OpenQASM-named gates on numbered qubits
 * whose angles are affine in the circuit parameters. Parameters form one flat
 * vector: the circuit's inputs first (index 0..nInputs-1), then its weights
 * (nInputs..nInputs+nWeights-1). Affine angles let the transpiler merge
 * rotations (rz(a) rz(b) = rz(a+b)) and shift angles (rx(t) = ... rz(t+pi) ...)
 * while the circuit stays parametric, as Estimator PUBs with parameter arrays need.
 *
 * Qubit q here is OpenQASM's q[q] (or physical $q after transpilation) and is
 * qmtl wire q. qmtl's simulator stores wire 0 as the MOST significant basis bit
 * (PennyLane); Qiskit stores q[0] as the LEAST significant bit. Expectation values
 * of Pauli words on named qubits do not depend on that choice; only bitstrings and
 * Pauli strings do (see pauli-strings.ts).
 */
export type HwGate =
  | "h"
  | "x"
  | "y"
  | "z"
  | "s"
  | "sdg"
  | "t"
  | "tdg"
  | "sx"
  | "sxdg"
  | "rx"
  | "ry"
  | "rz"
  | "cx"
  | "cz"
  | "swap"
  | "ecr";

export const HW_GATE_ARITY: { readonly [G in HwGate]: { qubits: number; angles: number } } = {
  h: { qubits: 1, angles: 0 },
  x: { qubits: 1, angles: 0 },
  y: { qubits: 1, angles: 0 },
  z: { qubits: 1, angles: 0 },
  s: { qubits: 1, angles: 0 },
  sdg: { qubits: 1, angles: 0 },
  t: { qubits: 1, angles: 0 },
  tdg: { qubits: 1, angles: 0 },
  sx: { qubits: 1, angles: 0 },
  sxdg: { qubits: 1, angles: 0 },
  rx: { qubits: 1, angles: 1 },
  ry: { qubits: 1, angles: 1 },
  rz: { qubits: 1, angles: 1 },
  cx: { qubits: 2, angles: 0 },
  cz: { qubits: 2, angles: 0 },
  swap: { qubits: 2, angles: 0 },
  ecr: { qubits: 2, angles: 0 },
};

export function isHwGate(name: string): name is HwGate {
  return Object.prototype.hasOwnProperty.call(HW_GATE_ARITY, name);
}

/** c + sum_k coef_k * theta[p_k]; terms sorted by p, no zero coefficients. */
export interface Angle {
  readonly c: number;
  readonly terms: ReadonlyArray<{ readonly p: number; readonly k: number }>;
}

export interface HwOp {
  readonly gate: HwGate;
  readonly qubits: readonly number[];
  readonly angles: readonly Angle[];
}

export interface HwCircuit {
  readonly nQubits: number;
  readonly nInputs: number;
  readonly nWeights: number;
  readonly ops: readonly HwOp[];
  /** observables on this circuit's qubits, in output order */
  readonly observables: readonly PauliWord[];
}

export const constAngle = (c: number): Angle => ({ c, terms: [] });
export const paramAngle = (p: number, k = 1, c = 0): Angle => ({ c, terms: [{ p, k }] });

/** a*s1 + b*s2 as an affine angle (merges terms, drops zero coefficients). */
export function combine(a: Angle, b: Angle, sa = 1, sb = 1): Angle {
  const m = new Map<number, number>();
  for (const t of a.terms) m.set(t.p, (m.get(t.p) ?? 0) + sa * t.k);
  for (const t of b.terms) m.set(t.p, (m.get(t.p) ?? 0) + sb * t.k);
  const terms = [...m.entries()]
    .filter(([, k]) => k !== 0)
    .sort((x, y) => x[0] - y[0])
    .map(([p, k]) => ({ p, k }));
  return { c: sa * a.c + sb * b.c, terms };
}

export function shiftAngle(a: Angle, dc: number, scale = 1): Angle {
  return {
    c: a.c * scale + dc,
    terms: scale === 1 ? a.terms : a.terms.map((t) => ({ p: t.p, k: t.k * scale })),
  };
}

export function isConst(a: Angle): boolean {
  return a.terms.length === 0;
}

/** The angle's value for one parameter vector (inputs then weights). */
export function bindAngle(a: Angle, params: ArrayLike<number>): number {
  let v = a.c;
  for (const t of a.terms) v += t.k * params[t.p]!;
  return v;
}

/** Concatenates one sample's inputs and the weights into the flat parameter vector. */
export function flatParams(
  hc: { nInputs: number; nWeights: number },
  inputs: ArrayLike<number>,
  weights: ArrayLike<number>,
): Float64Array {
  if (inputs.length !== hc.nInputs)
    throw new ValidationError("inputs", `length ${hc.nInputs}`, `length ${inputs.length}`);
  if (weights.length !== hc.nWeights)
    throw new ValidationError("weights", `length ${hc.nWeights}`, `length ${weights.length}`);
  const out = new Float64Array(hc.nInputs + hc.nWeights);
  out.set(Array.from(inputs), 0);
  out.set(Array.from(weights), hc.nInputs);
  for (let i = 0; i < out.length; i++)
    if (!Number.isFinite(out[i]!)) throw new ValidationError(`params[${i}]`, "a finite number", out[i]);
  return out;
}

/**
 * Converts a qmtl circuit (gate table of src/gates/spec.ts) to the hardware form, exactly:
 * Rot(phi, theta, omega) becomes rz(phi) ry(theta) rz(omega) (PennyLane's definition,
 * same global phase); CNOT -> cx; the rest map by name. `Unitary` ops have no gate name a
 * device or OpenQASM file understands and are rejected.
 */
export function fromCircuit(c: Circuit): HwCircuit {
  const ref = (p: Circuit["ops"][number]["params"][number]): Angle =>
    p.kind === "const" ? constAngle(p.value) : paramAngle(p.kind === "input" ? p.index : c.nInputs + p.index);
  const ops: HwOp[] = [];
  c.ops.forEach((op, k) => {
    const q = op.wires;
    switch (op.gate) {
      case "Unitary":
        throw new ValidationError(
          `circuit.ops[${k}]`,
          "a gate from the gate table (Unitary ops cannot be exported)",
          "Unitary",
        );
      case "Rot":
        ops.push({ gate: "rz", qubits: q, angles: [ref(op.params[0]!)] });
        ops.push({ gate: "ry", qubits: q, angles: [ref(op.params[1]!)] });
        ops.push({ gate: "rz", qubits: q, angles: [ref(op.params[2]!)] });
        break;
      case "CNOT":
        ops.push({ gate: "cx", qubits: q, angles: [] });
        break;
      case "RX":
      case "RY":
      case "RZ":
        ops.push({ gate: op.gate.toLowerCase() as HwGate, qubits: q, angles: [ref(op.params[0]!)] });
        break;
      default:
        ops.push({ gate: op.gate.toLowerCase() as HwGate, qubits: q, angles: [] });
    }
  });
  return { nQubits: c.nQubits, nInputs: c.nInputs, nWeights: c.nWeights, ops, observables: c.observables };
}

/** Validates gate arity, qubit ranges and parameter indices; names the op at fault. */
export function validateHw(hc: HwCircuit): void {
  const nP = hc.nInputs + hc.nWeights;
  hc.ops.forEach((op, k) => {
    const f = `ops[${k}] (${op.gate})`;
    const ar = HW_GATE_ARITY[op.gate];
    if (!ar) throw new ValidationError(f, "a known gate");
    if (op.qubits.length !== ar.qubits)
      throw new ValidationError(`${f}.qubits`, `${ar.qubits} qubit(s)`, op.qubits.length);
    if (op.angles.length !== ar.angles)
      throw new ValidationError(`${f}.angles`, `${ar.angles} angle(s)`, op.angles.length);
    for (const q of op.qubits) {
      if (!Number.isInteger(q) || q < 0 || q >= hc.nQubits)
        throw new ValidationError(`${f}.qubits`, `indices in [0, ${hc.nQubits - 1}]`, q);
    }
    if (ar.qubits === 2 && op.qubits[0] === op.qubits[1])
      throw new ValidationError(`${f}.qubits`, "two distinct qubits", op.qubits[0]);
    for (const a of op.angles) {
      if (!Number.isFinite(a.c)) throw new ValidationError(`${f}.angle`, "a finite constant", a.c);
      for (const t of a.terms)
        if (t.p < 0 || t.p >= nP)
          throw new ValidationError(`${f}.angle`, `parameter indices in [0, ${nP - 1}]`, t.p);
    }
  });
}

/** Number of two-qubit gates. */
export function twoQubitCount(hc: HwCircuit): number {
  return hc.ops.reduce((n, op) => n + (op.qubits.length === 2 ? 1 : 0), 0);
}

/** Circuit depth: longest chain of ops through shared qubits (rz counted like any gate). */
export function depth(hc: HwCircuit, opts: { twoQubitOnly?: boolean } = {}): number {
  const level = new Array<number>(hc.nQubits).fill(0);
  let d = 0;
  for (const op of hc.ops) {
    const inc = opts.twoQubitOnly && op.qubits.length < 2 ? 0 : 1;
    const l = Math.max(...op.qubits.map((q) => level[q]!)) + inc;
    for (const q of op.qubits) level[q] = l;
    d = Math.max(d, l);
  }
  return d;
}
