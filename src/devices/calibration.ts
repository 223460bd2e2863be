import { ValidationError } from "../core/errors.ts";

/**
 * A typed IBM Quantum calibration snapshot, parsed from the Qiskit fake-backend
 * JSON pair `props_<name>.json` (IBM BackendProperties) and `conf_<name>.json`
 * (IBM BackendConfiguration). Every quantity is converted to SI units: times in
 * seconds, frequencies in Hz, errors and probabilities unitless.
 *
 * Qubit numbers are the device's physical qubit indices 0..numQubits-1.
 * This module only reads and checks; it never decides how noise is modelled.
 */

/** Calibration of one physical qubit. */
export interface QubitCalibration {
  readonly index: number;
  /** energy relaxation time T1, seconds */
  readonly t1: number;
  /** dephasing time T2 (Hahn echo, as IBM reports it), seconds */
  readonly t2: number;
  /** qubit frequency in Hz, when the snapshot has it (the four shipped ones do not) */
  readonly frequency?: number;
  /** assignment error: (P(1|0) + P(0|1)) / 2 as IBM reports it */
  readonly readoutError: number;
  /** P(measure 1 | prepared 0) */
  readonly probMeas1Prep0: number;
  /** P(measure 0 | prepared 1) */
  readonly probMeas0Prep1: number;
  /** readout duration, seconds */
  readonly readoutLength: number;
  /** false when the snapshot flags the qubit non-operational (`operational` = 0) */
  readonly operational: boolean;
}

/** Calibration of one gate on specific qubits, as listed in `props.gates`. */
export interface GateCalibration {
  /** gate name as IBM spells it: "sx", "x", "rz", "id", "cz", "ecr", "rzz", "reset", "measure", ... */
  readonly gate: string;
  /** physical qubits, in the order the snapshot lists them (control first for directed gates) */
  readonly qubits: readonly number[];
  /** average gate error (unitless), absent for entries without one (e.g. reset) */
  readonly error?: number;
  /** gate duration, seconds, when given */
  readonly length?: number;
}

/** An undirected coupler between two physical qubits, a < b. */
export interface Coupler {
  readonly a: number;
  readonly b: number;
  /** error of the device's native two-qubit gate on this pair (min over the listed directions) */
  readonly error: number;
  /** duration of that gate, seconds */
  readonly length: number;
}

/** A whole device: configuration plus calibration. */
export interface DeviceCalibration {
  /** IBM backend name, e.g. "ibm_boston" */
  readonly name: string;
  readonly version: string;
  /** `props.last_update_date` as written (ISO-8601 with the device's UTC offset) */
  readonly lastUpdate: string;
  readonly numQubits: number;
  /** native gate names from `conf.basis_gates`, e.g. ["cz", "id", "rz", "sx", "x"] */
  readonly basisGates: readonly string[];
  /** the native two-qubit gate: "cz" (Heron) or "ecr" (Eagle) */
  readonly twoQubitGate: "cz" | "ecr";
  /** sample time, seconds (`conf.dt` is in ns) */
  readonly dt: number;
  /** processor family/revision from the conf, e.g. "Heron r3" */
  readonly processor: string;
  readonly qubits: readonly QubitCalibration[];
  readonly gates: readonly GateCalibration[];
  /** directed [control, target] pairs from `conf.coupling_map`, as listed */
  readonly couplingMap: ReadonlyArray<readonly [number, number]>;
  /** undirected couplers that can be used, sorted by (a, b) */
  readonly usableCouplers: readonly Coupler[];
  /**
   * undirected pairs (a < b) in the coupling map that must not be used: native 2q gate
   * error >= 1 (IBM's "bad coupler" flag), no calibration entry, or a non-operational qubit
   */
  readonly unusableCouplers: ReadonlyArray<readonly [number, number]>;
}

type Json = unknown;

function isRecord(v: Json): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function field<T>(obj: Json, key: string, where: string, check: (v: unknown) => v is T, expected: string): T {
  if (!isRecord(obj)) throw new ValidationError(where, "a JSON object");
  const v = obj[key];
  if (!check(v)) throw new ValidationError(`${where}.${key}`, expected, v);
  return v;
}

const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);

/** Converts a value with an IBM unit string to SI (seconds, Hz, or unitless). */
export function toSi(value: number, unit: string, where: string): number {
  switch (unit) {
    case "":
      return value;
    case "s":
      return value;
    case "ms":
      return value * 1e-3;
    case "us":
    case "µs":
      return value * 1e-6;
    case "ns":
      return value * 1e-9;
    case "Hz":
      return value;
    case "kHz":
      return value * 1e3;
    case "MHz":
      return value * 1e6;
    case "GHz":
      return value * 1e9;
    default:
      throw new ValidationError(`${where}.unit`, `one of "", s, ms, us, ns, Hz, kHz, MHz, GHz`, unit);
  }
}

/** Reads `{name, value, unit}` records into a map name -> SI value. */
function readNamed(list: unknown, where: string): Map<string, number> {
  if (!isArray(list)) throw new ValidationError(where, "a list of {name, value, unit} records", list);
  const out = new Map<string, number>();
  list.forEach((rec, i) => {
    const w = `${where}[${i}]`;
    const name = field(rec, "name", w, isString, "a non-empty string");
    const value = field(rec, "value", w, isNumber, "a finite number");
    const unit = isRecord(rec) && typeof rec.unit === "string" ? rec.unit : "";
    out.set(name, toSi(value, unit, w));
  });
  return out;
}

function required(m: Map<string, number>, name: string, where: string): number {
  const v = m.get(name);
  if (v === undefined)
    throw new ValidationError(`${where}.${name}`, "a calibration record (the snapshot lacks it)");
  return v;
}

function parseQubits(props: Json, n: number, file: string): QubitCalibration[] {
  const list = field(props, "qubits", file, isArray, "a list of per-qubit record lists");
  if (list.length !== n) throw new ValidationError(`${file}.qubits`, `${n} entries (conf n_qubits)`, list);
  return list.map((recs, q) => {
    const w = `${file}.qubits[${q}]`;
    const m = readNamed(recs, w);
    const prob = (k: string): number => {
      const v = required(m, k, w);
      if (v < 0 || v > 1) throw new ValidationError(`${w}.${k}`, "a probability in [0, 1]", v);
      return v;
    };
    const pos = (k: string): number => {
      const v = required(m, k, w);
      if (!(v > 0)) throw new ValidationError(`${w}.${k}`, "a positive duration", v);
      return v;
    };
    const freq = m.get("frequency");
    const op = m.get("operational");
    return {
      index: q,
      t1: pos("T1"),
      t2: pos("T2"),
      ...(freq !== undefined ? { frequency: freq } : {}),
      readoutError: prob("readout_error"),
      probMeas1Prep0: prob("prob_meas1_prep0"),
      probMeas0Prep1: prob("prob_meas0_prep1"),
      readoutLength: pos("readout_length"),
      operational: op === undefined ? true : op !== 0,
    };
  });
}

function parseGates(props: Json, n: number, file: string): GateCalibration[] {
  const list = field(props, "gates", file, isArray, "a list of gate records");
  return list.map((g, i) => {
    const w = `${file}.gates[${i}]`;
    const gate = field(g, "gate", w, isString, "a gate name");
    const qs = field(g, "qubits", w, isArray, "a list of qubit indices");
    qs.forEach((q, k) => {
      if (!Number.isInteger(q) || (q as number) < 0 || (q as number) >= n) {
        throw new ValidationError(`${w}.qubits[${k}]`, `a qubit index in [0, ${n - 1}]`, q);
      }
    });
    const m = readNamed(isRecord(g) ? g.parameters : undefined, `${w}.parameters`);
    const error = m.get("gate_error");
    const length = m.get("gate_length");
    if (error !== undefined && (error < 0 || error > 1))
      throw new ValidationError(`${w}.gate_error`, "a value in [0, 1]", error);
    return {
      gate,
      qubits: qs as number[],
      ...(error !== undefined ? { error } : {}),
      ...(length !== undefined ? { length } : {}),
    };
  });
}

/**
 * Parses one snapshot from already-loaded JSON. `source` names the files in
 * error messages. Throws ValidationError on anything missing or malformed.
 */
export function parseDevice(props: Json, conf: Json, source: string): DeviceCalibration {
  const pf = `${source}/props`,
    cf = `${source}/conf`;
  const name = field(conf, "backend_name", cf, isString, "a backend name");
  const pname = field(props, "backend_name", pf, isString, "a backend name");
  if (pname !== name) throw new ValidationError(`${pf}.backend_name`, `"${name}" (as in the conf)`, pname);
  const n = field(
    conf,
    "n_qubits",
    cf,
    (v): v is number => Number.isInteger(v) && (v as number) > 0,
    "a positive integer",
  );
  const basis = field(
    conf,
    "basis_gates",
    cf,
    (v): v is string[] => isArray(v) && v.every(isString),
    "a list of gate names",
  );
  const twoQ = basis.includes("cz") ? "cz" : basis.includes("ecr") ? "ecr" : null;
  if (twoQ === null)
    throw new ValidationError(`${cf}.basis_gates`, `a list containing "cz" or "ecr"`, basis.join(","));
  const dtNs = field(
    conf,
    "dt",
    cf,
    (v): v is number => isNumber(v) && v > 0,
    "a positive sample time in ns",
  );
  const proc = isRecord(conf) && isRecord(conf.processor_type) ? conf.processor_type : {};
  const processor = [proc.family, proc.revision !== undefined ? `r${String(proc.revision)}` : undefined]
    .filter((x) => x !== undefined)
    .join(" ");
  const cmRaw = field(conf, "coupling_map", cf, isArray, "a list of [control, target] pairs");
  const couplingMap = cmRaw.map((e, i) => {
    if (
      !isArray(e) ||
      e.length !== 2 ||
      !e.every((q) => Number.isInteger(q) && (q as number) >= 0 && (q as number) < n)
    ) {
      throw new ValidationError(`${cf}.coupling_map[${i}]`, `a pair of qubit indices in [0, ${n - 1}]`, e);
    }
    return [e[0] as number, e[1] as number] as const;
  });
  const qubits = parseQubits(props, n, pf);
  const gates = parseGates(props, n, pf);
  const { usable, unusable } = couplers(couplingMap, gates, qubits, twoQ);
  return {
    name,
    version: field(props, "backend_version", pf, isString, "a version string"),
    lastUpdate: field(props, "last_update_date", pf, isString, "an ISO-8601 date"),
    numQubits: n,
    basisGates: basis,
    twoQubitGate: twoQ,
    dt: dtNs * 1e-9,
    processor,
    qubits,
    gates,
    couplingMap,
    usableCouplers: usable,
    unusableCouplers: unusable,
  };
}

function couplers(
  cm: ReadonlyArray<readonly [number, number]>,
  gates: readonly GateCalibration[],
  qubits: readonly QubitCalibration[],
  twoQ: string,
): { usable: Coupler[]; unusable: Array<readonly [number, number]> } {
  const cal = new Map<string, { error: number; length: number }>();
  for (const g of gates) {
    if (g.gate !== twoQ || g.qubits.length !== 2 || g.error === undefined) continue;
    const a = Math.min(g.qubits[0]!, g.qubits[1]!),
      b = Math.max(g.qubits[0]!, g.qubits[1]!);
    const key = `${a}_${b}`;
    const prev = cal.get(key);
    if (!prev || g.error < prev.error) cal.set(key, { error: g.error, length: g.length ?? NaN });
  }
  const seen = new Set<string>();
  const usable: Coupler[] = [];
  const unusable: Array<readonly [number, number]> = [];
  for (const [x, y] of cm) {
    const a = Math.min(x, y),
      b = Math.max(x, y);
    const key = `${a}_${b}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const c = cal.get(key);
    const ok =
      c !== undefined &&
      c.error < 1 &&
      Number.isFinite(c.length) &&
      qubits[a]!.operational &&
      qubits[b]!.operational;
    if (ok) usable.push({ a, b, error: c.error, length: c.length });
    else unusable.push([a, b]);
  }
  usable.sort((p, q) => p.a - q.a || p.b - q.b);
  unusable.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  return { usable, unusable };
}
