import { ValidationError, requireInt } from "../core/errors.ts";
import { dagger, kron, matmul, type CMatrix } from "../gates/matrix.ts";
import { GATES } from "../gates/spec.ts";
import type { Circuit, Op } from "../circuits/ir.ts";
import { paramValue } from "../circuits/ir.ts";
import type { PauliWord } from "../circuits/pauli.ts";
import { validateCircuit } from "../sim/lower.ts";
import type { Channel } from "./channels.ts";
import type { NoiseModel } from "./noise-model.ts";

/**
 * The plain density-matrix simulator, the reference of the noise layer: rho is
 * a dense 2^n x 2^n complex matrix (split re/im, row-major), gates act as
 * U rho U^dag and channels through their Kraus operators. 16 * 4^n bytes per
 * state: 16 MiB at n = 10, 1 GiB at n = 13, so it stops at MAX_DM_QUBITS.
 */
export interface DensityMatrix {
  readonly n: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

export const MAX_DM_QUBITS = 12;

export function zeroDensity(n: number): DensityMatrix {
  requireInt("nQubits (density matrix)", n, 1, MAX_DM_QUBITS);
  const D = 1 << n;
  const re = new Float64Array(D * D);
  re[0] = 1;
  return { n, re, im: new Float64Array(D * D) };
}

/**
 * Applies the 2^k x 2^k matrix m to the bits `strides` of a complex array seen
 * as a vector over 2n bits (vec(rho): row bits high, column bits low).
 */
function applyDense(
  re: Float64Array,
  im: Float64Array,
  strides: readonly number[],
  mre: Float64Array,
  mim: Float64Array,
): void {
  const k = strides.length,
    d = 1 << k;
  const mask = strides.reduce((a, s) => a | s, 0);
  const offs = new Int32Array(d);
  for (let j = 0; j < d; j++) {
    let o = 0;
    for (let b = 0; b < k; b++) if (j & (1 << (k - 1 - b))) o |= strides[b]!;
    offs[j] = o;
  }
  const vr = new Float64Array(d),
    vi = new Float64Array(d);
  for (let base = 0; base < re.length; base++) {
    if ((base & mask) !== 0) continue;
    for (let j = 0; j < d; j++) {
      vr[j] = re[base + offs[j]!]!;
      vi[j] = im[base + offs[j]!]!;
    }
    for (let r = 0; r < d; r++) {
      let ar = 0,
        ai = 0;
      for (let c = 0; c < d; c++) {
        const xr = mre[r * d + c]!,
          xi = mim[r * d + c]!;
        ar += xr * vr[c]! - xi * vi[c]!;
        ai += xr * vi[c]! + xi * vr[c]!;
      }
      re[base + offs[r]!] = ar;
      im[base + offs[r]!] = ai;
    }
  }
}

function strides(n: number, wires: readonly number[]): { rows: number[]; cols: number[] } {
  return { rows: wires.map((w) => 1 << (2 * n - 1 - w)), cols: wires.map((w) => 1 << (n - 1 - w)) };
}

/** rho <- K rho K^dag on `wires` (in place). */
function conjugateInPlace(rho: DensityMatrix, wires: readonly number[], k: CMatrix): void {
  const s = strides(rho.n, wires);
  applyDense(rho.re, rho.im, s.rows, k.re, k.im);
  const conj = new Float64Array(k.im.length);
  for (let i = 0; i < conj.length; i++) conj[i] = -k.im[i]!;
  applyDense(rho.re, rho.im, s.cols, k.re, conj);
}

export function applyUnitary(rho: DensityMatrix, wires: readonly number[], u: CMatrix): void {
  conjugateInPlace(rho, wires, u);
}

export function applyChannel(rho: DensityMatrix, wires: readonly number[], ch: Channel): void {
  if (wires.length !== ch.nQubits)
    throw new ValidationError(`channel ${ch.name}`, `${ch.nQubits} wire(s)`, wires.length);
  if (ch.kraus.length === 1) {
    conjugateInPlace(rho, wires, ch.kraus[0]!);
    return;
  }
  const accRe = new Float64Array(rho.re.length),
    accIm = new Float64Array(rho.im.length);
  for (const k of ch.kraus) {
    const t: DensityMatrix = { n: rho.n, re: rho.re.slice(), im: rho.im.slice() };
    conjugateInPlace(t, wires, k);
    for (let i = 0; i < accRe.length; i++) {
      accRe[i]! += t.re[i]!;
      accIm[i]! += t.im[i]!;
    }
  }
  rho.re.set(accRe);
  rho.im.set(accIm);
}

function opMatrix(op: Op, inputs: ArrayLike<number>, off: number, weights: ArrayLike<number>): CMatrix {
  if (op.gate === "Unitary") return op.matrix;
  return GATES[op.gate].matrix(op.params.map((p) => paramValue(p, inputs, off, weights)));
}

export interface NoisyRunOptions {
  /** gate folding for zero-noise extrapolation: each gate G becomes G (G^dag G)^k, scale = 2k + 1 (odd, >= 1) */
  readonly fold?: number;
}

export function foldRepeats(fold: number | undefined): number {
  const f = fold ?? 1;
  if (!Number.isInteger(f) || f < 1 || f % 2 === 0)
    throw new ValidationError("fold", "an odd integer >= 1 (noise scale factor)", f);
  return (f - 1) / 2;
}

function conjugate(m: CMatrix): CMatrix {
  return { dim: m.dim, re: m.re, im: m.im.map((x) => -x) };
}

/** Liouville superoperator of U followed by the channels: (sum_K K (x) K*) ... (U (x) U*), on vec(rho) (row bits, column bits). */
function superop(u: CMatrix, chans: readonly Channel[]): CMatrix {
  let s = kron(u, conjugate(u));
  for (const ch of chans) {
    let c: CMatrix | null = null;
    for (const k of ch.kraus) {
      const t = kron(k, conjugate(k));
      if (c === null) c = t;
      else
        for (let j = 0; j < t.re.length; j++) {
          c.re[j]! += t.re[j]!;
          c.im[j]! += t.im[j]!;
        }
    }
    s = matmul(c!, s);
  }
  return s;
}

/**
 * Runs sample `b` of a circuit under a noise model (null: noiseless), gate by
 * gate from |0...0><0...0|, each gate followed by the model's channels for it
 * (gate and channels fused into one superoperator pass over rho, as Aer's
 * density-matrix method does). "Unitary" ops carry no gate name and get no noise.
 */
export function simulateDensity(
  c: Circuit,
  noise: NoiseModel | null,
  inputs: ArrayLike<number>,
  b: number,
  weights: ArrayLike<number>,
  opts: NoisyRunOptions = {},
): DensityMatrix {
  validateCircuit(c);
  const reps = foldRepeats(opts.fold);
  const rho = zeroDensity(c.nQubits);
  const off = b * c.nInputs;
  for (const op of c.ops) {
    const u = opMatrix(op, inputs, off, weights);
    const chans = noise && op.gate !== "Unitary" ? noise.errorsFor(op.gate, op.wires) : [];
    let s = superop(u, chans);
    if (reps > 0) {
      const pair = matmul(s, superop(dagger(u), chans));
      for (let r = 0; r < reps; r++) s = matmul(pair, s);
    }
    const st = strides(rho.n, op.wires);
    applyDense(rho.re, rho.im, [...st.rows, ...st.cols], s.re, s.im);
  }
  return rho;
}

export function traceDensity(rho: DensityMatrix): [number, number] {
  const D = 1 << rho.n;
  let r = 0,
    i = 0;
  for (let k = 0; k < D; k++) {
    r += rho.re[k * D + k]!;
    i += rho.im[k * D + k]!;
  }
  return [r, i];
}

const S2 = Math.SQRT1_2;
const H_RE = Float64Array.from([S2, S2, S2, -S2]);
const ZERO4 = new Float64Array(4);
// H S^dag = [[1, -i], [1, i]] / sqrt 2
const HSD_RE = Float64Array.from([S2, 0, S2, 0]);
const HSD_IM = Float64Array.from([0, -S2, 0, S2]);

/** Born probabilities over all 2^n outcomes after rotating the word's wires into the Z basis. */
export function basisProbabilities(rho: DensityMatrix, word: PauliWord): Float64Array {
  const t: DensityMatrix = { n: rho.n, re: rho.re.slice(), im: rho.im.slice() };
  for (const f of word.factors) {
    if (f.pauli === "X") conjugateInPlace(t, [f.wire], { dim: 2, re: H_RE, im: ZERO4 });
    else if (f.pauli === "Y") conjugateInPlace(t, [f.wire], { dim: 2, re: HSD_RE, im: HSD_IM });
  }
  const D = 1 << rho.n;
  const p = new Float64Array(D);
  for (let k = 0; k < D; k++) p[k] = t.re[k * D + k]!;
  return p;
}

/**
 * <word> as a measurement would report it: the Born distribution in the word's
 * basis, passed through each measured wire's readout assignment matrix
 * [[1 - p01, p10], [p01, 1 - p10]], then the mean parity of the word's bits.
 */
export function measuredExpectation(rho: DensityMatrix, word: PauliWord, noise: NoiseModel | null): number {
  const p = basisProbabilities(rho, word);
  const n = rho.n;
  for (const f of word.factors) {
    const e = noise?.readoutFor(f.wire);
    if (!e) continue;
    const s = 1 << (n - 1 - f.wire);
    for (let x = 0; x < p.length; x++) {
      if (x & s) continue;
      const p0 = p[x]!,
        p1 = p[x | s]!;
      p[x] = (1 - e.p01) * p0 + e.p10 * p1;
      p[x | s] = e.p01 * p0 + (1 - e.p10) * p1;
    }
  }
  const mask = word.factors.reduce((m, f) => m | (1 << (n - 1 - f.wire)), 0);
  let acc = 0;
  for (let x = 0; x < p.length; x++) acc += popParity(x & mask) ? -p[x]! : p[x]!;
  return acc;
}

function popParity(x: number): boolean {
  let c = 0;
  while (x) {
    x &= x - 1;
    c ^= 1;
  }
  return c === 1;
}

/** All outputs of a batch through the density-matrix path: batch x observables, row-major. */
export function densityForward(
  c: Circuit,
  noise: NoiseModel | null,
  inputs: Float64Array,
  weights: Float64Array,
  batch: number,
  opts: NoisyRunOptions = {},
): Float64Array {
  const out = new Float64Array(batch * c.observables.length);
  for (let b = 0; b < batch; b++) {
    const rho = simulateDensity(c, noise, inputs, b, weights, opts);
    c.observables.forEach((w, o) => {
      out[b * c.observables.length + o] = measuredExpectation(rho, w, noise);
    });
  }
  return out;
}
