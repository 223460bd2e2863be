import { ValidationError } from "../../core/errors.ts";
import type { DeviceCalibration } from "../../devices/calibration.ts";
import { gateCalibration, usableCoupler, usableNeighbours } from "../../devices/lookup.ts";
import type { HwOp } from "../hw-circuit.ts";

/**
 * Noise-aware initial layouts. The heads qmtl builds are chains (the encoder's
 * CNOT ladder joins logical i and i+1), so candidates are simple paths of n
 * physical qubits over usable couplers, found by a beam search that keeps the
 * paths with the lowest cost: sum over couplers of -ln(1 - cz error) plus, per
 * qubit, -ln(1 - readout error) - 2 ln(1 - sx error). Unusable couplers are never
 * on a path (they are not in the usable-coupler graph), so neither routing nor
 * layout can use them. The caller routes each candidate and keeps the best
 * estimated fidelity (estimateFidelity).
 */
const nll = (p: number): number => -Math.log(Math.max(1e-300, 1 - p));

export function qubitCost(dev: DeviceCalibration, q: number): number {
  const sx = gateCalibration(dev, "sx", [q])?.error ?? 1;
  return nll(dev.qubits[q]!.readoutError) + 2 * nll(sx);
}

/** Size of the largest set of qubits connected by usable couplers. */
export function largestComponent(dev: DeviceCalibration): number {
  const seen = new Uint8Array(dev.numQubits);
  let best = 0;
  for (let s = 0; s < dev.numQubits; s++) {
    if (seen[s]) continue;
    let size = 0;
    const stack = [s];
    seen[s] = 1;
    while (stack.length) {
      const u = stack.pop()!;
      size++;
      for (const v of usableNeighbours(dev, u))
        if (!seen[v]) {
          seen[v] = 1;
          stack.push(v);
        }
    }
    best = Math.max(best, size);
  }
  return best;
}

/** Up to `count` distinct low-cost simple paths of n qubits (beam search, beam `beam`). */
export function candidatePaths(dev: DeviceCalibration, n: number, count = 8, beam = 200): number[][] {
  if (!Number.isInteger(n) || n < 1) throw new ValidationError("nQubits", "an integer >= 1", n);
  if (n > largestComponent(dev)) {
    throw new ValidationError(
      "device",
      `a device with ${n} connected usable qubits (${dev.name} has ${largestComponent(dev)})`,
    );
  }
  type P = { path: number[]; cost: number };
  let layer: P[] = [];
  for (let q = 0; q < dev.numQubits; q++)
    if (dev.qubits[q]!.operational) layer.push({ path: [q], cost: qubitCost(dev, q) });
  for (let len = 1; len < n; len++) {
    const next: P[] = [];
    for (const p of layer) {
      const end = p.path[p.path.length - 1]!;
      for (const v of usableNeighbours(dev, end)) {
        if (p.path.includes(v)) continue;
        next.push({
          path: [...p.path, v],
          cost: p.cost + nll(usableCoupler(dev, end, v)!.error) + qubitCost(dev, v),
        });
      }
    }
    next.sort((a, b) => a.cost - b.cost);
    // paths with the same qubit set and the same end extend alike: keep the cheapest
    const seen = new Set<string>();
    layer = [];
    for (const p of next) {
      const key = `${[...p.path].sort((a, b) => a - b).join(",")}|${p.path[p.path.length - 1]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      layer.push(p);
      if (layer.length >= beam) break;
    }
    if (layer.length === 0)
      throw new ValidationError("device", `a simple path of ${n} usable qubits on ${dev.name}`);
  }
  const out: number[][] = [];
  const sets = new Set<string>();
  for (const p of layer) {
    const key = [...p.path].sort((a, b) => a - b).join(",") + `|${p.path[0]}`;
    if (sets.has(key)) continue;
    sets.add(key);
    out.push(p.path);
    if (out.length >= count) break;
  }
  return out;
}

/**
 * Estimated success probability of a native circuit: product over gates of (1 - error)
 * from the calibration (rz is virtual, error 0) and over measured qubits of (1 - readout error).
 * A ranking score for layouts, not a noise model.
 */
export function estimateFidelity(
  ops: readonly HwOp[],
  dev: DeviceCalibration,
  measured: readonly number[],
): number {
  let logF = 0;
  for (const op of ops) {
    if (op.gate === "rz") continue;
    const err =
      op.qubits.length === 2
        ? (usableCoupler(dev, op.qubits[0]!, op.qubits[1]!)?.error ?? 1)
        : (gateCalibration(dev, op.gate, op.qubits)?.error ??
          gateCalibration(dev, "sx", op.qubits)?.error ??
          0);
    logF -= nll(err);
  }
  for (const q of measured) logF -= nll(dev.qubits[q]!.readoutError);
  return Math.exp(logF);
}
