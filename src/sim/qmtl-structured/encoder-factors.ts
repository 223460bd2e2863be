import type { QmtlLayout } from "../../circuits/qmtl.ts";
import { encoderGate, firstBlockVector } from "./local-ops.ts";
import { type Plan, gateOffset, wOffset, dOffset, dcOffset } from "./plan.ts";

/**
 * The encoder's per-site factors. With z^l_i the parity bits after block l
 * (z^l_{-1} = 0), the amplitude is a chain over sites of
 *   u_{L-1}[y_i ^ y_{i-1}, x_{L-1}] * prod_{j=1}^{L-2} u_j[x_{j+1} ^ x'_{j+1}, x_j] * b[x_1 ^ x'_1],
 * (unprimed: site i, primed: site i-1; y = z^{L-1} is physical, x_j = z^{j-1}
 * the lower bond bits). So each site is K(s, y') = D(s ^ y') W with an m x m
 * matrix W (all but the top factor) and a diagonal D(c) = diag(u_{L-1}[c, x_{L-1}])
 * that depends only on the top lower bit x_{L-1}: it is stored as its two
 * values D(c)[x] = u_{L-1}[c, x] (see flat-cmat.ts quadrant), and their
 * cotangents are directly those of the top gate. For L = 1 the top factor is
 * b itself and m = 1.
 *
 * Batch-shared pieces: b_i = R2 R1 |+> and db/dtheta (block 0), and per block
 * l >= 1 M = R2(theta) R1(theta) and dM/dtheta, so u = M RX(z) per sample.
 * With firstRotation "ry", b_i = M_0 RY(z_i) |+> is per sample (written to
 * the frame); M_0 and dM_0 are then the batch-shared pieces of block 0.
 */
export interface SharedFactors {
  /** per site: b (2 complex) then db (2 complex): 8 doubles (firstRotation "rx") */
  readonly b: Float64Array;
  /** firstRotation "ry": per site M_0 (8 doubles) then dM_0 (8 doubles); null for "rx" */
  readonly m0: Float64Array | null;
  /** per site i, block l = 1..L-1: M (8 doubles) then dM (8 doubles) */
  readonly mm: Float64Array;
}

export function prepareFactors(layout: QmtlLayout, w: Float64Array): SharedFactors {
  const { Q, L } = layout;
  const b = new Float64Array(Q * 8);
  const mm = new Float64Array(Q * Math.max(0, L - 1) * 16);
  const m0 = layout.firstRotation === "ry" ? new Float64Array(Q * 16) : null;
  for (let i = 0; i < Q; i++) {
    if (m0 !== null) {
      const g = encoderGate(0, w[i]!, layout.encoderOrder);
      for (let k = 0; k < 4; k++) {
        m0[i * 16 + 2 * k] = g.u.re[k]!;
        m0[i * 16 + 2 * k + 1] = g.u.im[k]!;
        m0[i * 16 + 8 + 2 * k] = g.dTheta.re[k]!;
        m0[i * 16 + 8 + 2 * k + 1] = g.dTheta.im[k]!;
      }
    }
    const v = firstBlockVector(w[i]!, layout.encoderOrder);
    for (let c = 0; c < 2; c++) {
      b[i * 8 + 2 * c] = v.b.re[c * 2]!;
      b[i * 8 + 2 * c + 1] = v.b.im[c * 2]!;
      b[i * 8 + 4 + 2 * c] = v.db.re[c * 2]!;
      b[i * 8 + 4 + 2 * c + 1] = v.db.im[c * 2]!;
    }
    for (let l = 1; l < L; l++) {
      const g = encoderGate(0, w[Q * l + i]!, layout.encoderOrder);
      const o = (i * (L - 1) + (l - 1)) * 16;
      for (let k = 0; k < 4; k++) {
        mm[o + 2 * k] = g.u.re[k]!;
        mm[o + 2 * k + 1] = g.u.im[k]!;
        mm[o + 8 + 2 * k] = g.dTheta.re[k]!;
        mm[o + 8 + 2 * k + 1] = g.dTheta.im[k]!;
      }
    }
  }
  return { b, mm, m0 };
}

/** RY(z)|+> = (c - s, c + s)/sqrt 2 (real; c, s of z/2) into v[0..1], its z-derivative into v[2..3]. */
function ryPlus(z: number, v: Float64Array): void {
  const c = Math.cos(z / 2) * Math.SQRT1_2,
    s = Math.sin(z / 2) * Math.SQRT1_2;
  v[0] = c - s;
  v[1] = c + s;
  v[2] = -0.5 * (s + c);
  v[3] = 0.5 * (c - s);
}
const vry = new Float64Array(4);

/** b_i of this sample into the frame: the shared b ("rx") or M_0 RY(z_i)|+> ("ry"). */
function writeFirstVector(
  p: Plan,
  sh: SharedFactors,
  z: Float64Array,
  zo: number,
  i: number,
  fr: Float64Array,
): void {
  const bo = p.b + 4 * i;
  const m0 = sh.m0;
  if (m0 === null) {
    for (let k = 0; k < 4; k++) fr[bo + k] = sh.b[i * 8 + k]!;
    return;
  }
  ryPlus(z[zo + i]!, vry);
  const o = i * 16;
  for (let r = 0; r < 2; r++) {
    fr[bo + 2 * r] = m0[o + 4 * r]! * vry[0]! + m0[o + 4 * r + 2]! * vry[1]!;
    fr[bo + 2 * r + 1] = m0[o + 4 * r + 1]! * vry[0]! + m0[o + 4 * r + 3]! * vry[1]!;
  }
}

/**
 * Block-1 gradients from bbar (df = Re sum conj(bbar) db): d/dtheta_i, and for "ry" d/dz_i
 * (for "rx" that input has exactly zero gradient and is left untouched).
 */
function firstVectorGradients(
  sh: SharedFactors,
  z: Float64Array,
  zo: number,
  i: number,
  bb: Float64Array,
  gradWeights: Float64Array,
  gradInputs: Float64Array,
): void {
  const m0 = sh.m0;
  if (m0 === null) {
    const db = sh.b,
      bo = i * 8;
    gradWeights[i]! +=
      bb[0]! * db[bo + 4]! + bb[1]! * db[bo + 5]! + bb[2]! * db[bo + 6]! + bb[3]! * db[bo + 7]!;
    return;
  }
  ryPlus(z[zo + i]!, vry);
  const o = i * 16;
  let gw = 0,
    gz = 0;
  for (let r = 0; r < 2; r++) {
    const ar = m0[o + 4 * r]!,
      ai = m0[o + 4 * r + 1]!,
      br = m0[o + 4 * r + 2]!,
      bi = m0[o + 4 * r + 3]!;
    const er = m0[o + 8 + 4 * r]!,
      ei = m0[o + 8 + 4 * r + 1]!,
      fr2 = m0[o + 8 + 4 * r + 2]!,
      fi = m0[o + 8 + 4 * r + 3]!;
    const xr = bb[2 * r]!,
      xi = bb[2 * r + 1]!;
    gw += xr * (er * vry[0]! + fr2 * vry[1]!) + xi * (ei * vry[0]! + fi * vry[1]!);
    gz += xr * (ar * vry[2]! + br * vry[3]!) + xi * (ai * vry[2]! + bi * vry[3]!);
  }
  gradWeights[i]! += gw;
  gradInputs[zo + i]! += gz;
}
const bbar = new Float64Array(4);

/** Writes the gates u = M RX(z), W and D, conj(D) of every site of sample `bIdx` into the frame. */
export function buildFactors(
  p: Plan,
  sh: SharedFactors,
  z: Float64Array,
  zo: number,
  fr: Float64Array,
): void {
  const { Q, L, m } = p;
  for (let i = 0; i < Q; i++) {
    for (let l = 1; l < L; l++) {
      const ang = z[zo + Q * l + i]!;
      const c = Math.cos(ang / 2),
        s = Math.sin(ang / 2);
      const mo = (i * (L - 1) + (l - 1)) * 16,
        go = gateOffset(p, i, l);
      const M = sh.mm;
      for (let r = 0; r < 2; r++) {
        const ar = M[mo + 4 * r]!,
          ai = M[mo + 4 * r + 1]!,
          br = M[mo + 4 * r + 2]!,
          bi = M[mo + 4 * r + 3]!;
        // [a b] [[c, -is], [-is, c]]
        fr[go + 4 * r] = ar * c + bi * s;
        fr[go + 4 * r + 1] = ai * c - br * s;
        fr[go + 4 * r + 2] = ai * s + br * c;
        fr[go + 4 * r + 3] = -ar * s + bi * c;
      }
    }
    writeFirstVector(p, sh, z, zo, i, fr);
    const wo = wOffset(p, i),
      bo = p.b + 4 * i;
    const bv = fr;
    if (L === 1) {
      fr[wo] = 1;
      fr[wo + 1] = 0;
      for (let c = 0; c < 2; c++)
        for (let x = 0; x < 2; x++) {
          fr[dOffset(p, i, c) + 2 * x] = bv[bo + 2 * c]!;
          fr[dOffset(p, i, c) + 2 * x + 1] = bv[bo + 2 * c + 1]!;
          fr[dcOffset(p, i, c) + 2 * x] = bv[bo + 2 * c]!;
          fr[dcOffset(p, i, c) + 2 * x + 1] = -bv[bo + 2 * c + 1]!;
        }
      continue;
    }
    for (let l = 0; l < m; l++) {
      for (let lp = 0; lp < m; lp++) {
        const x = l ^ lp;
        let pr = bv[bo + 2 * (x & 1)]!,
          pi = bv[bo + 2 * (x & 1) + 1]!;
        for (let j = 1; j <= L - 2; j++) {
          const go = gateOffset(p, i, j) + 2 * (((x >> j) & 1) * 2 + ((l >> (j - 1)) & 1));
          const ur = fr[go]!,
            ui = fr[go + 1]!;
          const t = pr * ur - pi * ui;
          pi = pr * ui + pi * ur;
          pr = t;
        }
        fr[wo + 2 * (l * m + lp)] = pr;
        fr[wo + 2 * (l * m + lp) + 1] = pi;
      }
    }
    const top = gateOffset(p, i, L - 1);
    for (let c = 0; c < 2; c++) {
      const d = dOffset(p, i, c),
        dc = dcOffset(p, i, c);
      for (let x = 0; x < 2; x++) {
        const go = top + 2 * (c * 2 + x);
        fr[d + 2 * x] = fr[go]!;
        fr[d + 2 * x + 1] = fr[go + 1]!;
        fr[dc + 2 * x] = fr[go]!;
        fr[dc + 2 * x + 1] = -fr[go + 1]!;
      }
    }
  }
}

const scratch = { re: new Float64Array(64), im: new Float64Array(64) };

/**
 * Backward through buildFactors: from the cotangents of W, D and conj(D) in the
 * cotangent frame to d/dz and d/dtheta. Uses the convention df = Re sum conj(xbar) dx.
 */
export function factorGradients(
  p: Plan,
  sh: SharedFactors,
  z: Float64Array,
  zo: number,
  fr: Float64Array,
  cf: Float64Array,
  gradWeights: Float64Array,
  gradInputs: Float64Array,
): void {
  const { Q, L, m } = p;
  for (let i = 0; i < Q; i++) {
    // fold conj(D) cotangents: Dbar += conj(Dcbar)
    for (let c = 0; c < 2; c++) {
      const d = dOffset(p, i, c),
        dc = dcOffset(p, i, c);
      for (let x = 0; x < 2; x++) {
        cf[d + 2 * x]! += cf[dc + 2 * x]!;
        cf[d + 2 * x + 1]! -= cf[dc + 2 * x + 1]!;
      }
    }
    const bo = p.b + 4 * i;
    let bbr0 = 0,
      bbi0 = 0,
      bbr1 = 0,
      bbi1 = 0;
    if (L === 1) {
      bbr0 = cf[dOffset(p, i, 0)]!;
      bbi0 = cf[dOffset(p, i, 0) + 1]!;
      bbr1 = cf[dOffset(p, i, 1)]!;
      bbi1 = cf[dOffset(p, i, 1) + 1]!;
    } else {
      const top = gateOffset(p, i, L - 1);
      for (let c = 0; c < 2; c++) {
        const d = dOffset(p, i, c);
        for (let x = 0; x < 2; x++) {
          cf[top + 2 * (c * 2 + x)]! += cf[d + 2 * x]!;
          cf[top + 2 * (c * 2 + x) + 1]! += cf[d + 2 * x + 1]!;
        }
      }
      const wo = wOffset(p, i),
        bv = fr;
      if (L === 3) {
        // the paper's L = 3 (m = 4): two factors per W entry, W[l][l'] = b[x & 1] u_1[x >> 1, l & 1], x = l ^ l'
        const g1 = gateOffset(p, i, 1);
        for (let l = 0; l < 4; l++)
          for (let lp = 0; lp < 4; lp++) {
            const x = l ^ lp;
            const wbr = cf[wo + 2 * (l * 4 + lp)]!,
              wbi = cf[wo + 2 * (l * 4 + lp) + 1]!;
            if (wbr === 0 && wbi === 0) continue;
            const go = g1 + 2 * (((x >> 1) & 1) * 2 + (l & 1));
            // cot of b[x & 1] += Wbar conj(u), cot of u += Wbar conj(b)
            const ur = fr[go]!,
              ui = fr[go + 1]!,
              br = bv[bo + 2 * (x & 1)]!,
              bi = bv[bo + 2 * (x & 1) + 1]!;
            const cr = wbr * ur + wbi * ui,
              ci = wbi * ur - wbr * ui;
            if ((x & 1) === 0) {
              bbr0 += cr;
              bbi0 += ci;
            } else {
              bbr1 += cr;
              bbi1 += ci;
            }
            cf[go]! += wbr * br + wbi * bi;
            cf[go + 1]! += wbi * br - wbr * bi;
          }
      } else {
        const nf = L - 1;
        const fre = scratch.re,
          fim = scratch.im;
        for (let l = 0; l < m; l++) {
          for (let lp = 0; lp < m; lp++) {
            const x = l ^ lp;
            const wbr = cf[wo + 2 * (l * m + lp)]!,
              wbi = cf[wo + 2 * (l * m + lp) + 1]!;
            if (wbr === 0 && wbi === 0) continue;
            fre[0] = bv[bo + 2 * (x & 1)]!;
            fim[0] = bv[bo + 2 * (x & 1) + 1]!;
            for (let j = 1; j <= L - 2; j++) {
              const go = gateOffset(p, i, j) + 2 * (((x >> j) & 1) * 2 + ((l >> (j - 1)) & 1));
              fre[j] = fr[go]!;
              fim[j] = fr[go + 1]!;
            }
            for (let k = 0; k < nf; k++) {
              let pr = 1,
                pi = 0;
              for (let j = 0; j < nf; j++) {
                if (j === k) continue;
                const t = pr * fre[j]! - pi * fim[j]!;
                pi = pr * fim[j]! + pi * fre[j]!;
                pr = t;
              }
              // cot += Wbar * conj(prod of others)
              const cr = wbr * pr + wbi * pi,
                ci = wbi * pr - wbr * pi;
              if (k === 0) {
                if ((x & 1) === 0) {
                  bbr0 += cr;
                  bbi0 += ci;
                } else {
                  bbr1 += cr;
                  bbi1 += ci;
                }
              } else {
                const go = gateOffset(p, i, k) + 2 * (((x >> k) & 1) * 2 + ((l >> (k - 1)) & 1));
                cf[go]! += cr;
                cf[go + 1]! += ci;
              }
            }
          }
        }
      }
    }
    // block 0: b = R2 R1 |+> (or R2 R1 RY(z) |+>)
    bbar[0] = bbr0;
    bbar[1] = bbi0;
    bbar[2] = bbr1;
    bbar[3] = bbi1;
    firstVectorGradients(sh, z, zo, i, bbar, gradWeights, gradInputs);
    // blocks l >= 1: u = M RX(z)
    for (let l = 1; l < L; l++) {
      const ang = z[zo + Q * l + i]!;
      const c = Math.cos(ang / 2),
        s = Math.sin(ang / 2);
      const mo = (i * (L - 1) + (l - 1)) * 16,
        go = gateOffset(p, i, l);
      let gz = 0,
        gt = 0;
      for (let r = 0; r < 2; r++) {
        const ub0r = cf[go + 4 * r]!,
          ub0i = cf[go + 4 * r + 1]!,
          ub1r = cf[go + 4 * r + 2]!,
          ub1i = cf[go + 4 * r + 3]!;
        // M dRX/dz with dRX = [[-s/2, -ic/2], [-ic/2, -s/2]]
        const ar = sh.mm[mo + 4 * r]!,
          ai = sh.mm[mo + 4 * r + 1]!,
          br = sh.mm[mo + 4 * r + 2]!,
          bi = sh.mm[mo + 4 * r + 3]!;
        const h = 0.5 * s,
          k = 0.5 * c;
        const dz0r = -ar * h + bi * k,
          dz0i = -ai * h - br * k;
        const dz1r = ai * k - br * h,
          dz1i = -ar * k - bi * h;
        gz += ub0r * dz0r + ub0i * dz0i + ub1r * dz1r + ub1i * dz1i;
        // dM RX
        const er = sh.mm[mo + 8 + 4 * r]!,
          ei = sh.mm[mo + 8 + 4 * r + 1]!,
          fr2 = sh.mm[mo + 8 + 4 * r + 2]!,
          fi = sh.mm[mo + 8 + 4 * r + 3]!;
        const dt0r = er * c + fi * s,
          dt0i = ei * c - fr2 * s;
        const dt1r = ei * s + fr2 * c,
          dt1i = -er * s + fi * c;
        gt += ub0r * dt0r + ub0i * dt0i + ub1r * dt1r + ub1i * dt1i;
      }
      gradInputs[zo + Q * l + i]! += gz;
      gradWeights[Q * l + i]! += gt;
    }
  }
}
