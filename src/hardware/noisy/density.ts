import { ValidationError, requireInt } from "../../core/errors.ts";
import { requireAllocation } from "../../core/limits.ts";
import { MAX_DM_QUBITS, applyUnitary, zeroDensity, type DensityMatrix } from "../../noise/density-matrix.ts";
import { hwOpMatrix } from "../hw-simulate.ts";
import { applyReadoutConfusion, parityMeans } from "../emulate.ts";
import type { NoiseEvent, NoisyProgram } from "./schedule.ts";

/**
 * Exact emulation of a noisy program with a dense density matrix on its n
 * active qubits: 16 * 4^n bytes per copy (16 MiB at n = 10, 256 MiB at 12), one
 * copy plus one per extra measurement setting. Gates as U rho U^dag (the noise
 * layer's kernel), the depolarizing and relaxation events as closed-form maps on
 * rho (one pass each; checked against Kraus sums in the tests).
 */
export const DEFAULT_MAX_DENSITY_QUBITS = 10;

/** Throws unless an n-qubit density emulation fits `maxQubits` and the memory limit. */
export function requireDensityFits(prog: NoisyProgram, maxQubits = DEFAULT_MAX_DENSITY_QUBITS): void {
  requireInt("maxDensityQubits", maxQubits, 1, MAX_DM_QUBITS);
  if (prog.n > maxQubits)
    throw new ValidationError(
      "density-matrix emulation",
      `at most ${maxQubits} active qubits (use trajectories)`,
      prog.n,
    );
  const copies = prog.settings.length > 1 ? 2 : 1;
  requireAllocation("density-matrix emulation", 4 ** prog.n * copies, 16, `a ${prog.n}-qubit rho`);
}

/** (1 - lam) rho + lam Tr_W(rho) (x) I / 2^k on wires W. */
export function depolarizeDensity(rho: DensityMatrix, wires: readonly number[], lam: number): void {
  const n = rho.n,
    D = 1 << n,
    k = wires.length,
    d = 1 << k;
  const bits = wires.map((w) => 1 << (n - 1 - w));
  const mask = bits.reduce((a, b) => a | b, 0);
  const offs = new Int32Array(d);
  for (let j = 0; j < d; j++) for (let b = 0; b < k; b++) if (j & (1 << b)) offs[j]! |= bits[b]!;
  const keep = 1 - lam,
    mix = lam / d;
  const { re, im } = rho;
  for (let r = 0; r < D; r++) {
    if (r & mask) continue;
    for (let c = 0; c < D; c++) {
      if (c & mask) continue;
      let tr = 0,
        ti = 0;
      for (let j = 0; j < d; j++) {
        const i = (r | offs[j]!) * D + (c | offs[j]!);
        tr += re[i]!;
        ti += im[i]!;
      }
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) {
          const i = (r | offs[a]!) * D + (c | offs[b]!);
          re[i] = keep * re[i]! + (a === b ? mix * tr : 0);
          im[i] = keep * im[i]! + (a === b ? mix * ti : 0);
        }
      }
    }
  }
}

/** Amplitude damping (gamma) then phase flip (pz) on one wire. */
export function relaxDensity(rho: DensityMatrix, wire: number, gamma: number, pz: number): void {
  const n = rho.n,
    D = 1 << n,
    bit = 1 << (n - 1 - wire);
  const off = Math.sqrt(1 - gamma) * (1 - 2 * pz);
  const { re, im } = rho;
  for (let r = 0; r < D; r++) {
    if (r & bit) continue;
    for (let c = 0; c < D; c++) {
      if (c & bit) continue;
      const i00 = r * D + c,
        i01 = r * D + (c | bit),
        i10 = (r | bit) * D + c,
        i11 = (r | bit) * D + (c | bit);
      re[i00] = re[i00]! + gamma * re[i11]!;
      im[i00] = im[i00]! + gamma * im[i11]!;
      re[i11] = (1 - gamma) * re[i11]!;
      im[i11] = (1 - gamma) * im[i11]!;
      re[i01] = off * re[i01]!;
      im[i01] = off * im[i01]!;
      re[i10] = off * re[i10]!;
      im[i10] = off * im[i10]!;
    }
  }
}

function applyEvents(
  rho: DensityMatrix,
  events: readonly NoiseEvent[],
  from: number,
  to: number,
  params: ArrayLike<number>,
): void {
  for (let e = from; e < to; e++) {
    const ev = events[e]!;
    if (ev.kind === "gate") applyUnitary(rho, ev.op.qubits, hwOpMatrix(ev.op, params));
    else if (ev.kind === "depolarizing") depolarizeDensity(rho, ev.wires, ev.lam);
    else relaxDensity(rho, ev.wire, ev.gamma, ev.pz);
  }
}

/** Outcome distribution over `measure` (bit i = measure[i]) from rho's diagonal. */
function diagonalDistribution(rho: DensityMatrix, measure: readonly number[]): Float64Array {
  const n = rho.n,
    D = 1 << n;
  const pos = measure.map((w) => n - 1 - w);
  const dist = new Float64Array(1 << measure.length);
  for (let i = 0; i < D; i++) {
    let key = 0;
    for (let b = 0; b < pos.length; b++) if ((i >> pos[b]!) & 1) key |= 1 << b;
    dist[key]! += rho.re[i * D + i]!;
  }
  return dist;
}

/** The program's words (measured, with readout error) for one parameter vector, exactly. */
export function runDensity(
  prog: NoisyProgram,
  params: ArrayLike<number>,
  maxQubits = DEFAULT_MAX_DENSITY_QUBITS,
): Float64Array {
  requireDensityFits(prog, maxQubits);
  if (params.length !== prog.nParams)
    throw new ValidationError("params", `length ${prog.nParams}`, params.length);
  const out = new Float64Array(prog.words.length);
  if (prog.settings.length === 0) return out;
  const rho = zeroDensity(Math.max(1, prog.n));
  applyEvents(rho, prog.settings[0]!.events, 0, prog.shared, params);
  prog.settings.forEach((s, i) => {
    const last = i === prog.settings.length - 1;
    const t = last ? rho : { n: rho.n, re: rho.re.slice(), im: rho.im.slice() };
    applyEvents(t, s.events, prog.shared, s.events.length, params);
    const dist = diagonalDistribution(t, s.measure);
    applyReadoutConfusion(dist, s.p10, s.p01);
    parityMeans(prog.words, s.setting, dist, out);
  });
  return out;
}
