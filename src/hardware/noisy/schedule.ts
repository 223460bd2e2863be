import { ValidationError } from "../../core/errors.ts";
import type { DeviceCalibration } from "../../devices/calibration.ts";
import { gateCalibration } from "../../devices/lookup.ts";
import { tensorChannels, thermalRelaxation, type Channel } from "../../noise/channels.ts";
import { depolarizingFromGateError } from "../../noise/device-model.ts";
import type { HwCircuit, HwOp } from "../hw-circuit.ts";
import { compactMap, type CompactMap } from "../hw-simulate.ts";
import { prepareSettings } from "../emulate.ts";
import type { MeasurementSetting } from "../observables.ts";

/**
 * The calibrated noise of a transpiled (ISA) circuit as an ordered list of
 * events on its active qubits (the layout's and routing qubits the circuit
 * touches, compressed to wires 0..n-1 in ascending physical order).
 *
 * Channels, and the calibration fields they use:
 * - rz: virtual on IBM (a frame change; the snapshots list gate_error 0 and
 *   gate_length 0): no error, no time.
 * - sx, x on qubit q: depolarizing (Qiskit Aer convention, lam) after the gate,
 *   then thermal relaxation over the gate's `gate_length` from the qubit's T1, T2
 *   (T2 clipped to 2 T1, excited population 0). lam reproduces the gate's
 *   `gate_error` (average gate infidelity) once the relaxation part is removed, as
 *   Aer's `basic_device_gate_errors` (src/noise/device-model.ts,
 *   depolarizingFromGateError).
 * - cz (Heron) / ecr (Eagle) on a coupler: 2-qubit depolarizing fitted the same
 *   way to the coupler's `gate_error`, then relaxation on both qubits over its
 *   `gate_length`.
 * - idle: the circuit is scheduled as soon as possible with those lengths; a
 *   qubit waiting for others relaxes (T1, T2) for the waiting time, including the
 *   wait until the last gate of the circuit ends, when all qubits are measured.
 * - readout: per measured qubit, the confusion matrix from prob_meas1_prep0 and
 *   prob_meas0_prep1 (relaxation during the measurement is inside those numbers).
 * Relaxation is phase covariant, so it commutes with rz and with gates on other
 * qubits: a qubit's relaxation times are summed and applied once, just before
 * its next non-virtual gate or its measurement (exact, and far fewer events).
 * Thermal relaxation (excited population 0) = amplitude damping with
 * gamma = 1 - exp(-t/T1), then a phase flip with pz = (1 - exp(-t/T2 + t/(2 T1)))/2.
 * The measurement-basis changes of each setting (h / rx folded into native
 * gates) are part of that setting's circuit and get the same noise.
 */
export interface NoiseOptions {
  /** thermal relaxation over gate lengths (default true); off: depolarizing carries the whole gate error */
  readonly relaxation?: boolean;
  /** relaxation of waiting qubits (default true; needs relaxation) */
  readonly idle?: boolean;
  /** readout confusion (default true) */
  readonly readout?: boolean;
}

export type NoiseEvent =
  | { readonly kind: "gate"; readonly op: HwOp }
  | { readonly kind: "depolarizing"; readonly wires: readonly number[]; readonly lam: number }
  | {
      readonly kind: "relax";
      readonly wire: number;
      readonly time: number;
      readonly gamma: number;
      readonly pz: number;
    };

export interface SettingProgram {
  readonly setting: MeasurementSetting;
  /** measured wires (local), classical bit i = measure[i] */
  readonly measure: readonly number[];
  /** P(1 | 0) and P(0 | 1) per measured bit */
  readonly p10: readonly number[];
  readonly p01: readonly number[];
  readonly events: readonly NoiseEvent[];
}

export interface NoisyProgram {
  readonly n: number;
  readonly map: CompactMap;
  readonly words: HwCircuit["observables"];
  readonly nParams: number;
  /** events[0..shared) are the same in every setting's list */
  readonly shared: number;
  readonly settings: readonly SettingProgram[];
  /** what the emulation includes, one line per channel kind */
  readonly channels: readonly string[];
  /** scheduled duration of the main circuit, seconds */
  readonly duration: number;
}

/** Amplitude damping and phase-flip parameters of thermal relaxation over `time`. */
export function relaxParams(t1: number, t2: number, time: number): { gamma: number; pz: number } {
  const t2c = Math.min(t2, 2 * t1);
  const gamma = -Math.expm1(-time / t1);
  const f = Math.exp(-time / t2c + time / (2 * t1));
  return { gamma, pz: Math.max(0, (1 - f) / 2) };
}

interface GateNoise {
  readonly lam: number;
  readonly length: number;
}

function gateNoise(
  dev: DeviceCalibration,
  op: HwOp,
  relaxOn: boolean,
  cache: Map<string, GateNoise>,
): GateNoise {
  const key = `${op.gate}:${op.qubits.join("_")}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const q = op.qubits;
  const cal =
    gateCalibration(dev, op.gate, q) ??
    (q.length === 2 ? gateCalibration(dev, op.gate, [q[1]!, q[0]!]) : undefined);
  if (!cal || cal.error === undefined)
    throw new ValidationError(
      `${dev.name} calibration`,
      `a gate_error for ${op.gate} on qubits ${q.join(",")} (the ISA circuit uses it)`,
    );
  const length = cal.length ?? 0;
  let relax: Channel | null = null;
  if (relaxOn && length > 0) {
    const rel = q.map((x) => thermalRelaxation(dev.qubits[x]!.t1, clipT2(dev, x), length));
    relax = rel.length === 1 ? rel[0]! : tensorChannels(rel[0]!, rel[1]!);
  }
  const g = { lam: depolarizingFromGateError(cal.error, relax, q.length), length };
  cache.set(key, g);
  return g;
}

function clipT2(dev: DeviceCalibration, q: number): number {
  const c = dev.qubits[q]!;
  return Math.min(c.t2, 2 * c.t1);
}

const NATIVE = new Set(["rz", "sx", "x", "cz", "ecr"]);

function sameOp(a: HwOp, b: HwOp): boolean {
  return (
    a.gate === b.gate &&
    a.qubits.length === b.qubits.length &&
    a.qubits.every((q, i) => q === b.qubits[i]) &&
    JSON.stringify(a.angles) === JSON.stringify(b.angles)
  );
}

/** ASAP schedule of `ops` (physical qubits) into noise events on local wires. */
function scheduleOps(
  ops: readonly HwOp[],
  dev: DeviceCalibration,
  map: CompactMap,
  measure: readonly number[],
  o: Required<NoiseOptions>,
  cache: Map<string, GateNoise>,
): { events: NoiseEvent[]; opStart: number[]; duration: number } {
  const n = map.physical.length;
  const avail = new Float64Array(n),
    pending = new Float64Array(n);
  const events: NoiseEvent[] = [],
    opStart: number[] = [];
  const flush = (w: number): void => {
    const t = pending[w]!;
    pending[w] = 0;
    if (!(t > 0)) return;
    const c = dev.qubits[map.physical[w]!]!;
    const { gamma, pz } = relaxParams(c.t1, c.t2, t);
    if (gamma > 0 || pz > 0) events.push({ kind: "relax", wire: w, time: t, gamma, pz });
  };
  ops.forEach((op, k) => {
    opStart.push(events.length);
    if (!NATIVE.has(op.gate))
      throw new ValidationError(`ISA circuit ops[${k}]`, "a native gate (rz, sx, x, cz, ecr)", op.gate);
    const wires = op.qubits.map((q) => map.toLocal.get(q)!);
    const local: HwOp = { ...op, qubits: wires };
    if (op.gate === "rz") {
      events.push({ kind: "gate", op: local });
      return;
    }
    const g = gateNoise(dev, op, o.relaxation, cache);
    const start = Math.max(...wires.map((w) => avail[w]!));
    for (const w of wires) {
      if (o.relaxation && o.idle) pending[w]! += start - avail[w]!;
      flush(w);
    }
    events.push({ kind: "gate", op: local });
    if (g.lam > 0) events.push({ kind: "depolarizing", wires, lam: g.lam });
    for (const w of wires) {
      avail[w] = start + g.length;
      if (o.relaxation) pending[w]! += g.length;
    }
  });
  opStart.push(events.length);
  const duration = n > 0 ? Math.max(...avail) : 0;
  for (const w of measure) {
    if (o.relaxation && o.idle) pending[w]! += duration - avail[w]!;
    flush(w);
  }
  return { events, opStart, duration };
}

/** Builds the noisy program of a transpiled circuit on a device (see the module comment). */
export function noisyProgram(isa: HwCircuit, dev: DeviceCalibration, opts: NoiseOptions = {}): NoisyProgram {
  const o: Required<NoiseOptions> = {
    relaxation: opts.relaxation ?? true,
    idle: opts.idle ?? true,
    readout: opts.readout ?? true,
  };
  if (o.idle && !o.relaxation && opts.idle === true)
    throw new ValidationError("idle", "relaxation on (idle noise is thermal relaxation)", "relaxation off");
  if (isa.nQubits > dev.numQubits)
    throw new ValidationError("ISA circuit", `at most ${dev.numQubits} qubits (${dev.name})`, isa.nQubits);
  const map = compactMap(isa);
  const prep = prepareSettings(isa);
  const cache = new Map<string, GateNoise>();
  let common = isa.ops.length;
  for (const s of prep.settings) {
    let k = 0;
    while (k < common && k < s.circuit.ops.length && sameOp(s.circuit.ops[k]!, isa.ops[k]!)) k++;
    common = k;
  }
  let shared = Infinity,
    duration = 0;
  const settings = prep.settings.map((s) => {
    const measure = s.measure.map((q) => map.toLocal.get(q)!);
    const r = scheduleOps(s.circuit.ops, dev, map, measure, o, cache);
    shared = Math.min(shared, r.opStart[common]!);
    duration = Math.max(duration, r.duration);
    const cal = s.measure.map((q) => dev.qubits[q]!);
    return {
      setting: s.setting,
      measure,
      p10: cal.map((c) => (o.readout ? c.probMeas1Prep0 : 0)),
      p01: cal.map((c) => (o.readout ? c.probMeas0Prep1 : 0)),
      events: r.events,
    };
  });
  const lines = [
    "rz: virtual (no error, no time)",
    `sx, x: Aer-fitted depolarizing from gate_error${o.relaxation ? " + thermal relaxation (T1, T2) over gate_length" : ""}`,
    `${dev.twoQubitGate}: 2-qubit Aer-fitted depolarizing from the coupler's gate_error${o.relaxation ? " + thermal relaxation of both qubits over gate_length" : ""}`,
  ];
  if (o.relaxation && o.idle)
    lines.push("idle: thermal relaxation (T1, T2) of waiting qubits, ASAP schedule");
  if (o.readout) lines.push("readout: confusion matrix from prob_meas1_prep0, prob_meas0_prep1");
  return {
    n: map.physical.length,
    map,
    words: isa.observables,
    nParams: isa.nInputs + isa.nWeights,
    shared: settings.length > 0 ? shared : 0,
    settings,
    channels: lines,
    duration,
  };
}
