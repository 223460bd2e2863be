import type { ParamRef } from "../../circuits/ir.ts";
import { paramValue } from "../../circuits/ir.ts";
import type { Block } from "./schedule.ts";
import { conjugateBack2, imTracePauli2, mul2, setIdentity2, setRotation2, type Mat2 } from "./mat2.ts";

/**
 * Per-sample 2x2 algebra of a fused block U = G_k ... G_1.
 *
 * Gradients from the cross matrix K (taken just after the block): with
 * K_j = Tr_other |psi_j><lambda_j| the cross matrix just after gate j,
 *   df/da_j = Im <lambda_j| P_j |psi_j> = Im Tr(P_j K_j)
 * for G_j = exp(-i a_j P_j / 2) (the generic adjoint's rule), and moving
 * back through a gate is K_{j-1} = G_j^dagger K_j G_j. So one K per block
 * gives every angle's derivative at 2x2 cost. (Equivalently
 * df/da_j = 2 Re Tr((dU/da_j) U^dagger K).)
 */

/**
 * out = U = G_k ... G_1 for one sample; each gate's own matrix is kept in
 * gateMats[b.gate0 + j] for the backward pass (not for constant blocks,
 * which have no gradients).
 */
export function blockMatrix(
  b: Block,
  inputs: Float64Array,
  off: number,
  weights: Float64Array,
  out: Mat2,
  gateMats: readonly Mat2[],
): void {
  if (b.constant !== null) {
    out.set(b.constant);
    return;
  }
  setIdentity2(out);
  const gates = b.gates;
  for (let j = 0; j < gates.length; j++) {
    const gate = gates[j]!,
      g = gateMats[b.gate0 + j]!;
    if (gate.kind === "fixed") g.set(gate.m);
    else setRotation2(g, gate.pauli, paramValue(gate.param, inputs, off, weights));
    mul2(out, g, out);
  }
}

function addGrad(
  p: ParamRef,
  g: number,
  off: number,
  gradWeights: Float64Array,
  gradInputs: Float64Array,
): void {
  if (p.kind === "weight") gradWeights[p.index]! += g;
  else if (p.kind === "input") gradInputs[off + p.index]! += g;
}

/**
 * Adds the derivatives of every angle of a (differentiable) block, given K
 * just after the block and the gate matrices blockMatrix left in gateMats.
 * k is consumed: it is moved back through the gates.
 */
export function blockGradients(
  b: Block,
  k: Mat2,
  off: number,
  gateMats: readonly Mat2[],
  gradWeights: Float64Array,
  gradInputs: Float64Array,
  tmp: Mat2,
): void {
  const gates = b.gates;
  // the earliest differentiable gate: nothing before it needs K
  let firstDiff = 0;
  while (firstDiff < gates.length) {
    const g = gates[firstDiff]!;
    if (g.kind === "rot" && g.param.kind !== "const") break;
    firstDiff++;
  }
  for (let j = gates.length - 1; j >= firstDiff; j--) {
    const gate = gates[j]!;
    if (gate.kind === "rot" && gate.param.kind !== "const")
      addGrad(gate.param, imTracePauli2(gate.pauli, k), off, gradWeights, gradInputs);
    if (j > firstDiff) conjugateBack2(k, gateMats[b.gate0 + j]!, tmp);
  }
}
