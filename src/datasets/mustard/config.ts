import { z } from "zod";
import { ValidationError } from "../../core/errors.ts";
import { baseConfigFields } from "../../experiments/suite.ts";

/** Heads the MUStARD comparison knows (paper Appendix B.3, plus the Section 6.2 ablation). */
export const HEAD_IDS = ["qmtl", "classical", "hqnn-4", "hqnn-13", "qmtl-noent"] as const;
export type HeadId = (typeof HEAD_IDS)[number];

const projection = z
  .object({
    hidden: z.array(z.number().int().min(1).max(100_000)).default([39]),
    activation: z.enum(["relu", "tanh"]).default("relu"),
    dropout: z.number().min(0).max(0.95).default(0),
    batchNorm: z.boolean().default(false),
  })
  .strict();

const folds = z
  .array(z.number().int().min(0).max(4))
  .min(1)
  .refine(
    (xs) => new Set(xs).size === xs.length,
    "distinct folds (a repeated fold would count one test set twice)",
  );

/**
 * The MUStARD experiment, with the paper's settings (Appendix B.3, C.3) as
 * defaults. Unknown keys, wrong types and out-of-range values are rejected
 * with the field's path before any work starts.
 */
export const mustardConfigSchema = z
  .object({
    ...baseConfigFields(
      {
        name: "mustard",
        epochs: 50,
        batchSize: 16,
        lr: 1e-3,
        heads: ["qmtl", "classical", "hqnn-4", "hqnn-13"],
      },
      HEAD_IDS,
    ),
    /** the text backbone (default use); not with `features` */
    backbone: z.enum(["use", "glove"]).optional(),
    /** a user-supplied feature file (.npy, .npz, .json) instead of a text backbone */
    features: z.string().min(1).optional(),
    /** the array of a multi-array .npz to use */
    featuresKey: z.string().min(1).optional(),
    /** a JSON file listing the utterance id of each feature row */
    featuresIds: z.string().min(1).optional(),
    split: z.enum(["speaker-dependent", "speaker-independent"]).default("speaker-dependent"),
    /** the official folds to run (speaker-dependent split only) */
    folds: folds.optional(),
    latentDim: z.number().int().min(1).max(4096).default(39),
    projection: projection.default({ hidden: [39], activation: "relu", dropout: 0, batchNorm: false }),
    qmtl: z
      .object({
        encodingLayers: z.number().int().min(1).max(12).default(3),
        headLayers: z.number().int().min(0).max(12).default(1),
        encoderOrder: z.enum(["ry-rz", "rz-ry"]).default("ry-rz"),
        /**
         * the data rotation of the first encoding block: "rx" (the paper; on |+> it is a global phase, so the first
         * Q features have no effect) or "ry" (every feature reaches the state; same parameter count)
         */
        firstRotation: z.enum(["rx", "ry"]).default("rx"),
      })
      .strict()
      .default({ encodingLayers: 3, headLayers: 1, encoderOrder: "ry-rz", firstRotation: "rx" }),
    hqnnRepetitions: z.number().int().min(1).max(12).default(3),
    /**
     * the HQNN heads' simulator states: float64 (exact to rounding) or float32
     * (1.5x faster at 13 qubits, ~3e-7 relative error; docs/decisions.md). The
     * QMTL head always runs its float64 structured engine, which is faster still.
     */
    hqnnPrecision: z.enum(["float64", "float32"]).default("float64"),
    /** per-task loss weight lambda_t: the paper uses 0.2 for QMTL and 1.0 for the other heads */
    taskWeights: z
      .object({
        qmtl: z.number().positive().default(0.2),
        other: z.number().positive().default(1.0),
      })
      .strict()
      .default({ qmtl: 0.2, other: 1.0 }),
    selection: z
      .object({
        task: z
          .enum([
            "sarcasm",
            "sentiment_implicit",
            "sentiment_explicit",
            "emotion_implicit",
            "emotion_explicit",
          ])
          .default("sarcasm"),
        metric: z.enum(["accuracy", "precision", "recall", "f1", "f1_weighted", "mcc"]).default("f1"),
      })
      .strict()
      .default({ task: "sarcasm", metric: "f1" }),
  })
  .strict();

export type MustardConfig = z.infer<typeof mustardConfigSchema>;
export type MustardConfigInput = z.input<typeof mustardConfigSchema>;

/** Fields that only make sense together. */
export function checkMustardConfig(cfg: MustardConfig): void {
  if (cfg.split === "speaker-independent" && cfg.folds !== undefined) {
    throw new ValidationError(
      "folds",
      "no folds with split speaker-independent (it has one fixed train/test split)",
      cfg.folds,
    );
  }
  if (cfg.features !== undefined && cfg.backbone !== undefined) {
    throw new ValidationError(
      "backbone",
      "no text backbone with features (a feature file replaces the backbone)",
      cfg.backbone,
    );
  }
  if (cfg.features !== undefined && cfg.featuresKey !== undefined && !/\.npz$/i.test(cfg.features)) {
    throw new ValidationError("featuresKey", "a .npz feature file to pick the array from", cfg.features);
  }
  if (cfg.features === undefined) {
    if (cfg.featuresKey !== undefined)
      throw new ValidationError(
        "featuresKey",
        "a feature file to pick the array from (features)",
        cfg.featuresKey,
      );
    if (cfg.featuresIds !== undefined)
      throw new ValidationError(
        "featuresIds",
        "a feature file whose rows it names (features)",
        cfg.featuresIds,
      );
  }
  const d = 13 * cfg.qmtl.encodingLayers;
  if (cfg.heads.some((h) => h.startsWith("qmtl")) && cfg.latentDim !== d) {
    throw new ValidationError(
      "latentDim",
      `Q x encodingLayers = 13 x ${cfg.qmtl.encodingLayers} = ${d} for the QMTL heads`,
      cfg.latentDim,
    );
  }
}

/** The folds a config selects: the official five by default, one split for speaker-independent. */
export function mustardFolds(cfg: MustardConfig): number[] {
  return cfg.split === "speaker-dependent" ? [...(cfg.folds ?? [0, 1, 2, 3, 4])] : [0];
}
