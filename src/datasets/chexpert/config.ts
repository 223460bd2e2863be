/**
 * The CheXpert experiment's config, with the paper's settings (App. A.2, B.2,
 * C.2) as defaults. Unknown keys, wrong types and out-of-range values are
 * rejected with the field's path before any work starts.
 */
import { z } from "zod";
import { baseConfigFields } from "../../experiments/suite.ts";
import { UNCERTAINTY_POLICIES, type UncertaintyPolicy } from "./labels.ts";

/**
 * The heads of Fig. 6: QMTL (Q = 10), classical, HQNN with 4 and 10 qubits; plus the Section 6.2 ablation's
 * QMTL without encoder CNOTs (qmtl-noent), which a default run does not train.
 */
export const CHEXPERT_HEADS = ["qmtl", "classical", "hqnn-4", "hqnn-10", "qmtl-noent"] as const;
export type ChexpertHeadId = (typeof CHEXPERT_HEADS)[number];
/** The heads a default run trains: Fig. 6's four. */
export const CHEXPERT_DEFAULT_HEADS = [
  "qmtl",
  "classical",
  "hqnn-4",
  "hqnn-10",
] as const satisfies readonly ChexpertHeadId[];

const backbone = z
  .object({
    /** an ONNX image CNN; null: the shipped MobileNetV2 (data/models/mobilenetv2-12-int8) */
    model: z.string().min(1).nullable().default(null),
    /** short name for reports and cache files (null: "mobilenetv2", or the model file's name) */
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/)
      .nullable()
      .default(null),
    /** the model's image input (null: its first input) */
    input: z.string().min(1).nullable().default(null),
    /** the feature tensor by name: MobileNetV2's pooled 464_quantized; a DenseNet-121 export's pooled output */
    featureTensor: z.string().min(1).default("464_quantized"),
    /** "auto": dequantise an onnx.quantize tensor (X_quantized with X_scale, X_zero_point); "none": the tensor is float */
    dequantize: z.enum(["auto", "none"]).default("auto"),
    /** the network's square input side (the paper resizes to 320 for DenseNet-121; MobileNetV2's export takes 224) */
    inputSize: z.number().int().min(32).max(1024).default(224),
    /**
     * "workers": one ONNX session per worker process, each pinned to its own CPU when they fit, decoding
     * while its CNN runs (default, measured faster); "intra-op": one session, intra-op threads
     */
    mode: z.enum(["workers", "intra-op"]).default("workers"),
    /**
     * "workers" mode: "least-busy" pins each worker process to a CPU of its own, the least busy ones this
     * process may use (default); "none" leaves them to the OS (a machine shared with jobs that pin too)
     */
    pin: z.enum(["least-busy", "none"]).default("least-busy"),
  })
  .strict();

const projection = z
  .object({
    hidden: z.array(z.number().int().min(1)).default([128]),
    dropout: z.number().min(0).max(0.95).default(0.2),
    batchNorm: z.boolean().default(true),
  })
  .strict();

export const chexpertConfigSchema = z
  .object({
    ...baseConfigFields(
      {
        name: "chexpert",
        epochs: 30,
        batchSize: 32,
        lr: 1e-4,
        heads: CHEXPERT_DEFAULT_HEADS,
        // the paper checks validation mean F1 every two epochs (App. C.2)
        validateEvery: { epochs: 2 },
      },
      CHEXPERT_HEADS,
    ),
    /** the folder holding CheXpert-v1.0-small/ (or that folder itself); null: say what to download */
    data: z.string().min(1).nullable().default(null),
    /** which label file the sample is drawn from */
    csv: z.enum(["train", "valid"]).default("train"),
    /** images per sex (the paper: 10,000 male + 10,000 female) */
    perSex: z.number().int().min(1).max(200000).default(10000),
    views: z.enum(["all", "frontal"]).default("all"),
    uncertainty: z
      .enum(UNCERTAINTY_POLICIES as [UncertaintyPolicy, ...UncertaintyPolicy[]])
      .default("u-multiclass"),
    /** number of patient-level folds, and which of them (0-based; the paper's "fold 1" is 0) run */
    foldCount: z.number().int().min(2).max(20).default(5),
    folds: z
      .array(z.number().int().min(0).max(19))
      .min(1)
      .refine((xs) => new Set(xs).size === xs.length, "distinct folds")
      .default([0, 1, 2, 3, 4]),
    /** seed of the sample, the folds and the validation patients (the training seeds are `seeds`) */
    dataSeed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    /** skip and count missing or undecodable images instead of stopping at the first */
    skipBadImages: z.boolean().default(false),
    backbone: backbone.default(backbone.parse({})),
    latentDim: z.number().int().min(1).default(30),
    projection: projection.default(projection.parse({})),
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
    /** the paper trains HQNN heads with batch 128 */
    hqnnBatchSize: z
      .number()
      .int()
      .min(1)
      .max(1 << 16)
      .default(128),
    /** early stopping: validations (every validateEvery) without improvement before training stops */
    patience: z.number().int().min(1).max(1000).default(5),
    clipNorm: z.number().positive().nullable().default(1.0),
    focal: z
      .object({
        gamma: z.number().min(0).max(10).default(2),
        alpha: z.number().positive().default(1),
      })
      .strict()
      .default({ gamma: 2, alpha: 1 }),
    /** per-task inverse-frequency class weights (Eq. 23) inside the focal loss */
    classWeights: z.boolean().default(true),
  })
  .strict();

/** A validated CheXpert config (every field filled in; see docs/config-reference.md). */
export type ChexpertConfig = z.infer<typeof chexpertConfigSchema>;
