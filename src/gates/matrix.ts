/**
 * Small dense complex matrices, split into real and imaginary Float64Arrays,
 * row-major. Used for gate matrices (2x2, 4x4) and the task heads' 2^S x 2^S
 * unitaries (S <= 6 or so); the statevector kernels never go through these.
 */
export interface CMatrix {
  readonly dim: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

export function cmat(dim: number): CMatrix {
  return { dim, re: new Float64Array(dim * dim), im: new Float64Array(dim * dim) };
}

export function identity(dim: number): CMatrix {
  const m = cmat(dim);
  for (let i = 0; i < dim; i++) m.re[i * dim + i] = 1;
  return m;
}

export function fromRows(rows: ReadonlyArray<ReadonlyArray<readonly [number, number] | number>>): CMatrix {
  const dim = rows.length;
  const m = cmat(dim);
  rows.forEach((row, i) => {
    if (row.length !== dim) throw new Error(`fromRows: row ${i} has length ${row.length}, expected ${dim}`);
    row.forEach((v, j) => {
      if (typeof v === "number") m.re[i * dim + j] = v;
      else {
        m.re[i * dim + j] = v[0];
        m.im[i * dim + j] = v[1];
      }
    });
  });
  return m;
}

/** C = A B */
export function matmul(a: CMatrix, b: CMatrix): CMatrix {
  const n = a.dim;
  const c = cmat(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const ar = a.re[i * n + k]!,
        ai = a.im[i * n + k]!;
      if (ar === 0 && ai === 0) continue;
      for (let j = 0; j < n; j++) {
        const br = b.re[k * n + j]!,
          bi = b.im[k * n + j]!;
        c.re[i * n + j]! += ar * br - ai * bi;
        c.im[i * n + j]! += ar * bi + ai * br;
      }
    }
  }
  return c;
}

/** Conjugate transpose. */
export function dagger(a: CMatrix): CMatrix {
  const n = a.dim;
  const c = cmat(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      c.re[j * n + i] = a.re[i * n + j]!;
      c.im[j * n + i] = -a.im[i * n + j]!;
    }
  }
  return c;
}

export function scale(a: CMatrix, sr: number, si = 0): CMatrix {
  const c = cmat(a.dim);
  for (let k = 0; k < a.re.length; k++) {
    const r = a.re[k]!,
      i = a.im[k]!;
    c.re[k] = r * sr - i * si;
    c.im[k] = r * si + i * sr;
  }
  return c;
}

export function add(a: CMatrix, b: CMatrix): CMatrix {
  const c = cmat(a.dim);
  for (let k = 0; k < a.re.length; k++) {
    c.re[k] = a.re[k]! + b.re[k]!;
    c.im[k] = a.im[k]! + b.im[k]!;
  }
  return c;
}

/** Kronecker product A (x) B. */
export function kron(a: CMatrix, b: CMatrix): CMatrix {
  const n = a.dim * b.dim;
  const c = cmat(n);
  for (let i = 0; i < a.dim; i++)
    for (let j = 0; j < a.dim; j++) {
      const ar = a.re[i * a.dim + j]!,
        ai = a.im[i * a.dim + j]!;
      for (let k = 0; k < b.dim; k++)
        for (let l = 0; l < b.dim; l++) {
          const br = b.re[k * b.dim + l]!,
            bi = b.im[k * b.dim + l]!;
          const idx = (i * b.dim + k) * n + (j * b.dim + l);
          c.re[idx] = ar * br - ai * bi;
          c.im[idx] = ar * bi + ai * br;
        }
    }
  return c;
}

/** max |A - B| over entries (for tests and checks). */
export function maxAbsDiff(a: CMatrix, b: CMatrix): number {
  let m = 0;
  for (let k = 0; k < a.re.length; k++) {
    m = Math.max(m, Math.abs(a.re[k]! - b.re[k]!), Math.abs(a.im[k]! - b.im[k]!));
  }
  return m;
}
