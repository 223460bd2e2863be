import { cmat, kron, identity, matmul, type CMatrix } from "../../gates/matrix.ts";
import { PAULI, rot, rx, ry, rz } from "../../gates/spec.ts";
import type { PauliWord } from "../../circuits/pauli.ts";
import type { EncoderOrder, FirstRotation } from "../../circuits/qmtl.ts";

/** -i/2 P for a Pauli P: the generator factor of exp(-i a P / 2). */
function halfGen(p: "X" | "Y" | "Z"): CMatrix {
  const m = PAULI[p];
  const out = cmat(2);
  for (let k = 0; k < 4; k++) {
    out.re[k] = m.im[k]! / 2;
    out.im[k] = -m.re[k]! / 2;
  }
  return out;
}
const GX = halfGen("X"),
  GY = halfGen("Y"),
  GZ = halfGen("Z");

/** The fused encoder gate of one qubit in one block and its two derivatives. */
export interface EncoderGate {
  readonly u: CMatrix;
  readonly dz: CMatrix;
  readonly dTheta: CMatrix;
}

/**
 * U = R2(theta) R1(theta) RX(z), with (R1, R2) = (RY, RZ) for "ry-rz" (RY(z) for data = "ry"). The
 * shared angle theta feeds both rotations, so dU/dtheta has two terms.
 */
export function encoderGate(
  z: number,
  theta: number,
  order: EncoderOrder,
  data: FirstRotation = "rx",
): EncoderGate {
  const a = data === "ry" ? ry(z) : rx(z);
  const [r1, g1, r2, g2] =
    order === "ry-rz" ? [ry(theta), GY, rz(theta), GZ] : [rz(theta), GZ, ry(theta), GY];
  const r2r1 = matmul(r2, r1);
  const u = matmul(r2r1, a);
  const dz = matmul(u, data === "ry" ? GY : GX);
  const t1 = matmul(g2, u);
  const t2 = matmul(matmul(r2, matmul(g1, r1)), a);
  const dTheta = cmat(2);
  for (let k = 0; k < 4; k++) {
    dTheta.re[k] = t1.re[k]! + t2.re[k]!;
    dTheta.im[k] = t1.im[k]! + t2.im[k]!;
  }
  return { u, dz, dTheta };
}

/**
 * The first block acts on |+> (H|0>), where RX is a phase: b = R2 R1 |+>, db/dtheta, and dbz = db/dz = 0.
 * With data = "ry", b = R2 R1 RY(z) |+> depends on z (dbz its derivative).
 */
export function firstBlockVector(
  theta: number,
  order: EncoderOrder,
  data: FirstRotation = "rx",
  z = 0,
): { b: CMatrix; db: CMatrix; dbz: CMatrix } {
  const g = encoderGate(data === "ry" ? z : 0, theta, order, data);
  // columns of U applied to |+>: store as 2x2 with the vector in column 0 for reuse of CMatrix
  const b = cmat(2),
    db = cmat(2),
    dbz = cmat(2);
  const s = Math.SQRT1_2;
  for (let r = 0; r < 2; r++) {
    b.re[r * 2] = s * (g.u.re[r * 2]! + g.u.re[r * 2 + 1]!);
    b.im[r * 2] = s * (g.u.im[r * 2]! + g.u.im[r * 2 + 1]!);
    db.re[r * 2] = s * (g.dTheta.re[r * 2]! + g.dTheta.re[r * 2 + 1]!);
    db.im[r * 2] = s * (g.dTheta.im[r * 2]! + g.dTheta.im[r * 2 + 1]!);
    if (data === "ry") {
      dbz.re[r * 2] = s * (g.dz.re[r * 2]! + g.dz.re[r * 2 + 1]!);
      dbz.im[r * 2] = s * (g.dz.im[r * 2]! + g.dz.im[r * 2 + 1]!);
    }
  }
  return { b, db, dbz };
}

/** Embeds a 2x2 on local wire k of an S-wire register (wire 0 most significant). */
export function embed1(m: CMatrix, k: number, S: number): CMatrix {
  let out = identity(1);
  for (let w = 0; w < S; w++) out = kron(out, w === k ? m : identity(2));
  return out;
}

/** CNOT(c, t) on an S-wire register as a permutation matrix. */
export function cnotMatrix(c: number, t: number, S: number): CMatrix {
  const dim = 1 << S;
  const m = cmat(dim);
  const cs = 1 << (S - 1 - c),
    ts = 1 << (S - 1 - t);
  for (let x = 0; x < dim; x++) {
    const y = (x & cs) !== 0 ? x ^ ts : x;
    m.re[y * dim + x] = 1;
  }
  return m;
}

/** Dense matrix of a Pauli word on an S-wire register. */
export function pauliMatrix(w: PauliWord, S: number): CMatrix {
  let out = identity(1);
  for (let k = 0; k < S; k++) {
    const f = w.factors.find((x) => x.wire === k);
    out = kron(out, f ? PAULI[f.pauli] : identity(2));
  }
  return out;
}

/**
 * The task block's unitary U (StronglyEntanglingLayers, L_h layers) and dU/dw
 * for each of its 3*S*L_h weights, by prefix and suffix products.
 */
export function headUnitary(
  S: number,
  Lh: number,
  w: ArrayLike<number>,
  offset: number,
): { u: CMatrix; du: CMatrix[] } {
  const dim = 1 << S;
  type Factor = { m: CMatrix; derivs?: CMatrix[] };
  const factors: Factor[] = [];
  for (let l = 0; l < Lh; l++) {
    for (let k = 0; k < S; k++) {
      const base = offset + (l * S + k) * 3;
      const phi = w[base]!,
        th = w[base + 1]!,
        om = w[base + 2]!;
      const rzp = rz(phi),
        ryt = ry(th),
        rzo = rz(om);
      const dPhi = matmul(rot(phi, th, om), GZ);
      const dTh = matmul(rzo, matmul(ryt, matmul(GY, rzp)));
      const dOm = matmul(GZ, rot(phi, th, om));
      factors.push({
        m: embed1(rot(phi, th, om), k, S),
        derivs: [dPhi, dTh, dOm].map((d) => embed1(d, k, S)),
      });
    }
    if (S > 1) {
      const r = (l % (S - 1)) + 1;
      for (let k = 0; k < S; k++) factors.push({ m: cnotMatrix(k, (k + r) % S, S) });
    }
  }
  // prefix[j] = F_{j-1} ... F_0 ; suffix[j] = F_{n-1} ... F_{j+1}
  const n = factors.length;
  const prefix: CMatrix[] = [identity(dim)];
  for (let j = 0; j < n; j++) prefix.push(matmul(factors[j]!.m, prefix[j]!));
  const suffix: CMatrix[] = new Array<CMatrix>(n);
  let acc = identity(dim);
  for (let j = n - 1; j >= 0; j--) {
    suffix[j] = acc;
    acc = matmul(acc, factors[j]!.m);
  }
  const du: CMatrix[] = [];
  factors.forEach((f, j) => {
    if (!f.derivs) return;
    for (const d of f.derivs) du.push(matmul(suffix[j]!, matmul(d, prefix[j]!)));
  });
  return { u: prefix[n]!, du };
}
