import type { Schedule } from "./schedule.ts";
import { mat2, type Mat2 } from "./mat2.ts";
import { productScratch, type ProductScratch } from "./product-layer.ts";
import { readoutScratch, type ReadoutScratch } from "./readout.ts";

/** A state's split arrays; permutation passes swap them with a scratch pair. */
export class Buf {
  constructor(
    public re: Float64Array,
    public im: Float64Array,
  ) {}
  static of(dim: number): Buf {
    return new Buf(new Float64Array(dim), new Float64Array(dim));
  }
}

export function swapBufs(a: Buf, b: Buf): void {
  const re = a.re,
    im = a.im;
  a.re = b.re;
  a.im = b.im;
  b.re = re;
  b.im = im;
}

/** What sampleMatrices fills: every block's U, every gate's matrix, each wire's U|0>. */
export interface SampleMats {
  readonly blockMats: readonly Mat2[];
  readonly gateMats: readonly Mat2[];
  readonly v: Float64Array;
}

/**
 * Everything the per-sample passes need, allocated once and reused for every
 * sample (and, through the executor's cache, every call).
 */
export class Workspace implements SampleMats {
  readonly psi: Buf;
  readonly lam: Buf;
  readonly t1: Buf;
  readonly t2: Buf;
  readonly z: Buf;
  readonly readout: ReadoutScratch;
  readonly prod: ProductScratch;
  /** per wire: the first layer's U|0>, the environments g_w, the diagonals of K, packed [r0, i0, r1, i1] */
  readonly v: Float64Array;
  readonly g: Float64Array;
  readonly diag: Float64Array;
  /** per wire cotangent sum of single-Z readouts */
  readonly cw: Float64Array;
  /** cross matrices of one layer, 8 numbers per block of the layer */
  readonly ks: Float64Array;
  /** this sample's block matrices (by Block.id) then gate matrices (by Block.gate0 + j), 8 numbers each */
  readonly mats: Float64Array;
  /** views into mats */
  readonly blockMats: Mat2[];
  readonly gateMats: Mat2[];
  /** psi just after each layer item (by item index), for backward's re-run forward; null: not kept */
  readonly checkpoints: Array<Buf | null> | null;
  readonly ud: Mat2 = mat2();
  readonly k: Mat2 = mat2();
  readonly tmp: Mat2 = mat2();

  constructor(sch: Schedule, checkpoints: boolean) {
    const n = sch.n,
      dim = 1 << n;
    this.psi = Buf.of(dim);
    this.lam = Buf.of(dim);
    this.t1 = Buf.of(dim);
    this.t2 = Buf.of(dim);
    this.z = Buf.of(dim);
    this.readout = readoutScratch(n);
    this.prod = productScratch(n);
    this.v = new Float64Array(4 * n);
    this.g = new Float64Array(4 * n);
    this.diag = new Float64Array(4 * n);
    this.cw = new Float64Array(n);
    this.ks = new Float64Array(8 * n);
    this.mats = new Float64Array(8 * (sch.nBlocks + sch.nGates));
    this.blockMats = Array.from({ length: sch.nBlocks }, (_, i) => this.mats.subarray(8 * i, 8 * i + 8));
    this.gateMats = Array.from({ length: sch.nGates }, (_, j) =>
      this.mats.subarray(8 * (sch.nBlocks + j), 8 * (sch.nBlocks + j) + 8),
    );
    this.checkpoints = checkpoints ? sch.items.map((it) => (it.kind === "layer" ? Buf.of(dim) : null)) : null;
  }
}
