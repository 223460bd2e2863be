import { matmul, type CMatrix } from "../../gates/matrix.ts";
import { rot, ry, rz } from "../../gates/spec.ts";

/**
 * A task block (StronglyEntanglingLayers on S wires) as its sequence of local
 * factors, applied to 2^S x 2^S matrices (interleaved re/im, row-major) in
 * O(4^S) each instead of dense O(8^S) products. Wire 0 is the most
 * significant bit of the local index.
 */
export type HeadFactor =
  | {
      readonly kind: "rot";
      readonly wire: number;
      readonly weight: number;
      /** Rot(phi, theta, omega) and its derivatives in phi, theta, omega: 4 x 8 doubles */
      readonly m: Float64Array;
    }
  | { readonly kind: "cnot"; readonly control: number; readonly target: number };

function pack(ms: readonly CMatrix[]): Float64Array {
  const out = new Float64Array(8 * ms.length);
  ms.forEach((m, k) => {
    for (let e = 0; e < 4; e++) {
      out[8 * k + 2 * e] = m.re[e]!;
      out[8 * k + 2 * e + 1] = m.im[e]!;
    }
  });
  return out;
}

/** -i/2 times Pauli Z and Y */
const GZ: CMatrix = { dim: 2, re: Float64Array.from([0, 0, 0, 0]), im: Float64Array.from([-0.5, 0, 0, 0.5]) };
const GY: CMatrix = { dim: 2, re: Float64Array.from([0, -0.5, 0.5, 0]), im: Float64Array.from([0, 0, 0, 0]) };

/** The factors of task block weights w[offset ..] in application order (PennyLane's default ranges). */
export function headFactors(S: number, Lh: number, w: ArrayLike<number>, offset: number): HeadFactor[] {
  const out: HeadFactor[] = [];
  for (let l = 0; l < Lh; l++) {
    for (let k = 0; k < S; k++) {
      const base = offset + (l * S + k) * 3;
      const phi = w[base]!,
        th = w[base + 1]!,
        om = w[base + 2]!;
      const r = rot(phi, th, om);
      const dPhi = matmul(r, GZ);
      const dTh = matmul(rz(om), matmul(matmul(GY, ry(th)), rz(phi)));
      const dOm = matmul(GZ, r);
      out.push({ kind: "rot", wire: k, weight: base, m: pack([r, dPhi, dTh, dOm]) });
    }
    if (S > 1) {
      const r = (l % (S - 1)) + 1;
      for (let k = 0; k < S; k++) out.push({ kind: "cnot", control: k, target: (k + r) % S });
    }
  }
  return out;
}

/** X <- F X (F acting on the row index) */
export function applyLeft(f: HeadFactor, S: number, x: Float64Array): void {
  const dim = 1 << S;
  if (f.kind === "cnot") {
    const cs = 1 << (S - 1 - f.control),
      ts = 1 << (S - 1 - f.target);
    for (let r = 0; r < dim; r++) {
      if ((r & cs) === 0 || (r & ts) !== 0) continue;
      const a = 2 * r * dim,
        b = 2 * (r | ts) * dim;
      for (let e = 0; e < 2 * dim; e++) {
        const t = x[a + e]!;
        x[a + e] = x[b + e]!;
        x[b + e] = t;
      }
    }
    return;
  }
  const s = 1 << (S - 1 - f.wire),
    m = f.m;
  const g0r = m[0]!,
    g0i = m[1]!,
    g1r = m[2]!,
    g1i = m[3]!,
    g2r = m[4]!,
    g2i = m[5]!,
    g3r = m[6]!,
    g3i = m[7]!;
  for (let r0 = 0; r0 < dim; r0++) {
    if ((r0 & s) !== 0) continue;
    const a = 2 * r0 * dim,
      b = 2 * (r0 | s) * dim;
    for (let e = 0; e < 2 * dim; e += 2) {
      const xr = x[a + e]!,
        xi = x[a + e + 1]!,
        yr = x[b + e]!,
        yi = x[b + e + 1]!;
      x[a + e] = g0r * xr - g0i * xi + g1r * yr - g1i * yi;
      x[a + e + 1] = g0r * xi + g0i * xr + g1r * yi + g1i * yr;
      x[b + e] = g2r * xr - g2i * xi + g3r * yr - g3i * yi;
      x[b + e + 1] = g2r * xi + g2i * xr + g3r * yi + g3i * yr;
    }
  }
}

/** X <- X F^dag (F^dag acting on the column index) */
export function applyRightDagger(f: HeadFactor, S: number, x: Float64Array): void {
  const dim = 1 << S;
  if (f.kind === "cnot") {
    const cs = 1 << (S - 1 - f.control),
      ts = 1 << (S - 1 - f.target);
    for (let c = 0; c < dim; c++) {
      if ((c & cs) === 0 || (c & ts) !== 0) continue;
      const d = c | ts;
      for (let r = 0; r < dim; r++) {
        const a = 2 * (r * dim + c),
          b = 2 * (r * dim + d);
        const tr = x[a]!,
          ti = x[a + 1]!;
        x[a] = x[b]!;
        x[a + 1] = x[b + 1]!;
        x[b] = tr;
        x[b + 1] = ti;
      }
    }
    return;
  }
  const s = 1 << (S - 1 - f.wire),
    m = f.m;
  // (X F^dag)[r, c0] = X[r, c0] conj(F[c0, c0]) + X[r, c1] conj(F[c0, c1]), likewise c1
  const g0r = m[0]!,
    g0i = -m[1]!,
    g1r = m[2]!,
    g1i = -m[3]!,
    g2r = m[4]!,
    g2i = -m[5]!,
    g3r = m[6]!,
    g3i = -m[7]!;
  for (let r = 0; r < dim; r++)
    for (let c0 = 0; c0 < dim; c0++) {
      if ((c0 & s) !== 0) continue;
      const a = 2 * (r * dim + c0),
        b = 2 * (r * dim + (c0 | s));
      const xr = x[a]!,
        xi = x[a + 1]!,
        yr = x[b]!,
        yi = x[b + 1]!;
      x[a] = xr * g0r - xi * g0i + yr * g1r - yi * g1i;
      x[a + 1] = xr * g0i + xi * g0r + yr * g1i + yi * g1r;
      x[b] = xr * g2r - xi * g2i + yr * g3r - yi * g3i;
      x[b + 1] = xr * g2i + xi * g2r + yr * g3i + yi * g3r;
    }
}

/**
 * For a Rot factor and X: Re Tr(dF X) for its three parameters, via the 2x2
 * partial trace Xred[b, a] = sum_rest X[(rest, b), (rest, a)].
 */
export function rotGradients(
  f: HeadFactor & { kind: "rot" },
  S: number,
  x: Float64Array,
  out: Float64Array,
): void {
  const dim = 1 << S,
    s = 1 << (S - 1 - f.wire);
  let r00r = 0,
    r00i = 0,
    r01r = 0,
    r01i = 0,
    r10r = 0,
    r10i = 0,
    r11r = 0,
    r11i = 0;
  for (let i = 0; i < dim; i++) {
    if ((i & s) !== 0) continue;
    const j = i | s;
    const e00 = 2 * (i * dim + i),
      e01 = 2 * (i * dim + j),
      e10 = 2 * (j * dim + i),
      e11 = 2 * (j * dim + j);
    r00r += x[e00]!;
    r00i += x[e00 + 1]!;
    r01r += x[e01]!;
    r01i += x[e01 + 1]!;
    r10r += x[e10]!;
    r10i += x[e10 + 1]!;
    r11r += x[e11]!;
    r11i += x[e11 + 1]!;
  }
  // Tr(D Xred) = D00 X00 + D01 X10 + D10 X01 + D11 X11 (real part)
  for (let k = 0; k < 3; k++) {
    const d = 8 * (k + 1),
      m = f.m;
    out[k] =
      m[d]! * r00r -
      m[d + 1]! * r00i +
      m[d + 2]! * r10r -
      m[d + 3]! * r10i +
      m[d + 4]! * r01r -
      m[d + 5]! * r01i +
      m[d + 6]! * r11r -
      m[d + 7]! * r11i;
  }
}
