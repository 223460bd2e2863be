import type { Schedule } from "./schedule.ts";
import { Buf } from "./workspace.ts";

/** What the tape keeps of one sample: psi just after each layer (by item index), the final psi, its 2x2s. */
export interface SampleRecord {
  readonly keep: ReadonlyArray<Buf | null>;
  readonly final: Buf;
  readonly mats: Float64Array;
}

/**
 * The executor's tape memory: one allocation, reused by every `record`
 * (fresh memory is slow to touch the first time: page faults cost more than
 * the copies into it, docs/decisions-fused.md). Only the latest tape owns it;
 * an older tape finds it gone and re-runs its forward passes instead.
 */
export class TapeMemory {
  private states: Buf | null = null;
  private mats: Float64Array | null = null;
  private records: SampleRecord[] = [];
  private owner: object | null = null;
  private readonly layerItems: number[];
  private readonly dim: number;

  constructor(
    private readonly sch: Schedule,
    private readonly nMats: number,
  ) {
    this.layerItems = sch.items.flatMap((it, i) => (it.kind === "layer" ? [i] : []));
    this.dim = 1 << sch.n;
  }

  /** Bytes a tape of `batch` samples needs: psi after each layer and the final psi, per sample. */
  bytesFor(batch: number): number {
    return batch * (this.layerItems.length + 1) * this.dim * 16;
  }

  /** Gives the memory, grown to `batch` samples, to a new tape; returns the tape's token. */
  claim(batch: number): object {
    const per = this.layerItems.length + 1,
      need = batch * per * this.dim;
    if (this.states === null || this.states.re.length < need) {
      this.states = Buf.of(need);
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

  /** Views of sample b's slots (made once per allocation). */
  sample(b: number): SampleRecord {
    const states = this.states!,
      mats = this.mats!,
      dim = this.dim,
      per = this.layerItems.length + 1;
    while (this.records.length <= b) {
      const s = this.records.length;
      const at = (j: number): Buf => {
        const o = (s * per + j) * dim;
        return new Buf(states.re.subarray(o, o + dim), states.im.subarray(o, o + dim));
      };
      const keep: Array<Buf | null> = this.sch.items.map(() => null);
      this.layerItems.forEach((i, j) => {
        keep[i] = at(j);
      });
      this.records.push({
        keep,
        final: at(per - 1),
        mats: mats.subarray(s * this.nMats, (s + 1) * this.nMats),
      });
    }
    return this.records[b]!;
  }
}
