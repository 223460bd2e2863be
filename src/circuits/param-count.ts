import { requireInt } from "../core/errors.ts";
import type { QmtlLayout } from "./qmtl.ts";
import { hqnnWeightCount } from "./hqnn.ts";

/**
 * Head parameter counts (paper Section 4.2 and Fig. 4). "Head" means what sits
 * on the shared d-dimensional representation Z. Extra scalars (output scales,
 * temperatures, the STS-B affine) are reported separately, never folded in.
 */
export interface HeadCount {
  readonly head: string;
  /** trainable parameters of the head proper */
  readonly params: number;
  /** extra scalars a dataset adds (temperatures, affine), counted separately */
  readonly extras: number;
  readonly detail: string;
}

/** QMTL: P_Q = Q L + sum_t 3 S_t L_h (k_theta = 3 for Rot). */
export function qmtlCount(layout: QmtlLayout, extras = 0): HeadCount {
  const shared = layout.Q * layout.L;
  const tasks = layout.tasks.reduce((a, t) => a + t.nWeights, 0);
  return {
    head: "QMTL",
    params: shared + tasks,
    extras,
    detail: `shared ${layout.Q}x${layout.L} = ${shared} + task blocks ${tasks}`,
  };
}

/** Classical hard-parameter-sharing heads: sum_t r_t (d + 1). */
export function classicalCount(d: number, outputs: readonly number[]): HeadCount {
  const p = outputs.reduce((a, r) => a + r * (d + 1), 0);
  return {
    head: "Classical",
    params: p,
    extras: 0,
    detail: `sum_t r_t (d+1), d = ${d}, r = [${outputs.join(", ")}]`,
  };
}

/**
 * HQNN: Linear(d, 3) into the circuit, R*n circuit angles, one output scale,
 * then Linear(n, r_t) per task. The Linear(d, 3) is part of this head (the
 * paper puts it there in Appendix B.1); the scale is an extra.
 */
export function hqnnCount(d: number, qubits: number, outputs: readonly number[], repetitions = 3): HeadCount {
  const proj = 3 * (d + 1);
  const circ = hqnnWeightCount({ qubits, repetitions });
  const heads = outputs.reduce((a, r) => a + r * (qubits + 1), 0);
  return {
    head: `HQNN-${qubits}`,
    params: proj + circ + heads,
    extras: 1,
    detail: `Linear(d,3) ${proj} + circuit ${circ} + task linears ${heads} (+1 output scale)`,
  };
}

/** Theorem 1 in closed form, under Q = S T and d = Q L = S T L. */
export interface ScalingRow {
  readonly T: number;
  readonly d: number;
  readonly classical: number;
  readonly quantum: number;
  readonly ratio: number;
  /** the paper's asymptotic ratio (L + k L_h) / (L r T) */
  readonly asymptoticRatio: number;
}

/**
 * Theorem 1's counts for T tasks of S qubits each: classical and quantum head parameters and their ratio.
 *
 * @example
 * theorem1(10, 1, 3, 1, 2, 1).ratio   // P_Q / P_C for 10 binary tasks
 */
export function theorem1(T: number, S: number, L: number, Lh: number, r: number, kTheta: number): ScalingRow {
  requireInt("T", T, 1);
  requireInt("S", S, 1);
  requireInt("L", L, 1);
  requireInt("Lh", Lh, 0);
  requireInt("r", r, 1);
  requireInt("kTheta", kTheta, 1);
  const d = S * T * L;
  const classical = T * r * (d + 1);
  const quantum = S * T * L + T * kTheta * S * Lh;
  return {
    T,
    d,
    classical,
    quantum,
    ratio: quantum / classical,
    asymptoticRatio: (L + kTheta * Lh) / (L * r * T),
  };
}
