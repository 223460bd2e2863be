import type { Schedule } from "./schedule.ts";
import { mat2, type Mat2 } from "./mat2.ts";
import type { WasmArena } from "./wasm-arena.ts";

/**
 * The wasm path's per-call working memory (the counterpart of workspace.ts):
 * states and scratch in the executor's wasm memory, as byte addresses (a
 * state at a: real parts at a, imaginary parts at a + 8 * 2^n), and the
 * per-sample 2x2 algebra in plain arrays (sampleMatrices and blockGradients
 * run in TypeScript on them). Allocated once, reused for every sample.
 */
export class WasmWorkspace {
  readonly dim: number;
  /** float32 states (precision "float32"): 4-byte reals; then a64/b64 are float64 scratch states for the passes that convert */
  readonly f32: boolean;
  /** the same as a wasm argument: 1 for float32 states, 0 for float64 */
  readonly prec: number;
  /** bytes from a state's real parts to its imaginary parts, and of a whole state */
  readonly toIm: number;
  readonly stateBytes: number;
  readonly a64: number;
  readonly b64: number;
  /** states; permutation passes swap psi/lam with t1/t2 */
  psi: number;
  lam: number;
  t1: number;
  t2: number;
  /** z: 2^n re then 2^n im; p: 2^n (readout p, lambda's diagonal); r: 2 x 2^n and l: 2 x 2^(n-1) for productEnvironments */
  readonly z: number;
  readonly p: number;
  readonly r: number;
  readonly l: number;
  readonly lHalf: number;
  /** small areas: diag (4n), ks (8n), v (4n), g (4n), marg (n), out (nOut), cot (nOut), mats (8 per block) */
  readonly diag: number;
  readonly ksAt: number;
  readonly vAt: number;
  readonly gAt: number;
  readonly marg: number;
  readonly outAt: number;
  readonly cotAt: number;
  readonly matsAt: number;
  /** psi just after each layer item (by item index), for backward's re-run forward; null: not kept */
  readonly checkpoints: Array<number | null> | null;
  /** plain arrays: this sample's block then gate matrices (8 numbers each, views below), U|0> per wire, g, K */
  readonly mats: Float64Array;
  readonly blockMats: Mat2[];
  readonly gateMats: Mat2[];
  readonly v: Float64Array;
  readonly g: Float64Array;
  readonly k: Mat2 = mat2();
  readonly tmp: Mat2 = mat2();

  constructor(
    readonly arena: WasmArena,
    sch: Schedule,
    nOut: number,
    checkpoints: boolean,
    f32 = false,
  ) {
    const n = sch.n,
      dim = 1 << n;
    this.dim = dim;
    this.f32 = f32;
    this.prec = f32 ? 1 : 0;
    this.toIm = (f32 ? 4 : 8) * dim;
    this.stateBytes = 2 * this.toIm;
    const st = (): number => arena.alloc(this.stateBytes);
    this.a64 = f32 ? arena.alloc(16 * dim) : 0;
    this.b64 = f32 ? arena.alloc(16 * dim) : 0;
    const d = (count: number): number => arena.alloc(8 * Math.max(2, count));
    this.psi = st();
    this.lam = st();
    this.t1 = st();
    this.t2 = st();
    this.z = d(2 * dim);
    this.p = d(dim);
    this.r = d(2 * dim);
    this.lHalf = Math.max(2, dim >> 1);
    this.l = d(2 * this.lHalf);
    this.diag = d(4 * n);
    this.ksAt = d(8 * n);
    this.vAt = d(4 * n);
    this.gAt = d(4 * n);
    this.marg = d(n);
    this.outAt = d(nOut);
    this.cotAt = d(nOut);
    this.matsAt = d(8 * sch.nBlocks);
    this.checkpoints = checkpoints ? sch.items.map((it) => (it.kind === "layer" ? st() : null)) : null;
    this.mats = new Float64Array(8 * (sch.nBlocks + sch.nGates));
    this.blockMats = Array.from({ length: sch.nBlocks }, (_, i) => this.mats.subarray(8 * i, 8 * i + 8));
    this.gateMats = Array.from({ length: sch.nGates }, (_, j) =>
      this.mats.subarray(8 * (sch.nBlocks + j), 8 * (sch.nBlocks + j) + 8),
    );
    this.v = new Float64Array(4 * n);
    this.g = new Float64Array(4 * n);
  }

  swapPsi(): void {
    const t = this.psi;
    this.psi = this.t1;
    this.t1 = t;
  }
  swapLam(into: "t1" | "t2"): void {
    const t = this.lam;
    if (into === "t1") {
      this.lam = this.t1;
      this.t1 = t;
    } else {
      this.lam = this.t2;
      this.t2 = t;
    }
  }
}
