import type { SuiteInputs } from "../../experiments/suite.ts";
import type { GlueConfig } from "./config.ts";
import { glueQubits } from "./heads.ts";

/** One sentence per way a GLUE run differs from the paper (Appendix A.1, B.1, C.1). */
export function glueDifferences(cfg: GlueConfig, inputs: SuiteInputs): string[] {
  const names = inputs.tasks.map((t) => t.name);
  const Q = glueQubits(inputs.tasks);
  const d: string[] = [];
  if (names.length < 9) {
    d.push(
      `Tasks: ${names.join(", ")} (${names.length} of 9). QQP, QNLI and MNLI train files could not be shipped; the head follows the tasks present (Q = ${Q}, d = ${Q * cfg.qmtl.encodingLayers} instead of the paper's Q = 10, d = 30). --data with a full glue_data/ folder runs all nine.`,
    );
  }
  if (cfg.backbone === "use") {
    d.push(
      "Backbone: the paper encodes with frozen bert-base-uncased and a trained two-layer BiLSTM with masked max pooling; no BERT weights are obtainable here and one BiLSTM training step at the paper's sizes is too slow on CPU (docs/decisions/glue.md), so sentences are embedded by the frozen Universal Sentence Encoder lite (512-d) and only the projection and head train.",
    );
  } else {
    d.push(
      `Backbone: a frozen BERT-family ONNX encoder with ${cfg.pooling} pooling over its token states; the paper trains a two-layer BiLSTM over BERT's token states and max-pools it (not built: its training cost on CPU, docs/decisions/glue.md).`,
    );
  }
  d.push(
    'Single-sentence tasks use [s; 0; 0; 0] so that one projection serves single and pair inputs; the paper projects them through "a similar MLP" without saying whether it is shared.',
  );
  d.push(
    `Projection: Linear(${inputs.data.dim}, ${(cfg.projectionHidden ?? [Q * cfg.qmtl.encodingLayers]).join(", ")}) -> tanh -> Linear(.., ${Q * cfg.qmtl.encodingLayers}); the paper does not give the hidden width.`,
  );
  d.push(
    `ReduceLROnPlateau patience ${cfg.plateau.patience} (not given in the paper; with patience 5 for early stopping, torch's default 10 would never lower the rate).`,
  );
  d.push(
    "Gradients: exact adjoint/structured simulation instead of parameter shift; both give the exact gradient.",
  );
  if (cfg.standardize)
    d.push(
      "Features are standardised with the training rows' mean and standard deviation (the paper does not say).",
    );
  if (cfg.seeds.length !== 5)
    d.push(`Seeds: ${cfg.seeds.length} (the paper runs 5, identical across heads).`);
  if (cfg.epochs !== 15 || cfg.batchSize !== 128 || cfg.lr !== 5e-4 || cfg.batchCap !== 300) {
    d.push(
      `Training length or optimiser differ from the paper's 15 epochs, batch 128, lr 5e-4, cap 300: here ${cfg.epochs} epochs, batch ${cfg.batchSize}, lr ${cfg.lr}, cap ${cfg.batchCap}.`,
    );
  }
  return d;
}
