import { ValidationError, requireInt } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import type { DeviceCalibration } from "../devices/calibration.ts";
import { compactMap, simulateHw } from "./hw-simulate.ts";
import type { HwCircuit } from "./hw-circuit.ts";
import { measurementSettings, settingCircuit, type MeasurementSetting } from "./observables.ts";

/**
 * Emulation of a transpiled circuit with the device's calibrated READOUT errors
 * only: the circuit itself is simulated exactly (no gate or idle noise), each
 * measurement setting's outcome distribution over its measured qubits is passed
 * through the per-qubit confusion matrix [[1-p10, p01], [p10, 1-p01]]
 * (p10 = prob_meas1_prep0, p01 = prob_meas0_prep1 of that physical qubit), and
 * each word's value is its parity mean, exact or from `shots` seeded samples.
 * Gate noise (depolarizing, thermal relaxation from T1/T2 and gate lengths) belongs
 * to the noise layer (src/noise) and is not modelled here.
 */
export interface ReadoutEmulation {
  /** one value per observable of the circuit, in order */
  readonly values: Float64Array;
  readonly settings: number;
}

/** Outcome distribution over `measure` (bit i = i-th qubit) of a setting circuit's final state. */
function outcomeDistribution(
  circuit: HwCircuit,
  params: ArrayLike<number>,
  measure: readonly number[],
): Float64Array {
  const map = compactMap(circuit);
  const s = simulateHw(circuit, params, map);
  const k = measure.length;
  if (k > 24) throw new ValidationError("measure", "at most 24 measured qubits", k);
  const locals = measure.map((q) => {
    const l = map.toLocal.get(q);
    if (l === undefined) throw new ValidationError("measure", "qubits the circuit uses", q);
    return s.n - 1 - l; // bit position of that wire in the basis index
  });
  const dist = new Float64Array(1 << k);
  for (let i = 0; i < s.re.length; i++) {
    const p = s.re[i]! * s.re[i]! + s.im[i]! * s.im[i]!;
    if (p === 0) continue;
    let key = 0;
    for (let b = 0; b < k; b++) if ((i >> locals[b]!) & 1) key |= 1 << b;
    dist[key]! += p;
  }
  return dist;
}

/** Applies independent per-bit confusion matrices to a distribution over k bits, in place. */
export function applyReadoutConfusion(
  dist: Float64Array,
  p10: readonly number[],
  p01: readonly number[],
): void {
  const k = p10.length;
  if (dist.length !== 1 << k || p01.length !== k)
    throw new ValidationError("readout", `${k} bits and ${1 << k} probabilities`);
  for (let b = 0; b < k; b++) {
    const bit = 1 << b,
      a = p10[b]!,
      c = p01[b]!;
    for (let i = 0; i < dist.length; i++) {
      if (i & bit) continue;
      const p0 = dist[i]!,
        p1 = dist[i | bit]!;
      dist[i] = (1 - a) * p0 + c * p1;
      dist[i | bit] = a * p0 + (1 - c) * p1;
    }
  }
}

export function parityMeans(
  words: HwCircuit["observables"],
  setting: MeasurementSetting,
  dist: Float64Array,
  out: Float64Array,
): void {
  const bitOf = new Map(setting.basis.map(([q], i) => [q, i] as [number, number]));
  for (const m of setting.members) {
    let mask = 0;
    for (const f of words[m]!.factors) mask |= 1 << bitOf.get(f.wire)!;
    let acc = 0;
    for (let i = 0; i < dist.length; i++) {
      let x = i & mask,
        par = 0;
      while (x) {
        par ^= x & 1;
        x >>= 1;
      }
      acc += par ? -dist[i]! : dist[i]!;
    }
    out[m] = acc;
  }
}

/** Draws `shots` outcomes from `dist` and returns the empirical distribution. */
function sampleDistribution(dist: Float64Array, shots: number, rng: Rng): Float64Array {
  const cdf = new Float64Array(dist.length);
  let acc = 0;
  for (let i = 0; i < dist.length; i++) {
    acc += dist[i]!;
    cdf[i] = acc;
  }
  const counts = new Float64Array(dist.length);
  for (let s = 0; s < shots; s++) {
    const u = rng.uniform() * acc;
    let lo = 0,
      hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]! += 1 / shots;
  }
  return counts;
}

/**
 * Observables of a transpiled circuit under the device's readout errors, for one flat
 * parameter vector. With `shots` (and `rng`), estimates come from that many samples per setting.
 */
export interface PreparedSettings {
  readonly words: HwCircuit["observables"];
  readonly settings: ReadonlyArray<{ setting: MeasurementSetting; circuit: HwCircuit; measure: number[] }>;
}

/** The measurement settings of a circuit and their basis-changed circuits (reusable across samples). */
export function prepareSettings(circuit: HwCircuit): PreparedSettings {
  return {
    words: circuit.observables,
    settings: measurementSettings(circuit.observables).map((setting) => ({
      setting,
      ...settingCircuit(circuit, setting),
    })),
  };
}

export function emulateReadout(
  circuit: HwCircuit | PreparedSettings,
  params: ArrayLike<number>,
  dev: DeviceCalibration,
  opts: { shots?: number; rng?: Rng } = {},
): ReadoutEmulation {
  if (opts.shots !== undefined) {
    requireInt("shots", opts.shots, 1);
    if (!opts.rng) throw new ValidationError("rng", "a seeded Rng when shots are given");
  }
  const prep = "settings" in circuit ? circuit : prepareSettings(circuit);
  const words = prep.words;
  const values = new Float64Array(words.length);
  for (const { setting: s, circuit: sc, measure } of prep.settings) {
    let dist = outcomeDistribution(sc, params, measure);
    applyReadoutConfusion(
      dist,
      measure.map((q) => dev.qubits[q]!.probMeas1Prep0),
      measure.map((q) => dev.qubits[q]!.probMeas0Prep1),
    );
    if (opts.shots !== undefined) dist = sampleDistribution(dist, opts.shots, opts.rng!);
    parityMeans(words, s, dist, values);
  }
  return { values, settings: prep.settings.length };
}
