/**
 * Fused diagonal-scaling kernels of the environment chains (see chains.ts):
 * one pass over the m x m blocks produces every output of a step, instead of
 * one D1 X D2^dag call per (s, y') term. D(0) = a, D(1) = b are two-valued
 * (quadrants of half size h; see flat-cmat.ts quadrant); blocks interleaved.
 *
 * Left step:  EL'(0) = wA X0 + wB X1,  EL'(1) = wB X0 + wA X1,
 *             wA = a[q] conj(a[q']), wB = b[q] conj(b[q']) on quadrant (q, q').
 * Right step: G00 = v00 R0 + v11 R1,  G11 = v11 R0 + v00 R1,  G01 = v01 R0 + v10 R1,
 *             v_cc' = conj(d_c[q]) d_c'[q'] with d_0 = a, d_1 = b.
 */
type F64 = Float64Array;

const half = (m: number): number => (m > 1 ? m >> 1 : 1);

/** EL'(0), EL'(1) at y0o, y1o from F(0), F(1) at x0o, x1o (x1 absent at site 0: `single`). */
export function leftStepFused(
  m: number,
  f: F64,
  y0o: number,
  y1o: number,
  x0o: number,
  x1o: number,
  ao: number,
  bo: number,
  single: boolean,
): void {
  const h = half(m);
  for (let q1 = 0; q1 < 2 && q1 * h < m; q1++)
    for (let q2 = 0; q2 < 2 && q2 * h < m; q2++) {
      const ar = f[ao + 2 * q1]!,
        ai = f[ao + 2 * q1 + 1]!,
        cr = f[ao + 2 * q2]!,
        ci = -f[ao + 2 * q2 + 1]!;
      const br = f[bo + 2 * q1]!,
        bi = f[bo + 2 * q1 + 1]!,
        dr = f[bo + 2 * q2]!,
        di = -f[bo + 2 * q2 + 1]!;
      const aR = ar * cr - ai * ci,
        aI = ar * ci + ai * cr,
        bR = br * dr - bi * di,
        bI = br * di + bi * dr;
      for (let r = q1 * h; r < Math.min(m, q1 * h + h); r++)
        for (let c = q2 * h; c < Math.min(m, q2 * h + h); c++) {
          const e = 2 * (r * m + c);
          const x0r = f[x0o + e]!,
            x0i = f[x0o + e + 1]!;
          const x1r = single ? 0 : f[x1o + e]!,
            x1i = single ? 0 : f[x1o + e + 1]!;
          f[y0o + e] = aR * x0r - aI * x0i + bR * x1r - bI * x1i;
          f[y0o + e + 1] = aR * x0i + aI * x0r + bR * x1i + bI * x1r;
          f[y1o + e] = bR * x0r - bI * x0i + aR * x1r - aI * x1i;
          f[y1o + e + 1] = bR * x0i + bI * x0r + aR * x1i + aI * x1r;
        }
    }
}

/**
 * Adjoint of leftStepFused: Fbar(0), Fbar(1) (in cf) += from ELbar'(0), ELbar'(1) (in cf),
 * and the cotangents of a, b (in cf at the same offsets as a, b in fr).
 */
export function leftStepFusedBack(
  m: number,
  fr: F64,
  cf: F64,
  y0o: number,
  y1o: number,
  x0o: number,
  x1o: number,
  ao: number,
  bo: number,
  single: boolean,
): void {
  const h = half(m);
  for (let q1 = 0; q1 < 2 && q1 * h < m; q1++)
    for (let q2 = 0; q2 < 2 && q2 * h < m; q2++) {
      const ar = fr[ao + 2 * q1]!,
        ai = fr[ao + 2 * q1 + 1]!,
        cr = fr[ao + 2 * q2]!,
        ci = -fr[ao + 2 * q2 + 1]!;
      const br = fr[bo + 2 * q1]!,
        bi = fr[bo + 2 * q1 + 1]!,
        dr = fr[bo + 2 * q2]!,
        di = -fr[bo + 2 * q2 + 1]!;
      // conj(wA), conj(wB)
      const aR = ar * cr - ai * ci,
        aI = -(ar * ci + ai * cr),
        bR = br * dr - bi * di,
        bI = -(br * di + bi * dr);
      let tAr = 0,
        tAi = 0,
        tBr = 0,
        tBi = 0;
      for (let r = q1 * h; r < Math.min(m, q1 * h + h); r++)
        for (let c = q2 * h; c < Math.min(m, q2 * h + h); c++) {
          const e = 2 * (r * m + c);
          const e0r = cf[y0o + e]!,
            e0i = cf[y0o + e + 1]!,
            e1r = cf[y1o + e]!,
            e1i = cf[y1o + e + 1]!;
          const x0r = fr[x0o + e]!,
            x0i = fr[x0o + e + 1]!;
          cf[x0o + e]! += aR * e0r - aI * e0i + bR * e1r - bI * e1i;
          cf[x0o + e + 1]! += aR * e0i + aI * e0r + bR * e1i + bI * e1r;
          // tA += e0 conj(x0) (+ e1 conj(x1)), tB += e1 conj(x0) (+ e0 conj(x1))
          tAr += e0r * x0r + e0i * x0i;
          tAi += e0i * x0r - e0r * x0i;
          tBr += e1r * x0r + e1i * x0i;
          tBi += e1i * x0r - e1r * x0i;
          if (!single) {
            const x1r = fr[x1o + e]!,
              x1i = fr[x1o + e + 1]!;
            cf[x1o + e]! += bR * e0r - bI * e0i + aR * e1r - aI * e1i;
            cf[x1o + e + 1]! += bR * e0i + bI * e0r + aR * e1i + aI * e1r;
            tAr += e1r * x1r + e1i * x1i;
            tAi += e1i * x1r - e1r * x1i;
            tBr += e0r * x1r + e0i * x1i;
            tBi += e0i * x1r - e0r * x1i;
          }
        }
      // g[q1] += t d[q2]; g[q2] += conj(t) d[q1], for d = a (tA) and d = b (tB)
      addPair(
        cf,
        ao,
        ao,
        tAr,
        tAi,
        q1,
        q2,
        fr[ao + 2 * q1]!,
        fr[ao + 2 * q1 + 1]!,
        fr[ao + 2 * q2]!,
        fr[ao + 2 * q2 + 1]!,
      );
      addPair(
        cf,
        bo,
        bo,
        tBr,
        tBi,
        q1,
        q2,
        fr[bo + 2 * q1]!,
        fr[bo + 2 * q1 + 1]!,
        fr[bo + 2 * q2]!,
        fr[bo + 2 * q2 + 1]!,
      );
    }
}

/** G00, G11 (and G01 when `off`) at g00o, g11o, g01o from R0 = R'(0,0), R1 = R'(1,1). */
export function rightStepFused(
  m: number,
  f: F64,
  g00o: number,
  g11o: number,
  g01o: number,
  r0o: number,
  r1o: number,
  ao: number,
  bo: number,
  off: boolean,
): void {
  const h = half(m);
  for (let q1 = 0; q1 < 2 && q1 * h < m; q1++)
    for (let q2 = 0; q2 < 2 && q2 * h < m; q2++) {
      // conj(d_c[q1]) d_c'[q2]
      const a1r = f[ao + 2 * q1]!,
        a1i = -f[ao + 2 * q1 + 1]!,
        a2r = f[ao + 2 * q2]!,
        a2i = f[ao + 2 * q2 + 1]!;
      const b1r = f[bo + 2 * q1]!,
        b1i = -f[bo + 2 * q1 + 1]!,
        b2r = f[bo + 2 * q2]!,
        b2i = f[bo + 2 * q2 + 1]!;
      const v00r = a1r * a2r - a1i * a2i,
        v00i = a1r * a2i + a1i * a2r;
      const v11r = b1r * b2r - b1i * b2i,
        v11i = b1r * b2i + b1i * b2r;
      const v01r = a1r * b2r - a1i * b2i,
        v01i = a1r * b2i + a1i * b2r;
      const v10r = b1r * a2r - b1i * a2i,
        v10i = b1r * a2i + b1i * a2r;
      for (let r = q1 * h; r < Math.min(m, q1 * h + h); r++)
        for (let c = q2 * h; c < Math.min(m, q2 * h + h); c++) {
          const e = 2 * (r * m + c);
          const x0r = f[r0o + e]!,
            x0i = f[r0o + e + 1]!,
            x1r = f[r1o + e]!,
            x1i = f[r1o + e + 1]!;
          f[g00o + e] = v00r * x0r - v00i * x0i + v11r * x1r - v11i * x1i;
          f[g00o + e + 1] = v00r * x0i + v00i * x0r + v11r * x1i + v11i * x1r;
          f[g11o + e] = v11r * x0r - v11i * x0i + v00r * x1r - v00i * x1i;
          f[g11o + e + 1] = v11r * x0i + v11i * x0r + v00r * x1i + v00i * x1r;
          if (off) {
            f[g01o + e] = v01r * x0r - v01i * x0i + v10r * x1r - v10i * x1i;
            f[g01o + e + 1] = v01r * x0i + v01i * x0r + v10r * x1i + v10i * x1r;
          }
        }
    }
}

/**
 * Adjoint of rightStepFused: Rbar0, Rbar1 (cf) += from Gbar00, Gbar11, Gbar01 (cf), and the
 * cotangents of conj(D): the kernel reads a, b = D(0), D(1) at ao, bo in fr and adds
 * the cotangents of conj(a), conj(b) at cao, cbo in cf.
 */
export function rightStepFusedBack(
  m: number,
  fr: F64,
  cf: F64,
  g00o: number,
  g11o: number,
  g01o: number,
  r0o: number,
  r1o: number,
  ao: number,
  bo: number,
  cao: number,
  cbo: number,
  off: boolean,
): void {
  const h = half(m);
  for (let q1 = 0; q1 < 2 && q1 * h < m; q1++)
    for (let q2 = 0; q2 < 2 && q2 * h < m; q2++) {
      const a1r = fr[ao + 2 * q1]!,
        a1i = -fr[ao + 2 * q1 + 1]!,
        a2r = fr[ao + 2 * q2]!,
        a2i = fr[ao + 2 * q2 + 1]!;
      const b1r = fr[bo + 2 * q1]!,
        b1i = -fr[bo + 2 * q1 + 1]!,
        b2r = fr[bo + 2 * q2]!,
        b2i = fr[bo + 2 * q2 + 1]!;
      // conj of the forward weights
      const v00r = a1r * a2r - a1i * a2i,
        v00i = -(a1r * a2i + a1i * a2r);
      const v11r = b1r * b2r - b1i * b2i,
        v11i = -(b1r * b2i + b1i * b2r);
      const v01r = a1r * b2r - a1i * b2i,
        v01i = -(a1r * b2i + a1i * b2r);
      const v10r = b1r * a2r - b1i * a2i,
        v10i = -(b1r * a2i + b1i * a2r);
      let s00r = 0,
        s00i = 0,
        s11r = 0,
        s11i = 0,
        s01r = 0,
        s01i = 0,
        s10r = 0,
        s10i = 0;
      for (let r = q1 * h; r < Math.min(m, q1 * h + h); r++)
        for (let c = q2 * h; c < Math.min(m, q2 * h + h); c++) {
          const e = 2 * (r * m + c);
          const p0r = cf[g00o + e]!,
            p0i = cf[g00o + e + 1]!,
            p1r = cf[g11o + e]!,
            p1i = cf[g11o + e + 1]!;
          const x0r = fr[r0o + e]!,
            x0i = fr[r0o + e + 1]!,
            x1r = fr[r1o + e]!,
            x1i = fr[r1o + e + 1]!;
          let z0r = v00r * p0r - v00i * p0i + v11r * p1r - v11i * p1i,
            z0i = v00r * p0i + v00i * p0r + v11r * p1i + v11i * p1r;
          let z1r = v11r * p0r - v11i * p0i + v00r * p1r - v00i * p1i,
            z1i = v11r * p0i + v11i * p0r + v00r * p1i + v00i * p1r;
          // S00 += G00 conj(R0) + G11 conj(R1); S11 += G00 conj(R1) + G11 conj(R0)
          s00r += p0r * x0r + p0i * x0i + p1r * x1r + p1i * x1i;
          s00i += p0i * x0r - p0r * x0i + p1i * x1r - p1r * x1i;
          s11r += p0r * x1r + p0i * x1i + p1r * x0r + p1i * x0i;
          s11i += p0i * x1r - p0r * x1i + p1i * x0r - p1r * x0i;
          if (off) {
            const qr = cf[g01o + e]!,
              qi = cf[g01o + e + 1]!;
            z0r += v01r * qr - v01i * qi;
            z0i += v01r * qi + v01i * qr;
            z1r += v10r * qr - v10i * qi;
            z1i += v10r * qi + v10i * qr;
            s01r += qr * x0r + qi * x0i;
            s01i += qi * x0r - qr * x0i;
            s10r += qr * x1r + qi * x1i;
            s10i += qi * x1r - qr * x1i;
          }
          cf[r0o + e]! += z0r;
          cf[r0o + e + 1]! += z0i;
          cf[r1o + e]! += z1r;
          cf[r1o + e + 1]! += z1i;
        }
      // the stored conj(D) are e = (a1, conj(a2)) etc.: g[c1][q1] += S e_c2[q2], g[c2][q2] += conj(S) e_c1[q1]
      addPair(cf, cao, cao, s00r, s00i, q1, q2, a1r, a1i, a2r, -a2i);
      addPair(cf, cbo, cbo, s11r, s11i, q1, q2, b1r, b1i, b2r, -b2i);
      if (off) {
        addPair(cf, cao, cbo, s01r, s01i, q1, q2, a1r, a1i, b2r, -b2i);
        addPair(cf, cbo, cao, s10r, s10i, q1, q2, b1r, b1i, a2r, -a2i);
      }
    }
}

/**
 * Cotangents of the two diagonals of a term Y = D1 X D2^dag with quadrant sum
 * S = sum Ybar conj(X) over quadrant (q1, q2): g1[q1] += S d2[q2] and
 * g2[q2] += conj(S) d1[q1], given d1[q1] = (e1r, e1i) and d2[q2] = (e2r, e2i).
 */
function addPair(
  cf: F64,
  g1o: number,
  g2o: number,
  sr: number,
  si: number,
  q1: number,
  q2: number,
  e1r: number,
  e1i: number,
  e2r: number,
  e2i: number,
): void {
  cf[g1o + 2 * q1]! += sr * e2r - si * e2i;
  cf[g1o + 2 * q1 + 1]! += sr * e2i + si * e2r;
  cf[g2o + 2 * q2]! += sr * e1r + si * e1i;
  cf[g2o + 2 * q2 + 1]! += sr * e1i - si * e1r;
}
