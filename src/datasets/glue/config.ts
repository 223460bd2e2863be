import { z } from "zod";
import { ValidationError } from "../../core/errors.ts";
import { baseConfigFields, validationIntervalSchema } from "../../experiments/suite.ts";
import { BERT_POOLINGS } from "../../backbones/bert-onnx.ts";
import { GLUE_TASK_NAMES } from "./tasks.ts";

/** The heads of the paper's GLUE comparison (Appendix B.1), plus the Section 6.2 ablation's QMTL without CNOTs. */
export const GLUE_HEAD_IDS = ["classical", "qmtl", "hqnn-4", "hqnn-10", "qmtl-noent"] as const;
export type GlueHeadId = (typeof GLUE_HEAD_IDS)[number];
/** The heads a default run trains: the paper's four (qmtl-noent only on request). */
export const GLUE_DEFAULT_HEADS = [
  "classical",
  "qmtl",
  "hqnn-4",
  "hqnn-10",
] as const satisfies readonly GlueHeadId[];

/**
 * `qmtl run glue`: the paper's Appendix C.1 settings as defaults. `data`
 * unset = the six embedded tasks; a folder in the official `glue_data/`
 * layout gives every task it holds (all nine: the paper's Q = 10, d = 30).
 */
export const glueConfigSchema = z
  .object({
    ...baseConfigFields(
      { name: "glue", epochs: 15, batchSize: 128, lr: 5e-4, heads: GLUE_DEFAULT_HEADS },
      GLUE_HEAD_IDS,
    ),
    /** seeds: the paper runs five, identical across heads */
    seeds: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1),
      )
      .min(1)
      .refine((xs) => new Set(xs).size === xs.length, "distinct seeds")
      .default([0, 1, 2, 3, 4]),
    /**
     * off by default: the paper does not standardise, a standardised copy of the
     * ~90k x 2048 training rows costs 1.5 GB more per process, and on CoLA, RTE
     * and WNLI it changed the dev macro score by at most 0.01 (docs/decisions/glue.md)
     */
    standardize: z.boolean().default(false),
    /** a glue_data/ folder (default: the six tasks shipped in data/glue) */
    data: z.string().min(1).optional(),
    /** a subset of the tasks present (default: all of them) */
    tasks: z
      .array(z.enum(GLUE_TASK_NAMES))
      .min(1)
      .refine((xs) => new Set(xs).size === xs.length, "distinct tasks")
      .optional(),
    /** the frozen text encoder: USE-lite (shipped) or a BERT-family ONNX folder (bertDir) */
    backbone: z.enum(["use", "bert-onnx"]).default("use"),
    bertDir: z.string().min(1).optional(),
    pooling: z.enum(BERT_POOLINGS as unknown as readonly ["mean", "max", "cls"]).default("mean"),
    maxLength: z.number().int().min(8).max(512).default(128),
    /** per epoch at most this many batches of one task (paper: 300) */
    batchCap: z.number().int().min(1).default(300),
    /** "auto" (every N updates, the paper's 2,000 scaled: see validateEveryFor), { updates: n } or { epochs: n } */
    validateEvery: z
      .union([z.literal("auto"), validationIntervalSchema], {
        error: '"auto", { updates: n } or { epochs: n } with a whole n >= 1',
      })
      .default("auto"),
    weightDecay: z.number().min(0).max(1).default(0.01),
    clipNorm: z.number().positive().nullable().default(1.0),
    plateau: z
      .object({
        factor: z.number().gt(0).lt(1).default(0.2),
        minLr: z.number().min(0).default(1e-7),
        /** checks without improvement before the lr drops; the paper does not give it */
        patience: z.number().int().min(0).default(2),
      })
      .strict()
      .default({ factor: 0.2, minLr: 1e-7, patience: 2 }),
    earlyStoppingPatience: z.number().int().min(1).default(5),
    /** hidden widths of the projection MLP (tanh) before the head's d inputs; default [d] */
    projectionHidden: z.array(z.number().int().min(1)).optional(),
    qmtl: z
      .object({
        encodingLayers: z.number().int().min(1).max(12).default(3),
        headLayers: z.number().int().min(0).max(12).default(1),
        /**
         * the data rotation of the first encoding block: "rx" (the paper; on |+> it is a global phase, so the first
         * Q features have no effect) or "ry" (every feature reaches the state; same parameter count)
         */
        firstRotation: z.enum(["rx", "ry"]).default("rx"),
      })
      .strict()
      .default({ encodingLayers: 3, headLayers: 1, firstRotation: "rx" }),
    hqnnRepetitions: z.number().int().min(1).max(12).default(3),
    hqnnPrecision: z.enum(["float64", "float32"]).default("float64"),
  })
  .strict();

export type GlueConfig = z.infer<typeof glueConfigSchema>;

/** Checks that need the config as a whole. */
export function checkGlueConfig(cfg: GlueConfig): void {
  if (cfg.backbone === "bert-onnx" && cfg.bertDir === undefined) {
    throw new ValidationError(
      "bertDir",
      "a folder with model.onnx and vocab.txt when backbone is bert-onnx (--bert-dir)",
    );
  }
  if (cfg.backbone === "use" && cfg.bertDir !== undefined)
    throw new ValidationError("bertDir", "no bertDir unless backbone is bert-onnx", cfg.bertDir);
}
