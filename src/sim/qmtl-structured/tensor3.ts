/**
 * Complex three-index tensors T[a, s, b] (left bond, physical, right bond),
 * split into real and imaginary Float64Arrays, index (a*d + s)*dr + b. These
 * are the site and block tensors of the QMTL engine's matrix-product state.
 */
export interface T3 {
  readonly dl: number;
  readonly d: number;
  readonly dr: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** A complex square matrix (bond environments, density matrices). */
export interface CM {
  readonly n: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

export function t3(dl: number, d: number, dr: number): T3 {
  const len = dl * d * dr;
  return { dl, d, dr, re: new Float64Array(len), im: new Float64Array(len) };
}

export function cm(n: number): CM {
  return { n, re: new Float64Array(n * n), im: new Float64Array(n * n) };
}

export function cmIdentity1(): CM {
  const m = cm(1);
  m.re[0] = 1;
  return m;
}

/** Y[a, s, b] = sum_t M[s, t] X[a, t, b] for a dense d x d matrix M (row-major split). */
export function applyPhys(x: T3, mre: ArrayLike<number>, mim: ArrayLike<number>): T3 {
  const { dl, d, dr } = x;
  const y = t3(dl, d, dr);
  for (let a = 0; a < dl; a++) {
    for (let s = 0; s < d; s++) {
      const yo = (a * d + s) * dr;
      for (let t = 0; t < d; t++) {
        const mr = mre[s * d + t]!,
          mi = mim[s * d + t]!;
        if (mr === 0 && mi === 0) continue;
        const xo = (a * d + t) * dr;
        for (let b = 0; b < dr; b++) {
          const xr = x.re[xo + b]!,
            xi = x.im[xo + b]!;
          y.re[yo + b]! += mr * xr - mi * xi;
          y.im[yo + b]! += mr * xi + mi * xr;
        }
      }
    }
  }
  return y;
}

/** C[a, (s,t), c] = sum_b X[a, s, b] Y[b, t, c]: merges two neighbouring tensors. */
export function mergeSites(x: T3, y: T3): T3 {
  const z = t3(x.dl, x.d * y.d, y.dr);
  for (let a = 0; a < x.dl; a++)
    for (let s = 0; s < x.d; s++)
      for (let b = 0; b < x.dr; b++) {
        const xr = x.re[(a * x.d + s) * x.dr + b]!,
          xi = x.im[(a * x.d + s) * x.dr + b]!;
        if (xr === 0 && xi === 0) continue;
        for (let t = 0; t < y.d; t++) {
          const yo = (b * y.d + t) * y.dr;
          const zo = (a * z.d + s * y.d + t) * z.dr;
          for (let c = 0; c < y.dr; c++) {
            const yr = y.re[yo + c]!,
              yi = y.im[yo + c]!;
            z.re[zo + c]! += xr * yr - xi * yi;
            z.im[zo + c]! += xr * yi + xi * yr;
          }
        }
      }
  return z;
}

/** Y[a', s, b] = sum_a E[a, a'] X[a, s, b]  (E^T acting on the left bond). */
export function envLeft(e: CM, x: T3): T3 {
  const { dl, d, dr } = x;
  const y = t3(dl, d, dr);
  const row = d * dr;
  for (let a = 0; a < dl; a++)
    for (let ap = 0; ap < dl; ap++) {
      const er = e.re[a * dl + ap]!,
        ei = e.im[a * dl + ap]!;
      if (er === 0 && ei === 0) continue;
      const xo = a * row,
        yo = ap * row;
      for (let k = 0; k < row; k++) {
        const xr = x.re[xo + k]!,
          xi = x.im[xo + k]!;
        y.re[yo + k]! += er * xr - ei * xi;
        y.im[yo + k]! += er * xi + ei * xr;
      }
    }
  return y;
}

/** Y[a, s, b'] = sum_b X[a, s, b] E[b, b']. */
export function envRight(x: T3, e: CM): T3 {
  const { dl, d, dr } = x;
  const y = t3(dl, d, dr);
  for (let r = 0; r < dl * d; r++) {
    const o = r * dr;
    for (let b = 0; b < dr; b++) {
      const xr = x.re[o + b]!,
        xi = x.im[o + b]!;
      if (xr === 0 && xi === 0) continue;
      for (let bp = 0; bp < dr; bp++) {
        const er = e.re[b * dr + bp]!,
          ei = e.im[b * dr + bp]!;
        y.re[o + bp]! += xr * er - xi * ei;
        y.im[o + bp]! += xr * ei + xi * er;
      }
    }
  }
  return y;
}

/** E[b, b'] = sum_{a, s} X[a, s, b] conj(Y[a, s, b'])  (left-to-right transfer). */
export function closeLeft(x: T3, y: T3): CM {
  const { dl, d, dr } = x;
  const e = cm(dr);
  for (let r = 0; r < dl * d; r++) {
    const o = r * dr;
    for (let b = 0; b < dr; b++) {
      const xr = x.re[o + b]!,
        xi = x.im[o + b]!;
      for (let bp = 0; bp < dr; bp++) {
        const yr = y.re[o + bp]!,
          yi = y.im[o + bp]!;
        e.re[b * dr + bp]! += xr * yr + xi * yi;
        e.im[b * dr + bp]! += xi * yr - xr * yi;
      }
    }
  }
  return e;
}

/** E[a, a'] = sum_{s, b} X[a, s, b] conj(Y[a', s, b])  (right-to-left transfer). */
export function closeRight(x: T3, y: T3): CM {
  const { dl, d, dr } = x;
  const e = cm(dl);
  const row = d * dr;
  for (let a = 0; a < dl; a++)
    for (let ap = 0; ap < dl; ap++) {
      let sr = 0,
        si = 0;
      const xo = a * row,
        yo = ap * row;
      for (let k = 0; k < row; k++) {
        const xr = x.re[xo + k]!,
          xi = x.im[xo + k]!,
          yr = y.re[yo + k]!,
          yi = y.im[yo + k]!;
        sr += xr * yr + xi * yi;
        si += xi * yr - xr * yi;
      }
      e.re[a * dl + ap] = sr;
      e.im[a * dl + ap] = si;
    }
  return e;
}

/** rho[s, s'] = sum_{a, b} X[a, s, b] conj(Y[a, s', b])  (close both bonds, keep the physical pair). */
export function closeBoth(x: T3, y: T3): CM {
  const { dl, d, dr } = x;
  const rho = cm(d);
  for (let a = 0; a < dl; a++)
    for (let s = 0; s < d; s++) {
      const xo = (a * d + s) * dr;
      for (let sp = 0; sp < d; sp++) {
        const yo = (a * d + sp) * dr;
        let sr = 0,
          si = 0;
        for (let b = 0; b < dr; b++) {
          const xr = x.re[xo + b]!,
            xi = x.im[xo + b]!,
            yr = y.re[yo + b]!,
            yi = y.im[yo + b]!;
          sr += xr * yr + xi * yi;
          si += xi * yr - xr * yi;
        }
        rho.re[s * d + sp]! += sr;
        rho.im[s * d + sp]! += si;
      }
    }
  return rho;
}

export function addInto(
  dst: { re: Float64Array; im: Float64Array },
  src: { re: Float64Array; im: Float64Array },
): void {
  for (let k = 0; k < dst.re.length; k++) {
    dst.re[k]! += src.re[k]!;
    dst.im[k]! += src.im[k]!;
  }
}
