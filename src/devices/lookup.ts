import { ValidationError } from "../core/errors.ts";
import type { Coupler, DeviceCalibration, GateCalibration } from "./calibration.ts";

/**
 * Fast lookups into a DeviceCalibration (built once per device, cached).
 * Gate keys are the gate name plus the qubits in the order given, e.g. "cz:3_4";
 * couplers are undirected.
 */
interface Index {
  readonly gates: Map<string, GateCalibration>;
  readonly couplers: Map<string, Coupler>;
  readonly neighbours: ReadonlyArray<readonly number[]>;
}

const cache = new WeakMap<DeviceCalibration, Index>();

function index(dev: DeviceCalibration): Index {
  let ix = cache.get(dev);
  if (ix) return ix;
  const gates = new Map<string, GateCalibration>();
  for (const g of dev.gates) gates.set(`${g.gate}:${g.qubits.join("_")}`, g);
  const couplers = new Map<string, Coupler>();
  const nb: number[][] = Array.from({ length: dev.numQubits }, () => []);
  for (const c of dev.usableCouplers) {
    couplers.set(`${c.a}_${c.b}`, c);
    nb[c.a]!.push(c.b);
    nb[c.b]!.push(c.a);
  }
  for (const l of nb) l.sort((x, y) => x - y);
  ix = { gates, couplers, neighbours: nb };
  cache.set(dev, ix);
  return ix;
}

/** The calibration entry of `gate` on exactly these qubits (in this order), or undefined. */
export function gateCalibration(
  dev: DeviceCalibration,
  gate: string,
  qubits: readonly number[],
): GateCalibration | undefined {
  return index(dev).gates.get(`${gate}:${qubits.join("_")}`);
}

/** The usable coupler between a and b (either order), or undefined if none or flagged unusable. */
export function usableCoupler(dev: DeviceCalibration, a: number, b: number): Coupler | undefined {
  return index(dev).couplers.get(`${Math.min(a, b)}_${Math.max(a, b)}`);
}

/** Physical qubits joined to q by a usable coupler, ascending. */
export function usableNeighbours(dev: DeviceCalibration, q: number): readonly number[] {
  if (!Number.isInteger(q) || q < 0 || q >= dev.numQubits) {
    throw new ValidationError("qubit", `an index in [0, ${dev.numQubits - 1}] on ${dev.name}`, q);
  }
  return index(dev).neighbours[q]!;
}
