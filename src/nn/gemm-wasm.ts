/**
 * The WebAssembly SIMD dense product of assembly/gemm.ts, from the committed
 * gemm.wasm next to this file (no build step; rebuild with
 * `sh bench/build-wasm.sh`). One instance per thread, compiled on first use;
 * operands are copied into its linear memory for each call and the result
 * copied back. Its sums are those of the TypeScript kernels bit for bit
 * (lanes run along output columns, each entry summed in index order), so
 * gemm.ts may pick either one by size without changing a result.
 */
import { readFileSync } from "node:fs";

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
}
interface GemmExports {
  readonly memory: WasmMemory;
  opAB(a: number, rs: number, ks: number, b: number, c: number, m: number, n: number, k: number): void;
  packRows(src: number, dst: number, n: number, k: number): void;
  packCols(src: number, dst: number, n: number, k: number): void;
}

const PAGE = 65536;
/** operands start here (the module keeps no data of its own) */
const BASE = 1024;
/** wasm32's limit: 65536 pages of 64 KiB */
const MAX_BYTES = 65536 * PAGE;

let ex: GemmExports | null | undefined;
let heap = new Float64Array(0);

function instance(): GemmExports | null {
  if (ex === undefined) {
    try {
      const WA = (globalThis as unknown as { readonly WebAssembly?: WasmApi }).WebAssembly;
      if (WA === undefined) throw new Error("this runtime has no WebAssembly");
      const mod = new WA.Module(readFileSync(new URL("./gemm.wasm", import.meta.url)));
      ex = new WA.Instance(mod, {}).exports as GemmExports;
    } catch {
      // no WebAssembly SIMD here: gemm.ts keeps to its TypeScript kernels, which give the same numbers
      ex = null;
    }
  }
  return ex;
}

/** Whether the wasm kernels can run in this thread. */
export function gemmWasmAvailable(): boolean {
  return instance() !== null;
}

/** A Float64Array over the whole memory with room for `doubles` doubles from BASE; null past wasm32's limit. */
function room(e: GemmExports, doubles: number): Float64Array | null {
  const top = BASE + doubles * 8 + 16;
  if (top > MAX_BYTES) return null;
  const mem = e.memory;
  if (top > mem.buffer.byteLength) mem.grow(Math.ceil((top - mem.buffer.byteLength) / PAGE));
  if (heap.buffer !== mem.buffer) heap = new Float64Array(mem.buffer);
  return heap;
}

/**
 * C[m,n] += op(A) B in wasm, op(A)[r,kk] = A[r*rs + kk*ks], B [k,n] row-major,
 * or B^T [n,k] row-major when `bT`; B is copied as it is, then packed in wasm
 * into the kernel's column panels. False when wasm is unavailable or the
 * operands do not fit its memory; C is then untouched.
 */
export function opABWasm(
  A: Float64Array,
  rs: number,
  ks: number,
  B: Float64Array,
  bT: boolean,
  C: Float64Array,
  m: number,
  n: number,
  k: number,
): boolean {
  const e = instance();
  if (e === null) return false;
  const la = m * k,
    lb = k * n,
    lc = m * n;
  // 16-byte aligned starts: A, packed B, C, B as given
  const pa = BASE / 8,
    pb = pa + la + (la & 1),
    pc = pb + lb + (lb & 1),
    pt = pc + lc + (lc & 1);
  const h = room(e, pt + lb - BASE / 8);
  if (h === null) return false;
  h.set(A.subarray(0, la), pa);
  h.set(B.subarray(0, lb), pt);
  if (bT) e.packCols(pt * 8, pb * 8, n, k);
  else e.packRows(pt * 8, pb * 8, n, k);
  h.set(C.subarray(0, lc), pc);
  e.opAB(pa * 8, rs, ks, pb * 8, pc * 8, m, n, k);
  C.set(h.subarray(pc, pc + lc));
  return true;
}
