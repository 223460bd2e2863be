import type { SuiteInputs } from "../../experiments/suite.ts";
import type { MustardConfig } from "./config.ts";

/** How a MUStARD run differs from the paper, one sentence each. */
export function mustardDifferences(cfg: MustardConfig, inputs: SuiteInputs): string[] {
  const d = [
    `Features: the paper uses the authors' pre-extracted multimodal (text, audio, video) features, which are not obtainable here; this run uses ${inputs.backboneDetail}.`,
    cfg.hqnnPrecision === "float32" && cfg.heads.some((h) => h.startsWith("hqnn"))
      ? "Gradients: exact adjoint/structured simulation instead of the paper's parameter-shift rule; float64 for the QMTL head, float32 simulator states for the HQNN heads (hqnnPrecision: about 3e-7 relative error on outputs and gradients)."
      : "Gradients: exact adjoint/structured simulation in float64 instead of the paper's parameter-shift rule; both give the exact gradient, so training is the same up to floating point.",
    `Validation: ${Math.round(cfg.valFraction * 100)}% of each fold's training part, stratified by ${cfg.selection.task} and seeded, is held out for checkpoint selection; the paper does not say how its validation set was formed.`,
    "HQNN circuit: Phukan et al.'s exact gates are not public; we use our reading (docs/decisions.md).",
    "Projection: Linear(D, 39) -> ReLU -> Linear(39, 39) for every head, as the paper describes for the classical head; the paper does not give the projection of the other heads.",
  ];
  if (cfg.standardize)
    d.push(
      "Features are standardised with the training part's mean and standard deviation (the paper does not say).",
    );
  if (cfg.epochs !== 50 || cfg.batchSize !== 16 || cfg.lr !== 1e-3)
    d.push(
      `Training length or optimiser differ from the paper's 50 epochs, batch 16, lr 1e-3: here ${cfg.epochs} epochs, batch ${cfg.batchSize}, lr ${cfg.lr}.`,
    );
  return d;
}
