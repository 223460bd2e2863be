/**
 * The CheXpert suite (paper App. A.2, B.2, C.2; Fig. 6): five competition
 * tasks with 3-class labels from CheXpert-v1.0-small, frozen CNN features
 * (ONNX; MobileNetV2 shipped, DenseNet-121 by path), QMTL / classical / HQNN
 * heads trained with the masked class-weighted focal loss, evaluated by the
 * paper's positive-vs-negative rule, over five patient-level folds.
 */
import { ValidationError } from "../../core/errors.ts";
import type { Suite, SuiteInputs } from "../../experiments/suite.ts";
import { chexpertConfigSchema, CHEXPERT_HEADS, type ChexpertConfig } from "./config.ts";
import { chexpertHeadPlans } from "./heads.ts";
import { resolveDataRoot } from "./data-root.ts";
import { chexpertMetrics } from "./metrics.ts";

export { chexpertConfigSchema, type ChexpertConfig } from "./config.ts";
export { DOWNLOAD_HELP } from "./data-root.ts";
export { CHEXPERT_TASKS } from "./labels.ts";

/** Checks fields that only make sense together (before any folder is created). */
export function checkChexpertConfig(cfg: ChexpertConfig): void {
  resolveDataRoot(cfg.data);
  for (const f of cfg.folds)
    if (f >= cfg.foldCount)
      throw new ValidationError("folds", `indices below foldCount (${cfg.foldCount})`, f);
  if (cfg.backbone.model === null && cfg.backbone.inputSize !== 224) {
    throw new ValidationError(
      "backbone.inputSize",
      "224 for the shipped MobileNetV2 (its export has a fixed 224 x 224 input)",
      cfg.backbone.inputSize,
    );
  }
}

function differences(cfg: ChexpertConfig, inputs: SuiteInputs): string[] {
  const out: string[] = [];
  if (cfg.backbone.model === null) {
    out.push(
      "Backbone: the shipped ImageNet MobileNetV2 (int8 ONNX, 1280-d pooled features, 224 x 224 input) stands in for the paper's DenseNet-121 (1024-d, 320 x 320); supply a DenseNet-121 export with --backbone-model to match.",
    );
  }
  out.push(
    "The backbone is frozen and its features computed once (the paper fine-tunes DenseNet-121); only the projection and the heads train.",
  );
  out.push(
    "The paper's projection is ReLU, average pooling, dropout, then two hidden layers with ReLU and batch norm down to M; ours takes the already pooled features through Linear, batch norm, ReLU, dropout (p = " +
      `${cfg.projection.dropout}; the paper does not give p) and Linear to M = ${cfg.latentDim}, hidden width ${cfg.projection.hidden.join(", ")} (not given in the paper).`,
  );
  out.push(
    "No random horizontal flip (p = 0.3): features are computed once and cached, so every epoch sees the same, unflipped image.",
  );
  const every = cfg.validateEvery;
  if (!("epochs" in every && every.epochs === 2))
    out.push(
      `Validation (for early stopping, patience counted in checks) runs every ${"epochs" in every ? `${every.epochs} epoch(s)` : `${every.updates} updates`}, not every two epochs.`,
    );
  if (!cfg.classWeights) out.push("No class weights in the focal loss (the paper's Eq. 23 weights are off).");
  out.push(
    "Gradients are exact (adjoint / closed-form), not parameter-shift estimates; the two agree to rounding.",
  );
  if (cfg.perSex !== 10000)
    out.push(
      `${inputs.data.n} images (${cfg.perSex} per sex requested) instead of the paper's 20,000 (10,000 per sex).`,
    );
  if (cfg.csv !== "train") out.push(`The sample is drawn from ${cfg.csv}.csv, not train.csv.`);
  if (cfg.uncertainty !== "u-multiclass")
    out.push(`Uncertain labels follow ${cfg.uncertainty}, not the paper's third class.`);
  if (cfg.epochs !== 30) out.push(`Up to ${cfg.epochs} epochs instead of 30.`);
  return out;
}

/**
 * CheXpert (paper App. A.2, B.2, C.2; Fig. 6): five pathologies with 3-class labels from a frozen ONNX image CNN,
 * masked focal training, patient-level folds, the paper's positive-vs-negative evaluation plus AUROC.
 * @example
 *   qmtl run chexpert --data /data/chexpert --per-sex 500 --folds 0
 */
export const chexpertSuite: Suite<ChexpertConfig> = {
  name: "chexpert",
  title: "CheXpert",
  summary:
    "CheXpert-v1.0-small, 5 chest X-ray tasks (3-class, masked focal loss), frozen ONNX CNN features, 5 patient-level folds",
  schema: chexpertConfigSchema,
  headIds: CHEXPERT_HEADS,
  flags: [
    {
      flag: "--data <dir>",
      description: "folder holding CheXpert-v1.0-small/ (see the README for the download)",
      field: "data",
      parse: "path",
    },
    {
      flag: "--per-sex <n>",
      description: "images per sex (the paper: 10000)",
      field: "perSex",
      parse: "int",
    },
    {
      flag: "--csv <name>",
      description: "label file to sample from: train or valid",
      field: "csv",
      parse: "string",
    },
    {
      flag: "--uncertainty <policy>",
      description: "u-multiclass (paper), u-ignore, u-zeros or u-ones",
      field: "uncertainty",
      parse: "string",
    },
    {
      flag: "--folds <list>",
      description: "which patient-level folds run (0-based, e.g. 0,1)",
      field: "folds",
      parse: "int-list",
    },
    {
      flag: "--skip-bad-images",
      description: "skip (and count) missing or undecodable images instead of stopping",
      field: "skipBadImages",
      parse: "boolean",
    },
    {
      flag: "--backbone-model <file>",
      description: "an ONNX image CNN (e.g. a DenseNet-121 export) instead of the shipped MobileNetV2",
      field: "backbone.model",
      parse: "path",
    },
    {
      flag: "--feature-tensor <name>",
      description: "the model's feature tensor (the pooled layer before its classifier)",
      field: "backbone.featureTensor",
      parse: "string",
    },
    {
      flag: "--pin <how>",
      description: "image workers: least-busy (pin each to a CPU of its own, default) or none",
      field: "backbone.pin",
      parse: "string",
    },
    {
      flag: "--input-size <n>",
      description: "the CNN's square input side (224; a DenseNet-121 export at 320)",
      field: "backbone.inputSize",
      parse: "int",
    },
  ],
  check: checkChexpertConfig,
  splitIndices: (cfg) => [...cfg.folds],
  // image decoding and onnxruntime load only when a run loads its data (not for --help or a config check)
  load: async (cfg, ctx) => (await import("./load.ts")).loadChexpert(cfg, ctx),
  heads: (cfg, inputs) => chexpertHeadPlans(cfg, inputs.tasks, inputs.data),
  metrics: chexpertMetrics,
  differences,
  stratifyBy: () => "Atelectasis",
  report: {
    paperFigure: "Fig. 6",
    validation: (cfg) =>
      `${Math.round(cfg.valFraction * 100)}% of each fold's training patients are held out for validation (patient level, no patient in two parts)`,
  },
};
