import { z } from "zod";
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { ValidationError } from "../core/errors.ts";

/** Heads the MUStARD comparison knows (paper Appendix B.3, plus the Section 6.2 ablation). */
export const HEAD_IDS = ["qmtl", "classical", "hqnn-4", "hqnn-13", "qmtl-noent"] as const;
export type HeadId = (typeof HEAD_IDS)[number];

const projection = z.object({
  hidden: z.array(z.number().int().min(1)).default([39]),
  activation: z.enum(["relu", "tanh"]).default("relu"),
  dropout: z.number().min(0).max(0.95).default(0),
  batchNorm: z.boolean().default(false),
}).strict();

/**
 * The MUStARD experiment, with the paper's settings (Appendix B.3, C.3) as
 * defaults. Unknown keys, wrong types and out-of-range values are rejected
 * with the field's path before any work starts.
 */
export const mustardConfigSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, "letters, digits, '.', '_' or '-'").default("mustard"),
  backbone: z.enum(["use", "glove"]).default("use"),
  /** a user-supplied feature file (.npy, .npz, .json) instead of a text backbone */
  features: z.string().min(1).optional(),
  featuresKey: z.string().optional(),
  featuresIds: z.string().optional(),
  split: z.enum(["speaker-dependent", "speaker-independent"]).default("speaker-dependent"),
  folds: z.array(z.number().int().min(0).max(4)).min(1).default([0, 1, 2, 3, 4]),
  seeds: z.array(z.number().int().min(0)).min(1).default([0]),
  heads: z.array(z.enum(HEAD_IDS)).min(1).default(["qmtl", "classical", "hqnn-4", "hqnn-13"]),
  epochs: z.number().int().min(1).max(10000).default(50),
  batchSize: z.number().int().min(1).default(16),
  lr: z.number().positive().max(1).default(1e-3),
  valFraction: z.number().gt(0).lt(0.5).default(0.1),
  standardize: z.boolean().default(true),
  latentDim: z.number().int().min(1).default(39),
  projection: projection.default({ hidden: [39], activation: "relu", dropout: 0, batchNorm: false }),
  qmtl: z.object({
    encodingLayers: z.number().int().min(1).max(12).default(3),
    headLayers: z.number().int().min(0).max(12).default(1),
    encoderOrder: z.enum(["ry-rz", "rz-ry"]).default("ry-rz"),
  }).strict().default({ encodingLayers: 3, headLayers: 1, encoderOrder: "ry-rz" }),
  hqnnRepetitions: z.number().int().min(1).max(12).default(3),
  /**
   * the HQNN heads' simulator states: float64 (exact to rounding) or float32
   * (1.5x faster at 13 qubits, ~3e-7 relative error; docs/decisions.md). The
   * QMTL head always runs its float64 structured engine, which is faster still.
   */
  hqnnPrecision: z.enum(["float64", "float32"]).default("float64"),
  /**
   * threads splitting each batch of a quantum head's simulator, per process
   * (1: none). For runs of few cells: sweeps already run one process per
   * core. Results match 1 thread up to the summation order of the slices'
   * gradients, so the value is part of the run's record.
   */
  threads: z.number().int().min(1).max(64).default(1),
  /** per-task loss weight lambda_t: the paper uses 0.2 for QMTL and 1.0 for the other heads */
  taskWeights: z.object({
    qmtl: z.number().positive().default(0.2),
    other: z.number().positive().default(1.0),
  }).strict().default({ qmtl: 0.2, other: 1.0 }),
  selection: z.object({
    task: z.string().default("sarcasm"),
    metric: z.enum(["accuracy", "precision", "recall", "f1", "f1_weighted", "mcc"]).default("f1"),
  }).strict().default({ task: "sarcasm", metric: "f1" }),
}).strict();

export type MustardConfig = z.infer<typeof mustardConfigSchema>;
export type MustardConfigInput = z.input<typeof mustardConfigSchema>;

/** Validates a config object; the error lists every offending field by path. */
export function parseMustardConfig(raw: unknown, source = "config"): MustardConfig {
  const r = mustardConfigSchema.safeParse(raw ?? {});
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => {
    const path = i.path.length ? `${source}.${i.path.join(".")}` : source;
    return `${path}: ${i.message}`;
  });
  throw new ValidationError(source, `a valid MUStARD experiment config:\n  ${lines.join("\n  ")}`);
}

/** Reads a YAML or JSON config file. */
export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ValidationError("--config", "a readable config file", `${path} (${e instanceof Error ? e.message : String(e)})`);
  }
  try {
    return extname(path).toLowerCase() === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ValidationError(path, "valid YAML or JSON", e instanceof Error ? e.message.split("\n")[0] : String(e));
  }
}
