import type { QmtlLayout } from "../../circuits/qmtl.ts";
import type { Head } from "./heads.ts";
import type { KernelExports, KernelMemory } from "./wasm-kernels.ts";

/**
 * The readout of each task block and its adjoint in WebAssembly (assembly/structured-parts/readout.ts,
 * the same operations in the same order as heads.ts readout / readoutBack). Per task the header of the
 * engine's KernelMemory holds the upper-entry offsets (i32), the per-batch coefficient table (copied
 * whenever the prepared heads change) and the head accumulators RC_k; plus one I/O slot for a sample's
 * outputs or output cotangents.
 */
interface TaskSlots {
  readonly U: number;
  readonly nOut: number;
  readonly n2: number;
  /** byte addresses */
  readonly upper: number;
  readonly coef: number;
  readonly rc: number;
  /** index of rc's first double in mem.head */
  readonly rcAt: number;
}

export interface ReadoutKernels {
  readonly k: KernelExports;
  readonly mem: KernelMemory;
  readonly tasks: readonly TaskSlots[];
  /** byte address and mem.head index of the I/O slot */
  readonly io: number;
  readonly ioAt: number;
  /** the heads whose tables are in memory */
  heads: readonly Head[] | null;
}

const al16 = (b: number): number => 16 * Math.ceil(b / 16);

/** bytes of the readout region for this layout */
export function readoutBytes(layout: QmtlLayout): number {
  let n = al16(8 * layout.nOutputs);
  for (const t of layout.tasks) {
    const dim = 1 << t.size,
      U = (dim * (dim + 1)) / 2;
    n += al16(4 * U) + al16(16 * U * t.nOutputs) + al16(8 * t.nOutputs * 2 * dim * dim);
  }
  return n;
}

/** Lays the region out at byte address `base` (inside mem's header); null without WebAssembly. */
export function readoutKernels(layout: QmtlLayout, mem: KernelMemory, base: number): ReadoutKernels | null {
  if (mem.k === null) return null;
  const io = base;
  let at = base + al16(8 * layout.nOutputs);
  const tasks = layout.tasks.map((t) => {
    const dim = 1 << t.size,
      U = (dim * (dim + 1)) / 2,
      nOut = t.nOutputs,
      n2 = 2 * dim * dim;
    const upper = at;
    at += al16(4 * U);
    const coef = at;
    at += al16(16 * U * nOut);
    const rc = at;
    at += al16(8 * nOut * n2);
    return { U, nOut, n2, upper, coef, rc, rcAt: (rc - mem.headerB) >> 3 };
  });
  return { k: mem.k, mem, tasks, io, ioAt: (io - mem.headerB) >> 3, heads: null };
}

/** Copies the heads' upper offsets and coefficient tables into memory unless they are there already. */
export function loadHeads(ro: ReadoutKernels, heads: readonly Head[]): void {
  if (ro.heads === heads) return;
  const buf = ro.k.memory.buffer;
  heads.forEach((h, t) => {
    const s = ro.tasks[t]!;
    if (h.upper.length !== s.U || h.coef.length !== 2 * s.U * s.nOut)
      throw new Error("qmtl engine: readout tables do not match the layout");
    new Int32Array(buf, s.upper, s.U).set(h.upper);
    new Float64Array(buf, s.coef, 2 * s.U * s.nOut).set(h.coef);
  });
  ro.heads = heads;
}

/** out[oo + k] for task t from rho at byte address rhoB (heads.ts readout) */
export function wasmReadout(
  ro: ReadoutKernels,
  t: number,
  rhoB: number,
  out: Float64Array,
  oo: number,
): void {
  const s = ro.tasks[t]!;
  ro.k.readout(rhoB, s.upper, s.coef, s.U, s.nOut, ro.io);
  const h = ro.mem.head,
    io = ro.ioAt;
  for (let k = 0; k < s.nOut; k++) out[oo + k] = h[io + k]!;
}

/** heads.ts readoutBack for task t: rhobar at byte address rbB, RC_k in memory, cotangents cot[co + k] */
export function wasmReadoutBack(
  ro: ReadoutKernels,
  t: number,
  cot: Float64Array,
  co: number,
  rhoB: number,
  rbB: number,
): void {
  const s = ro.tasks[t]!;
  const h = ro.mem.head,
    io = ro.ioAt;
  for (let k = 0; k < s.nOut; k++) h[io + k] = cot[co + k]!;
  ro.k.readoutBack(ro.io, rhoB, s.upper, s.coef, s.U, s.nOut, rbB, s.rc, s.n2);
}

/** the head accumulators RC of task t as an array view (valid until the memory grows) */
export function rcView(ro: ReadoutKernels, t: number): Float64Array {
  const s = ro.tasks[t]!;
  return ro.mem.head.subarray(s.rcAt, s.rcAt + s.nOut * s.n2);
}
