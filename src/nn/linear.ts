/**
 * Fully connected layer y = x W^T + b, W of shape [out, in] as in PyTorch.
 *
 * Initialisation matches torch.nn.Linear's reset_parameters: kaiming_uniform_
 * with a = sqrt(5) gives bound gain*sqrt(3/fan_in) = sqrt(1/3)*sqrt(3/in) =
 * 1/sqrt(in) for the weight, and the bias is U(-1/sqrt(in), 1/sqrt(in)).
 * Weight entries are drawn first (row-major), then the bias, from `rng`.
 */
import type { Rng } from "../core/rng.ts";
import { requireAllocation } from "../core/limits.ts";
import { BaseModule, requireSize } from "./base-module.ts";
import { gemmAB, gemmABt, gemmAtB } from "./gemm.ts";
import type { ForwardContext, Param } from "./module.ts";
import { makeParam } from "./param.ts";

export interface LinearOptions {
  /** Add a learnable bias (default true). */
  bias?: boolean;
}

export class Linear extends BaseModule {
  readonly inSize: number;
  readonly outSize: number;
  readonly weight: Param;
  readonly bias: Param | null;
  private x: Float64Array | null = null;
  private batch: number | null = null;

  constructor(inSize: number, outSize: number, rng: Rng, options: LinearOptions = {}) {
    super();
    requireSize("Linear.inSize", inSize);
    requireSize("Linear.outSize", outSize);
    // value, gradient and Adam's two moments per weight
    requireAllocation(
      "Linear.inSize x outSize",
      inSize * outSize,
      32,
      `a ${outSize} x ${inSize} weight matrix with its gradient and optimizer state`,
    );
    this.inSize = inSize;
    this.outSize = outSize;
    const bound = 1 / Math.sqrt(inSize);
    this.weight = this.registerParam(makeParam("weight", [outSize, inSize]));
    for (let i = 0; i < this.weight.value.length; i++) this.weight.value[i] = rng.range(-bound, bound);
    if (options.bias ?? true) {
      this.bias = this.registerParam(makeParam("bias", [outSize]));
      for (let i = 0; i < outSize; i++) this.bias.value[i] = rng.range(-bound, bound);
    } else {
      this.bias = null;
    }
  }

  forward(x: Float64Array, batch: number, _ctx: ForwardContext): Float64Array {
    this.checkInput(x, batch);
    const nOut = this.outSize;
    const y = new Float64Array(batch * nOut);
    if (this.bias !== null) for (let s = 0; s < batch; s++) y.set(this.bias.value, s * nOut);
    gemmABt(x, this.weight.value, y, batch, nOut, this.inSize);
    this.x = x;
    this.batch = batch;
    return y;
  }

  backward(gradOut: Float64Array, needInputGrad = true): Float64Array {
    const batch = this.checkGradOut(gradOut, this.batch);
    const x = this.x as Float64Array;
    const nIn = this.inSize;
    const nOut = this.outSize;
    // the first layer on frozen features: its input gradient (a third of its work) is not needed
    const dx = new Float64Array(needInputGrad ? batch * nIn : 0);
    if (needInputGrad) gemmAB(gradOut, this.weight.value, dx, batch, nIn, nOut);
    gemmAtB(gradOut, x, this.weight.grad, nOut, nIn, batch);
    this.weight.hasGrad = true;
    if (this.bias !== null) {
      const gb = this.bias.grad;
      for (let s = 0; s < batch; s++) {
        for (let o = 0; o < nOut; o++) gb[o] += gradOut[s * nOut + o];
      }
      this.bias.hasGrad = true;
    }
    return dx;
  }
}
