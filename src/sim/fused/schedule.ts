import type { Circuit, ParamRef } from "../../circuits/ir.ts";
import type { PauliName } from "../../gates/spec.ts";
import { lower, type Step } from "../lower.ts";
import { wireStride } from "../state.ts";
import { mat2, mul2, setIdentity2, setRotation2, type Mat2 } from "./mat2.ts";

/**
 * The fused schedule of a circuit. Lowered steps are regrouped into
 *  - blocks: all consecutive one-qubit steps of one wire with no multi-qubit
 *    step on that wire in between (one-qubit gates on other wires commute
 *    with them, so they may interleave in the IR). A block is one 2x2 matrix
 *    U = G_k ... G_1 per sample: one statevector pass instead of k;
 *  - layers: the blocks that sit between two runs of multi-qubit steps. They
 *    act on distinct wires and commute, so their order inside a layer is free;
 *  - runs of multi-qubit steps; two or more CNOT/CZ/SWAP in a row become one
 *    signed permutation of the basis (x -> f(x), amplitude times +-1), one
 *    gather pass instead of one pass per gate.
 * The first layer acts on |0...0>, so the state after it is the product of
 * each wire's U|0> and is written directly (no gate pass at all).
 *
 * Scheduling is greedy over per-wire queues: take every wire's leading
 * one-qubit steps as a layer, then every multi-qubit step that heads the
 * queues of all its wires (repeatedly, in circuit order), and repeat. Each
 * step is emitted only when it heads all its wires' queues, so per-wire order
 * (hence the circuit's unitary) is preserved, and blocks are maximal.
 */
export type BlockGate =
  | { readonly kind: "rot"; readonly pauli: PauliName; readonly param: ParamRef }
  | { readonly kind: "fixed"; readonly m: Mat2 };

export interface Block {
  /** index among all blocks of the schedule (first layer included) */
  readonly id: number;
  /** index of its first gate among all block gates of the schedule; its gates follow */
  readonly gate0: number;
  readonly wire: number;
  /** in application order */
  readonly gates: readonly BlockGate[];
  /** some angle is an input or a weight: the block has gradients to give */
  readonly differentiable: boolean;
  /** U when no angle depends on the sample or the weights (precomputed), else null */
  readonly constant: Mat2 | null;
}

/** A signed permutation: new[y] = sign[y] * old[src[y]] (sign null: all +1). */
export interface Gather {
  readonly src: Int32Array;
  readonly sign: Float64Array | null;
}

export type MultiStep = Extract<Step, { kind: "cnot" | "cz" | "swap" | "fixed2" }>;

export type Item =
  | { readonly kind: "layer"; readonly blocks: readonly Block[] }
  | {
      readonly kind: "perm";
      readonly forward: Gather;
      readonly inverse: Gather;
      readonly steps: readonly MultiStep[];
    }
  | { readonly kind: "step"; readonly step: MultiStep };

export interface Schedule {
  readonly n: number;
  /** the blocks applied to |0...0> (at most one per wire) */
  readonly first: readonly Block[];
  readonly items: readonly Item[];
  readonly nBlocks: number;
  /** number of gates over all blocks */
  readonly nGates: number;
}

/** Permutation tables cost 2 * 2^n int32 (+ signs); above this size runs stay gate by gate. */
export const PERM_MAX_QUBITS = 20;

function isMulti(s: Step): s is MultiStep {
  return s.kind === "cnot" || s.kind === "cz" || s.kind === "swap" || s.kind === "fixed2";
}

function stepWires(s: Step): number[] {
  switch (s.kind) {
    case "fixed1":
    case "rot":
      return [s.wire];
    case "cnot":
      return [s.control, s.target];
    case "cz":
    case "swap":
    case "fixed2":
      return [s.a, s.b];
  }
}

export function compileSchedule(circuit: Circuit): Schedule {
  const steps = lower(circuit);
  const n = circuit.nQubits;
  const queues: number[][] = Array.from({ length: n }, () => []);
  steps.forEach((s, k) => {
    for (const w of stepWires(s)) queues[w]!.push(k);
  });
  const head = new Array<number>(n).fill(0);
  const front = (w: number): number => (head[w]! < queues[w]!.length ? queues[w]![head[w]!]! : -1);
  const perms = new Map<string, { forward: Gather; inverse: Gather }>();

  let first: Block[] | null = null;
  const items: Item[] = [];
  let nBlocks = 0,
    nGates = 0;
  for (;;) {
    // a layer: each wire's leading one-qubit steps
    const blocks: Block[] = [];
    for (let w = 0; w < n; w++) {
      const gates: BlockGate[] = [];
      for (let k = front(w); k >= 0 && !isMulti(steps[k]!); k = front(w)) {
        const s = steps[k]!;
        if (s.kind === "rot") gates.push({ kind: "rot", pauli: s.pauli, param: s.param });
        else if (s.kind === "fixed1") gates.push({ kind: "fixed", m: s.m });
        head[w]!++;
      }
      if (gates.length > 0) {
        blocks.push(makeBlock(nBlocks++, nGates, w, gates));
        nGates += gates.length;
      }
    }
    if (first === null) first = blocks;
    else if (blocks.length > 0) items.push({ kind: "layer", blocks });
    // a run: multi-qubit steps heading all their wires' queues, in circuit order.
    // After a layer every queue is empty or headed by a multi-qubit step, and
    // the one with the smallest index heads all its wires' queues: a run is
    // empty only when every queue is.
    const run: MultiStep[] = [];
    for (;;) {
      let next = -1;
      for (let w = 0; w < n; w++) {
        const k = front(w);
        if (k < 0 || !isMulti(steps[k]!) || (next >= 0 && k >= next)) continue;
        if (stepWires(steps[k]!).every((v) => front(v) === k)) next = k;
      }
      if (next < 0) break;
      const s = steps[next]!;
      for (const v of stepWires(s)) head[v]!++;
      run.push(s as MultiStep);
    }
    if (run.length === 0) break;
    pushRun(run, n, items, perms);
  }
  return { n, first: first ?? [], items, nBlocks, nGates };
}

function makeBlock(id: number, gate0: number, wire: number, gates: BlockGate[]): Block {
  const differentiable = gates.some((g) => g.kind === "rot" && g.param.kind !== "const");
  let constant: Mat2 | null = null;
  if (!differentiable) {
    constant = mat2();
    setIdentity2(constant);
    const g2 = mat2();
    for (const g of gates) {
      if (g.kind === "fixed") mul2(constant, g.m, constant);
      else if (g.param.kind === "const") {
        setRotation2(g2, g.pauli, g.param.value);
        mul2(constant, g2, constant);
      }
    }
  }
  return { id, gate0, wire, gates, differentiable, constant };
}

/** Appends a run of multi-qubit steps: maximal stretches of 2+ CNOT/CZ/SWAP become one permutation. */
function pushRun(
  run: MultiStep[],
  n: number,
  items: Item[],
  perms: Map<string, { forward: Gather; inverse: Gather }>,
): void {
  let k = 0;
  while (k < run.length) {
    let e = k;
    while (e < run.length && run[e]!.kind !== "fixed2") e++;
    if (e - k >= 2 && n <= PERM_MAX_QUBITS) {
      const seg = run.slice(k, e);
      const key = seg.map(stepKey).join(";");
      let p = perms.get(key);
      if (!p) {
        p = permutationOf(seg, n);
        perms.set(key, p);
      }
      items.push({ kind: "perm", forward: p.forward, inverse: p.inverse, steps: seg });
    } else {
      for (let j = k; j < e; j++) items.push({ kind: "step", step: run[j]! });
    }
    if (e < run.length) items.push({ kind: "step", step: run[e]! });
    k = e + 1;
  }
}

function stepKey(s: MultiStep): string {
  return s.kind === "cnot" ? `x${s.control},${s.target}` : `${s.kind}${s.a},${s.b}`;
}

/**
 * Basis state x goes to f(x) with sign sigma(x) under the whole segment:
 * CNOT flips the target bit when the control bit is set, SWAP exchanges two
 * bits, CZ multiplies by -1 when both bits are set. So
 * forward: new[f(x)] = sigma(x) old[x], i.e. new[y] = sigma(f^-1 y) old[f^-1 y];
 * inverse: old[x] = sigma(x) new[f(x)].
 */
function permutationOf(seg: readonly MultiStep[], n: number): { forward: Gather; inverse: Gather } {
  const dim = 1 << n;
  const fsrc = new Int32Array(dim),
    isrc = new Int32Array(dim);
  const hasSign = seg.some((s) => s.kind === "cz");
  const fsign = hasSign ? new Float64Array(dim) : null,
    isign = hasSign ? new Float64Array(dim) : null;
  const ops = seg.map((s) =>
    s.kind === "cnot"
      ? { kind: 0, a: wireStride(n, s.control), b: wireStride(n, s.target) }
      : {
          kind: s.kind === "cz" ? 1 : 2,
          a: wireStride(n, (s as { a: number }).a),
          b: wireStride(n, (s as { b: number }).b),
        },
  );
  for (let x = 0; x < dim; x++) {
    let y = x,
      sg = 1;
    for (const o of ops) {
      if (o.kind === 0) {
        if ((y & o.a) !== 0) y ^= o.b;
      } else if (o.kind === 1) {
        if ((y & o.a) !== 0 && (y & o.b) !== 0) sg = -sg;
      } else if (((y & o.a) !== 0) !== ((y & o.b) !== 0)) y ^= o.a | o.b;
    }
    fsrc[y] = x;
    isrc[x] = y;
    if (fsign && isign) {
      fsign[y] = sg;
      isign[x] = sg;
    }
  }
  return { forward: { src: fsrc, sign: fsign }, inverse: { src: isrc, sign: isign } };
}
