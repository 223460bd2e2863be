import type { Schedule } from "./schedule.ts";
import type { WasmArena } from "./wasm-arena.ts";

/** What the wasm tape keeps of one sample: byte addresses of psi after each layer (by item index) and of the final psi; its 2x2s. */
export interface WasmSampleRecord {
  readonly keep: ReadonlyArray<number | null>;
  readonly final: number;
  readonly mats: Float64Array;
}

/**
 * TapeMemory (tape-memory.ts) with the states in the executor's wasm memory:
 * one region, reused by every `record` and grown only when a larger batch
 * comes (a grown region replaces the old one, in place when it is the top of
 * the heap). Only the latest tape owns it.
 */
export class WasmTapeMemory {
  private at = 0;
  private capacity = 0;
  private mats: Float64Array = new Float64Array(0);
  private records: WasmSampleRecord[] = [];
  private owner: object | null = null;
  private readonly layerItems: number[];
  private readonly stateBytes: number;

  /** stateBytes: 16 * 2^n (float64 states) or 8 * 2^n (float32) */
  constructor(
    private readonly arena: WasmArena,
    private readonly sch: Schedule,
    private readonly nMats: number,
    stateBytes: number,
  ) {
    this.layerItems = sch.items.flatMap((it, i) => (it.kind === "layer" ? [i] : []));
    this.stateBytes = stateBytes;
  }

  /** Bytes a tape of `batch` samples needs: psi after each layer and the final psi, per sample. */
  bytesFor(batch: number): number {
    return batch * (this.layerItems.length + 1) * this.stateBytes;
  }

  /**
   * Gives the memory, grown to `batch` samples, to a new tape; returns the
   * tape's token, or null when wasm32's 4 GiB cannot hold it (the executor
   * then re-runs forward in backward, as for a budget too small).
   */
  claim(batch: number): object | null {
    if (this.capacity < batch) {
      if (this.capacity > 0) this.arena.releaseFrom(this.at, this.bytesFor(this.capacity));
      this.owner = null;
      this.capacity = 0;
      this.records = [];
      try {
        this.at = this.arena.alloc(this.bytesFor(batch));
      } catch (e) {
        if (e instanceof RangeError) return null;
        throw e;
      }
      this.capacity = batch;
      this.mats = new Float64Array(batch * this.nMats);
      this.records = [];
    }
    const token = {};
    this.owner = token;
    return token;
  }

  owns(token: object): boolean {
    return this.owner === token;
  }

  /** Sample b's slots (made once per allocation). */
  sample(b: number): WasmSampleRecord {
    const per = this.layerItems.length + 1;
    while (this.records.length <= b) {
      const s = this.records.length;
      const at = (j: number): number => this.at + (s * per + j) * this.stateBytes;
      const keep: Array<number | null> = this.sch.items.map(() => null);
      this.layerItems.forEach((i, j) => {
        keep[i] = at(j);
      });
      this.records.push({
        keep,
        final: at(per - 1),
        mats: this.mats.subarray(s * this.nMats, (s + 1) * this.nMats),
      });
    }
    return this.records[b]!;
  }
}
