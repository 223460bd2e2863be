/** Elementwise tanh; backward uses the cached output: dx = g * (1 - y^2). */
import { BaseModule, requireSize } from "./base-module.ts";
import type { ForwardContext } from "./module.ts";

export class Tanh extends BaseModule {
  readonly inSize: number;
  readonly outSize: number;
  private y: Float64Array | null = null;
  private batch: number | null = null;

  constructor(size: number) {
    super();
    requireSize("Tanh.size", size);
    this.inSize = size;
    this.outSize = size;
  }

  forward(x: Float64Array, batch: number, _ctx: ForwardContext): Float64Array {
    this.checkInput(x, batch);
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
    this.y = y;
    this.batch = batch;
    return y;
  }

  backward(gradOut: Float64Array): Float64Array {
    this.checkGradOut(gradOut, this.batch);
    const y = this.y as Float64Array;
    const dx = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) dx[i] = gradOut[i] * (1 - y[i] * y[i]);
    return dx;
  }
}
