import type { Gather } from "./schedule.ts";

/**
 * Passes for the multi-qubit steps the fused schedule keeps: a fused signed
 * permutation (a gather into scratch arrays), and in-place CNOT / CZ / SWAP
 * that visit only the amplitudes they change (a quarter of the index space
 * each, enumerated by inserting the two fixed bits, no per-index branch).
 */

/** dst[y] = sign[y] * src[g.src[y]]. */
export function gather(
  sr: Float64Array,
  si: Float64Array,
  dr: Float64Array,
  di: Float64Array,
  g: Gather,
): void {
  const idx = g.src,
    sign = g.sign,
    dim = sr.length;
  if (sign === null) {
    for (let y = 0; y < dim; y++) {
      const x = idx[y]!;
      dr[y] = sr[x]!;
      di[y] = si[x]!;
    }
  } else {
    for (let y = 0; y < dim; y++) {
      const x = idx[y]!,
        s = sign[y]!;
      dr[y] = s * sr[x]!;
      di[y] = s * si[x]!;
    }
  }
}

/** The same gather applied to two states at once (psi and lambda in the backward pass). */
export function gather2(
  ar: Float64Array,
  ai: Float64Array,
  adr: Float64Array,
  adi: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  bdr: Float64Array,
  bdi: Float64Array,
  g: Gather,
): void {
  const idx = g.src,
    sign = g.sign,
    dim = ar.length;
  if (sign === null) {
    for (let y = 0; y < dim; y++) {
      const x = idx[y]!;
      adr[y] = ar[x]!;
      adi[y] = ai[x]!;
      bdr[y] = br[x]!;
      bdi[y] = bi[x]!;
    }
  } else {
    for (let y = 0; y < dim; y++) {
      const x = idx[y]!,
        s = sign[y]!;
      adr[y] = s * ar[x]!;
      adi[y] = s * ai[x]!;
      bdr[y] = s * br[x]!;
      bdi[y] = s * bi[x]!;
    }
  }
}

/**
 * The indices with both bits sA and sB (strides) 0 are the 2^(n-2) values of a
 * counter c with a zero bit inserted at the lower stride, then at the higher:
 * b = ((c & ~(lo-1)) << 1) | (c & (lo-1)), and the same with hi.
 */
function quarterBases(dim: number, sA: number, sB: number): { lo: number; hi: number; count: number } {
  return { lo: Math.min(sA, sB), hi: Math.max(sA, sB), count: dim >> 2 };
}

export function cnotInPlace(re: Float64Array, im: Float64Array, cs: number, ts: number): void {
  const { lo, hi, count } = quarterBases(re.length, cs, ts);
  const mlo = lo - 1,
    mhi = hi - 1;
  for (let c = 0; c < count; c++) {
    let b = ((c & ~mlo) << 1) | (c & mlo);
    b = ((b & ~mhi) << 1) | (b & mhi);
    const i = b | cs,
      j = i | ts;
    const tr = re[i]!,
      ti = im[i]!;
    re[i] = re[j]!;
    im[i] = im[j]!;
    re[j] = tr;
    im[j] = ti;
  }
}

export function czInPlace(re: Float64Array, im: Float64Array, sa: number, sb: number): void {
  const { lo, hi, count } = quarterBases(re.length, sa, sb);
  const mlo = lo - 1,
    mhi = hi - 1;
  for (let c = 0; c < count; c++) {
    let b = ((c & ~mlo) << 1) | (c & mlo);
    b = ((b & ~mhi) << 1) | (b & mhi);
    const i = b | sa | sb;
    re[i] = -re[i]!;
    im[i] = -im[i]!;
  }
}

export function swapInPlace(re: Float64Array, im: Float64Array, sa: number, sb: number): void {
  const { lo, hi, count } = quarterBases(re.length, sa, sb);
  const mlo = lo - 1,
    mhi = hi - 1;
  for (let c = 0; c < count; c++) {
    let b = ((c & ~mlo) << 1) | (c & mlo);
    b = ((b & ~mhi) << 1) | (b & mhi);
    const i = b | sa,
      j = b | sb;
    const tr = re[i]!,
      ti = im[i]!;
    re[i] = re[j]!;
    im[i] = im[j]!;
    re[j] = tr;
    im[j] = ti;
  }
}
