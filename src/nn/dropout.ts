/**
 * Inverted dropout (torch.nn.Dropout): in training each entry is kept with
 * probability 1-p and scaled by 1/(1-p), drawing one `ctx.rng.uniform()` per
 * entry in row-major order (kept iff u >= p); p = 1 zeroes everything. In
 * eval mode, or with p = 0, it is the identity and draws nothing.
 */
import { ValidationError } from "../core/errors.ts";
import { BaseModule, requireSize } from "./base-module.ts";
import type { ForwardContext } from "./module.ts";

export class Dropout extends BaseModule {
  readonly inSize: number;
  readonly outSize: number;
  readonly p: number;
  /** Per-entry multiplier of the last training forward; null when it was the identity. */
  private mask: Float64Array | null = null;
  private batch: number | null = null;

  constructor(size: number, p: number) {
    super();
    requireSize("Dropout.size", size);
    if (!(p >= 0 && p <= 1)) throw new ValidationError("Dropout.p", "a probability in [0, 1]", p);
    this.inSize = size;
    this.outSize = size;
    this.p = p;
  }

  forward(x: Float64Array, batch: number, ctx: ForwardContext): Float64Array {
    this.checkInput(x, batch);
    this.batch = batch;
    if (!ctx.training || this.p === 0) {
      this.mask = null;
      return Float64Array.from(x);
    }
    const scale = this.p === 1 ? 0 : 1 / (1 - this.p);
    const mask = new Float64Array(x.length);
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      mask[i] = ctx.rng.uniform() >= this.p ? scale : 0;
      y[i] = x[i] * mask[i];
    }
    this.mask = mask;
    return y;
  }

  backward(gradOut: Float64Array): Float64Array {
    this.checkGradOut(gradOut, this.batch);
    const mask = this.mask;
    if (mask === null) return Float64Array.from(gradOut);
    const dx = new Float64Array(gradOut.length);
    for (let i = 0; i < dx.length; i++) dx[i] = gradOut[i] * mask[i];
    return dx;
  }
}
