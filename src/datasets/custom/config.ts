import { z } from "zod";
import { ValidationError } from "../../core/errors.ts";
import { baseConfigFields } from "../../experiments/suite.ts";

export const CUSTOM_HEADS = ["qmtl", "classical", "hqnn"] as const;

/** A user's own table and tasks, with any of the heads. */
export const customConfigSchema = z
  .object({
    ...baseConfigFields(
      { name: "custom", epochs: 30, batchSize: 32, lr: 1e-3, heads: ["qmtl", "classical"] },
      CUSTOM_HEADS,
    ),
    /** a CSV/TSV table (features and labels in columns), or a feature file (.npy, .npz, .json) with `labels` */
    data: z.string().min(1),
    /** a CSV/TSV table with the task columns, one row per feature row (when `data` is a feature file) */
    labels: z.string().min(1).optional(),
    /** the array of a multi-array .npz */
    dataKey: z.string().min(1).optional(),
    /** the tasks file (YAML or JSON): tasks, their columns and kinds, and the split */
    tasks: z.string().min(1),
    /** k-fold splits: which folds to run (default all) */
    folds: z
      .array(z.number().int().min(0).max(19))
      .min(1)
      .refine((xs) => new Set(xs).size === xs.length, "distinct folds")
      .optional(),
    /** seed of the split (k-fold, hold-out, validation carve-out) */
    splitSeed: z.number().int().min(0).default(0),
    /** head input size d; default Q x encodingLayers (what the QMTL head needs) */
    latentDim: z.number().int().min(1).max(4096).optional(),
    projection: z
      .object({
        hidden: z.array(z.number().int().min(1).max(100_000)).default([32]),
        activation: z.enum(["relu", "tanh"]).default("relu"),
        dropout: z.number().min(0).max(0.95).default(0),
        batchNorm: z.boolean().default(false),
      })
      .strict()
      .default({ hidden: [32], activation: "relu", dropout: 0, batchNorm: false }),
    qmtl: z
      .object({
        encodingLayers: z.number().int().min(1).max(12).default(3),
        headLayers: z.number().int().min(0).max(12).default(1),
        /** the first encoding block's data rotation: "rx" (the paper) or "ry" (every feature reaches the state) */
        firstRotation: z.enum(["rx", "ry"]).default("rx"),
      })
      .strict()
      .default({ encodingLayers: 3, headLayers: 1, firstRotation: "rx" }),
    hqnn: z
      .object({
        qubits: z.number().int().min(2).max(16).default(4),
        repetitions: z.number().int().min(1).max(12).default(3),
      })
      .strict()
      .default({ qubits: 4, repetitions: 3 }),
    /** checkpoint selection: a task and metric, default the first task's accuracy (pearson for regression) */
    selection: z
      .object({
        task: z.string().min(1),
        metric: z.enum(["accuracy", "f1", "f1_macro", "mcc", "pearson", "spearman"]),
      })
      .strict()
      .optional(),
  })
  .strict();

export type CustomConfig = z.infer<typeof customConfigSchema>;

export function checkCustomConfig(cfg: CustomConfig): void {
  const isTable = /\.(csv|tsv)$/i.test(cfg.data);
  if (isTable && cfg.labels !== undefined)
    throw new ValidationError(
      "labels",
      "no labels file when data is a table (its columns hold the labels)",
      cfg.labels,
    );
  if (!isTable && cfg.labels === undefined)
    throw new ValidationError(
      "labels",
      `a CSV/TSV table of the task columns, since data (${cfg.data}) is a feature file`,
    );
  if (cfg.dataKey !== undefined && !/\.npz$/i.test(cfg.data))
    throw new ValidationError("dataKey", "a .npz data file to pick the array from", cfg.dataKey);
}
