import { ValidationError } from "../core/errors.ts";
import { BaseModule } from "../nn/base-module.ts";
import type { ForwardContext, Module } from "../nn/module.ts";

/**
 * Applies a module to each consecutive slice of the input (identity where the
 * module is null): per-task output transforms on a concatenated logit vector,
 * such as a learnable temperature per task or the STS-B affine head.
 */
export class SliceMap extends BaseModule {
  readonly inSize: number;
  readonly outSize: number;
  private readonly slices: ReadonlyArray<{ readonly size: number; readonly module: Module | null }>;
  private batch: number | null = null;

  constructor(
    slices: ReadonlyArray<{ readonly name: string; readonly size: number; readonly module: Module | null }>,
  ) {
    super();
    slices.forEach((s, k) => {
      if (s.module && (s.module.inSize !== s.size || s.module.outSize !== s.size)) {
        throw new ValidationError(
          `SliceMap.slices[${k}] (${s.name})`,
          `a module ${s.size} -> ${s.size}`,
          `${s.module.inSize} -> ${s.module.outSize}`,
        );
      }
      if (s.module) this.registerChild(s.name, s.module);
    });
    this.slices = slices;
    this.inSize = this.outSize = slices.reduce((a, s) => a + s.size, 0);
  }

  private gather(x: Float64Array, batch: number, off: number, size: number): Float64Array {
    const y = new Float64Array(batch * size);
    for (let b = 0; b < batch; b++)
      y.set(x.subarray(b * this.inSize + off, b * this.inSize + off + size), b * size);
    return y;
  }

  private scatter(dst: Float64Array, y: Float64Array, batch: number, off: number, size: number): void {
    for (let b = 0; b < batch; b++) dst.set(y.subarray(b * size, (b + 1) * size), b * this.inSize + off);
  }

  forward(x: Float64Array, batch: number, ctx: ForwardContext): Float64Array {
    this.checkInput(x, batch);
    const out = x.slice();
    let off = 0;
    for (const s of this.slices) {
      if (s.module)
        this.scatter(
          out,
          s.module.forward(this.gather(x, batch, off, s.size), batch, ctx),
          batch,
          off,
          s.size,
        );
      off += s.size;
    }
    this.batch = batch;
    return out;
  }

  backward(gradOut: Float64Array): Float64Array {
    const batch = this.checkGradOut(gradOut, this.batch);
    const gx = gradOut.slice();
    let off = 0;
    for (const s of this.slices) {
      if (s.module)
        this.scatter(gx, s.module.backward(this.gather(gradOut, batch, off, s.size)), batch, off, s.size);
      off += s.size;
    }
    return gx;
  }
}
