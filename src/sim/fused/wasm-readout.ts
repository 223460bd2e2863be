import { measure, readoutScratch, type Readout, type ReadoutScratch } from "./readout.ts";
import { buildLambda } from "./lambda.ts";
import type { WasmPlan } from "./wasm-plan.ts";
import type { WasmWorkspace } from "./wasm-workspace.ts";

/** The wasm readout needs two lanes per index half (n >= 2); one-qubit circuits use the TypeScript passes on views. */
let tiny: ReadoutScratch | null = null;
const tinyScratch = (): ReadoutScratch => (tiny ??= readoutScratch(1));

/** measure (readout.ts) of the wasm state at `psi` into out[offset ..]. */
export function measureWasm(
  ro: Readout,
  plan: WasmPlan,
  ws: WasmWorkspace,
  psi: number,
  out: Float64Array,
  offset: number,
): void {
  const n = ro.n,
    dim = ws.dim,
    arena = ws.arena;
  if (ws.f32) {
    arena.ex.toF64(ws.a64, psi, 2 * dim);
    psi = ws.a64;
  }
  if (n < 2) {
    measure(ro, arena.view(psi, dim), arena.view(psi + 8 * dim, dim), out, offset, tinyScratch());
    return;
  }
  arena.ex.measure(n, psi, psi + 8 * dim, plan.words, plan.nWords, ws.p, ws.marg, ws.outAt);
  const heap = arena.heap(),
    o = ws.outAt >> 3;
  for (let k = 0; k < ro.nOut; k++) out[offset + k] = heap[o + k]!;
}

/** ws.lam = sum_o cot[offset + o] O_o psi for the wasm state at `psi` (buildLambda, lambda.ts). */
export function buildLambdaWasm(
  ro: Readout,
  plan: WasmPlan,
  ws: WasmWorkspace,
  psi: number,
  cot: Float64Array,
  offset: number,
): void {
  const n = ro.n,
    dim = ws.dim,
    arena = ws.arena,
    ex = arena.ex,
    toIm = 8 * dim;
  // float32: psi and lambda in float64 scratch, lambda rounded back at the end
  if (ws.f32) ex.toF64(ws.a64, psi, 2 * dim);
  const p = ws.f32 ? ws.a64 : psi,
    lam = ws.f32 ? ws.b64 : ws.lam;
  if (n < 2) {
    buildLambda(
      ro,
      arena.view(p, dim),
      arena.view(p + toIm, dim),
      arena.view(lam, dim),
      arena.view(lam + toIm, dim),
      cot,
      offset,
      tinyScratch().p,
      new Float64Array(1),
    );
  } else {
    arena.heap().set(cot.subarray(offset, offset + ro.nOut), ws.cotAt >> 3);
    ex.buildLambda(n, p, p + toIm, lam, lam + toIm, plan.words, plan.nWords, ws.cotAt, ws.p);
  }
  if (ws.f32) ex.toF32(ws.lam, lam, 2 * dim);
}
