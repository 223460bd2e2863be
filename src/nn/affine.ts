/**
 * Elementwise affine map y = beta + gamma * x, per feature or with one shared
 * scalar. Serves as the learnable logit temperature of the quantum heads
 * (`{ shared: true, bias: false }`), the trainable output scale of HQNN, and
 * the STS-B regression head y = beta + gamma z (gammaInit 1, betaInit 0.5).
 */
import { requireFinite } from "../core/errors.ts";
import { BaseModule, requireSize } from "./base-module.ts";
import type { ForwardContext, Param } from "./module.ts";
import { makeParam } from "./param.ts";

export interface AffineOptions {
  /** Initial value of every entry of gamma (default 1). */
  gammaInit?: number;
  /** Initial value of every entry of beta (default 0). */
  betaInit?: number;
  /** Learn beta (default true); without it y = gamma * x. */
  bias?: boolean;
  /** One scalar gamma (and beta) shared by all features (default false). */
  shared?: boolean;
}

export class Affine extends BaseModule {
  readonly inSize: number;
  readonly outSize: number;
  readonly shared: boolean;
  readonly gamma: Param;
  readonly beta: Param | null;
  private x: Float64Array | null = null;
  private batch: number | null = null;

  constructor(size: number, options: AffineOptions = {}) {
    super();
    requireSize("Affine.size", size);
    const gammaInit = options.gammaInit ?? 1;
    const betaInit = options.betaInit ?? 0;
    requireFinite("Affine.gammaInit", gammaInit);
    requireFinite("Affine.betaInit", betaInit);
    this.inSize = size;
    this.outSize = size;
    this.shared = options.shared ?? false;
    const k = this.shared ? 1 : size;
    this.gamma = this.registerParam(makeParam("gamma", [k], new Float64Array(k).fill(gammaInit)));
    this.beta =
      (options.bias ?? true)
        ? this.registerParam(makeParam("beta", [k], new Float64Array(k).fill(betaInit)))
        : null;
  }

  forward(x: Float64Array, batch: number, _ctx: ForwardContext): Float64Array {
    this.checkInput(x, batch);
    const n = this.inSize;
    const g = this.gamma.value;
    const b = this.beta?.value;
    const y = new Float64Array(x.length);
    for (let s = 0; s < batch; s++) {
      for (let j = 0; j < n; j++) {
        const k = this.shared ? 0 : j;
        const i = s * n + j;
        y[i] = b === undefined ? g[k] * x[i] : b[k] + g[k] * x[i];
      }
    }
    this.x = x;
    this.batch = batch;
    return y;
  }

  backward(gradOut: Float64Array): Float64Array {
    const batch = this.checkGradOut(gradOut, this.batch);
    const x = this.x as Float64Array;
    const n = this.inSize;
    const g = this.gamma.value;
    const gg = this.gamma.grad;
    const gb = this.beta?.grad;
    const dx = new Float64Array(x.length);
    for (let s = 0; s < batch; s++) {
      for (let j = 0; j < n; j++) {
        const k = this.shared ? 0 : j;
        const i = s * n + j;
        dx[i] = gradOut[i] * g[k];
        gg[k] += gradOut[i] * x[i];
        if (gb !== undefined) gb[k] += gradOut[i];
      }
    }
    this.gamma.hasGrad = true;
    if (this.beta !== null) this.beta.hasGrad = true;
    return dx;
  }
}
