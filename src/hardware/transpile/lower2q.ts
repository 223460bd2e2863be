import { ValidationError } from "../../core/errors.ts";
import { constAngle, type HwOp } from "../hw-circuit.ts";
import { synthRun } from "./synth1q.ts";

/**
 * Lowering of two-qubit gates to the device's native entangler, exact up to a
 * global phase, followed by one-qubit run synthesis (synth1q.ts).
 *
 * cz basis (Heron):  cx(a,b) = h b; cz a,b; h b.   swap = cx(a,b) cx(b,a) cx(a,b).
 *                    ecr(a,b) = rzx(pi/4)... written as h b; cx a,b; rz(pi/2) b; cx a,b; h b; x a
 *                    (ECR = X_a RZX(pi/2), Qiskit's definition).
 * ecr basis (Eagle): cx(a,b) = rz(pi) a; x b; ecr a,b; x a; rz(pi/2) a; sx b
 *                    (from CX ~ RZ_a(pi/2) RX_b(pi/2) RZX(-pi/2) and RZX(-pi/2) = X_a ECR (i Z_a X_b));
 *                    a reversed direction uses cx(a,b) = (h x h) cx(b,a) (h x h); cz(a,b) = h b; cx a,b; h b.
 */
export type NativeBasis = "cz" | "ecr";

const g1 = (gate: HwOp["gate"], q: number, a?: number): HwOp => ({
  gate,
  qubits: [q],
  angles: a === undefined ? [] : [constAngle(a)],
});
const g2 = (gate: HwOp["gate"], a: number, b: number): HwOp => ({ gate, qubits: [a, b], angles: [] });

/** `directed(a, b)`: whether the native gate may act with a as its first qubit. */
export function lowerTwoQubit(
  op: HwOp,
  basis: NativeBasis,
  directed: (a: number, b: number) => boolean,
): HwOp[] {
  const [a, b] = op.qubits as [number, number];
  const cx = (c: number, t: number): HwOp[] => {
    if (basis === "cz") return [g1("h", t), g2("cz", c, t), g1("h", t)];
    if (directed(c, t))
      return [
        g1("rz", c, Math.PI),
        g1("x", t),
        g2("ecr", c, t),
        g1("x", c),
        g1("rz", c, Math.PI / 2),
        g1("sx", t),
      ];
    if (!directed(t, c)) throw new ValidationError("coupler", `an ecr direction between ${c} and ${t}`);
    return [g1("h", c), g1("h", t), ...cx(t, c), g1("h", c), g1("h", t)];
  };
  switch (op.gate) {
    case "cx":
      return cx(a, b);
    case "cz":
      return basis === "cz" ? [op] : [g1("h", b), ...cx(a, b), g1("h", b)];
    case "swap":
      return [...cx(a, b), ...cx(b, a), ...cx(a, b)];
    case "ecr":
      if (basis === "ecr" && directed(a, b)) return [op];
      return [g1("h", b), ...cx(a, b), g1("rz", b, Math.PI / 2), ...cx(a, b), g1("h", b), g1("x", a)];
    default:
      throw new ValidationError("op", "a two-qubit gate (cx, cz, swap, ecr)", op.gate);
  }
}

/**
 * Lowers a routed circuit (physical qubits, every 2q gate on a coupler) to
 * {rz, sx, x, <basis>}: two-qubit gates first, then every maximal run of one-qubit
 * ops on a qubit is re-synthesised. Per-qubit order is kept; ops on different
 * qubits may be reordered (they commute).
 */
export function toNative(
  ops: readonly HwOp[],
  basis: NativeBasis,
  directed: (a: number, b: number) => boolean,
): HwOp[] {
  const expanded: HwOp[] = [];
  // last two-qubit op per qubit: a SWAP right after cx(c,t) on the same pair is written
  // cx(c,t) cx(t,c) cx(c,t), so its first cx cancels against the previous one (4 -> 2 entanglers)
  const last = new Map<number, HwOp>();
  ops.forEach((op, i) => {
    if (op.qubits.length !== 2) {
      expanded.push(op);
      return;
    }
    let o = op;
    if (op.gate === "swap") {
      const [a, b] = op.qubits as [number, number];
      const prev = last.get(a);
      if (prev && prev === last.get(b) && prev.gate === "cx") o = { ...op, qubits: [...prev.qubits] };
      else {
        // else end with the orientation of a cx that follows on the same pair
        const next = ops
          .slice(i + 1)
          .find((x) => x.qubits.length === 2 && (x.qubits.includes(a) || x.qubits.includes(b)));
        if (next && next.gate === "cx" && next.qubits.includes(a) && next.qubits.includes(b))
          o = { ...op, qubits: [...next.qubits] };
      }
    }
    expanded.push(...lowerTwoQubit(o, basis, directed));
    for (const q of op.qubits) last.set(q, op);
  });
  return synthesizeRuns(expanded);
}

/** Re-synthesises every maximal run of one-qubit ops per qubit (between two-qubit gates). */
export function synthesizeRuns(ops: readonly HwOp[]): HwOp[] {
  const pending = new Map<number, HwOp[]>();
  const out: HwOp[] = [];
  const flush = (q: number): void => {
    const run = pending.get(q);
    if (run && run.length > 0) out.push(...synthRun(run));
    pending.delete(q);
  };
  for (const op of ops) {
    if (op.qubits.length === 1) {
      const q = op.qubits[0]!;
      const run = pending.get(q);
      if (run) run.push(op);
      else pending.set(q, [op]);
    } else {
      for (const q of op.qubits) flush(q);
      out.push(op);
    }
  }
  for (const q of [...pending.keys()].sort((x, y) => x - y)) flush(q);
  return out;
}
