import type { PauliWord } from "../../circuits/pauli.ts";
import { pauliMasks, type PauliMasks } from "../pauli-ops.ts";

/**
 * Observables of the fused executor. A Pauli word acts as
 * P|x> = i^nY (-1)^popcount(x & zy) |x ^ flip> (sim/pauli-ops.ts). Grouped by cost:
 *  - single-wire Z (most readouts): all from one pass for p[x] = |psi[x]|^2
 *    and a halving fold that yields every wire's P(x_w = 1);
 *  - other diagonal words (Z Z ...): sum_x p[x] s(x) on the same p;
 *  - words that flip bits (X, Y factors): one pass each over psi.
 * The sign s(x) = (-1)^popcount(x & zy) is split as sHi[x >> h] * sLo[x & (2^h - 1)],
 * two tables of about 2^(n/2) entries, so no per-amplitude popcount.
 * (lambda = sum_o c_o O_o psi is built the same way, in lambda.ts.)
 */
export interface Word {
  readonly masks: PauliMasks;
  /** wire of a single-Z word, else -1 */
  readonly zWire: number;
  /** split sign tables, null when zy = 0 */
  readonly sHi: Float64Array | null;
  readonly sLo: Float64Array | null;
}

export interface Readout {
  readonly n: number;
  readonly nOut: number;
  readonly words: readonly Word[];
  /** low bits covered by sLo */
  readonly h: number;
  readonly anyDiagonal: boolean;
}

function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

function signs(mask: number, count: number): Float64Array {
  return Float64Array.from({ length: count }, (_, k) => (parity(k & mask) ? -1 : 1));
}

export function compileReadout(observables: readonly PauliWord[], n: number): Readout {
  const h = n >> 1;
  const words = observables.map((o): Word => {
    const masks = pauliMasks(o, n);
    const zWire = o.factors.length === 1 && o.factors[0]!.pauli === "Z" ? o.factors[0]!.wire : -1;
    const split = masks.zy !== 0 && zWire < 0;
    return {
      masks,
      zWire,
      sHi: split ? signs(masks.zy >>> h, 1 << (n - h)) : null,
      sLo: split ? signs(masks.zy & ((1 << h) - 1), 1 << h) : null,
    };
  });
  return { n, nOut: words.length, words, h, anyDiagonal: words.some((w) => w.masks.flip === 0) };
}

/** Scratch: p (2^n) and the per-wire marginals (n). */
export interface ReadoutScratch {
  readonly p: Float64Array;
  readonly marg: Float64Array;
}

export function readoutScratch(n: number): ReadoutScratch {
  return { p: new Float64Array(1 << n), marg: new Float64Array(n) };
}

/** sum_x v[x] s(x) for a diagonal word with split signs. */
function signedSum(v: Float64Array, sHi: Float64Array, sLo: Float64Array, h: number): number {
  const nLo = sLo.length;
  let acc = 0;
  for (let hi = 0; hi < sHi.length; hi++) {
    const base = hi << h;
    let part = 0;
    for (let lo = 0; lo < nLo; lo++) part += sLo[lo]! * v[base + lo]!;
    acc += sHi[hi]! * part;
  }
  return acc;
}

/** <psi| P |psi> for a word that flips bits (flip != 0). */
function flipExpval(wd: Word, re: Float64Array, im: Float64Array, h: number): number {
  const { flip, nY } = wd.masks;
  const dim = re.length,
    sHi = wd.sHi,
    sLo = wd.sLo;
  // acc = sum_x s(x) conj(psi[x ^ flip]) psi[x]
  let ar = 0,
    ai = 0;
  if (sHi === null || sLo === null) {
    for (let x = 0; x < dim; x++) {
      const y = x ^ flip;
      ar += re[y]! * re[x]! + im[y]! * im[x]!;
      ai += re[y]! * im[x]! - im[y]! * re[x]!;
    }
  } else {
    const nLo = sLo.length;
    for (let hi = 0; hi < sHi.length; hi++) {
      const x0 = hi << h;
      let pr = 0,
        pi = 0;
      for (let lo = 0; lo < nLo; lo++) {
        const x = x0 + lo,
          y = x ^ flip,
          s = sLo[lo]!;
        pr += s * (re[y]! * re[x]! + im[y]! * im[x]!);
        pi += s * (re[y]! * im[x]! - im[y]! * re[x]!);
      }
      ar += sHi[hi]! * pr;
      ai += sHi[hi]! * pi;
    }
  }
  // times i^nY, real part
  switch (nY) {
    case 0:
      return ar;
    case 1:
      return -ai;
    case 2:
      return -ar;
    default:
      return ai;
  }
}

export function measure(
  ro: Readout,
  re: Float64Array,
  im: Float64Array,
  out: Float64Array,
  offset: number,
  sc: ReadoutScratch,
): void {
  const { n, words, h } = ro;
  if (ro.anyDiagonal) {
    const p = sc.p,
      dim = p.length;
    let total = 0;
    for (let x = 0; x < dim; x++) {
      const v = re[x]! * re[x]! + im[x]! * im[x]!;
      p[x] = v;
      total += v;
    }
    for (let o = 0; o < ro.nOut; o++) {
      const wd = words[o]!;
      if (wd.masks.flip !== 0 || wd.zWire >= 0) continue;
      out[offset + o] = wd.sHi && wd.sLo ? signedSum(p, wd.sHi, wd.sLo, h) : total;
    }
    // fold: at length 2^k the index bit 0 is wire k-1; odd entries sum to its marginal
    for (let k = n; k >= 1; k--) {
      const half = 1 << (k - 1);
      let odd = 0;
      for (let y = 0; y < half; y++) {
        const a = p[2 * y]!,
          b = p[2 * y + 1]!;
        odd += b;
        p[y] = a + b;
      }
      sc.marg[k - 1] = odd;
    }
    for (let o = 0; o < ro.nOut; o++) {
      const wz = words[o]!.zWire;
      if (wz >= 0) out[offset + o] = total - 2 * sc.marg[wz]!;
    }
  }
  for (let o = 0; o < ro.nOut; o++)
    if (words[o]!.masks.flip !== 0) out[offset + o] = flipExpval(words[o]!, re, im, h);
}
