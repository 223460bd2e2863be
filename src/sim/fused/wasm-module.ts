import { readFileSync } from "node:fs";
import { ValidationError } from "../../core/errors.ts";

/**
 * The WebAssembly SIMD passes of assembly/fused.ts, from the committed
 * fused.wasm next to this file (no network, no build step; rebuild with
 * `sh bench/build-wasm.sh`). The module is compiled once per thread; every
 * executor gets its own instance, hence its own linear memory
 * (wasm-arena.ts), so executors never share or move each other's states.
 */

/** The parts of the WebAssembly JS API used here (this project's TypeScript lib set does not declare it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
}

/** Addresses are byte offsets into the instance's memory; n is the qubit count, strides are 2^(n-1-wire). */
export interface FusedWasmExports {
  readonly memory: WasmMemory;
  /** the last argument of applyLayer, layerCross, gather, gather2: 1 for float32 states, 0 for float64 */
  applyLayer(
    re: number,
    im: number,
    n: number,
    desc: number,
    count: number,
    mats: number,
    dagger: number,
    f32: number,
  ): void;
  applyMat2(
    re: number,
    im: number,
    n: number,
    stride: number,
    ar: number,
    ai: number,
    br: number,
    bi: number,
    cr: number,
    ci: number,
    dr: number,
    di: number,
  ): void;
  layerCross(
    pr: number,
    pi: number,
    lr: number,
    li: number,
    n: number,
    zr: number,
    zi: number,
    diag: number,
    desc: number,
    count: number,
    ks: number,
    f32: number,
  ): void;
  gather(
    sr: number,
    si: number,
    dr: number,
    di: number,
    idx: number,
    sign: number,
    dim: number,
    f32: number,
  ): void;
  gather2(
    ar: number,
    ai: number,
    adr: number,
    adi: number,
    br: number,
    bi: number,
    bdr: number,
    bdi: number,
    idx: number,
    sign: number,
    dim: number,
    f32: number,
  ): void;
  initProduct(re: number, im: number, n: number, v: number): void;
  productEnvironments(
    lr: number,
    li: number,
    n: number,
    v: number,
    g: number,
    rRe: number,
    rIm: number,
    lRe: number,
    lIm: number,
  ): void;
  copyF64(dst: number, src: number, count: number): void;
  cnot(re: number, im: number, n: number, cs: number, ts: number): void;
  swap(re: number, im: number, n: number, sa: number, sb: number): void;
  cz(re: number, im: number, n: number, sa: number, sb: number): void;
  measure(
    n: number,
    re: number,
    im: number,
    words: number,
    nWords: number,
    p: number,
    marg: number,
    out: number,
  ): void;
  buildLambda(
    n: number,
    pr: number,
    pi: number,
    lr: number,
    li: number,
    words: number,
    nWords: number,
    cot: number,
    d: number,
  ): void;
  /** float32 <-> float64 conversion of `count` numbers */
  toF64(dst: number, src: number, count: number): void;
  toF32(dst: number, src: number, count: number): void;
}

let compiled: object | null | undefined;
let failure = "";

function compile(): object | null {
  if (compiled === undefined) {
    try {
      const WA = (globalThis as unknown as { readonly WebAssembly?: WasmApi }).WebAssembly;
      if (WA === undefined) throw new Error("this runtime has no WebAssembly");
      compiled = new WA.Module(readFileSync(new URL("./fused.wasm", import.meta.url)));
    } catch (e) {
      compiled = null;
      failure = e instanceof Error ? e.message : String(e);
    }
  }
  return compiled;
}

/** Whether this runtime can run fused.wasm (WebAssembly with SIMD, the file present). */
export function fusedWasmAvailable(): boolean {
  return compile() !== null;
}

/** Why fusedWasmAvailable() is false ("" when it is true). */
export function fusedWasmUnavailableReason(): string {
  compile();
  return failure;
}

/** A fresh instance (its own memory); throws when unavailable. */
export function instantiateFusedWasm(): FusedWasmExports {
  const module = compile();
  if (module === null) throw new Error(`fused WebAssembly kernels unavailable: ${failure}`);
  const WA = (globalThis as unknown as { readonly WebAssembly: WasmApi }).WebAssembly;
  return new WA.Instance(module, {}).exports as unknown as FusedWasmExports;
}

export type FusedKernelChoice = "auto" | "ts" | "wasm";

/**
 * "auto" (the default): wasm when this runtime can instantiate it, else ts.
 * "wasm" throws when unavailable. The choice is an explicit option only (no
 * environment variable is read).
 */
export function resolveFusedKernels(choice: FusedKernelChoice = "auto"): "ts" | "wasm" {
  if (choice !== "auto" && choice !== "ts" && choice !== "wasm")
    throw new ValidationError("kernels", '"auto", "ts" or "wasm"', choice);
  if (choice === "ts") return "ts";
  if (fusedWasmAvailable()) return "wasm";
  if (choice === "wasm") throw new Error(`fused WebAssembly kernels unavailable: ${failure}`);
  return "ts";
}
