import { ValidationError } from "../core/errors.ts";
import type { DeviceCalibration } from "../devices/calibration.ts";
import { gateCalibration, usableCoupler, usableNeighbours } from "../devices/lookup.ts";
import {
  composeChannels,
  depolarizingAer,
  maxDepolarizing,
  tensorChannels,
  thermalRelaxation,
  type Channel,
} from "./channels.ts";
import { channelPtm } from "./ptm.ts";
import { NoiseModel } from "./noise-model.ts";

/**
 * Aer-like device noise models from a calibration snapshot, in the QMTL
 * circuit's own gate basis (H, RX, RY, RZ, Rot, CNOT), on a chain of physical
 * qubits (logical wire i -> physical qubits[i]).
 *
 * Each native gate gets, as Qiskit Aer's `basic_device_gate_errors`: thermal
 * relaxation over its duration (T1, T2 clipped to 2 T1, per qubit, tensored
 * for 2-qubit gates) composed after a depolarizing error whose parameter
 * reproduces the calibrated average gate error once the relaxation part is
 * removed: lam = d (e - r) / (d (1 - r) - 1), r = 1 - F_avg(relaxation),
 * d = 2^n, capped at 4^n / (4^n - 1). Logical gates take the errors of the
 * native gates they compile to on IBM Heron/Eagle ({rz, sx, x, cz|ecr}):
 * RZ is virtual (no error); H = 1 sx; RX, RY, Rot = 2 sx (ZSX synthesis);
 * CNOT on neighbouring physical qubits = cz (or ecr) plus 2 sx on the target;
 * a CNOT between non-neighbours on the chain (a task ring's wrap-around pair)
 * at chain distance k costs 1 + 3 (k - 1) native 2q gates (SWAP routing), taken
 * as that many compositions of the pair's 2q error. The channels sit after the
 * logical gate (not between its pulses). Readout errors per qubit from
 * prob_meas1_prep0 and prob_meas0_prep1.
 */
export interface DeviceModelOptions {
  /** physical qubits for logical wires 0..Q-1; default: the lowest-error chain found by `bestChain` */
  readonly qubits?: readonly number[];
  /** include readout errors (default true) */
  readonly readout?: boolean;
}

/** Average gate fidelity of a channel: (d F_pro + 1) / (d + 1), F_pro = Tr(PTM) / d^2. */
export function averageGateFidelity(ch: Channel): number {
  const ptm = channelPtm(ch);
  const D = Math.round(Math.sqrt(ptm.length));
  let tr = 0;
  for (let i = 0; i < D; i++) tr += ptm[i * D + i]!;
  const d = 2 ** ch.nQubits;
  return (tr / d + 1) / (d + 1);
}

/** Aer's `_device_depolarizing_error` parameter for gate error e given the relaxation channel. */
export function depolarizingFromGateError(e: number, relax: Channel | null, nQubits: number): number {
  if (!(e > 0)) return 0;
  const r = relax ? 1 - averageGateFidelity(relax) : 0;
  if (e <= r) return 0;
  const d = 2 ** nQubits;
  const lam = (d * (e - r)) / (d * (1 - r) - 1);
  return Math.min(lam, maxDepolarizing(nQubits));
}

function relaxation(dev: DeviceCalibration, q: number, time: number): Channel | null {
  const c = dev.qubits[q]!;
  if (!(time > 0) || !(c.t1 > 0)) return null;
  const t2 = Math.min(c.t2 > 0 ? c.t2 : 2 * c.t1, 2 * c.t1);
  return thermalRelaxation(c.t1, t2, time);
}

/** Native-gate error channel: depolarizing (from the calibrated error) then thermal relaxation. */
function nativeError(dev: DeviceCalibration, gate: string, qubits: readonly number[]): Channel | null {
  const cal =
    gateCalibration(dev, gate, qubits) ??
    (qubits.length === 2 ? gateCalibration(dev, gate, [qubits[1]!, qubits[0]!]) : undefined);
  if (!cal)
    throw new ValidationError(`${dev.name}.gates`, `a calibration of ${gate} on qubits ${qubits.join(",")}`);
  const t = cal.length ?? 0;
  const rel = qubits.map((q) => relaxation(dev, q, t));
  let relax: Channel | null = null;
  if (qubits.length === 1) relax = rel[0]!;
  else if (rel[0] || rel[1])
    relax = tensorChannels(rel[0] ?? thermalRelaxation(1, 1, 0), rel[1] ?? thermalRelaxation(1, 1, 0));
  const lam = depolarizingFromGateError(cal.error ?? 0, relax, qubits.length);
  const depol = lam > 0 ? depolarizingAer(lam, qubits.length) : null;
  if (depol && relax) return composeChannels(depol, relax);
  return depol ?? relax;
}

function repeat(ch: Channel | null, n: number): Channel | null {
  if (!ch || n === 0) return null;
  let out = ch;
  for (let k = 1; k < n; k++) out = composeChannels(out, ch);
  return out;
}

/** Greedy lowest-error simple path of `length` physical qubits over usable couplers (cost: 2q errors + readout errors). */
export function bestChain(dev: DeviceCalibration, length: number): number[] {
  const cost2 = (a: number, b: number): number => usableCoupler(dev, a, b)!.error;
  let best: number[] | null = null,
    bestCost = Infinity;
  for (let start = 0; start < dev.numQubits; start++) {
    if (!dev.qubits[start]!.operational) continue;
    const path = [start];
    const used = new Set(path);
    let cost = dev.qubits[start]!.readoutError;
    while (path.length < length) {
      const last = path[path.length - 1]!;
      // prefer the neighbour with the lowest coupler + readout error that still has an unused way on
      const cands = usableNeighbours(dev, last)
        .filter((q) => !used.has(q) && dev.qubits[q]!.operational)
        .map((q) => ({
          q,
          c: cost2(last, q) + dev.qubits[q]!.readoutError,
          free: usableNeighbours(dev, q).filter((r) => !used.has(r) && r !== last).length,
        }))
        .filter((x) => x.free > 0 || path.length === length - 1)
        .sort((x, y) => x.c - y.c);
      if (cands.length === 0) break;
      path.push(cands[0]!.q);
      used.add(cands[0]!.q);
      cost += cands[0]!.c;
    }
    if (path.length === length && cost < bestCost) {
      best = path;
      bestCost = cost;
    }
  }
  if (!best) throw new ValidationError("device chain", `a path of ${length} usable qubits on ${dev.name}`);
  return best;
}

const ONE_Q = ["RX", "RY", "Rot"] as const;

/** The device noise model of a Q-qubit chain head (see the module comment). */
export function deviceNoiseModel(
  dev: DeviceCalibration,
  Q: number,
  opts: DeviceModelOptions = {},
): { model: NoiseModel; qubits: number[] } {
  const qubits = opts.qubits ? [...opts.qubits] : bestChain(dev, Q);
  if (qubits.length !== Q) throw new ValidationError("device qubits", `${Q} physical qubits`, qubits.length);
  qubits.forEach((q, i) => {
    if (!Number.isInteger(q) || q < 0 || q >= dev.numQubits)
      throw new ValidationError(
        `device qubits[${i}]`,
        `a qubit of ${dev.name} in [0, ${dev.numQubits - 1}]`,
        q,
      );
    if (i > 0 && !usableCoupler(dev, qubits[i - 1]!, q))
      throw new ValidationError(
        `device qubits[${i}]`,
        `a usable coupler to qubit ${qubits[i - 1]} on ${dev.name}`,
        q,
      );
  });
  if (new Set(qubits).size !== Q) throw new ValidationError("device qubits", "distinct physical qubits");
  const m = new NoiseModel(dev.name);
  const two = dev.twoQubitGate;
  for (let i = 0; i < Q; i++) {
    const sx = nativeError(dev, "sx", [qubits[i]!]);
    if (sx) m.addQuantumError(sx, ["H"], [i]);
    const sx2 = repeat(sx, 2);
    if (sx2) m.addQuantumError(sx2, [...ONE_Q], [i]);
    if (opts.readout ?? true) {
      const c = dev.qubits[qubits[i]!]!;
      m.addReadoutError({ p01: c.probMeas1Prep0, p10: c.probMeas0Prep1 }, i);
    }
  }
  // every ordered logical pair a CNOT of the head can use: chain neighbours and ring pairs inside a window of 4
  for (let a = 0; a < Q; a++) {
    for (let b = Math.max(0, a - 3); b <= Math.min(Q - 1, a + 3); b++) {
      if (a === b) continue;
      const k = Math.abs(a - b);
      const lo = Math.min(a, b);
      const native = nativeError(dev, two, [qubits[lo]!, qubits[lo + 1]!]);
      let ch = repeat(native, 1 + 3 * (k - 1));
      const sxT = repeat(nativeError(dev, "sx", [qubits[b]!]), 2);
      if (sxT) {
        const idle = thermalRelaxation(1, 1, 0);
        const local = a < b ? tensorChannels(idle, sxT) : tensorChannels(sxT, idle);
        ch = ch ? composeChannels(ch, local) : local;
      }
      if (ch) m.addQuantumError(a < b ? ch : swapQubits(ch), ["CNOT"], [a, b]);
    }
  }
  return { model: m, qubits };
}

/** The same channel with its two qubits exchanged. */
function swapQubits(ch: Channel): Channel {
  const perm = [0, 2, 1, 3];
  const kraus = ch.kraus.map((k) => {
    const re = new Float64Array(16),
      im = new Float64Array(16);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        re[perm[i]! * 4 + perm[j]!] = k.re[i * 4 + j]!;
        im[perm[i]! * 4 + perm[j]!] = k.im[i * 4 + j]!;
      }
    return { dim: 4, re, im };
  });
  return { name: `${ch.name} (swapped)`, nQubits: 2, kraus };
}
