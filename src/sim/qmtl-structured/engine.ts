import type { QmtlLayout } from "../../circuits/qmtl.ts";
import type { DifferentiableExecutor } from "../executor.ts";
import { parityEngine } from "./parity-engine.ts";
import { qmtlMpsEngine } from "./mps-engine.ts";
import { checkStructuredLayout } from "../structured-guard.ts";

/**
 * The structured QMTL engine: exact, float64, differentiable.
 *
 * The shared encoder is a staircase of nearest-neighbour CNOT ladders between
 * layers of single-qubit rotations. A ladder maps x to its prefix parities
 * (y_i = x_0 ^ ... ^ x_i), so with z^l the parity bits after block l the
 * amplitude is a product of per-site factors that couple site i only to
 * site i-1 through the L bits (z^1_{i-1}, ..., z^L_{i-1}): the state is
 * *exactly* a matrix-product state of bond dimension 2^L (8 for the paper's
 * L = 3), whatever Q is. The top bit of the bond is a copy of the physical
 * bit, so each site tensor factors as K(s, y') = D(s ^ y') W with an m x m
 * matrix W and a diagonal D (m = 2^(L-1)); left environments are block
 * diagonal in that bit. Further structure used:
 * - block 1 acts on |+>^Q, where RX(z) is a global phase: its factors are the
 *   same for every sample; d/dz of the first Q inputs is exactly 0;
 * - task blocks act on disjoint sub-registers, so each task's outputs are
 *   Tr(rho_t O'_k) with rho_t the reduced density matrix of its sub-register
 *   and O'_k = U_t^dag O_k U_t fixed per batch;
 * - the backward pass is the exact adjoint of every contraction (reverse
 *   mode), seeded per task with rhobar = sum_k c_k O'_k.
 * Cost per sample is O(Q m^3 + sum_t 4^S_t m^2): linear in Q.
 *
 * The non-entangling ablation (a product state) uses the first, dense-tensor
 * MPS engine (mps-engine.ts), which also serves as a cross-check.
 */
export function qmtlEngine(layout: QmtlLayout): DifferentiableExecutor {
  checkStructuredLayout(layout); // memory, before any plan is made (sim/structured-guard.ts)
  return layout.entangle ? parityEngine(layout) : qmtlMpsEngine(layout);
}

export { qmtlMpsEngine };
