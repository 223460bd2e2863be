/**
 * The seam between the generic experiment engine and a dataset. A suite is one
 * folder, `src/datasets/<name>/`, whose index exports a `Suite`: how its config
 * looks (a zod schema built on `baseConfigFields`), how its inputs load (data,
 * features, splits), which heads it compares and how each trains, and how it
 * differs from the paper. `runExperiment(suite, cfg, runDir)` does the rest for
 * every suite alike: cells (head x split x seed), run folders, resume, results,
 * reports. Generic code never imports a dataset folder; the CLI reads the table
 * of suites in `src/datasets/index.ts`.
 */
import { z } from "zod";
import type { TaskDef } from "../models/task-info.ts";
import type { ModelSpec } from "../models/model-spec.ts";
import type { MultiTaskData } from "../training/dataset.ts";
import type { TaskMetrics } from "../training/evaluate.ts";
import type { TrainConfig, ValidationInterval } from "../training/trainer.ts";
import type { TaskInfo } from "../models/task-info.ts";

/** One head of a comparison: how to build it and how to train it. */
export interface HeadPlan {
  /** the head variant's id, unique in the suite (e.g. "qmtl", "hqnn-4") */
  readonly id: string;
  /** how reports name it */
  readonly label: string;
  readonly model: ModelSpec;
  readonly train: TrainConfig;
}

/**
 * One split of the data: train and test row indices, and optionally the rows
 * that select the checkpoint. Without `val`, the engine carves a seeded,
 * stratified validation set of `cfg.valFraction` from `train`.
 */
export interface SuiteSplit {
  /** the split's index as configs and cell names use it (fold k, or 0 for a fixed split) */
  readonly index: number;
  readonly train: readonly number[];
  readonly test: readonly number[];
  readonly val?: readonly number[];
}

/** What a suite's `load` returns: everything the engine needs to train and report. */
export interface SuiteInputs {
  /** the dataset's display name ("Extended MUStARD") */
  readonly dataset: string;
  /** features (after the backbone) and labels of every sample, one row per sample */
  readonly data: MultiTaskData;
  readonly tasks: readonly TaskDef[];
  /** class names per task ([] for regression) */
  readonly classNames: readonly (readonly string[])[];
  /** the splits the config selected, in order */
  readonly splits: readonly SuiteSplit[];
  /** how the splits were made, for the report ("speaker-dependent (official 5 folds)") */
  readonly splitName: string;
  /** short backbone name ("use", "file", "mobilenetv2") and one sentence describing it */
  readonly backbone: string;
  readonly backboneDetail: string;
  /**
   * sha256 of the content of every input the run depends on (data files, a
   * user's feature file, model files), by a name of the suite's choosing. The
   * engine records them in the run folder and refuses to resume against others.
   */
  readonly inputHashes: Readonly<Record<string, string>>;
  /** sentences the report prints as notes (data rules, counts of skipped rows) */
  readonly notes?: readonly string[];
}

/** Progress and logging hooks a suite's `load` may use. */
export interface LoadContext {
  /** progress of a long stage (embedding texts, decoding images) */
  readonly onProgress?: (stage: string, done: number, total: number) => void;
  /** one line for the user (plain, no colour) */
  readonly log?: (line: string) => void;
  /** processes or threads the suite may use for feature extraction (>= 1) */
  readonly jobs: number;
}

/** A command-line flag of one suite, mapped onto a config field. */
export interface SuiteFlag {
  /** commander syntax, e.g. "--backbone <name>" */
  readonly flag: string;
  readonly description: string;
  /** the config field it sets (dotted path allowed) */
  readonly field: string;
  /** how the flag's text becomes the field's value */
  readonly parse: "string" | "path" | "int" | "number" | "int-list" | "list" | "boolean" | "interval";
}

/** Per-task metrics of a suite (default: `taskMetrics` from training/evaluate). */
export type SuiteMetrics = (
  tasks: readonly TaskInfo[],
  logits: Float64Array,
  nOutputs: number,
  data: MultiTaskData,
) => TaskMetrics;

/** A dataset's experiment: config schema, loading, splits, compared heads, metrics and differences from the paper (see the file's header). */
export interface Suite<C extends BaseConfig = BaseConfig> {
  /** the name `qmtl run <name>` takes: lower case, [a-z0-9-] */
  readonly name: string;
  /** the dataset's display name */
  readonly title: string;
  /** one line for `qmtl run --help` */
  readonly summary: string;
  /** the config schema, the paper's settings as defaults (see baseConfigFields) */
  readonly schema: z.ZodType<C>;
  /** the head variants the suite knows */
  readonly headIds: readonly string[];
  /** suite-specific flags (the generic ones: --config --name --out --epochs --seeds --heads --jobs --threads) */
  readonly flags: readonly SuiteFlag[];
  /**
   * Checks that need the config as a whole (fields that only make sense
   * together); throws a ValidationError naming the field. Runs before any
   * folder is created. Optional.
   */
  check?(cfg: C): void;
  /** the split indices the config selects (known before loading: they name cells) */
  splitIndices(cfg: C): number[];
  load(cfg: C, ctx: LoadContext): Promise<SuiteInputs>;
  /** the compared heads, in report order, for inputs of feature size `inputs.data.dim` */
  heads(cfg: C, inputs: Pick<SuiteInputs, "tasks" | "data">): HeadPlan[];
  /** metrics on a test split; default `taskMetrics` */
  readonly metrics?: SuiteMetrics;
  /** one sentence per way this run differs from the paper */
  differences(cfg: C, inputs: SuiteInputs): string[];
  /** how the validation split is stratified when a split has no `val` (a task name) */
  stratifyBy(cfg: C): string;
  /** for the report: the paper's figure of this study, and how validation data was formed when splits name it */
  readonly report?: { readonly paperFigure: string; validation?(cfg: C): string };
}

/** A run name: one plain path segment. */
export const runName = z
  .string()
  .min(1, "a non-empty run name")
  .max(100)
  .regex(
    /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/,
    "one path segment of letters, digits, '.', '_' or '-', not starting with '.'",
  );

const seedList = z
  .array(
    z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
  )
  .min(1)
  .refine(
    (xs) => new Set(xs).size === xs.length,
    "distinct seeds (a repeated seed would count one run twice)",
  );

/**
 * How often validation (checkpoint selection, early stopping) runs: every n
 * updates or every n epochs, exactly one of the two, n a whole number >= 1.
 */
export const validationIntervalSchema = z.union(
  [
    z.object({ updates: z.number().int().min(1) }).strict(),
    z.object({ epochs: z.number().int().min(1) }).strict(),
  ],
  { error: "{ updates: n } or { epochs: n } with a whole n >= 1" },
);

/**
 * Fields every suite's config has, with the suite's defaults: spread them into
 * the suite's `z.object({...}).strict()`.
 */
export function baseConfigFields<const H extends readonly [string, ...string[]]>(
  defaults: {
    name: string;
    epochs: number;
    batchSize: number;
    lr: number;
    heads: readonly H[number][];
    /** default: every epoch */
    validateEvery?: ValidationInterval;
  },
  headIds: H,
) {
  return {
    name: runName.default(defaults.name),
    seeds: seedList.default([0]),
    heads: z
      .array(z.enum(headIds))
      .min(1)
      .refine((xs) => new Set(xs).size === xs.length, "distinct heads")
      .default([...defaults.heads]),
    epochs: z.number().int().min(1).max(10000).default(defaults.epochs),
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(1 << 16)
      .default(defaults.batchSize),
    lr: z.number().positive().max(1).default(defaults.lr),
    /** how often validation runs: { epochs: n } or { updates: n } (early stopping's patience counts validations) */
    validateEvery: validationIntervalSchema.default(defaults.validateEvery ?? { epochs: 1 }),
    /** fraction of each split's training part held out for checkpoint selection, when the split has no `val` */
    valFraction: z.number().gt(0).lt(0.5).default(0.1),
    /** standardise features with the training part's mean and std */
    standardize: z.boolean().default(true),
    /**
     * threads splitting each batch of a quantum head's simulator, per process
     * (1: none). Results match 1 thread up to the summation order of the
     * slices' gradients, so the value is part of the run's record. Pays for
     * large simulator heads (HQNN-13: ~1.7x per epoch), not for the QMTL head
     * at the suites' batch sizes (docs/decisions/threads.md); two cores do
     * more as two cells (jobs).
     */
    threads: z.number().int().min(1).max(64).default(1),
  };
}

/** The fields every suite config carries (what the engine reads). */
export interface BaseConfig {
  readonly name: string;
  readonly seeds: readonly number[];
  readonly heads: readonly string[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly valFraction: number;
  readonly standardize: boolean;
  readonly threads: number;
}
