import type { Plan } from "./plan.ts";
import type { KernelExports, KernelMemory } from "./wasm-kernels.ts";
import type { ReadoutKernels } from "./wasm-readout.ts";

/**
 * Whole task blocks and environment chains in WebAssembly (assembly/structured-parts/blocks.ts,
 * chains.ts): the reduced density matrices of blocks.ts, the chains of chains.ts and their adjoints,
 * one call per block (or both chains) and sample instead of ~60-240 kernel calls from JavaScript. The kernels read the block's frame offsets from a descriptor of i32s that
 * this file writes once per engine into the header of its KernelMemory:
 *   0 o, 1 S, 2 useN, 3 sharesDiag, 4 dim, 5 w, 6 d, 7 dc, 8 el, 9 fl, 10 r, 11 e0, 12 g2, 13 v2,
 *   14 n, 15 rho, then z, t, f with S' = max(S, 2) entries each (index 0 unused, -1 where absent).
 * Only m = 4 (L = 3, the paper's encoder); other m stay in blocks.ts / chains.ts. The wasm steps
 * repeat blocks.ts's operations in the same order, so the values are the JavaScript engine's.
 */
const fixed = 16;
/** z, t, f lists of max(S, 2) entries each (an S = 1 block reads z[1]) */
const words = (S: number): number => fixed + 3 * Math.max(S, 2);

const chainWords = (plan: Plan): number => 12 + plan.Q + 1;

/** bytes of the descriptors (16-aligned each); 0 when m != 4 (nothing runs in wasm) */
export function descriptorBytes(plan: Plan): number {
  if (plan.m !== 4) return 0;
  let n = 16 * Math.ceil((4 * chainWords(plan)) / 16);
  for (const bp of plan.blocks) if (wasmBlock(plan, bp.S)) n += 16 * Math.ceil((4 * words(bp.S)) / 16);
  return n;
}

const wasmBlock = (plan: Plan, S: number): boolean => plan.m === 4 && S >= 1;

/** The state a pass hands the block kernels: their exports, descriptor addresses, and the arrays' addresses. */
export interface BlockKernels {
  readonly k: KernelExports;
  /** per block (plan.blocks order): byte address of its descriptor, or -1 (blocks.ts runs it) */
  readonly desc: readonly number[];
  /** byte address of the chains' descriptor (assembly/structured-parts/chains.ts), or -1: chains.ts runs them */
  readonly chains: number;
  fr: number;
  cf: number;
  tmp: number;
  /** the readout in wasm (wasm-readout.ts), or null: heads.ts */
  ro: ReadoutKernels | null;
}

/**
 * Writes the descriptors into mem's header; null without WebAssembly or when m != 4. `blocks` and
 * `chains` false leave those parts to blocks.ts / chains.ts (the engines of earlier rounds, for benches).
 */
export function blockKernels(
  plan: Plan,
  mem: KernelMemory,
  blocks = true,
  chains = true,
): BlockKernels | null {
  if (mem.k === null || descriptorBytes(plan) === 0 || !(blocks || chains)) return null;
  const desc: number[] = [];
  let at = mem.headerB;
  const cv = new Int32Array(mem.k.memory.buffer, at, chainWords(plan));
  cv.set([
    plan.Q,
    plan.oLast,
    plan.e0,
    plan.w,
    plan.d,
    plan.dc,
    plan.el,
    plan.tl,
    plan.fl,
    plan.r,
    plan.g,
    plan.v,
  ]);
  for (let i = 0; i <= plan.Q; i++) cv[12 + i] = plan.needOff[i]! ? 1 : 0;
  const chainsAt = chains ? at : -1;
  at += 16 * Math.ceil((4 * chainWords(plan)) / 16);
  for (const bp of plan.blocks) {
    if (!blocks || !wasmBlock(plan, bp.S)) {
      desc.push(-1);
      continue;
    }
    const S = bp.S,
      Sd = Math.max(S, 2);
    const v = new Int32Array(mem.k.memory.buffer, at, words(S));
    v.set([
      bp.o,
      S,
      bp.useN ? 1 : 0,
      bp.o < plan.oLast ? 1 : 0,
      bp.dim,
      plan.w,
      plan.d,
      plan.dc,
      plan.el,
      plan.fl,
      plan.r,
      plan.e0,
      bp.g2,
      bp.v2,
      bp.n,
      bp.rho,
    ]);
    for (let k = 0; k < Sd; k++) {
      v[fixed + k] = bp.z[k] ?? -1;
      v[fixed + Sd + k] = bp.t[k] ?? -1;
      v[fixed + 2 * Sd + k] = bp.f[k] ?? -1;
    }
    desc.push(at);
    at += 16 * Math.ceil((4 * words(S)) / 16);
  }
  return { k: mem.k, desc, chains: chainsAt, fr: -1, cf: mem.cfB, tmp: mem.tmpB, ro: null };
}
