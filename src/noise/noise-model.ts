import { ValidationError, requireFinite, requireInt } from "../core/errors.ts";
import { GATES, type GateName } from "../gates/spec.ts";
import { depolarizingAer, type Channel } from "./channels.ts";
import { channelPtm, type Ptm } from "./ptm.ts";

/** Readout (assignment) error of one qubit: P(measure 1 | prepared 0) and P(measure 0 | prepared 1). */
export interface ReadoutError {
  readonly p01: number;
  readonly p10: number;
}

interface Rule {
  readonly channel: Channel;
  readonly gates: ReadonlySet<GateName>;
  /** null: every qubit tuple (Aer's add_all_qubit_quantum_error) */
  readonly wires: readonly number[] | null;
}

function wiresKey(w: readonly number[]): string {
  return w.join(",");
}

/**
 * Channels attached to gates by name and qubits, applied after each matching
 * gate in the circuit's own gate basis (H, RX, RY, RZ, Rot, CNOT, ...), as
 * Qiskit Aer's NoiseModel does: a qubit-specific error (addQuantumError)
 * replaces the all-qubit one (addAllQubitQuantumError) on those qubits, and
 * several errors added for the same gate and qubits compose in the order added.
 * Readout errors are per qubit. Immutable once built; `ptmsFor` caches PTMs.
 */
export class NoiseModel {
  private readonly all: Rule[] = [];
  private readonly local: Rule[] = [];
  private readonly readout = new Map<number, ReadoutError>();
  private allReadout: ReadoutError | null = null;
  private readonly ptmCache = new Map<string, Ptm[]>();
  /** a short label for reports, e.g. "depolarizing p=0.05" */
  label: string;

  constructor(label = "custom") {
    this.label = label;
  }

  private check(channel: Channel, gates: readonly GateName[], field: string): Set<GateName> {
    if (gates.length === 0) throw new ValidationError(`${field}.gates`, "at least one gate name");
    for (const g of gates) {
      if (!(g in GATES))
        throw new ValidationError(`${field}.gates`, `gate names from ${Object.keys(GATES).join(", ")}`, g);
      if (GATES[g].wires !== channel.nQubits) {
        throw new ValidationError(
          `${field}.gates`,
          `gates on ${channel.nQubits} qubit(s) for channel ${channel.name}`,
          g,
        );
      }
    }
    this.ptmCache.clear();
    return new Set(gates);
  }

  addAllQubitQuantumError(channel: Channel, gates: readonly GateName[]): this {
    this.all.push({ channel, gates: this.check(channel, gates, "addAllQubitQuantumError"), wires: null });
    return this;
  }

  addQuantumError(channel: Channel, gates: readonly GateName[], wires: readonly number[]): this {
    if (wires.length !== channel.nQubits)
      throw new ValidationError("addQuantumError.wires", `${channel.nQubits} wire(s)`, wires.length);
    wires.forEach((w, i) => requireInt(`addQuantumError.wires[${i}]`, w, 0));
    this.local.push({ channel, gates: this.check(channel, gates, "addQuantumError"), wires: [...wires] });
    return this;
  }

  private static checkReadout(field: string, e: ReadoutError): ReadoutError {
    for (const k of ["p01", "p10"] as const) {
      requireFinite(`${field}.${k}`, e[k]);
      if (e[k] < 0 || e[k] > 1) throw new ValidationError(`${field}.${k}`, "a probability in [0, 1]", e[k]);
    }
    if (e.p01 + e.p10 >= 1)
      throw new ValidationError(field, "p01 + p10 < 1 (an informative measurement)", e.p01 + e.p10);
    return { p01: e.p01, p10: e.p10 };
  }

  addReadoutError(e: ReadoutError, wire: number): this {
    requireInt("addReadoutError.wire", wire, 0);
    this.readout.set(wire, NoiseModel.checkReadout(`addReadoutError(${wire})`, e));
    return this;
  }

  addAllQubitReadoutError(e: ReadoutError): this {
    this.allReadout = NoiseModel.checkReadout("addAllQubitReadoutError", e);
    return this;
  }

  /** Channels after gate `gate` on `wires`, in application order (empty: noiseless). */
  errorsFor(gate: GateName, wires: readonly number[]): Channel[] {
    const key = wiresKey(wires);
    const local = this.local.filter((r) => r.gates.has(gate) && wiresKey(r.wires!) === key);
    if (local.length > 0) return local.map((r) => r.channel);
    return this.all.filter((r) => r.gates.has(gate)).map((r) => r.channel);
  }

  /** PTMs of `errorsFor`, cached. */
  ptmsFor(gate: GateName, wires: readonly number[]): Ptm[] {
    const key = `${gate}|${wiresKey(wires)}`;
    let p = this.ptmCache.get(key);
    if (!p) {
      p = this.errorsFor(gate, wires).map(channelPtm);
      this.ptmCache.set(key, p);
    }
    return p;
  }

  readoutFor(wire: number): ReadoutError | null {
    return this.readout.get(wire) ?? this.allReadout;
  }

  hasReadoutErrors(): boolean {
    return this.readout.size > 0 || this.allReadout !== null;
  }

  /** A copy without readout errors (what readout mitigation assumes it has undone). */
  withoutReadout(): NoiseModel {
    const m = new NoiseModel(`${this.label} (no readout)`);
    m.all.push(...this.all);
    m.local.push(...this.local);
    return m;
  }
}

/** The paper's Section 6.3 model: Aer depolarizing lam = p1 after every 1q gate and p2 after every CNOT/CZ/SWAP. */
export function depolarizingModel(p1: number, p2: number = p1): NoiseModel {
  const m = new NoiseModel(p1 === p2 ? `depolarizing p=${p1}` : `depolarizing p1=${p1} p2=${p2}`);
  if (p1 > 0)
    m.addAllQubitQuantumError(depolarizingAer(p1, 1), [
      "H",
      "X",
      "Y",
      "Z",
      "S",
      "T",
      "RX",
      "RY",
      "RZ",
      "Rot",
    ]);
  if (p2 > 0) m.addAllQubitQuantumError(depolarizingAer(p2, 2), ["CNOT", "CZ", "SWAP"]);
  return m;
}
