/**
 * Adam and AdamW with torch.optim semantics (amsgrad = false, maximize = false,
 * the single-tensor code path), for each parameter with a gradient:
 *   step += 1
 *   Adam:  g = grad + weight_decay * param            (L2 added to the gradient)
 *   AdamW: param *= 1 - lr * weight_decay; g = grad   (decoupled decay)
 *   m = lerp(m, g, 1 - beta1)             (= beta1 m + (1 - beta1) g, torch's lerp_ rounding)
 *   v = beta2 v + (1 - beta2) g^2
 *   param += -(lr / (1 - beta1^step)) * (m / (sqrt(v) / sqrt(1 - beta2^step) + eps))
 * The operations follow the order of torch's elementwise kernels (lerp_,
 * mul_/addcmul_, sqrt/div/add, addcdiv_) so float64 results track
 * torch.float64 to rounding level, not merely to a loose tolerance.
 * Parameters whose `hasGrad` is false are skipped entirely (no decay, no
 * moment update, no step count), as PyTorch skips `p.grad is None` after
 * `zero_grad(set_to_none=True)`: in task-sampled training the heads of
 * inactive tasks stay untouched. Step counts are per parameter, as in torch.
 */
import { ValidationError, requireFinite } from "../../core/errors.ts";
import type { Param } from "../../nn/module.ts";
import { zeroGrads } from "../../nn/param.ts";
import type { Optimizer } from "./types.ts";

export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
}

export interface AdamParamState {
  step: number;
  expAvg: number[];
  expAvgSq: number[];
}

/** JSON-safe optimizer checkpoint (hyperparameters included, as torch's param_groups). */
export interface AdamState {
  kind: "adam" | "adamw";
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  params: AdamParamState[];
}

interface Slot {
  step: number;
  m: Float64Array;
  v: Float64Array;
  /** scratch for grad + weight_decay * param (Adam with L2 only) */
  l2?: Float64Array;
}

export class Adam implements Optimizer {
  readonly params: readonly Param[];
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  protected readonly kind: "adam" | "adamw" = "adam";
  private readonly slots: Slot[];

  constructor(params: readonly Param[], options: AdamOptions = {}, defaultWeightDecay = 0) {
    this.params = [...params];
    this.lr = options.lr ?? 1e-3;
    this.betas = [...(options.betas ?? [0.9, 0.999])];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? defaultWeightDecay;
    checkHyper(this.constructor.name, this.lr, this.betas, this.eps, this.weightDecay);
    this.slots = this.params.map((p) => ({
      step: 0,
      m: new Float64Array(p.value.length),
      v: new Float64Array(p.value.length),
    }));
  }

  protected decoupled(): boolean {
    return false;
  }

  step(): void {
    const [b1, b2] = this.betas;
    const { lr, eps, weightDecay: wd } = this;
    const decoupled = this.decoupled();
    this.params.forEach((p, k) => {
      if (!p.hasGrad) return;
      const s = this.slots[k] as Slot;
      s.step += 1;
      const bc1 = 1 - Math.pow(b1, s.step);
      const bc2Sqrt = Math.sqrt(1 - Math.pow(b2, s.step));
      const stepSize = lr / bc1;
      const x = p.value;
      const grad = p.grad;
      const { m, v } = s;
      if (decoupled && wd !== 0) {
        const f = 1 - lr * wd;
        for (let i = 0; i < x.length; i++) x[i] *= f;
      }
      const w = 1 - b1;
      const omb2 = 1 - b2;
      const l2 = !decoupled && wd !== 0;
      const n = x.length;
      // the L2 term first (g = grad + wd * x, as the general formula), then one branch-free loop for the
      // common |1 - beta1| < 0.5 (the per-element branches cost ~1.5x here); the expressions and their order
      // are the general formula's, so results are bit-identical to it (test: optim.test.ts)
      let g = grad;
      if (l2) {
        g = s.l2 ??= new Float64Array(n);
        for (let i = 0; i < n; i++) g[i] = grad[i]! + wd * x[i]!;
      }
      if (Math.abs(w) < 0.5) adamLoop(x, g, m, v, n, w, b2, omb2, stepSize, bc2Sqrt, eps);
      else {
        for (let i = 0; i < n; i++) {
          const gi = g[i]!;
          m[i] = lerp(m[i]!, gi, w);
          v[i] = v[i]! * b2 + omb2 * gi * gi;
          x[i]! += -stepSize * (m[i]! / (Math.sqrt(v[i]!) / bc2Sqrt + eps));
        }
      }
    });
  }

  zeroGrad(): void {
    zeroGrads(this.params);
  }

  /** A JSON-safe copy of the optimizer state. */
  state(): AdamState {
    return {
      kind: this.kind,
      lr: this.lr,
      betas: [this.betas[0], this.betas[1]],
      eps: this.eps,
      weightDecay: this.weightDecay,
      params: this.slots.map((s) => ({ step: s.step, expAvg: Array.from(s.m), expAvgSq: Array.from(s.v) })),
    };
  }

  /** Restores `state()` output; validates everything before changing anything. */
  loadState(state: AdamState): void {
    const name = this.constructor.name;
    if (state.kind !== this.kind)
      throw new ValidationError(`${name}.state.kind`, JSON.stringify(this.kind), state.kind);
    checkHyper(`${name}.state`, state.lr, state.betas, state.eps, state.weightDecay);
    if (!Array.isArray(state.params) || state.params.length !== this.params.length) {
      throw new ValidationError(
        `${name}.state.params`,
        `${this.params.length} entries (one per parameter)`,
        state.params,
      );
    }
    state.params.forEach((ps, k) => {
      const n = (this.params[k] as Param).value.length;
      const field = `${name}.state.params[${k}]`;
      if (!Number.isInteger(ps.step) || ps.step < 0)
        throw new ValidationError(`${field}.step`, "an integer >= 0", ps.step);
      for (const key of ["expAvg", "expAvgSq"] as const) {
        const arr = ps[key];
        if (!Array.isArray(arr) || arr.length !== n)
          throw new ValidationError(`${field}.${key}`, `${n} numbers`, arr);
        arr.forEach((x, i) => requireFinite(`${field}.${key}[${i}]`, x));
      }
    });
    this.lr = state.lr;
    this.betas = [state.betas[0], state.betas[1]];
    this.eps = state.eps;
    this.weightDecay = state.weightDecay;
    state.params.forEach((ps, k) => {
      const s = this.slots[k] as Slot;
      s.step = ps.step;
      s.m.set(ps.expAvg);
      s.v.set(ps.expAvgSq);
    });
  }
}

/** AdamW: decoupled weight decay (torch default weight_decay = 0.01). */
export class AdamW extends Adam {
  protected override readonly kind: "adam" | "adamw" = "adamw";

  constructor(params: readonly Param[], options: AdamOptions = {}) {
    super(params, options, 0.01);
  }

  protected override decoupled(): boolean {
    return true;
  }
}

/** The Adam update for |1 - beta1| < 0.5 (lerp's first branch written out), g already holding any L2 term. */
function adamLoop(
  x: Float64Array,
  grad: Float64Array,
  m: Float64Array,
  v: Float64Array,
  n: number,
  w: number,
  b2: number,
  omb2: number,
  stepSize: number,
  bc2Sqrt: number,
  eps: number,
): void {
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    const mi = m[i]!;
    const m1 = mi + w * (g - mi);
    const v1 = v[i]! * b2 + omb2 * g * g;
    m[i] = m1;
    v[i] = v1;
    x[i]! += -stepSize * (m1 / (Math.sqrt(v1) / bc2Sqrt + eps));
  }
}

/** torch.lerp's formula: start + w (end - start) for |w| < 0.5, else end - (end - start)(1 - w). */
function lerp(start: number, end: number, w: number): number {
  return Math.abs(w) < 0.5 ? start + w * (end - start) : end - (end - start) * (1 - w);
}

function checkHyper(field: string, lr: number, betas: readonly number[], eps: number, wd: number): void {
  if (!(lr >= 0) || !Number.isFinite(lr))
    throw new ValidationError(`${field}.lr`, "a finite number >= 0", lr);
  if (!Array.isArray(betas) || betas.length !== 2)
    throw new ValidationError(`${field}.betas`, "two numbers", betas);
  betas.forEach((b, i) => {
    if (!(b >= 0 && b < 1)) throw new ValidationError(`${field}.betas[${i}]`, "a number in [0, 1)", b);
  });
  if (!(eps >= 0) || !Number.isFinite(eps))
    throw new ValidationError(`${field}.eps`, "a finite number >= 0", eps);
  if (!(wd >= 0) || !Number.isFinite(wd))
    throw new ValidationError(`${field}.weightDecay`, "a finite number >= 0", wd);
}
