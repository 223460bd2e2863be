import type { Readout, Word } from "./readout.ts";

/**
 * The adjoint's starting state lambda = sum_o c_o O_o psi (c: one sample's
 * cotangents). All diagonal words make one diagonal d[x] (its single-Z part
 * sum_w c_w (1 - 2 x_w) built wire by wire by doubling, other Z words added
 * with their split signs), so lambda = d psi is one pass; each word that
 * flips bits adds one more pass.
 */

/** lambda += c P psi for a word that flips bits: lambda[x ^ flip] += c i^nY s(x) psi[x]. */
function addFlipTimes(
  wd: Word,
  c: number,
  pr: Float64Array,
  pi: Float64Array,
  lr: Float64Array,
  li: Float64Array,
  h: number,
): void {
  const { flip, nY } = wd.masks;
  let cr = c,
    ci = 0;
  for (let k = 0; k < nY; k++) {
    const t = cr;
    cr = -ci;
    ci = t;
  }
  const dim = pr.length,
    sHi = wd.sHi,
    sLo = wd.sLo;
  if (sHi === null || sLo === null) {
    for (let x = 0; x < dim; x++) {
      const y = x ^ flip,
        vr = pr[x]!,
        vi = pi[x]!;
      lr[y]! += cr * vr - ci * vi;
      li[y]! += cr * vi + ci * vr;
    }
    return;
  }
  const nLo = sLo.length;
  for (let hi = 0; hi < sHi.length; hi++) {
    const x0 = hi << h,
      sh = sHi[hi]!;
    for (let lo = 0; lo < nLo; lo++) {
      const x = x0 + lo,
        y = x ^ flip,
        s = sh * sLo[lo]!;
      const vr = s * pr[x]!,
        vi = s * pi[x]!;
      lr[y]! += cr * vr - ci * vi;
      li[y]! += cr * vi + ci * vr;
    }
  }
}

/** lambda = sum_o cot[offset + o] O_o psi (lambda fully overwritten); d: 2^n scratch, cw: n scratch. */
export function buildLambda(
  ro: Readout,
  pr: Float64Array,
  pi: Float64Array,
  lr: Float64Array,
  li: Float64Array,
  cot: Float64Array,
  offset: number,
  d: Float64Array,
  cw: Float64Array,
): void {
  const { n, words, h } = ro;
  const dim = pr.length,
    nLo = 1 << h;
  // single-Z part: d[x] = sum_w c_w (1 - 2 x_w), built wire by wire (wire 0 the top bit)
  cw.fill(0);
  let identity = 0;
  for (let o = 0; o < ro.nOut; o++) {
    const wd = words[o]!;
    if (wd.zWire >= 0) cw[wd.zWire]! += cot[offset + o]!;
    else if (wd.masks.flip === 0 && wd.masks.zy === 0) identity += cot[offset + o]!;
  }
  d[0] = identity;
  for (let w = 0; w < n; w++) {
    const c = cw[w]!;
    for (let y = (1 << w) - 1; y >= 0; y--) {
      const a = d[y]!;
      d[2 * y + 1] = a - c;
      d[2 * y] = a + c;
    }
  }
  for (let o = 0; o < ro.nOut; o++) {
    const wd = words[o]!,
      c = cot[offset + o]!;
    const sHi = wd.sHi,
      sLo = wd.sLo;
    if (wd.masks.flip !== 0 || sHi === null || sLo === null || c === 0) continue;
    for (let hi = 0; hi < sHi.length; hi++) {
      const x0 = hi << h,
        sh = c * sHi[hi]!;
      for (let lo = 0; lo < nLo; lo++) d[x0 + lo]! += sh * sLo[lo]!;
    }
  }
  for (let x = 0; x < dim; x++) {
    const s = d[x]!;
    lr[x] = s * pr[x]!;
    li[x] = s * pi[x]!;
  }
  for (let o = 0; o < ro.nOut; o++) {
    const c = cot[offset + o]!;
    if (words[o]!.masks.flip !== 0 && c !== 0) addFlipTimes(words[o]!, c, pr, pi, lr, li, h);
  }
}
