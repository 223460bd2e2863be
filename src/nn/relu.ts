/** Elementwise max(0, x); the gradient at exactly 0 is 0, as in PyTorch. */
import { BaseModule, requireSize } from "./base-module.ts";
import type { ForwardContext } from "./module.ts";

export class ReLU extends BaseModule {
  readonly inSize: number;
  readonly outSize: number;
  private x: Float64Array | null = null;
  private batch: number | null = null;

  constructor(size: number) {
    super();
    requireSize("ReLU.size", size);
    this.inSize = size;
    this.outSize = size;
  }

  forward(x: Float64Array, batch: number, _ctx: ForwardContext): Float64Array {
    this.checkInput(x, batch);
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : 0;
    this.x = x;
    this.batch = batch;
    return y;
  }

  backward(gradOut: Float64Array): Float64Array {
    this.checkGradOut(gradOut, this.batch);
    const x = this.x as Float64Array;
    const dx = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? gradOut[i] : 0;
    return dx;
  }
}
