import { ValidationError } from "../../core/errors.ts";
import type { Circuit } from "../../circuits/ir.ts";
import type { PauliWord } from "../../circuits/pauli.ts";
import type { DeviceCalibration } from "../../devices/calibration.ts";
import {
  bindAngle,
  constAngle,
  depth,
  fromCircuit,
  twoQubitCount,
  validateHw,
  type HwCircuit,
  type HwOp,
} from "../hw-circuit.ts";
import { candidatePaths, estimateFidelity } from "./layout.ts";
import { toNative, type NativeBasis } from "./lower2q.ts";
import { optimizeNative } from "./optimize.ts";
import { route } from "./route.ts";

/**
 * Transpilation of a qmtl (or hardware-form) circuit to an IBM device's ISA:
 * native gates {rz, sx, x} plus cz (Heron, default) or ecr, on physical qubits
 * joined by usable couplers. Steps: bind (optional) -> layout candidates ->
 * SWAP routing -> native lowering -> peephole optimisation; the candidate with
 * the highest estimated fidelity wins. The result acts on all device qubits
 * (nQubits = device size); its observables are the logical ones moved to the
 * physical qubits that hold each logical qubit at the end (the final layout).
 * Exact up to a global phase: the equivalence tests check expectation values.
 */
export interface TranspileOptions {
  readonly basis?: NativeBasis;
  /** flat parameter vector (inputs then weights) to bind before transpiling; omit for a parametric ISA circuit */
  readonly params?: ArrayLike<number>;
  /** fix the initial layout (logical i -> physical layout[i]) instead of searching */
  readonly initialLayout?: readonly number[];
  /** number of layout candidates routed and scored (default 8) */
  readonly layoutTrials?: number;
}

export interface CircuitStats {
  readonly ops: number;
  readonly depth: number;
  readonly twoQubit: number;
  readonly twoQubitDepth: number;
}

/** A transpiled circuit with its physical qubits, layout and gate counts before and after. */
export interface TranspileResult {
  readonly circuit: HwCircuit;
  readonly device: string;
  readonly basis: NativeBasis;
  readonly initialLayout: readonly number[];
  readonly finalLayout: readonly number[];
  readonly swaps: number;
  /** physical qubits holding the logical qubits at the end, ascending (measure these) */
  readonly measured: readonly number[];
  readonly before: CircuitStats;
  readonly after: CircuitStats;
  /** product of (1 - error) over gates and readouts, from the calibration (a ranking score) */
  readonly estimatedFidelity: number;
}

export function stats(hc: HwCircuit): CircuitStats {
  return {
    ops: hc.ops.length,
    depth: depth(hc),
    twoQubit: twoQubitCount(hc),
    twoQubitDepth: depth(hc, { twoQubitOnly: true }),
  };
}

function bindAll(hc: HwCircuit, params: ArrayLike<number>): HwCircuit {
  if (params.length !== hc.nInputs + hc.nWeights) {
    throw new ValidationError(
      "params",
      `length nInputs + nWeights = ${hc.nInputs + hc.nWeights}`,
      params.length,
    );
  }
  for (let i = 0; i < params.length; i++)
    if (!Number.isFinite(params[i]!)) throw new ValidationError(`params[${i}]`, "a finite number", params[i]);
  return {
    ...hc,
    ops: hc.ops.map((op) => ({ ...op, angles: op.angles.map((a) => constAngle(bindAngle(a, params))) })),
  };
}

function mapWord(w: PauliWord, layout: readonly number[]): PauliWord {
  return { factors: w.factors.map((f) => ({ pauli: f.pauli, wire: layout[f.wire]! })) };
}

/** Maps a circuit onto a device: layout on its best qubits, routing, native gates, and light optimisation. */
export function transpile(
  input: Circuit | HwCircuit,
  dev: DeviceCalibration,
  opts: TranspileOptions = {},
): TranspileResult {
  const basis = opts.basis ?? "cz";
  if (basis !== "cz" && basis !== "ecr") throw new ValidationError("basis", `"cz" or "ecr"`, basis);
  // a qmtl Circuit's ops name `wires`, a HwCircuit's `qubits` (an empty one is the same in both forms)
  let logical: HwCircuit = (input.ops as ReadonlyArray<object>).some((op) => "wires" in op)
    ? fromCircuit(input as Circuit)
    : (input as HwCircuit);
  validateHw(logical);
  if (opts.params) logical = bindAll(logical, opts.params);
  if (logical.nQubits > dev.numQubits) {
    throw new ValidationError(
      "device",
      `at least ${logical.nQubits} qubits (${dev.name} has ${dev.numQubits})`,
    );
  }
  const directed = directedCheck(dev);
  const layouts = opts.initialLayout
    ? [[...opts.initialLayout]]
    : candidatePaths(dev, logical.nQubits, opts.layoutTrials ?? 8);
  const measuredOf = (fl: readonly number[]): number[] => [...fl].sort((a, b) => a - b);
  let best: { ops: HwOp[]; init: number[]; final: number[]; swaps: number; fid: number } | null = null;
  for (const init of layouts) {
    const r = route(logical.ops, logical.nQubits, init, dev);
    const ops = optimizeNative(toNative(r.ops, basis, directed));
    const fid = estimateFidelity(ops, dev, measuredOf(r.finalLayout));
    if (!best || fid > best.fid) best = { ops, init, final: r.finalLayout, swaps: r.swaps, fid };
  }
  const b = best!;
  const circuit: HwCircuit = {
    nQubits: dev.numQubits,
    nInputs: logical.nInputs,
    nWeights: logical.nWeights,
    ops: b.ops,
    observables: logical.observables.map((w) => mapWord(w, b.final)),
  };
  return {
    circuit,
    device: dev.name,
    basis,
    initialLayout: b.init,
    finalLayout: b.final,
    swaps: b.swaps,
    measured: measuredOf(b.final),
    before: stats(logical),
    after: stats(circuit),
    estimatedFidelity: b.fid,
  };
}

/** Whether the device's coupling map lists the directed pair (a, b). */
function directedCheck(dev: DeviceCalibration): (a: number, b: number) => boolean {
  const set = new Set(dev.couplingMap.map(([a, b]) => `${a}_${b}`));
  return (a, b) => set.has(`${a}_${b}`);
}

/** Checks a circuit is ISA for the device: native gates only, 2q gates on usable couplers. */
export function checkIsa(hc: HwCircuit, dev: DeviceCalibration, basis: NativeBasis = "cz"): void {
  const allowed = new Set(["rz", "sx", "x", basis]);
  const usable = new Set(dev.usableCouplers.map((c) => `${c.a}_${c.b}`));
  const directed = directedCheck(dev);
  hc.ops.forEach((op, k) => {
    if (!allowed.has(op.gate))
      throw new ValidationError(
        `ops[${k}]`,
        `a native gate of ${dev.name} (${[...allowed].join(", ")})`,
        op.gate,
      );
    if (op.qubits.length === 2) {
      const [a, b] = op.qubits as [number, number];
      if (!usable.has(`${Math.min(a, b)}_${Math.max(a, b)}`))
        throw new ValidationError(`ops[${k}]`, "a usable coupler", `${a}-${b}`);
      if (basis === "ecr" && !directed(a, b))
        throw new ValidationError(`ops[${k}]`, "a listed ecr direction", `${a}->${b}`);
    }
  });
}
