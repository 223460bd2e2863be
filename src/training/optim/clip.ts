/**
 * torch.nn.utils.clip_grad_norm_ (norm_type 2, error_if_nonfinite false):
 * total = || (||g_p||_2 for every parameter with a gradient) ||_2;
 * every gradient is multiplied by min(1, maxNorm / (total + 1e-6)).
 * Returns the total norm before clipping (0 when no parameter has a gradient).
 * A non-finite total propagates into the gradients exactly as in PyTorch.
 */
import { ValidationError } from "../../core/errors.ts";
import type { Param } from "../../nn/module.ts";

export function clipGradNorm(params: readonly Param[], maxNorm: number): number {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm))
    throw new ValidationError("clipGradNorm.maxNorm", "a finite number > 0", maxNorm);
  const withGrad = params.filter((p) => p.hasGrad);
  if (withGrad.length === 0) return 0;
  let sq = 0;
  for (const p of withGrad) {
    let s = 0;
    for (const g of p.grad) s += g * g;
    const n = Math.sqrt(s);
    sq += n * n;
  }
  const total = Math.sqrt(sq);
  const coef = Math.min(maxNorm / (total + 1e-6), 1);
  if (coef !== 1) {
    for (const p of withGrad) for (let i = 0; i < p.grad.length; i++) p.grad[i] *= coef;
  }
  return total;
}
