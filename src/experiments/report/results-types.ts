/**
 * The results object of one experiment (what the runner writes to
 * results.json and what the report is written from), with a zod schema so
 * that a results file read back from disk is checked field by field before
 * any report is produced: a missing or mistyped field is named by its path.
 */
import { z } from "zod";
import { ValidationError } from "../../core/errors.ts";
import { readJsonFile } from "../../data/read-json-file.ts";

/** Mean and sample standard deviation (ddof = 1) over `n` runs. */
export interface MeanStdValue {
  mean: number;
  std: number;
  n: number;
}

/** A run's `results.json`: setup, tasks, heads, every cell's test metrics, summaries, baselines, timing, differences. */
export interface ExperimentResults {
  name: string;
  dataset: string;
  /** the suite that produced it (qmtl run <suite>) */
  suite?: string;
  /** ISO 8601 time the results were produced */
  createdAt: string;
  qmtlVersion: string;
  setup: {
    backbone: string;
    backboneDetail: string;
    featureDim: number;
    split: string;
    folds: number[];
    seeds: number[];
    epochs: number;
    batchSize: number;
    lr: number;
    valFraction: number;
    selection: string;
    /** when the checkpoint is selected by a macro average: each task's metric in it (GLUE's primary metrics) */
    selectionMetrics?: Record<string, string>;
    /** how the validation data was formed (default: a held-out fraction valFraction of each fold's training part) */
    validation?: string;
    /** the paper's figure these results correspond to (default "Fig. 7") */
    paperFigure?: string;
    /** task-loss weight lambda_t, keyed by head id (the paper: 0.2 for QMTL, 1.0 for the others) */
    taskWeights: Record<string, number>;
  };
  tasks: Array<{
    name: string;
    kind: "binary" | "multiclass" | "regression";
    numClasses: number;
    classNames: string[];
  }>;
  heads: Array<{
    id: string;
    label: string;
    headParams: number;
    extras: number;
    projectionParams: number;
    qubits: number | null;
  }>;
  runs: Array<{
    head: string;
    fold: number;
    seed: number;
    bestEpoch: number;
    valScore: number;
    seconds: number;
    simSeconds: number;
    /** test[task][metric]; metrics: accuracy, precision, recall, f1, f1_macro, f1_weighted, mcc, n */
    test: Record<string, Record<string, number>>;
  }>;
  /** summary[headId][task][metric], over folds x seeds */
  summary: Record<string, Record<string, Record<string, MeanStdValue>>>;
  /** majority-class predictor on the same folds: majority[task][metric] */
  baselines: { majority: Record<string, Record<string, MeanStdValue>> };
  timing: {
    totalSeconds: number;
    /** loading data and features (the backbone, or its cache) before training */
    loadSeconds?: number;
    simSeconds: number;
    /** the cells' seconds by phase, summed over cells (src/experiments/cells.ts, CellPhases) */
    phases?: TimingPhases;
    perHead: Record<string, { seconds: number; simSeconds: number; epochs: number; phases?: TimingPhases }>;
  };
  /** how this setup differs from the paper's, one sentence each */
  differences: string[];
  notes: string[];
}

/** Cell seconds by phase: simulator, classical layers and losses, optimizer, validation, test, I/O. */
export interface TimingPhases {
  simulator: number;
  classical: number;
  optimizer: number;
  evaluation: number;
  test: number;
  io: number;
}

/** Metrics every classification task must report, per head and for the baseline. */
export const REQUIRED_METRICS = ["accuracy", "precision", "recall", "f1"] as const;

const finite = z.number();
const nonNegative = z.number().min(0);
const count = z.number().int().min(0);
const phasesSchema = z.object({
  simulator: nonNegative,
  classical: nonNegative,
  optimizer: nonNegative,
  evaluation: nonNegative,
  test: nonNegative,
  io: nonNegative,
});

const meanStdSchema = z.object({ mean: finite, std: nonNegative, n: z.number().int().min(1) });
const metricTable = z.record(z.string(), z.record(z.string(), meanStdSchema));

const baseSchema = z.object({
  name: z.string(),
  dataset: z.string(),
  suite: z.string().optional(),
  createdAt: z.string(),
  qmtlVersion: z.string(),
  setup: z.object({
    backbone: z.string(),
    backboneDetail: z.string(),
    featureDim: count,
    split: z.string(),
    folds: z.array(count).min(1),
    seeds: z.array(count).min(1),
    epochs: count,
    batchSize: count,
    lr: nonNegative,
    valFraction: nonNegative,
    selection: z.string(),
    selectionMetrics: z.record(z.string(), z.string()).optional(),
    validation: z.string().optional(),
    paperFigure: z.string().optional(),
    taskWeights: z.record(z.string(), finite),
  }),
  tasks: z
    .array(
      z.object({
        name: z.string().min(1),
        kind: z.enum(["binary", "multiclass", "regression"]),
        numClasses: count,
        classNames: z.array(z.string()),
      }),
    )
    .min(1),
  heads: z
    .array(
      z.object({
        id: z.string().min(1),
        label: z.string().min(1),
        headParams: count,
        extras: count,
        projectionParams: count,
        qubits: count.nullable(),
      }),
    )
    .min(1),
  runs: z.array(
    z.object({
      head: z.string(),
      fold: count,
      seed: count,
      bestEpoch: count,
      valScore: finite,
      seconds: nonNegative,
      simSeconds: nonNegative,
      test: z.record(z.string(), z.record(z.string(), finite)),
    }),
  ),
  summary: z.record(z.string(), metricTable),
  baselines: z.object({ majority: metricTable }),
  timing: z.object({
    totalSeconds: nonNegative,
    loadSeconds: nonNegative.optional(),
    simSeconds: nonNegative,
    phases: phasesSchema.optional(),
    perHead: z.record(
      z.string(),
      z.object({
        seconds: nonNegative,
        simSeconds: nonNegative,
        epochs: count,
        phases: phasesSchema.optional(),
      }),
    ),
  }),
  differences: z.array(z.string()),
  notes: z.array(z.string()),
});

/**
 * Cross-field checks: head ids unique, every run names a known head, and every
 * head (and the majority baseline) has a summary for every classification
 * task with at least accuracy, precision, recall and F1.
 */
export const experimentResultsSchema = baseSchema.superRefine((r, ctx) => {
  const ids = new Set<string>();
  r.heads.forEach((h, i) => {
    if (ids.has(h.id))
      ctx.addIssue({ code: "custom", path: ["heads", i, "id"], message: `duplicate head id "${h.id}"` });
    ids.add(h.id);
  });
  const taskNames = new Set<string>();
  r.tasks.forEach((t, i) => {
    if (taskNames.has(t.name))
      ctx.addIssue({
        code: "custom",
        path: ["tasks", i, "name"],
        message: `duplicate task name "${t.name}"`,
      });
    taskNames.add(t.name);
  });
  r.runs.forEach((run, i) => {
    if (!ids.has(run.head))
      ctx.addIssue({
        code: "custom",
        path: ["runs", i, "head"],
        message: `a head id listed in heads (${[...ids].join(", ")}), got "${run.head}"`,
      });
  });
  const classification = r.tasks.filter((t) => t.kind !== "regression");
  const checkTable = (
    table: Record<string, Record<string, MeanStdValue>> | undefined,
    path: (string | number)[],
  ): void => {
    if (table === undefined) {
      ctx.addIssue({ code: "custom", path, message: "a per-task metric summary (the field is missing)" });
      return;
    }
    for (const t of classification) {
      const m = table[t.name];
      if (m === undefined) {
        ctx.addIssue({
          code: "custom",
          path: [...path, t.name],
          message: `metrics of task "${t.name}" (the field is missing)`,
        });
        continue;
      }
      for (const metric of REQUIRED_METRICS) {
        if (m[metric] === undefined)
          ctx.addIssue({
            code: "custom",
            path: [...path, t.name, metric],
            message: `mean/std/n of ${metric} (the field is missing)`,
          });
      }
    }
  };
  for (const h of r.heads) checkTable(r.summary[h.id], ["summary", h.id]);
  checkTable(r.baselines.majority, ["baselines", "majority"]);
});

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
/** Compile-time proof that the schema and the interface describe the same type. */
export type SchemaMatchesInterface = Assert<
  Equals<z.infer<typeof experimentResultsSchema>, ExperimentResults>
>;

function describeInput(v: unknown): string {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 37) + "..." : v);
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  return typeof v;
}

/** The value at `path` inside `root`, or `missing` when a key on the way is absent. */
function valueAt(root: unknown, path: readonly PropertyKey[]): { missing: boolean; value: unknown } {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== "object" || !(p in v)) return { missing: true, value: undefined };
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return { missing: false, value: v };
}

function issueText(issue: z.core.$ZodIssue, root: unknown): string {
  if (issue.code === "invalid_type") {
    const at = valueAt(root, issue.path);
    return `${issue.expected}, got ${at.missing ? "nothing (the field is missing)" : describeInput(at.value)}`;
  }
  return issue.message.replace(/^[A-Z][a-z ]+: expected /, "");
}

function issuePath(source: string, path: readonly PropertyKey[]): string {
  let out = source;
  for (const p of path) out += typeof p === "number" ? `[${p}]` : `.${String(p)}`;
  return out;
}

/**
 * Checks that `value` is a complete ExperimentResults object and returns it.
 * Throws a ValidationError whose field is the path of the first problem (for
 * example `results.setup.epochs`) and whose message lists every problem.
 */
export function parseExperimentResults(value: unknown, source = "results"): ExperimentResults {
  const r = experimentResultsSchema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues;
  const first = issues[0];
  if (first === undefined) throw new ValidationError(source, "a valid experiment results object");
  const field = issuePath(source, first.path);
  let expected = issueText(first, value);
  if (issues.length > 1) {
    const more = issues.slice(1, 8).map((i) => `${issuePath(source, i.path)}: ${issueText(i, value)}`);
    const rest = issues.length - 1 - more.length;
    expected += `\n  also:\n  ${more.join("\n  ")}${rest > 0 ? `\n  ... and ${rest} more` : ""}`;
  }
  throw new ValidationError(field, expected);
}

/** Reads results.json (or any results file) and validates it. */
export function readExperimentResults(path: string): ExperimentResults {
  return parseExperimentResults(readJsonFile(path, "experiment results"), path);
}
