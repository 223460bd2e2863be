import { ValidationError } from "../../core/errors.ts";
import type { Circuit } from "../../circuits/ir.ts";
import { bindAngle, flatParams, fromCircuit, validateHw, type Angle, type HwCircuit } from "../hw-circuit.ts";

/**
 * OpenQASM 3 and 2 export of hardware-form circuits (and, through fromCircuit,
 * of any qmtl circuit).
 *
 * Qubit q of the circuit is `q[q]` (or the physical qubit `$q` with
 * `physical: true`, the form IBM's ISA circuits use). Unbound parameters
 * (OpenQASM 3 only) are declared `input float[64] <name>;` with names from
 * `paramNames`: inputs `in_0000`, `in_0001`, ..., then weights `w_0000`, ...
 * Sorted as strings these names keep the flat order (inputs, then weights), which is
 * the order Qiskit gives a loaded circuit's parameters and so the order of a PUB's
 * parameter-value columns.
 */
export interface QasmOptions {
  readonly version: 2 | 3;
  /**
   * flat parameter vector (inputs then weights) to bind; omit to leave parameters as
   * `input float[64]` (OpenQASM 3 only)
   */
  readonly params?: ArrayLike<number>;
  /** write physical qubits `$q` instead of a `qubit[n] q` register (OpenQASM 3 only) */
  readonly physical?: boolean;
  /** qubits to measure, in classical-bit order (c[i] = measure of measure[i]) */
  readonly measure?: readonly number[];
  /**
   * with `physical`: make the program name qubit `$width-1` (a one-qubit `barrier`, no
   * operation) so a loader that sizes the circuit by its highest physical qubit gives it
   * the device's width, matching observables written with one character per device qubit
   */
  readonly physicalWidth?: number;
}

/** OpenQASM names of the flat parameters: in_0000.., w_0000.. (zero-padded, at least 4 digits). */
export function paramNames(nInputs: number, nWeights: number): string[] {
  const width = Math.max(4, String(Math.max(nInputs, nWeights)).length);
  const pad = (i: number): string => String(i).padStart(width, "0");
  return [
    ...Array.from({ length: nInputs }, (_, i) => `in_${pad(i)}`),
    ...Array.from({ length: nWeights }, (_, i) => `w_${pad(i)}`),
  ];
}

/**
 * Flat indices of the parameters the circuit's angles use, ascending: the columns of a
 * PUB's parameter-value array for the parametric export, in `paramNames` order.
 */
export function usedParams(hc: HwCircuit): number[] {
  const used = new Set<number>();
  for (const op of hc.ops) for (const a of op.angles) for (const t of a.terms) used.add(t.p);
  return [...used].sort((a, b) => a - b);
}

/** A float literal valid in both OpenQASM 2 and 3: shortest round-trip digits, always a '.' before an exponent. */
export function fmtReal(x: number): string {
  if (!Number.isFinite(x)) throw new ValidationError("angle", "a finite number", x);
  const s = String(x);
  if (s.includes("e") && !s.includes(".")) return s.replace("e", ".0e");
  return s;
}

function fmtAngle(a: Angle, names: readonly string[], params: ArrayLike<number> | undefined): string {
  if (params) return fmtReal(bindAngle(a, params));
  const parts: string[] = [];
  for (const t of a.terms) {
    const name = names[t.p]!;
    const mag = Math.abs(t.k);
    const body = mag === 1 ? name : `${fmtReal(mag)}*${name}`;
    if (parts.length === 0) parts.push(t.k < 0 ? `-${body}` : body);
    else parts.push(t.k < 0 ? `- ${body}` : `+ ${body}`);
  }
  if (a.c !== 0 || parts.length === 0) {
    if (parts.length === 0) parts.push(fmtReal(a.c));
    else parts.push(a.c < 0 ? `- ${fmtReal(-a.c)}` : `+ ${fmtReal(a.c)}`);
  }
  return parts.join(" ");
}

/**
 * Qiskit's ECR as a gate definition over standard gates, exact up to a global phase:
 * rzx(pi/4) a,b; x a; rzx(-pi/4) a,b, with rzx(t) a,b = h b; cx a,b; rz(t) b; cx a,b; h b.
 */
export const ECR_DEFINITION =
  "gate ecr a, b { h b; cx a, b; rz(pi/4) b; cx a, b; h b; x a; " +
  "h b; cx a, b; rz(-pi/4) b; cx a, b; h b; }";

/** Exports a hardware-form circuit. */
export function exportQasm(hc: HwCircuit, opts: QasmOptions): string {
  validateHw(hc);
  const { version } = opts;
  if (version !== 2 && version !== 3) throw new ValidationError("version", "2 or 3", version);
  const nP = hc.nInputs + hc.nWeights;
  if (opts.params && opts.params.length !== nP)
    throw new ValidationError("params", `length ${nP}`, opts.params.length);
  if (opts.params)
    for (let i = 0; i < nP; i++)
      if (!Number.isFinite(opts.params[i]!))
        throw new ValidationError(`params[${i}]`, "a finite number", opts.params[i]);
  const unbound = !opts.params && hc.ops.some((op) => op.angles.some((a) => a.terms.length > 0));
  if (unbound && version === 2)
    throw new ValidationError("params", "values for every parameter (OpenQASM 2 has no inputs)");
  if (opts.physical && version === 2)
    throw new ValidationError("physical", "false for OpenQASM 2 (no $n hardware qubits)");
  const names = paramNames(hc.nInputs, hc.nWeights);
  const Q = (q: number): string => (opts.physical ? `$${q}` : `q[${q}]`);
  const lines: string[] = [];
  if (version === 3) {
    lines.push("OPENQASM 3.0;", 'include "stdgates.inc";');
  } else {
    lines.push("OPENQASM 2.0;", 'include "qelib1.inc";');
  }
  if (hc.ops.some((op) => op.gate === "ecr")) lines.push(ECR_DEFINITION);
  if (unbound) {
    // only parameters the gates use are declared (a loader drops unused ones anyway), in flat order
    for (const p of usedParams(hc)) lines.push(`input float[64] ${names[p]};`);
  }
  const meas = opts.measure ?? [];
  for (const q of meas)
    if (!Number.isInteger(q) || q < 0 || q >= hc.nQubits)
      throw new ValidationError("measure", `qubits in [0, ${hc.nQubits - 1}]`, q);
  if (version === 3) {
    if (meas.length > 0) lines.push(`bit[${meas.length}] c;`);
    if (!opts.physical) lines.push(`qubit[${hc.nQubits}] q;`);
  } else {
    lines.push(`qreg q[${hc.nQubits}];`);
    if (meas.length > 0) lines.push(`creg c[${meas.length}];`);
  }
  if (opts.physicalWidth !== undefined) {
    if (!opts.physical) throw new ValidationError("physicalWidth", "only with physical: true");
    if (!Number.isInteger(opts.physicalWidth) || opts.physicalWidth < hc.nQubits) {
      throw new ValidationError(
        "physicalWidth",
        `an integer >= the circuit's ${hc.nQubits} qubits`,
        opts.physicalWidth,
      );
    }
    lines.push(`barrier $${opts.physicalWidth - 1};`);
  }
  for (const op of hc.ops) {
    const args =
      op.angles.length > 0 ? `(${op.angles.map((a) => fmtAngle(a, names, opts.params)).join(", ")})` : "";
    lines.push(`${op.gate}${args} ${op.qubits.map(Q).join(", ")};`);
  }
  meas.forEach((q, i) =>
    lines.push(version === 3 ? `c[${i}] = measure ${Q(q)};` : `measure ${Q(q)} -> c[${i}];`),
  );
  return lines.join("\n") + "\n";
}

/**
 * Exports a qmtl circuit. With `inputs` (one sample) and `weights` everything is bound;
 * without them (OpenQASM 3 only) inputs and weights stay `input float[64]` parameters.
 */
export function circuitToQasm(
  c: Circuit,
  opts: {
    version: 2 | 3;
    inputs?: ArrayLike<number>;
    weights?: ArrayLike<number>;
    measure?: readonly number[];
  },
): string {
  const hc = fromCircuit(c);
  if ((opts.inputs === undefined) !== (opts.weights === undefined)) {
    throw new ValidationError(
      "inputs/weights",
      "both given (bound export) or both omitted (parametric OpenQASM 3)",
    );
  }
  const params = opts.inputs && opts.weights ? flatParams(hc, opts.inputs, opts.weights) : undefined;
  return exportQasm(hc, {
    version: opts.version,
    ...(params ? { params } : {}),
    ...(opts.measure ? { measure: opts.measure } : {}),
  });
}
