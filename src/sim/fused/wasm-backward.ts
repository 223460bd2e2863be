import type { Block, Schedule } from "./schedule.ts";
import { blockGradients } from "./block-math.ts";
import type { WasmPlan, LayerTable } from "./wasm-plan.ts";
import type { WasmWorkspace } from "./wasm-workspace.ts";
import { applyMultiWasm } from "./wasm-steps.ts";

/**
 * backwardSample (backward-pass.ts) on the wasm path: from ws.lam = lambda
 * after the last step, per layer one wasm call for every block's K, the 2x2
 * gradients in TypeScript, one wasm call to un-apply the layer; one gather
 * per permutation run; the first layer from productEnvironments. ws must hold
 * this sample's matrices, uploaded (uploadSampleMats). psi just after layer
 * item i is the state at checkpoints[i] when given, else ws.psi (the final
 * state on entry) un-applied alongside lambda.
 */
export function backwardSampleWasm(
  sch: Schedule,
  plan: WasmPlan,
  ws: WasmWorkspace,
  off: number,
  gradWeights: Float64Array,
  gradInputs: Float64Array,
  checkpoints: ReadonlyArray<number | null> | null,
): void {
  const n = sch.n,
    dim = ws.dim,
    items = sch.items,
    ex = ws.arena.ex,
    toIm = ws.toIm;
  const prec = ws.prec;
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
      const t = plan.layers[i]!;
      const psi = checkpoints !== null ? checkpoints[i]! : ws.psi;
      layerGradientsWasm(item.blocks, t, psi, ws, n, off, gradWeights, gradInputs);
      ex.applyLayer(ws.lam, ws.lam + toIm, n, t.at, t.count, ws.matsAt, 1, prec);
      if (carryPsi) ex.applyLayer(ws.psi, ws.psi + toIm, n, t.at, t.count, ws.matsAt, 1, prec);
    } else if (item.kind === "perm") {
      const g = plan.gather(item.inverse);
      if (carryPsi) {
        ex.gather2(
          ws.psi,
          ws.psi + toIm,
          ws.t1,
          ws.t1 + toIm,
          ws.lam,
          ws.lam + toIm,
          ws.t2,
          ws.t2 + toIm,
          g.idx,
          g.sign,
          dim,
          prec,
        );
        ws.swapPsi();
        ws.swapLam("t2");
      } else {
        ex.gather(ws.lam, ws.lam + toIm, ws.t1, ws.t1 + toIm, g.idx, g.sign, dim, prec);
        ws.swapLam("t1");
      }
    } else {
      if (carryPsi) applyMultiWasm(ws, ws.psi, n, item.step, true);
      applyMultiWasm(ws, ws.lam, n, item.step, true);
    }
  }
  firstLayerBackwardWasm(sch, ws, off, gradWeights, gradInputs);
}

function layerGradientsWasm(
  blocks: readonly Block[],
  t: LayerTable,
  psi: number,
  ws: WasmWorkspace,
  n: number,
  off: number,
  gradWeights: Float64Array,
  gradInputs: Float64Array,
): void {
  if (!blocks.some((b) => b.differentiable)) return;
  const toIm = ws.toIm;
  ws.arena.ex.layerCross(
    psi,
    psi + toIm,
    ws.lam,
    ws.lam + toIm,
    n,
    ws.z,
    ws.z + 8 * ws.dim,
    ws.diag,
    t.at,
    t.count,
    ws.ksAt,
    ws.prec,
  );
  const heap = ws.arena.heap(),
    ks = ws.ksAt >> 3,
    k = ws.k;
  for (let j = 0; j < blocks.length; j++) {
    const b = blocks[j]!;
    if (!b.differentiable) continue;
    for (let e = 0; e < 8; e++) k[e] = heap[ks + 8 * j + e]!;
    blockGradients(b, k, off, ws.gateMats, gradWeights, gradInputs, ws.tmp);
  }
}

/** The first layer (backward-pass.ts, firstLayerBackward): every g_w from one wasm call. */
function firstLayerBackwardWasm(
  sch: Schedule,
  ws: WasmWorkspace,
  off: number,
  gradWeights: Float64Array,
  gradInputs: Float64Array,
): void {
  if (!sch.first.some((b) => b.differentiable)) return;
  const n = sch.n,
    dim = ws.dim,
    ex = ws.arena.ex;
  let lam = ws.lam;
  if (ws.f32) {
    ex.toF64(ws.a64, lam, 2 * dim);
    lam = ws.a64;
  }
  ex.productEnvironments(
    lam,
    lam + 8 * dim,
    n,
    ws.vAt,
    ws.gAt,
    ws.r,
    ws.r + 8 * dim,
    ws.l,
    ws.l + 8 * ws.lHalf,
  );
  const heap = ws.arena.heap(),
    { v, g, k } = ws;
  g.set(heap.subarray(ws.gAt >> 3, (ws.gAt >> 3) + 4 * n));
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
