/**
 * BatchNorm1d over a (batch, features) input with torch.nn.BatchNorm1d's
 * semantics (track_running_stats = true):
 *
 * training: mean_j and the *biased* variance var_j over the batch normalise
 *   xhat = (x - mean) / sqrt(var + eps), y = weight * xhat + bias; then
 *   running_mean <- (1 - m) running_mean + m mean and
 *   running_var  <- (1 - m) running_var  + m var * B/(B-1) (unbiased),
 *   num_batches_tracked += 1. A batch of 1 is refused, as PyTorch does.
 *   backward goes through the batch statistics:
 *   dx = invStd/B * (B dxhat - sum(dxhat) - xhat * sum(dxhat * xhat)), dxhat = g * weight.
 * eval: y = weight * (x - running_mean) / sqrt(running_var + eps) + bias.
 *
 * Init: weight 1, bias 0, running_mean 0, running_var 1.
 */
import { ValidationError } from "../core/errors.ts";
import { BaseModule, requireSize } from "./base-module.ts";
import type { ForwardContext, Param, StateBuffer } from "./module.ts";
import { makeBuffer, makeParam } from "./param.ts";

export interface BatchNormOptions {
  eps?: number;
  momentum?: number;
  /** Learnable weight and bias (default true). */
  affine?: boolean;
}

export class BatchNorm1d extends BaseModule {
  readonly inSize: number;
  readonly outSize: number;
  readonly eps: number;
  readonly momentum: number;
  readonly weight: Param | null;
  readonly bias: Param | null;
  readonly runningMean: StateBuffer;
  readonly runningVar: StateBuffer;
  readonly numBatchesTracked: StateBuffer;
  private xhat: Float64Array | null = null;
  private invStd: Float64Array | null = null;
  private wasTraining = false;
  private batch: number | null = null;

  constructor(size: number, options: BatchNormOptions = {}) {
    super();
    requireSize("BatchNorm1d.size", size);
    this.inSize = size;
    this.outSize = size;
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum ?? 0.1;
    if (!(this.eps > 0)) throw new ValidationError("BatchNorm1d.eps", "a positive number", this.eps);
    if (!(this.momentum >= 0 && this.momentum <= 1)) {
      throw new ValidationError("BatchNorm1d.momentum", "a number in [0, 1]", this.momentum);
    }
    if (options.affine ?? true) {
      this.weight = this.registerParam(makeParam("weight", [size], new Float64Array(size).fill(1)));
      this.bias = this.registerParam(makeParam("bias", [size]));
    } else {
      this.weight = null;
      this.bias = null;
    }
    this.runningMean = this.registerBuffer(makeBuffer("running_mean", [size]));
    this.runningVar = this.registerBuffer(makeBuffer("running_var", [size], new Float64Array(size).fill(1)));
    this.numBatchesTracked = this.registerBuffer(makeBuffer("num_batches_tracked", []));
  }

  forward(x: Float64Array, batch: number, ctx: ForwardContext): Float64Array {
    this.checkInput(x, batch);
    const n = this.inSize;
    const mean = new Float64Array(n);
    const invStd = new Float64Array(n);
    if (ctx.training) {
      if (batch < 2) {
        throw new ValidationError(
          "BatchNorm1d.forward batch",
          "more than 1 sample per feature in training mode",
          batch,
        );
      }
      for (let s = 0; s < batch; s++) for (let j = 0; j < n; j++) mean[j] += x[s * n + j];
      for (let j = 0; j < n; j++) mean[j] /= batch;
      const varB = new Float64Array(n);
      for (let s = 0; s < batch; s++) {
        for (let j = 0; j < n; j++) {
          const d = x[s * n + j] - mean[j];
          varB[j] += d * d;
        }
      }
      const m = this.momentum;
      const rm = this.runningMean.value;
      const rv = this.runningVar.value;
      for (let j = 0; j < n; j++) {
        varB[j] /= batch;
        invStd[j] = 1 / Math.sqrt(varB[j] + this.eps);
        rm[j] = (1 - m) * rm[j] + m * mean[j];
        rv[j] = (1 - m) * rv[j] + m * varB[j] * (batch / (batch - 1));
      }
      this.numBatchesTracked.value[0] += 1;
    } else {
      for (let j = 0; j < n; j++) {
        mean[j] = this.runningMean.value[j];
        invStd[j] = 1 / Math.sqrt(this.runningVar.value[j] + this.eps);
      }
    }
    const xhat = new Float64Array(x.length);
    const y = new Float64Array(x.length);
    const w = this.weight?.value;
    const b = this.bias?.value;
    for (let s = 0; s < batch; s++) {
      for (let j = 0; j < n; j++) {
        const i = s * n + j;
        const h = (x[i] - mean[j]) * invStd[j];
        xhat[i] = h;
        y[i] = w === undefined || b === undefined ? h : w[j] * h + b[j];
      }
    }
    this.xhat = xhat;
    this.invStd = invStd;
    this.wasTraining = ctx.training;
    this.batch = batch;
    return y;
  }

  backward(gradOut: Float64Array): Float64Array {
    const batch = this.checkGradOut(gradOut, this.batch);
    const n = this.inSize;
    const xhat = this.xhat as Float64Array;
    const invStd = this.invStd as Float64Array;
    const w = this.weight?.value;
    if (this.weight !== null && this.bias !== null) {
      const gw = this.weight.grad;
      const gb = this.bias.grad;
      for (let s = 0; s < batch; s++) {
        for (let j = 0; j < n; j++) {
          const i = s * n + j;
          gw[j] += gradOut[i] * xhat[i];
          gb[j] += gradOut[i];
        }
      }
      this.weight.hasGrad = true;
      this.bias.hasGrad = true;
    }
    const dx = new Float64Array(gradOut.length);
    if (!this.wasTraining) {
      for (let s = 0; s < batch; s++) {
        for (let j = 0; j < n; j++) {
          const i = s * n + j;
          dx[i] = gradOut[i] * (w === undefined ? 1 : w[j]) * invStd[j];
        }
      }
      return dx;
    }
    const sum1 = new Float64Array(n);
    const sum2 = new Float64Array(n);
    for (let s = 0; s < batch; s++) {
      for (let j = 0; j < n; j++) {
        const i = s * n + j;
        const dh = gradOut[i] * (w === undefined ? 1 : w[j]);
        sum1[j] += dh;
        sum2[j] += dh * xhat[i];
      }
    }
    for (let s = 0; s < batch; s++) {
      for (let j = 0; j < n; j++) {
        const i = s * n + j;
        const dh = gradOut[i] * (w === undefined ? 1 : w[j]);
        dx[i] = (invStd[j] / batch) * (batch * dh - sum1[j] - xhat[i] * sum2[j]);
      }
    }
    return dx;
  }
}
