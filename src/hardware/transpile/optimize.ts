import { combine, isConst, type HwOp } from "../hw-circuit.ts";
import { synthesizeRuns } from "./lower2q.ts";
import { wrap } from "./synth1q.ts";

/**
 * Peephole optimisation of a native circuit ({rz, sx, x, cz|ecr}), exact up to a
 * global phase:
 *  - rz merging: rz(a) ... rz(b) on a qubit with only cz gates between become one
 *    rz(a+b) (rz is diagonal and commutes with cz; affine angles add);
 *  - identities: a constant rz whose angle is 0 mod 2 pi is dropped;
 *  - inverse pairs: x x and cz cz (same pair, nothing but rz between on either qubit)
 *    cancel; sx sx becomes x;
 *  - constant one-qubit runs are re-synthesised (fewest sx for the run's unitary).
 * Passes repeat until the op count stops falling.
 */
export function optimizeNative(input: readonly HwOp[]): HwOp[] {
  let ops = [...input];
  for (let iter = 0; iter < 20; iter++) {
    const before = ops.length;
    ops = mergeRz(ops);
    ops = cancelPairs(ops);
    ops = synthesizeRuns(ops);
    ops = mergeRz(ops);
    if (ops.length >= before) break;
  }
  return ops;
}

const ZERO_TOL = 1e-12;

function isIdentityRz(op: HwOp): boolean {
  if (op.gate !== "rz" || !isConst(op.angles[0]!)) return false;
  return Math.abs(wrap(op.angles[0]!.c)) < ZERO_TOL;
}

function mergeRz(ops: readonly HwOp[]): HwOp[] {
  const out: Array<HwOp | null> = [];
  const lastRz = new Map<number, number>(); // qubit -> index in out of an rz it can merge into
  for (const op of ops) {
    if (op.gate === "rz") {
      const q = op.qubits[0]!;
      const j = lastRz.get(q);
      if (j !== undefined) {
        const prev = out[j]!;
        const a = combine(prev.angles[0]!, op.angles[0]!);
        out[j] = { gate: "rz", qubits: [q], angles: [isConst(a) ? { c: wrap(a.c), terms: [] } : a] };
        continue;
      }
      lastRz.set(q, out.length);
      out.push(isConst(op.angles[0]!) ? { ...op, angles: [{ c: wrap(op.angles[0]!.c), terms: [] }] } : op);
      continue;
    }
    if (op.gate !== "cz") for (const q of op.qubits) lastRz.delete(q);
    out.push(op);
  }
  return out.filter((op): op is HwOp => op !== null && !isIdentityRz(op));
}

function cancelPairs(ops: readonly HwOp[]): HwOp[] {
  const out: Array<HwOp | null> = [];
  // per qubit: index in out of the last non-rz op touching it
  const last = new Map<number, number>();
  // per qubit: whether an rz sits after that op (x x with rz between does not cancel; cz cz does)
  const rzAfter = new Map<number, boolean>();
  for (const op of ops) {
    if (op.gate === "rz") {
      rzAfter.set(op.qubits[0]!, true);
      out.push(op);
      continue;
    }
    if (op.qubits.length === 1) {
      const q = op.qubits[0]!;
      const j = last.get(q);
      const prev = j !== undefined ? out[j] : null;
      if (prev && !rzAfter.get(q) && prev.qubits.length === 1) {
        if (prev.gate === "x" && op.gate === "x") {
          out[j!] = null;
          last.delete(q);
          continue;
        }
        if (prev.gate === "sx" && op.gate === "sx") {
          out[j!] = { gate: "x", qubits: [q], angles: [] };
          continue;
        }
      }
      last.set(q, out.length);
      rzAfter.set(q, false);
      out.push(op);
      continue;
    }
    const [a, b] = op.qubits as [number, number];
    const ja = last.get(a),
      jb = last.get(b);
    if (op.gate === "cz" && ja !== undefined && ja === jb) {
      const prev = out[ja]!;
      if (prev.gate === "cz") {
        out[ja] = null;
        last.delete(a);
        last.delete(b);
        continue;
      }
    }
    last.set(a, out.length);
    last.set(b, out.length);
    rzAfter.set(a, false);
    rzAfter.set(b, false);
    out.push(op);
  }
  return out.filter((op): op is HwOp => op !== null);
}
