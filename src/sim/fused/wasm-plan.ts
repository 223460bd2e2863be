import { wireStride } from "../state.ts";
import type { Gather, Schedule } from "./schedule.ts";
import type { Readout } from "./readout.ts";
import type { WasmArena } from "./wasm-arena.ts";

/** A layer's descriptor table in wasm memory: 4 int32 per block (stride, offset of its 2x2 in the mats area in doubles, wire, differentiable). */
export interface LayerTable {
  readonly at: number;
  readonly count: number;
}

/** A permutation's tables in wasm memory (sign 0: all +1). */
export interface GatherTable {
  readonly idx: number;
  readonly sign: number;
}

/**
 * The per-executor constants the wasm passes read, copied into the
 * executor's wasm memory once: each layer's descriptor table, each distinct
 * permutation's index and sign tables, the readout's word table (8 int32 per
 * word, as assembly/fused.ts reads it) with its sign tables.
 */
export class WasmPlan {
  /** by item index: the layer's table, or null */
  readonly layers: ReadonlyArray<LayerTable | null>;
  private readonly gathers = new Map<Gather, GatherTable>();
  readonly words: number;
  readonly nWords: number;

  constructor(arena: WasmArena, sch: Schedule, ro: Readout) {
    const n = sch.n,
      dim = 1 << n;
    const ints = (values: ArrayLike<number>): number => {
      const at = arena.alloc(4 * values.length);
      arena.heap32().set(values, at >> 2);
      return at;
    };
    const doubles = (values: ArrayLike<number>): number => {
      const at = arena.alloc(8 * values.length);
      arena.heap().set(values, at >> 3);
      return at;
    };
    this.layers = sch.items.map((it) => {
      if (it.kind !== "layer") return null;
      const t = it.blocks.flatMap((b) => [wireStride(n, b.wire), 8 * b.id, b.wire, b.differentiable ? 1 : 0]);
      return { at: ints(t), count: it.blocks.length };
    });
    const table = (g: Gather): void => {
      if (this.gathers.has(g)) return;
      if (g.src.length !== dim) throw new Error("fused wasm: permutation table of the wrong size");
      this.gathers.set(g, { idx: ints(g.src), sign: g.sign === null ? 0 : doubles(g.sign) });
    };
    for (const it of sch.items)
      if (it.kind === "perm") {
        table(it.forward);
        table(it.inverse);
      }
    const rows = ro.words.map((wd) => {
      const kind = wd.zWire >= 0 ? 0 : wd.masks.flip === 0 ? 1 : 2;
      const sHi = wd.sHi === null ? 0 : doubles(wd.sHi),
        sLo = wd.sLo === null ? 0 : doubles(wd.sLo);
      return [kind, wd.zWire, wd.masks.flip, wd.masks.nY, sHi, sLo, 0, 0];
    });
    this.nWords = rows.length;
    this.words = ints(rows.length > 0 ? rows.flat() : [0]);
  }

  gather(g: Gather): GatherTable {
    const t = this.gathers.get(g);
    if (t === undefined) throw new Error("fused wasm: permutation not in the plan");
    return t;
  }
}
