import type { DifferentiableExecutor, Gradients } from "../sim/executor.ts";
import { ValidationError } from "../core/errors.ts";

/**
 * Central finite differences of sum(cotangent * outputs) with respect to the
 * weights and the inputs: an independent check of every exact gradient
 * method (O(h^2) error; h = 1e-6 gives ~1e-9 agreement in float64).
 */
export function finiteDiffVjp(
  ex: Pick<DifferentiableExecutor, "forward" | "nInputs" | "nWeights">,
  inputs: Float64Array,
  weights: Float64Array,
  batch: number,
  cot: Float64Array,
  h = 1e-6,
): Gradients {
  if (!(Number.isFinite(h) && h > 0)) throw new ValidationError("h", "a finite step > 0", h);
  const f = (x: Float64Array, w: Float64Array): number => {
    const out = ex.forward(x, w, batch);
    let acc = 0;
    for (let i = 0; i < out.length; i++) acc += cot[i]! * out[i]!;
    return acc;
  };
  const gradWeights = new Float64Array(weights.length);
  for (let j = 0; j < weights.length; j++) {
    const wp = weights.slice();
    wp[j]! += h;
    const wm = weights.slice();
    wm[j]! -= h;
    gradWeights[j] = (f(inputs, wp) - f(inputs, wm)) / (2 * h);
  }
  const gradInputs = new Float64Array(inputs.length);
  for (let j = 0; j < inputs.length; j++) {
    const xp = inputs.slice();
    xp[j]! += h;
    const xm = inputs.slice();
    xm[j]! -= h;
    gradInputs[j] = (f(xp, weights) - f(xm, weights)) / (2 * h);
  }
  return { gradWeights, gradInputs };
}
