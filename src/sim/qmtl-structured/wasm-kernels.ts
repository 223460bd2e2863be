import { readFileSync } from "node:fs";

/**
 * WebAssembly SIMD versions of the structured engine's m = 4 complex products
 * (assembly/structured.ts, committed as kernels.wasm next to this file; rebuild
 * with `sh bench/build-wasm.sh`). They work on byte addresses, so the engine
 * keeps its frames, cotangent frame and scratch in the linear memory of its own
 * instance (`KernelMemory`) as Float64Array views; everything else keeps using
 * those views from JavaScript. While a pass runs, the engine names its current
 * arrays and their addresses with `activate`; the product helpers of
 * flat-cmat.ts look an array up there by identity (`addr`) and fall back to the
 * JavaScript kernels for any other array (per-batch head preparation, a
 * recomputed tape, or a runtime without WebAssembly). Exactness: the same sums
 * in another order (float64 rounding only).
 */

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
}

/** Byte addresses into the instance's memory; outputs must not alias inputs. */
export interface KernelExports {
  readonly memory: WasmMemory;
  mulNN4(y: number, a: number, b: number): void;
  mulNH4(y: number, a: number, b: number): void;
  mulHN4(y: number, a: number, b: number): void;
  mulNNAcc4(s: number, y: number, a: number, b: number): void;
  mulNHAcc4(y: number, a: number, b: number): void;
  mulHNAcc4(y: number, a: number, b: number): void;
  /** flat-cmat4.ts dsandTo4 / dsandAcc4 / dsandGrad4 and flat-cvec.ts cdot4 / cdot4Back for m = 4 */
  dsandTo4(y: number, x: number, d1: number, d2: number): void;
  dsandAcc4(y: number, x: number, d1: number, d2: number): void;
  dsandGrad4(yb: number, x: number, d1: number, d2: number, g1: number, g2: number): void;
  cdot4(
    x: number,
    y0: number,
    y1: number,
    y2: number,
    y3: number,
    o0: number,
    o1: number,
    o2: number,
    o3: number,
  ): void;
  cdot4Back(
    fr: number,
    cf: number,
    x: number,
    y0: number,
    y1: number,
    y2: number,
    y3: number,
    g0: number,
    g1: number,
    g2: number,
    g3: number,
  ): void;
  /** a whole task block of blocks.ts (m = 4), described at byte address desc (wasm-blocks.ts) */
  blockForward(desc: number, fr: number): void;
  blockBackward(desc: number, fr: number, cf: number, tmp: number): void;
  /** heads.ts readout / readoutBack on byte addresses (wasm-readout.ts) */
  readout(rho: number, upper: number, coef: number, U: number, nOut: number, out: number): void;
  readoutBack(
    cot: number,
    rho: number,
    upper: number,
    coef: number,
    U: number,
    nOut: number,
    rb: number,
    rc: number,
    n2: number,
  ): void;
  /** both environment chains of chains.ts (boundaries included), described at byte address desc */
  chainsForward(desc: number, fr: number): void;
  chainsBackward(desc: number, fr: number, cf: number, tmp: number): void;
}

let compiled: object | null | undefined;

function instantiate(): KernelExports | null {
  const WA = (globalThis as unknown as { readonly WebAssembly?: WasmApi }).WebAssembly;
  if (compiled === undefined) {
    try {
      if (WA === undefined) throw new Error("no WebAssembly");
      compiled = new WA.Module(readFileSync(new URL("./kernels.wasm", import.meta.url)));
    } catch {
      compiled = null; // the JavaScript kernels compute the same values
    }
  }
  if (compiled === null || WA === undefined) return null;
  return new WA.Instance(compiled, {}).exports as unknown as KernelExports;
}

/** The arrays of the pass now running, with the byte address of element 0 of each. */
interface Active {
  k: KernelExports;
  fr: Float64Array;
  frB: number;
  cf: Float64Array;
  cfB: number;
  tmp: Float64Array;
  tmpB: number;
}

let active: Active | null = null;

/** The kernels of the active pass, or null (then the JavaScript kernels run). */
export function activeKernels(): KernelExports | null {
  return active === null ? null : active.k;
}

/** Byte address of x[0] in the active pass's memory, or -1 when x is none of its arrays. */
export function addr(x: Float64Array): number {
  const a = active;
  if (a === null) return -1;
  if (x === a.fr) return a.frB;
  if (x === a.cf) return a.cfB;
  if (x === a.tmp) return a.tmpB;
  return -1;
}

/** Makes the frame fr (at byte address frB) and the memory's cf, tmp the active arrays; null ends the pass. */
export function activate(mem: KernelMemory | null, fr?: Float64Array, frB?: number): void {
  if (mem === null || mem.k === null || fr === undefined || frB === undefined) {
    active = null;
    return;
  }
  const a = (active ??= { k: mem.k, fr, frB, cf: mem.cf, cfB: mem.cfB, tmp: mem.tmp, tmpB: mem.tmpB });
  a.k = mem.k;
  a.fr = fr;
  a.frB = frB;
  a.cf = mem.cf;
  a.cfB = mem.cfB;
  a.tmp = mem.tmp;
  a.tmpB = mem.tmpB;
}

const PAGE = 65536,
  BASE = 1024;

/**
 * One engine's arrays, in its own instance's memory when WebAssembly is there
 * (else plain Float64Arrays): the cotangent frame cf, scratch tmp, a one-frame
 * scratch for forward(), and the arena of a recorded batch's frames. Growing
 * the arena re-creates every view (a grown memory detaches the old ones).
 */
export class KernelMemory {
  readonly k: KernelExports | null;
  cf: Float64Array;
  tmp: Float64Array;
  scratch: Float64Array;
  arena: Float64Array;
  /** byte address of `headerBytes` bytes before the arrays (descriptors and readout tables, wasm-blocks.ts) */
  readonly headerB: number;
  /** the header as doubles (re-made with the other views when the memory grows; empty without wasm) */
  head: Float64Array;
  readonly cfB: number;
  readonly tmpB: number;
  readonly scratchB: number;
  readonly arenaB: number;

  /** wasm = false: plain arrays and the JavaScript kernels (the engine before kernels.wasm, for benchmarks) */
  constructor(
    private readonly frameSize: number,
    private readonly tmpSize: number,
    wasm = true,
    headerBytes = 0,
  ) {
    this.k = wasm ? instantiate() : null;
    this.headerB = BASE;
    this.cfB = BASE + 16 * Math.ceil(headerBytes / 16);
    this.tmpB = this.cfB + 8 * align2(frameSize);
    this.scratchB = this.tmpB + 8 * align2(tmpSize);
    this.arenaB = this.scratchB + 8 * align2(frameSize);
    this.cf = this.tmp = this.scratch = this.arena = this.head = new Float64Array(0);
    this.ensure(0);
  }

  /** Room for `doubles` in the arena (views re-made when the memory grew). */
  ensure(doubles: number): void {
    if (this.k === null) {
      if (this.cf.length === 0) {
        this.cf = new Float64Array(this.frameSize);
        this.tmp = new Float64Array(this.tmpSize);
        this.scratch = new Float64Array(this.frameSize);
      }
      if (this.arena.length < doubles) this.arena = new Float64Array(doubles);
      return;
    }
    const mem = this.k.memory;
    const need = this.arenaB + 8 * doubles;
    const grew = need > mem.buffer.byteLength;
    if (grew) mem.grow(Math.ceil((need - mem.buffer.byteLength) / PAGE));
    if (grew || this.cf.length === 0 || this.arena.length < doubles) {
      const buf = mem.buffer;
      this.cf = new Float64Array(buf, this.cfB, this.frameSize);
      this.tmp = new Float64Array(buf, this.tmpB, this.tmpSize);
      this.scratch = new Float64Array(buf, this.scratchB, this.frameSize);
      this.arena = new Float64Array(buf, this.arenaB, (buf.byteLength - this.arenaB) >> 3);
      this.head = new Float64Array(buf, this.headerB, (this.cfB - this.headerB) >> 3);
    }
  }
}

const align2 = (n: number): number => n + (n & 1);
