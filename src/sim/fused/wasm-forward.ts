import type { Schedule } from "./schedule.ts";
import { sampleMatrices } from "./forward-pass.ts";
import type { WasmPlan } from "./wasm-plan.ts";
import type { WasmWorkspace } from "./wasm-workspace.ts";
import { applyMultiWasm } from "./wasm-steps.ts";

/** Copies this sample's block matrices and first-layer vectors (ws.mats, ws.v) into wasm memory. */
export function uploadSampleMats(sch: Schedule, ws: WasmWorkspace): void {
  const heap = ws.arena.heap();
  heap.set(ws.mats.subarray(0, 8 * sch.nBlocks), ws.matsAt >> 3);
  heap.set(ws.v, ws.vAt >> 3);
}

/**
 * forwardSample (forward-pass.ts) on the wasm path: the 2x2s in TypeScript,
 * then one wasm call for the product state, one per layer (all its blocks),
 * one per permutation run; the final state is left in ws.psi and, with keep,
 * psi just after every layer item i is copied to the state at keep[i].
 */
export function forwardSampleWasm(
  sch: Schedule,
  plan: WasmPlan,
  ws: WasmWorkspace,
  x: Float64Array,
  off: number,
  w: Float64Array,
  keep: ReadonlyArray<number | null> | null,
): void {
  const n = sch.n,
    dim = ws.dim,
    items = sch.items,
    ex = ws.arena.ex,
    toIm = ws.toIm;
  const prec = ws.prec;
  sampleMatrices(sch, ws, x, off, w);
  uploadSampleMats(sch, ws);
  if (ws.f32) {
    ex.initProduct(ws.a64, ws.a64 + 8 * dim, n, ws.vAt);
    ex.toF32(ws.psi, ws.a64, 2 * dim);
  } else ex.initProduct(ws.psi, ws.psi + toIm, n, ws.vAt);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === "layer") {
      const t = plan.layers[i]!;
      ex.applyLayer(ws.psi, ws.psi + toIm, n, t.at, t.count, ws.matsAt, 0, prec);
      const cp = keep ? keep[i] : null;
      if (cp !== null && cp !== undefined) ex.copyF64(cp, ws.psi, ws.stateBytes >> 3);
    } else if (item.kind === "perm") {
      const g = plan.gather(item.forward);
      ex.gather(ws.psi, ws.psi + toIm, ws.t1, ws.t1 + toIm, g.idx, g.sign, dim, prec);
      ws.swapPsi();
    } else applyMultiWasm(ws, ws.psi, n, item.step, false);
  }
}
