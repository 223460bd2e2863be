import { ValidationError } from "../../core/errors.ts";
import type { DeviceCalibration } from "../../devices/calibration.ts";
import { usableCoupler, usableNeighbours } from "../../devices/lookup.ts";
import type { HwOp } from "../hw-circuit.ts";

/**
 * SWAP routing on the device's usable couplers. Gates are taken in order; a
 * two-qubit gate whose qubits are not joined by a usable coupler gets SWAPs
 * along the cheapest path between them (Dijkstra; each hop costs 1 plus 100 x
 * the coupler's error, so fewer SWAPs first, then better couplers). Where on
 * that path the two qubits meet is chosen by lookahead: the split whose mapping
 * leaves the next LOOKAHEAD two-qubit gates closest (hop distance, weight 0.8^j)
 * wins, ties going to the middle. Swapped-in qubits may be idle ones (in |0>).
 */
const LOOKAHEAD = 12;

const hopCache = new WeakMap<DeviceCalibration, Int32Array[]>();

/** All-pairs hop distances over usable couplers (BFS), -1 when unreachable. */
export function hopDistances(dev: DeviceCalibration): Int32Array[] {
  let d = hopCache.get(dev);
  if (d) return d;
  d = [];
  for (let s = 0; s < dev.numQubits; s++) {
    const row = new Int32Array(dev.numQubits).fill(-1);
    row[s] = 0;
    const queue = [s];
    for (let h = 0; h < queue.length; h++) {
      const u = queue[h]!;
      for (const v of usableNeighbours(dev, u))
        if (row[v] === -1) {
          row[v] = row[u]! + 1;
          queue.push(v);
        }
    }
    d.push(row);
  }
  hopCache.set(dev, d);
  return d;
}
export interface Routed {
  readonly ops: HwOp[];
  /** logical qubit -> physical qubit after the last gate */
  readonly finalLayout: number[];
  readonly swaps: number;
}

/** Cheapest path a -> b over usable couplers (inclusive), or null when unreachable. */
export function cheapestPath(dev: DeviceCalibration, a: number, b: number): number[] | null {
  const n = dev.numQubits;
  const dist = new Float64Array(n).fill(Infinity);
  const prev = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  dist[a] = 0;
  for (;;) {
    let u = -1,
      best = Infinity;
    for (let i = 0; i < n; i++)
      if (!done[i] && dist[i]! < best) {
        best = dist[i]!;
        u = i;
      }
    if (u < 0 || u === b) break;
    done[u] = 1;
    for (const v of usableNeighbours(dev, u)) {
      const w = 1 + 100 * usableCoupler(dev, u, v)!.error;
      if (dist[u]! + w < dist[v]!) {
        dist[v] = dist[u]! + w;
        prev[v] = u;
      }
    }
  }
  if (!Number.isFinite(dist[b]!)) return null;
  const path = [b];
  while (path[path.length - 1] !== a) path.push(prev[path[path.length - 1]!]!);
  return path.reverse();
}

/** Routes logical ops under an initial layout (logical i -> layout[i]). */
export function route(
  ops: readonly HwOp[],
  nLogical: number,
  layout: readonly number[],
  dev: DeviceCalibration,
): Routed {
  if (layout.length !== nLogical)
    throw new ValidationError("layout", `${nLogical} physical qubits`, layout.length);
  const l2p = [...layout];
  const p2l = new Map<number, number>(l2p.map((p, l) => [p, l]));
  if (p2l.size !== nLogical)
    throw new ValidationError("layout", "distinct physical qubits", layout.join(","));
  for (const p of l2p) {
    if (!Number.isInteger(p) || p < 0 || p >= dev.numQubits)
      throw new ValidationError("layout", `qubits in [0, ${dev.numQubits - 1}]`, p);
  }
  const out: HwOp[] = [];
  let swaps = 0;
  const swap = (x: number, y: number): void => {
    out.push({ gate: "swap", qubits: [x, y], angles: [] });
    swaps++;
    const lx = p2l.get(x),
      ly = p2l.get(y);
    p2l.delete(x);
    p2l.delete(y);
    if (lx !== undefined) {
      l2p[lx] = y;
      p2l.set(y, lx);
    }
    if (ly !== undefined) {
      l2p[ly] = x;
      p2l.set(x, ly);
    }
  };
  const hops = hopDistances(dev);
  const twoQ = ops.map((op, i) => (op.qubits.length === 2 ? i : -1)).filter((i) => i >= 0);
  let next2q = 0;
  const lookaheadCost = (map: readonly number[], from: number): number => {
    let cost = 0,
      w = 1;
    for (let j = from; j < Math.min(twoQ.length, from + LOOKAHEAD); j++) {
      const o = ops[twoQ[j]!]!;
      const h = hops[map[o.qubits[0]!]!]![map[o.qubits[1]!]!]!;
      cost += w * (h < 0 ? 1e6 : h);
      w *= 0.8;
    }
    return cost;
  };
  for (const op of ops) {
    if (op.qubits.length === 1) {
      out.push({ ...op, qubits: [l2p[op.qubits[0]!]!] });
      continue;
    }
    next2q++;
    const [la, lb] = op.qubits as [number, number];
    let pa = l2p[la]!,
      pb = l2p[lb]!;
    if (!usableCoupler(dev, pa, pb)) {
      const path = cheapestPath(dev, pa, pb);
      if (!path)
        throw new ValidationError(
          "layout",
          `physical qubits ${pa} and ${pb} connected by usable couplers on ${dev.name}`,
        );
      // path[0] = pa ... path[k] = pb; move a forward `fa` hops and b back the rest, until adjacent
      const nSwaps = path.length - 2;
      let fa = Math.ceil(nSwaps / 2),
        bestCost = Infinity;
      for (let split = 0; split <= nSwaps; split++) {
        // mapping after moving a `split` hops forward and b the rest back
        const m = [...l2p];
        const at = new Map(p2l);
        const sw = (x: number, y: number): void => {
          const lx = at.get(x),
            ly = at.get(y);
          at.delete(x);
          at.delete(y);
          if (lx !== undefined) {
            m[lx] = y;
            at.set(y, lx);
          }
          if (ly !== undefined) {
            m[ly] = x;
            at.set(x, ly);
          }
        };
        for (let i = 0; i < split; i++) sw(path[i]!, path[i + 1]!);
        for (let i = path.length - 1; i > split + 1; i--) sw(path[i]!, path[i - 1]!);
        const cost = lookaheadCost(m, next2q) + 1e-3 * Math.abs(split - nSwaps / 2);
        if (cost < bestCost) {
          bestCost = cost;
          fa = split;
        }
      }
      for (let i = 0; i < fa; i++) swap(path[i]!, path[i + 1]!);
      for (let i = path.length - 1; i > fa + 1; i--) swap(path[i]!, path[i - 1]!);
      pa = l2p[la]!;
      pb = l2p[lb]!;
      if (!usableCoupler(dev, pa, pb))
        throw new Error(`route: ${pa}-${pb} still not adjacent (internal error)`);
    }
    out.push({ ...op, qubits: [pa, pb] });
  }
  return { ops: out, finalLayout: l2p, swaps };
}
