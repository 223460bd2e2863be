import { t3, mergeSites, type T3 } from "./tensor3.ts";

/**
 * Part of the dense MPS engine (mps-engine.ts). Given G_B = d f / d conj(B) for a block B = A_0 A_1 ... A_{S-1} (merged
 * over internal bonds), returns d f / d conj(A_k) for each site: G_B
 * contracted with the conjugates of the other sites.
 */
export function splitBlockGradient(gB: T3, sites: readonly T3[]): T3[] {
  const S = sites.length;
  if (S === 1) return [gB];
  // left partial products Lp[k] = A_0..A_{k-1} (physical dim 2^k), right Rp[k] = A_{k+1}..A_{S-1}
  const lp: Array<T3 | null> = [null];
  for (let k = 1; k < S; k++) lp.push(k === 1 ? sites[0]! : mergeSites(lp[k - 1]!, sites[k - 1]!));
  const rp: Array<T3 | null> = new Array<T3 | null>(S).fill(null);
  for (let k = S - 2; k >= 0; k--)
    rp[k] = k === S - 2 ? sites[S - 1]! : mergeSites(sites[k + 1]!, rp[k + 1]!);
  const out: T3[] = [];
  const chiL = gB.dl,
    chiR = gB.dr;
  for (let k = 0; k < S; k++) {
    const site = sites[k]!;
    const nl = 1 << k,
      nr = 1 << (S - 1 - k);
    // Y[a, sl, sigma, g'] = sum_{sr, b} G_B[a, (sl sigma sr), b] conj(Rp[g', sr, b])
    const R = rp[k];
    const gdr = site.dr;
    const yRe = new Float64Array(chiL * nl * 2 * gdr),
      yIm = new Float64Array(chiL * nl * 2 * gdr);
    for (let a = 0; a < chiL; a++)
      for (let sl = 0; sl < nl; sl++)
        for (let sg = 0; sg < 2; sg++) {
          const yo = ((a * nl + sl) * 2 + sg) * gdr;
          for (let sr = 0; sr < nr; sr++) {
            const s = (sl * 2 + sg) * nr + sr;
            const go = (a * gB.d + s) * chiR;
            for (let b = 0; b < chiR; b++) {
              const gr = gB.re[go + b]!,
                gi = gB.im[go + b]!;
              if (gr === 0 && gi === 0) continue;
              if (R === null) {
                // last site: its right bond is the block's right bond
                yRe[yo + b]! += gr;
                yIm[yo + b]! += gi;
              } else {
                for (let gp = 0; gp < gdr; gp++) {
                  const ro = (gp * nr + sr) * chiR + b;
                  const rr = R.re[ro]!,
                    ri = R.im[ro]!;
                  yRe[yo + gp]! += gr * rr + gi * ri;
                  yIm[yo + gp]! += gi * rr - gr * ri;
                }
              }
            }
          }
        }
    // G_k[g, sigma, g'] = sum_{a, sl} conj(Lp[a, sl, g]) Y[a, sl, sigma, g']
    const Lp = lp[k];
    const gk = t3(site.dl, 2, gdr);
    for (let a = 0; a < chiL; a++)
      for (let sl = 0; sl < nl; sl++)
        for (let gl = 0; gl < site.dl; gl++) {
          let lr: number, li: number;
          if (Lp === null) {
            if (gl !== a) continue;
            lr = 1;
            li = 0;
          } else {
            lr = Lp.re[(a * nl + sl) * site.dl + gl]!;
            li = -Lp.im[(a * nl + sl) * site.dl + gl]!;
          }
          if (lr === 0 && li === 0) continue;
          for (let sg = 0; sg < 2; sg++) {
            const yo = ((a * nl + sl) * 2 + sg) * gdr,
              go = (gl * 2 + sg) * gdr;
            for (let gp = 0; gp < gdr; gp++) {
              const yr = yRe[yo + gp]!,
                yi = yIm[yo + gp]!;
              gk.re[go + gp]! += lr * yr - li * yi;
              gk.im[go + gp]! += lr * yi + li * yr;
            }
          }
        }
    out.push(gk);
  }
  return out;
}
