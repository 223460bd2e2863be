import { readFileSync } from "node:fs";
import type { StateVector } from "../state.ts";
import { MAX_QUBITS } from "../state.ts";
import { requireInt } from "../../core/errors.ts";
import type { KernelBackend } from "./backend.ts";
import { apply1q, applyCNOT, applyCZ, applySWAP, apply2q } from "../kernels.ts";
import { applyRX, applyRY, applyRZ } from "../rotation-kernels.ts";
import { imInnerPauli1 } from "../pauli-inner.ts";
import type { PauliName } from "../../gates/spec.ts";

/**
 * The WebAssembly SIMD kernels of assembly/statevector.ts, instantiated from
 * the committed statevector.wasm next to this file (no network, no build
 * step). States live in the module's linear memory: a state of n qubits is
 * one block of 2 * 2^n doubles (real parts, then imaginary parts) handed out
 * from per-size free lists, so freed states are reused and the memory only
 * grows to the peak number of live states. A grow detaches the old buffer, so
 * a WasmState re-derives its re/im views after every grow (the loader counts
 * them: reading memory.buffer on every re/im access was 30% of the generic
 * adjoint's time).
 * States not created here (plain arrays) go to the TypeScript kernels.
 */
/** The parts of the WebAssembly JS API used here (this project's TypeScript lib set does not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
}
const WA = (globalThis as unknown as { readonly WebAssembly: WasmApi }).WebAssembly;

interface Exports {
  readonly memory: WasmMemory;
  apply1q(
    re: number,
    im: number,
    n: number,
    wire: number,
    ar: number,
    ai: number,
    br: number,
    bi: number,
    cr: number,
    ci: number,
    dr: number,
    di: number,
  ): void;
  applyRX(re: number, im: number, n: number, wire: number, c: number, s: number): void;
  applyRY(re: number, im: number, n: number, wire: number, c: number, s: number): void;
  applyRZ(re: number, im: number, n: number, wire: number, c: number, s: number): void;
  applyCNOT(re: number, im: number, n: number, c: number, t: number): void;
  applyCZ(re: number, im: number, n: number, a: number, b: number): void;
  applySWAP(re: number, im: number, n: number, a: number, b: number): void;
  apply2q(re: number, im: number, n: number, a: number, b: number, m: number): void;
  imInnerPauli(
    lre: number,
    lim: number,
    pre: number,
    pim: number,
    n: number,
    wire: number,
    pauli: number,
  ): number;
  copyF64(dst: number, src: number, count: number): void;
}

const PAULI_CODE: Record<PauliName, number> = { X: 0, Y: 1, Z: 2 };

const PAGE = 65536;
/** byte address of the 4x4 matrix scratch; states start after it (the module itself uses no memory) */
const MATRIX_AT = PAGE;
const HEAP_START = PAGE + 4096;

/** The module's memory and a count of its grows (reading `memory.buffer` is slow in V8; a number compare is not). */
interface Heap {
  readonly mem: WasmMemory;
  grows: number;
}

export class WasmState implements StateVector {
  readonly n: number;
  /** byte addresses of the real and imaginary parts */
  readonly reAt: number;
  readonly imAt: number;
  private seen = -1;
  private vre: Float64Array = new Float64Array(0);
  private vim: Float64Array = new Float64Array(0);

  constructor(
    private readonly heap: Heap,
    n: number,
    at: number,
  ) {
    this.n = n;
    this.reAt = at;
    this.imAt = at + 8 * (1 << n);
  }

  private refresh(): void {
    if (this.seen === this.heap.grows) return;
    this.seen = this.heap.grows;
    const buf = this.heap.mem.buffer;
    this.vre = new Float64Array(buf, this.reAt, 1 << this.n);
    this.vim = new Float64Array(buf, this.imAt, 1 << this.n);
  }

  get re(): Float64Array {
    this.refresh();
    return this.vre;
  }
  get im(): Float64Array {
    this.refresh();
    return this.vim;
  }
}

export interface WasmKernels extends KernelBackend {
  readonly exports: Exports;
  /** bytes of linear memory in use by live and free states */
  heapBytes(): number;
}

/** Reads and instantiates statevector.wasm; throws if the file is missing or SIMD is unsupported. */
export function loadWasmKernels(): WasmKernels {
  const bytes = readFileSync(new URL("./statevector.wasm", import.meta.url));
  const module = new WA.Module(bytes);
  const ex = new WA.Instance(module, {}).exports as unknown as Exports;
  const mem = ex.memory;
  const heap: Heap = { mem, grows: 0 };
  let matrix = new Float64Array(mem.buffer, MATRIX_AT, 32),
    matrixSeen = 0;
  let top = HEAP_START;
  const free = new Map<number, number[]>();

  const own = (s: StateVector): s is WasmState => s instanceof WasmState && (s as WasmState)["heap"] === heap;

  function alloc(n: number): number {
    const list = free.get(n);
    if (list !== undefined && list.length > 0) return list.pop()!;
    const bytes = 16 * (1 << n);
    const at = top;
    top += bytes;
    if (top > mem.buffer.byteLength) {
      mem.grow(Math.ceil((top - mem.buffer.byteLength) / PAGE));
      heap.grows++;
    }
    return at;
  }

  const k: WasmKernels = {
    name: "wasm-simd",
    exports: ex,
    heapBytes: () => top - HEAP_START,
    createState(n) {
      requireInt("nQubits", n, 1, MAX_QUBITS);
      const s = new WasmState(heap, n, alloc(n));
      s.re.fill(0);
      s.im.fill(0);
      s.re[0] = 1;
      return s;
    },
    freeState(s) {
      if (!own(s)) return;
      const list = free.get(s.n) ?? [];
      if (!list.includes(s.reAt)) list.push(s.reAt);
      free.set(s.n, list);
    },
    apply1q(s, wire, ar, ai, br, bi, cr, ci, dr, di) {
      if (own(s)) ex.apply1q(s.reAt, s.imAt, s.n, wire, ar, ai, br, bi, cr, ci, dr, di);
      else apply1q(s, wire, ar, ai, br, bi, cr, ci, dr, di);
    },
    applyRX(s, wire, c, sn) {
      if (own(s)) ex.applyRX(s.reAt, s.imAt, s.n, wire, c, sn);
      else applyRX(s, wire, c, sn);
    },
    applyRY(s, wire, c, sn) {
      if (own(s)) ex.applyRY(s.reAt, s.imAt, s.n, wire, c, sn);
      else applyRY(s, wire, c, sn);
    },
    applyRZ(s, wire, c, sn) {
      if (own(s)) ex.applyRZ(s.reAt, s.imAt, s.n, wire, c, sn);
      else applyRZ(s, wire, c, sn);
    },
    applyCNOT(s, c, t) {
      if (own(s)) ex.applyCNOT(s.reAt, s.imAt, s.n, c, t);
      else applyCNOT(s, c, t);
    },
    applyCZ(s, a, b) {
      if (own(s)) ex.applyCZ(s.reAt, s.imAt, s.n, a, b);
      else applyCZ(s, a, b);
    },
    applySWAP(s, a, b) {
      if (own(s)) ex.applySWAP(s.reAt, s.imAt, s.n, a, b);
      else applySWAP(s, a, b);
    },
    imInnerPauli(lam, psi, wire, pauli) {
      if (own(lam) && own(psi) && lam.n === psi.n)
        return ex.imInnerPauli(lam.reAt, lam.imAt, psi.reAt, psi.imAt, psi.n, wire, PAULI_CODE[pauli]);
      return imInnerPauli1(lam, psi, wire, pauli);
    },
    apply2q(s, a, b, mre, mim) {
      if (!own(s)) {
        apply2q(s, a, b, mre, mim);
        return;
      }
      if (matrixSeen !== heap.grows) {
        matrix = new Float64Array(mem.buffer, MATRIX_AT, 32);
        matrixSeen = heap.grows;
      }
      const m = matrix;
      for (let e = 0; e < 16; e++) {
        m[e] = mre[e]!;
        m[16 + e] = mim[e]!;
      }
      ex.apply2q(s.reAt, s.imAt, s.n, a, b, MATRIX_AT);
    },
  };
  return k;
}
