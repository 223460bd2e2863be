import { ValidationError } from "../../core/errors.ts";
import { constAngle, isConst, shiftAngle, type Angle, type HwGate, type HwOp } from "../hw-circuit.ts";

/**
 * One-qubit synthesis into IBM's {rz, sx, x}, exact up to a global phase.
 *
 * Constant runs are multiplied into one 2x2 unitary U and written from its
 * Z-Y-Z angles U ~ RZ(phi) RY(theta) RZ(lam) with as few sx as the angles allow:
 *   theta = 0      -> rz(phi+lam)
 *   theta = pi     -> rz(pi), x, rz(phi-lam)                 (in application order)
 *   theta = pi/2   -> rz(lam-pi/2), sx, rz(phi+pi/2)
 *   otherwise      -> rz(lam), sx, rz(theta+pi), sx, rz(phi+pi)
 * Parametric rotations use the last form with affine angles:
 *   ry(t) = sx, rz(t+pi), sx, rz(pi);   rx(t) = rz(pi/2), sx, rz(t+pi), sx, rz(pi/2).
 */
type C = readonly [number, number];
/** 2x2 complex matrix, row-major [a, b, c, d]. */
export type M2 = readonly [C, C, C, C];

const mul = (x: C, y: C): C => [x[0] * y[0] - x[1] * y[1], x[0] * y[1] + x[1] * y[0]];
const addc = (x: C, y: C): C => [x[0] + y[0], x[1] + y[1]];

/** A B (apply B first). */
export function mm(A: M2, B: M2): M2 {
  return [
    addc(mul(A[0], B[0]), mul(A[1], B[2])),
    addc(mul(A[0], B[1]), mul(A[1], B[3])),
    addc(mul(A[2], B[0]), mul(A[3], B[2])),
    addc(mul(A[2], B[1]), mul(A[3], B[3])),
  ];
}

const H = Math.SQRT1_2;
const e = (a: number): C => [Math.cos(a), Math.sin(a)];
export const rzM = (a: number): M2 => [e(-a / 2), [0, 0], [0, 0], e(a / 2)];
const ryM = (a: number): M2 => [
  [Math.cos(a / 2), 0],
  [-Math.sin(a / 2), 0],
  [Math.sin(a / 2), 0],
  [Math.cos(a / 2), 0],
];
const rxM = (a: number): M2 => [
  [Math.cos(a / 2), 0],
  [0, -Math.sin(a / 2)],
  [0, -Math.sin(a / 2)],
  [Math.cos(a / 2), 0],
];

const FIXED: Partial<Record<HwGate, M2>> = {
  h: [
    [H, 0],
    [H, 0],
    [H, 0],
    [-H, 0],
  ],
  x: [
    [0, 0],
    [1, 0],
    [1, 0],
    [0, 0],
  ],
  y: [
    [0, 0],
    [0, -1],
    [0, 1],
    [0, 0],
  ],
  z: [
    [1, 0],
    [0, 0],
    [0, 0],
    [-1, 0],
  ],
  s: [
    [1, 0],
    [0, 0],
    [0, 0],
    [0, 1],
  ],
  sdg: [
    [1, 0],
    [0, 0],
    [0, 0],
    [0, -1],
  ],
  t: [
    [1, 0],
    [0, 0],
    [0, 0],
    [H, H],
  ],
  tdg: [
    [1, 0],
    [0, 0],
    [0, 0],
    [H, -H],
  ],
  sx: [
    [0.5, 0.5],
    [0.5, -0.5],
    [0.5, -0.5],
    [0.5, 0.5],
  ],
  sxdg: [
    [0.5, -0.5],
    [0.5, 0.5],
    [0.5, 0.5],
    [0.5, -0.5],
  ],
};

/** The matrix of a constant one-qubit op. */
export function matrixOf(op: HwOp): M2 {
  const f = FIXED[op.gate];
  if (f) return f;
  const a = op.angles[0];
  if (!a || !isConst(a)) throw new ValidationError("op", "a constant one-qubit gate", op.gate);
  if (op.gate === "rz") return rzM(a.c);
  if (op.gate === "ry") return ryM(a.c);
  if (op.gate === "rx") return rxM(a.c);
  throw new ValidationError("op", "a one-qubit gate", op.gate);
}

/** Wraps an angle to (-pi, pi]. */
export function wrap(a: number): number {
  let r = a % (2 * Math.PI);
  if (r <= -Math.PI) r += 2 * Math.PI;
  if (r > Math.PI) r -= 2 * Math.PI;
  return r;
}

const EPS = 1e-12;

/** Z-Y-Z angles of a 2x2 unitary: U = e^{i alpha} RZ(phi) RY(theta) RZ(lam). */
export function zyz(U: M2): { theta: number; phi: number; lam: number } {
  const det = [
    U[0][0] * U[3][0] - U[0][1] * U[3][1] - (U[1][0] * U[2][0] - U[1][1] * U[2][1]),
    U[0][0] * U[3][1] + U[0][1] * U[3][0] - (U[1][0] * U[2][1] + U[1][1] * U[2][0]),
  ] as const;
  const half = Math.atan2(det[1], det[0]) / 2;
  const ph: C = e(-half);
  const a = mul(U[0], ph),
    c = mul(U[2], ph);
  const ra = Math.hypot(a[0], a[1]),
    rc = Math.hypot(c[0], c[1]);
  const theta = 2 * Math.atan2(rc, ra);
  const argA = ra > EPS ? Math.atan2(a[1], a[0]) : 0;
  const argC = rc > EPS ? Math.atan2(c[1], c[0]) : 0;
  const sum = -2 * argA,
    diff = 2 * argC;
  return { theta, phi: (sum + diff) / 2, lam: (sum - diff) / 2 };
}

const op1 = (gate: HwGate, q: number, angle?: Angle): HwOp => ({
  gate,
  qubits: [q],
  angles: angle ? [angle] : [],
});
const rzc = (q: number, a: number): HwOp => op1("rz", q, constAngle(wrap(a)));

/** Native ops for a constant 2x2 unitary on qubit q (application order). */
export function synthConst(U: M2, q: number): HwOp[] {
  const { theta, phi, lam } = zyz(U);
  const near = (x: number, y: number): boolean => Math.abs(x - y) < 1e-12;
  if (near(theta, 0)) return [rzc(q, phi + lam)];
  if (near(theta, Math.PI)) return [rzc(q, Math.PI), op1("x", q), rzc(q, phi - lam)];
  if (near(theta, Math.PI / 2)) return [rzc(q, lam - Math.PI / 2), op1("sx", q), rzc(q, phi + Math.PI / 2)];
  return [rzc(q, lam), op1("sx", q), rzc(q, theta + Math.PI), op1("sx", q), rzc(q, phi + Math.PI)];
}

/** Native ops for one parametric rotation. */
export function synthParam(op: HwOp): HwOp[] {
  const q = op.qubits[0]!,
    t = op.angles[0]!;
  switch (op.gate) {
    case "rz":
      return [op];
    case "ry":
      return [op1("sx", q), op1("rz", q, shiftAngle(t, Math.PI)), op1("sx", q), rzc(q, Math.PI)];
    case "rx":
      return [
        rzc(q, Math.PI / 2),
        op1("sx", q),
        op1("rz", q, shiftAngle(t, Math.PI)),
        op1("sx", q),
        rzc(q, Math.PI / 2),
      ];
    default:
      throw new ValidationError("op", "a parametric rx, ry or rz", op.gate);
  }
}

/** Synthesises a run of one-qubit ops on one qubit: constant stretches fused, parametric gates expanded. */
export function synthRun(run: readonly HwOp[]): HwOp[] {
  const out: HwOp[] = [];
  let acc: M2 | null = null;
  const q = run[0]?.qubits[0] ?? 0;
  const flush = (): void => {
    if (acc) out.push(...synthConst(acc, q));
    acc = null;
  };
  for (const op of run) {
    if (op.angles.length > 0 && !isConst(op.angles[0]!)) {
      flush();
      out.push(...synthParam(op));
    } else {
      const m = matrixOf(op);
      acc = acc ? mm(m, acc) : m;
    }
  }
  flush();
  return out;
}
