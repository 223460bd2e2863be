import { ValidationError, requireInt } from "../core/errors.ts";

/** A gate-level circuit is for the statevector simulators, which stop at 26 qubits (sim/state.ts MAX_QUBITS). */
const MAX_STATEVECTOR_QUBITS = 26;
import type { Circuit, Op } from "./ir.ts";
import { inp, wgt } from "./ir.ts";
import { shiftWord, type PauliWord } from "./pauli.ts";
import { defaultReadout, outputDim, parseLocalObservables, type TaskKind } from "./readout.ts";
import { stronglyEntanglingOps, stronglyEntanglingWeightCount } from "./strongly-entangling.ts";

/** One task of a QMTL head. */
export interface QmtlTaskSpec {
  readonly name: string;
  readonly kind: TaskKind;
  readonly numClasses?: number;
  /** sub-register size S_t; default from the readout rule */
  readonly qubits?: number;
  /** observables on local wires 0..S_t-1, e.g. ["Z0", "Z1", "X0 X1"]; default by task type */
  readonly observables?: readonly string[];
}

/** Order of the shared rotations in an encoding block: RY then RZ (the default, as the PennyLane references) or RZ then RY. */
export type EncoderOrder = "ry-rz" | "rz-ry";
/**
 * The data rotation of the first encoding block: "rx" (the paper) acts on |+>^Q, where RX(z) is a
 * global phase, so the first Q features have no effect; "ry" loads them with RY (same parameters).
 */
export type FirstRotation = "rx" | "ry";

/** What a QMTL head is made of: L encoding blocks, task blocks of depth L_h, and the tasks (kind, classes, optional qubits). */
export interface QmtlSpec {
  /** Q: total qubits; default: the sum of the tasks' sub-register sizes */
  readonly qubits?: number;
  /** L: encoding blocks, Q*L = d input features */
  readonly encodingLayers: number;
  /** L_h: StronglyEntanglingLayers depth of every task block */
  readonly headLayers: number;
  readonly tasks: readonly QmtlTaskSpec[];
  /** CNOT ladder in the shared encoder (false = the paper's Section 6.2 ablation) */
  readonly entangle?: boolean;
  /** order of the shared trainable rotations in an encoding block (the refs use RY then RZ) */
  readonly encoderOrder?: EncoderOrder;
  /** data rotation of the first encoding block (default "rx", the paper) */
  readonly firstRotation?: FirstRotation;
  /** d: if given, must equal Q*L */
  readonly inputDim?: number;
}

/** One task's part of a QMTL layout: its sub-register, weight slice, observables and output slice. */
export interface QmtlTaskLayout {
  readonly name: string;
  readonly kind: TaskKind;
  readonly numClasses: number;
  /** first qubit of the sub-register */
  readonly offset: number;
  readonly size: number;
  /** observables on local wires */
  readonly local: readonly PauliWord[];
  readonly localText: readonly string[];
  /** first output index of this task */
  readonly outputOffset: number;
  readonly nOutputs: number;
  /** first weight index of this task's block: [L_h][S][3] */
  readonly weightOffset: number;
  readonly nWeights: number;
}

/** A fully resolved QMTL head: sizes, offsets and parameter layout. */
export interface QmtlLayout {
  readonly Q: number;
  readonly L: number;
  readonly Lh: number;
  readonly entangle: boolean;
  readonly encoderOrder: EncoderOrder;
  readonly firstRotation: FirstRotation;
  readonly tasks: readonly QmtlTaskLayout[];
  /** d = Q*L; input z[Q*l + i] is the RX angle on qubit i in block l */
  readonly nInputs: number;
  /** Q*L shared angles theta[l][i] (index Q*l + i), then each task's block */
  readonly nWeights: number;
  readonly nOutputs: number;
}

/** Limits of a QMTL head's shape (the paper uses L = 3 and L_h <= 4); the engines bound memory further. */
export const MAX_ENCODING_LAYERS = 64;
export const MAX_HEAD_LAYERS = 1024;
export const MAX_QMTL_QUBITS = 4096;

/**
 * Checks a QMTL spec and lays the head out: qubits per task, weight offsets, observables, input/weight/output sizes.
 *
 * @example
 * const layout = resolveQmtl(PRESETS.mustard);   // Q = 13, nInputs 39, nWeights 78, nOutputs 25
 */
export function resolveQmtl(spec: QmtlSpec): QmtlLayout {
  if (spec === null || typeof spec !== "object")
    throw new ValidationError("qmtl", "a QMTL spec object", spec);
  requireInt("encodingLayers", spec.encodingLayers, 1, MAX_ENCODING_LAYERS);
  requireInt("headLayers", spec.headLayers, 0, MAX_HEAD_LAYERS);
  if (!Array.isArray(spec.tasks) || spec.tasks.length === 0)
    throw new ValidationError("tasks", "a non-empty list of tasks");
  const names = new Set<string>();
  let offset = 0,
    outputOffset = 0;
  const L = spec.encodingLayers,
    Lh = spec.headLayers;
  const tasks: QmtlTaskLayout[] = [];
  const sizes: number[] = [];
  spec.tasks.forEach((t, k) => {
    const field = `tasks[${k}]`;
    if (typeof t.name !== "string" || t.name.length === 0)
      throw new ValidationError(`${field}.name`, "a non-empty string", t.name);
    if (names.has(t.name)) throw new ValidationError(`${field}.name`, "a unique task name", t.name);
    names.add(t.name);
    if (t.kind !== "binary" && t.kind !== "regression" && t.kind !== "multiclass") {
      throw new ValidationError(`${field}.kind`, `one of "binary", "regression", "multiclass"`, t.kind);
    }
    if (t.qubits !== undefined) requireInt(`${field}.qubits`, t.qubits, 1, MAX_QMTL_QUBITS);
    const K = outputDim(t);
    const words = t.observables ?? defaultReadout(t, t.qubits).observables;
    const S = t.qubits ?? (t.observables ? inferSize(t.observables) : defaultReadout(t).qubits);
    const local = parseLocalObservables(words, S, `${field}.observables`);
    if (local.length !== K)
      throw new ValidationError(
        `${field}.observables`,
        `${K} observables (one logit per output of a ${t.kind} task)`,
        `${local.length}`,
      );
    sizes.push(S);
    tasks.push({
      name: t.name,
      kind: t.kind,
      numClasses: t.kind === "multiclass" ? K : t.kind === "binary" ? 2 : 0,
      offset,
      size: S,
      local,
      localText: [...words],
      outputOffset,
      nOutputs: K,
      weightOffset: 0,
      nWeights: stronglyEntanglingWeightCount(S, Lh),
    });
    offset += S;
    outputOffset += K;
  });
  const Q = offset;
  if (Q > MAX_QMTL_QUBITS)
    throw new ValidationError("tasks", `sub-registers of at most ${MAX_QMTL_QUBITS} qubits in all`, Q);
  if (spec.qubits !== undefined && spec.qubits !== Q) {
    throw new ValidationError(
      "qubits",
      `the sum of the task sub-register sizes (${sizes.join(" + ")} = ${Q})`,
      spec.qubits,
    );
  }
  if (spec.inputDim !== undefined && spec.inputDim !== Q * L) {
    throw new ValidationError(
      "inputDim",
      `Q*L = ${Q}*${L} = ${Q * L} (the encoder loads Q features per block)`,
      spec.inputDim,
    );
  }
  const firstRotation = spec.firstRotation ?? "rx";
  if (firstRotation !== "rx" && firstRotation !== "ry")
    throw new ValidationError("firstRotation", `"rx" or "ry"`, firstRotation);
  let w = Q * L;
  const laidOut = tasks.map((t) => {
    const r = { ...t, weightOffset: w };
    w += t.nWeights;
    return r;
  });
  return {
    Q,
    L,
    Lh,
    entangle: spec.entangle ?? true,
    encoderOrder: spec.encoderOrder ?? "ry-rz",
    firstRotation,
    tasks: laidOut,
    nInputs: Q * L,
    nWeights: w,
    nOutputs: outputOffset,
  };
}

function inferSize(words: readonly string[]): number {
  let max = 0;
  for (const w of words) for (const m of w.matchAll(/[XYZ](\d+)/g)) max = Math.max(max, Number(m[1]) + 1);
  return Math.max(1, max);
}

/** The QMTL head as a gate-level circuit (the reference the structured engine is checked against). */
export function qmtlCircuit(layout: QmtlLayout): Circuit {
  const { Q, L } = layout;
  requireInt("qubits", Q, 1, MAX_STATEVECTOR_QUBITS);
  const ops: Op[] = [];
  for (let i = 0; i < Q; i++) ops.push({ gate: "H", wires: [i], params: [] });
  for (let l = 0; l < L; l++) {
    const data = l === 0 && layout.firstRotation === "ry" ? "RY" : "RX";
    for (let i = 0; i < Q; i++) ops.push({ gate: data, wires: [i], params: [inp(Q * l + i)] });
    for (let i = 0; i < Q; i++) {
      const th = wgt(Q * l + i);
      if (layout.encoderOrder === "ry-rz") {
        ops.push({ gate: "RY", wires: [i], params: [th] });
        ops.push({ gate: "RZ", wires: [i], params: [th] });
      } else {
        ops.push({ gate: "RZ", wires: [i], params: [th] });
        ops.push({ gate: "RY", wires: [i], params: [th] });
      }
    }
    if (layout.entangle)
      for (let i = 0; i + 1 < Q; i++) ops.push({ gate: "CNOT", wires: [i, i + 1], params: [] });
  }
  const observables: PauliWord[] = [];
  for (const t of layout.tasks) {
    const wires = Array.from({ length: t.size }, (_, k) => t.offset + k);
    ops.push(...stronglyEntanglingOps(wires, layout.Lh, t.weightOffset));
    for (const o of t.local) observables.push(shiftWord(o, t.offset));
  }
  return { nQubits: Q, nInputs: layout.nInputs, nWeights: layout.nWeights, ops, observables };
}
