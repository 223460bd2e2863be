import { instantiateFusedWasm, type FusedWasmExports } from "./wasm-module.ts";

const PAGE = 65536;
/** states start here; below is left to the module (it keeps no data of its own) */
const HEAP_START = PAGE;
/** wasm32's limit: 65536 pages of 64 KiB */
export const MAX_BYTES = 65536 * PAGE;

/**
 * One executor's fused.wasm instance and a bump allocator over its linear
 * memory. Everything the wasm passes touch lives here: the workspace states,
 * the tape's saved states, the schedule's tables. Blocks are 16-byte aligned.
 * A grow detaches the memory's old ArrayBuffer, so nothing keeps a typed
 * view across an `alloc`: small data goes through `heap()`, a Float64Array
 * over the whole memory re-derived whenever the buffer has changed, and
 * states are passed to the kernels as addresses.
 */
export class WasmArena {
  readonly ex: FusedWasmExports;
  private top = HEAP_START;
  private buf: ArrayBuffer | null = null;
  private f64: Float64Array = new Float64Array(0);
  private i32: Int32Array = new Int32Array(0);

  constructor() {
    this.ex = instantiateFusedWasm();
  }

  /** Byte address of `bytes` fresh bytes (contents unspecified); throws a RangeError past wasm32's 4 GiB. */
  alloc(bytes: number): number {
    const at = this.top,
      top = at + Math.ceil(bytes / 16) * 16;
    const mem = this.ex.memory;
    if (top > MAX_BYTES)
      throw new RangeError(`fused wasm: ${top} bytes of linear memory needed, at most ${MAX_BYTES}`);
    if (top > mem.buffer.byteLength) mem.grow(Math.ceil((top - mem.buffer.byteLength) / PAGE));
    this.top = top;
    return at;
  }

  /** Frees everything from `at` (an address alloc returned) up, if it is the top of the heap; else nothing. */
  releaseFrom(at: number, bytes: number): void {
    if (at + Math.ceil(bytes / 16) * 16 === this.top) this.top = at;
  }

  /** Doubles of the whole memory; index = byte address / 8. Valid until the next alloc. */
  heap(): Float64Array {
    this.refresh();
    return this.f64;
  }

  /** Int32s of the whole memory; index = byte address / 4. Valid until the next alloc. */
  heap32(): Int32Array {
    this.refresh();
    return this.i32;
  }

  /** A Float64Array of `len` doubles at byte address `at`. Valid until the next alloc. */
  view(at: number, len: number): Float64Array {
    return new Float64Array(this.ex.memory.buffer, at, len);
  }

  /** Bytes in use. */
  bytes(): number {
    return this.top - HEAP_START;
  }

  private refresh(): void {
    const b = this.ex.memory.buffer;
    if (this.buf === b) return;
    this.buf = b;
    this.f64 = new Float64Array(b);
    this.i32 = new Int32Array(b);
  }
}
