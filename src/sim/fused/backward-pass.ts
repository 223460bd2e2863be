import { wireStride } from "../state.ts";
import type { Schedule, Block } from "./schedule.ts";
import { dagger2 } from "./mat2.ts";
import { applyMat2 } from "./block-kernels.ts";
import { blockGradients } from "./block-math.ts";
import { layerCross } from "./layer-cross.ts";
import { gather, gather2 } from "./perm-kernels.ts";
import { productEnvironments } from "./product-layer.ts";
import { applyMulti } from "./multi-steps.ts";
import { swapBufs, type Buf, type Workspace } from "./workspace.ts";

/**
 * Walks the schedule back from ws.lam = lambda after the last step, adding
 * every angle's derivative; ws holds this sample's matrices (sampleMatrices).
 * psi just after each layer item i comes from checkpoints[i] when given,
 * else from ws.psi (the final state on entry) un-applied alongside lambda as
 * far back as the earliest layer with gradients.
 */
export function backwardSample(
  sch: Schedule,
  ws: Workspace,
  off: number,
  gradWeights: Float64Array,
  gradInputs: Float64Array,
  checkpoints: ReadonlyArray<Buf | null> | null,
): void {
  const n = sch.n,
    items = sch.items,
    lam = ws.lam;
  let lastPsi = items.length;
  if (checkpoints === null) {
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (it.kind === "layer" && it.blocks.some((b) => b.differentiable)) {
        lastPsi = i;
        break;
      }
    }
  }
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    const carryPsi = i > lastPsi;
    if (item.kind === "layer") {
      const psi = checkpoints !== null ? checkpoints[i]! : ws.psi;
      layerGradients(item.blocks, psi, ws, n, off, gradWeights, gradInputs);
      for (const b of item.blocks) {
        dagger2(ws.ud, ws.blockMats[b.id]!);
        const stride = wireStride(n, b.wire);
        applyMat2(lam.re, lam.im, stride, ws.ud);
        if (carryPsi) applyMat2(ws.psi.re, ws.psi.im, stride, ws.ud);
      }
    } else if (item.kind === "perm") {
      if (carryPsi) {
        gather2(ws.psi.re, ws.psi.im, ws.t1.re, ws.t1.im, lam.re, lam.im, ws.t2.re, ws.t2.im, item.inverse);
        swapBufs(ws.psi, ws.t1);
        swapBufs(lam, ws.t2);
      } else {
        gather(lam.re, lam.im, ws.t1.re, ws.t1.im, item.inverse);
        swapBufs(lam, ws.t1);
      }
    } else {
      if (carryPsi) applyMulti(ws.psi, n, item.step, true);
      applyMulti(lam, n, item.step, true);
    }
  }
  firstLayerBackward(sch, ws, off, gradWeights, gradInputs);
}

/** Gradients of a layer's blocks from psi and ws.lam, both just after the layer. */
function layerGradients(
  blocks: readonly Block[],
  psi: Buf,
  ws: Workspace,
  n: number,
  off: number,
  gradWeights: Float64Array,
  gradInputs: Float64Array,
): void {
  if (!blocks.some((b) => b.differentiable)) return;
  const ks = ws.ks,
    k = ws.k;
  layerCross(psi.re, psi.im, ws.lam.re, ws.lam.im, n, blocks, ks, ws.z.re, ws.z.im, ws.diag);
  for (let j = 0; j < blocks.length; j++) {
    const b = blocks[j]!;
    if (!b.differentiable) continue;
    for (let e = 0; e < 8; e++) k[e] = ks[8 * j + e]!;
    blockGradients(b, k, off, ws.gateMats, gradWeights, gradInputs, ws.tmp);
  }
}

/**
 * The first layer: psi there is the product of the v_w, so K_w[s', s] = v_w[s'] conj(g_w[s])
 * with every g_w from one contraction of lambda (product-layer.ts), ws.v = v_w.
 */
function firstLayerBackward(
  sch: Schedule,
  ws: Workspace,
  off: number,
  gradWeights: Float64Array,
  gradInputs: Float64Array,
): void {
  if (!sch.first.some((b) => b.differentiable)) return;
  productEnvironments(ws.lam.re, ws.lam.im, sch.n, ws.v, ws.g, ws.prod);
  const { v, g, k } = ws;
  for (const b of sch.first) {
    if (!b.differentiable) continue;
    const q = 4 * b.wire;
    for (let sp = 0; sp < 2; sp++) {
      const ar = v[q + 2 * sp]!,
        ai = v[q + 2 * sp + 1]!;
      for (let s = 0; s < 2; s++) {
        const br = g[q + 2 * s]!,
          bi = -g[q + 2 * s + 1]!;
        k[4 * sp + 2 * s] = ar * br - ai * bi;
        k[4 * sp + 2 * s + 1] = ar * bi + ai * br;
      }
    }
    blockGradients(b, k, off, ws.gateMats, gradWeights, gradInputs, ws.tmp);
  }
}
