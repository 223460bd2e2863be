/**
 * Central finite-difference checks in float64. For a module the scalar under
 * test is L(x, params) = sum_i r_i * forward(x)_i with a fixed random r, so
 * backward(r) must return dL/dx and accumulate dL/dparams.
 */
import { Rng } from "../../src/core/rng.ts";
import type { ForwardContext, Module } from "../../src/nn/module.ts";

export interface GradReport {
  /** Largest |analytic - numeric| / max(1, |analytic|) over every checked entry. */
  maxRelErr: number;
  /** Where that worst entry lives ("x[3]", "0.weight[12]"). */
  worst: string;
  checked: number;
}

/** Central difference of a scalar function with respect to entry i of `v` (restored afterwards). */
export function centralDiff(f: () => number, v: Float64Array, i: number, h: number): number {
  const old = v[i];
  v[i] = old + h;
  const up = f();
  v[i] = old - h;
  const down = f();
  v[i] = old;
  return (up - down) / (2 * h);
}

function track(rep: GradReport, where: string, analytic: number, numeric: number): void {
  const err = Math.abs(analytic - numeric) / Math.max(1, Math.abs(analytic));
  rep.checked++;
  if (err > rep.maxRelErr || Number.isNaN(err)) {
    rep.maxRelErr = Number.isNaN(err) ? Infinity : err;
    rep.worst = `${where}: analytic ${analytic}, numeric ${numeric}`;
  }
}

/**
 * Checks input and parameter gradients of `module` at `x`. `makeCtx` is called
 * for every forward so that stochastic layers (Dropout) see the same draws.
 */
export function checkModuleGrads(
  module: Module,
  x: Float64Array,
  batch: number,
  makeCtx: () => ForwardContext,
  h = 1e-5,
): GradReport {
  const r = new Float64Array(batch * module.outSize);
  const rrng = new Rng(12345);
  for (let i = 0; i < r.length; i++) r[i] = rrng.range(-1, 1);
  const loss = (): number => {
    const y = module.forward(x, batch, makeCtx());
    let s = 0;
    for (let i = 0; i < y.length; i++) s += r[i] * y[i];
    return s;
  };
  module.zeroGrad();
  module.forward(x, batch, makeCtx());
  const dx = module.backward(r);
  const rep: GradReport = { maxRelErr: 0, worst: "", checked: 0 };
  for (let i = 0; i < x.length; i++) track(rep, `x[${i}]`, dx[i], centralDiff(loss, x, i, h));
  for (const [name, p] of module.namedParams()) {
    const analytic = Float64Array.from(p.grad);
    for (let i = 0; i < p.value.length; i++)
      track(rep, `${name}[${i}]`, analytic[i], centralDiff(loss, p.value, i, h));
  }
  return rep;
}

/** Checks the gradient `grad` of a scalar function `f` of `v` entry by entry. */
export function checkScalarGrad(f: () => number, v: Float64Array, grad: Float64Array, h = 1e-6): GradReport {
  const rep: GradReport = { maxRelErr: 0, worst: "", checked: 0 };
  for (let i = 0; i < v.length; i++) track(rep, `v[${i}]`, grad[i], centralDiff(f, v, i, h));
  return rep;
}

/** A float64 vector of uniform draws in [lo, hi). */
export function randomVector(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  const rng = new Rng(seed);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.range(lo, hi);
  return v;
}
