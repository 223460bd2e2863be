import { ValidationError } from "../core/errors.ts";
import { BaseModule } from "../nn/base-module.ts";
import type { ForwardContext, Module } from "../nn/module.ts";

/**
 * Several heads reading the same input; their outputs are concatenated in
 * order (one Linear(d, r_t) per task is the hard-parameter-sharing baseline).
 * Children are named by task.
 */
export class ConcatHeads extends BaseModule {
  readonly inSize: number;
  readonly outSize: number;
  readonly heads: ReadonlyArray<readonly [string, Module]>;
  private batch: number | null = null;

  constructor(heads: ReadonlyArray<readonly [string, Module]>) {
    super();
    if (heads.length === 0) throw new ValidationError("ConcatHeads.heads", "at least one head");
    const d = heads[0]![1].inSize;
    heads.forEach(([name, m], k) => {
      if (m.inSize !== d)
        throw new ValidationError(`ConcatHeads.heads[${k}] (${name}).inSize`, String(d), m.inSize);
      this.registerChild(name, m);
    });
    this.heads = heads;
    this.inSize = d;
    this.outSize = heads.reduce((a, [, m]) => a + m.outSize, 0);
  }

  forward(x: Float64Array, batch: number, ctx: ForwardContext): Float64Array {
    this.checkInput(x, batch);
    const out = new Float64Array(batch * this.outSize);
    let off = 0;
    for (const [, m] of this.heads) {
      const y = m.forward(x, batch, ctx);
      for (let b = 0; b < batch; b++)
        out.set(y.subarray(b * m.outSize, (b + 1) * m.outSize), b * this.outSize + off);
      off += m.outSize;
    }
    this.batch = batch;
    return out;
  }

  backward(gradOut: Float64Array): Float64Array {
    const batch = this.checkGradOut(gradOut, this.batch);
    const gx = new Float64Array(batch * this.inSize);
    let off = 0;
    for (const [, m] of this.heads) {
      const g = new Float64Array(batch * m.outSize);
      for (let b = 0; b < batch; b++)
        g.set(gradOut.subarray(b * this.outSize + off, b * this.outSize + off + m.outSize), b * m.outSize);
      const gi = m.backward(g);
      for (let i = 0; i < gx.length; i++) gx[i]! += gi[i]!;
      off += m.outSize;
    }
    return gx;
  }
}
