import { wireStride } from "../state.ts";
import type { Schedule } from "./schedule.ts";
import { applyMat2 } from "./block-kernels.ts";
import { blockMatrix } from "./block-math.ts";
import { gather } from "./perm-kernels.ts";
import { initProduct } from "./product-layer.ts";
import { applyMulti } from "./multi-steps.ts";
import { swapBufs, type Buf, type SampleMats, type Workspace } from "./workspace.ts";

/**
 * This sample's 2x2s: every block's U in ws.blockMats, every gate's matrix in
 * ws.gateMats (together ws.mats), then ws.v (firstLayerVectors).
 */
export function sampleMatrices(
  sch: Schedule,
  ws: SampleMats,
  x: Float64Array,
  off: number,
  w: Float64Array,
): void {
  for (const b of sch.first) blockMatrix(b, x, off, w, ws.blockMats[b.id]!, ws.gateMats);
  for (const item of sch.items) {
    if (item.kind === "layer")
      for (const b of item.blocks) blockMatrix(b, x, off, w, ws.blockMats[b.id]!, ws.gateMats);
  }
  firstLayerVectors(sch, ws);
}

/** ws.v: each wire's U|0> (the first column of its first block's U; |0> for a wire without one). */
export function firstLayerVectors(sch: Schedule, ws: SampleMats): void {
  const v = ws.v;
  v.fill(0);
  for (let q = 0; q < sch.n; q++) v[4 * q] = 1;
  for (const b of sch.first) {
    const u = ws.blockMats[b.id]!;
    v[4 * b.wire] = u[0]!;
    v[4 * b.wire + 1] = u[1]!;
    v[4 * b.wire + 2] = u[4]!;
    v[4 * b.wire + 3] = u[5]!;
  }
}

/**
 * Runs one sample from |0...0>: its matrices (sampleMatrices), then the
 * passes; the final state is left in ws.psi and, with keep, psi just after
 * every layer item i is copied into keep[i].
 */
export function forwardSample(
  sch: Schedule,
  ws: Workspace,
  x: Float64Array,
  off: number,
  w: Float64Array,
  keep: ReadonlyArray<Buf | null> | null,
): void {
  const n = sch.n,
    items = sch.items;
  sampleMatrices(sch, ws, x, off, w);
  initProduct(ws.psi.re, ws.psi.im, n, ws.v);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === "layer") {
      for (const b of item.blocks)
        applyMat2(ws.psi.re, ws.psi.im, wireStride(n, b.wire), ws.blockMats[b.id]!);
      const cp = keep ? keep[i] : null;
      if (cp) {
        cp.re.set(ws.psi.re);
        cp.im.set(ws.psi.im);
      }
    } else if (item.kind === "perm") {
      gather(ws.psi.re, ws.psi.im, ws.t1.re, ws.t1.im, item.forward);
      swapBufs(ws.psi, ws.t1);
    } else applyMulti(ws.psi, n, item.step, false);
  }
}
