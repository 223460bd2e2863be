/**
 * The nine GLUE tasks (Wang et al., 2019; paper Appendix A.1, Table 3) as the
 * official TSV layout of `download_glue_data.py` stores them, and the paper's
 * metrics: the primary metric drives model selection, the secondary one is
 * diagnostic. Class indices follow the Hugging Face `glue` processors
 * (RTE/QNLI: entailment = 0, not_entailment = 1; MNLI: contradiction,
 * entailment, neutral), so predictions compare with the usual tooling.
 */
import type { TaskKind } from "../../circuits/readout.ts";

export const GLUE_TASK_NAMES = [
  "CoLA",
  "SST-2",
  "MRPC",
  "QQP",
  "STS-B",
  "QNLI",
  "RTE",
  "WNLI",
  "MNLI",
] as const;
export type GlueTaskName = (typeof GLUE_TASK_NAMES)[number];

/** Where a task's fields are in its TSV: by header name, or by index for a file without a header. */
export interface GlueColumns {
  readonly a: string | number;
  readonly b: string | number | null;
  readonly label: string | number;
}

export interface GlueTaskSpec {
  readonly name: GlueTaskName;
  readonly kind: TaskKind;
  /** classes for classification, 0 for regression */
  readonly numClasses: number;
  /** label text -> class index (classification); [] for regression */
  readonly classNames: readonly string[];
  /** label strings as they appear in the file, in class order (defaults to classNames) */
  readonly labelValues: readonly string[];
  /** the file has a header line (CoLA does not) */
  readonly header: boolean;
  readonly columns: GlueColumns;
  /** train file and dev files (MNLI: matched + mismatched, concatenated as the paper does) */
  readonly trainFile: string;
  readonly devFiles: readonly string[];
  /**
   * skip (and count) rows with too few columns instead of failing: QQP only,
   * as Hugging Face's QqpProcessor does (`except IndexError: continue`); the
   * public QQP copies contain a few such rows.
   */
  readonly skipShortRows: boolean;
  /** the metric names of training/evaluate.ts */
  readonly primary: string;
  readonly secondary: string;
  /** regression targets are divided by this (STS-B: 5, so scores lie in [0, 1]) */
  readonly scale: number;
}

const binary01 = {
  kind: "binary" as const,
  numClasses: 2,
  classNames: ["0", "1"],
  labelValues: ["0", "1"],
  scale: 1,
};
const entail = {
  kind: "binary" as const,
  numClasses: 2,
  classNames: ["entailment", "not_entailment"],
  labelValues: ["entailment", "not_entailment"],
  scale: 1,
};
const base = { header: true, trainFile: "train.tsv", devFiles: ["dev.tsv"], skipShortRows: false };

export const GLUE_TASKS: Readonly<Record<GlueTaskName, GlueTaskSpec>> = {
  // CoLA: no header; columns source, label, original judgement mark, sentence
  CoLA: {
    ...base,
    ...binary01,
    name: "CoLA",
    header: false,
    columns: { a: 3, b: null, label: 1 },
    primary: "mcc",
    secondary: "accuracy",
  },
  "SST-2": {
    ...base,
    ...binary01,
    name: "SST-2",
    columns: { a: "sentence", b: null, label: "label" },
    primary: "accuracy",
    secondary: "f1",
  },
  // MRPC: the header follows a UTF-8 byte-order mark
  MRPC: {
    ...base,
    ...binary01,
    name: "MRPC",
    columns: { a: "#1 String", b: "#2 String", label: "Quality" },
    primary: "f1",
    secondary: "accuracy",
  },
  QQP: {
    ...base,
    ...binary01,
    name: "QQP",
    skipShortRows: true,
    columns: { a: "question1", b: "question2", label: "is_duplicate" },
    primary: "f1",
    secondary: "accuracy",
  },
  "STS-B": {
    ...base,
    name: "STS-B",
    kind: "regression",
    numClasses: 0,
    classNames: [],
    labelValues: [],
    scale: 5,
    columns: { a: "sentence1", b: "sentence2", label: "score" },
    primary: "spearman",
    secondary: "pearson",
  },
  QNLI: {
    ...base,
    ...entail,
    name: "QNLI",
    columns: { a: "question", b: "sentence", label: "label" },
    primary: "accuracy",
    secondary: "f1",
  },
  RTE: {
    ...base,
    ...entail,
    name: "RTE",
    columns: { a: "sentence1", b: "sentence2", label: "label" },
    primary: "accuracy",
    secondary: "f1",
  },
  WNLI: {
    ...base,
    ...binary01,
    name: "WNLI",
    columns: { a: "sentence1", b: "sentence2", label: "label" },
    primary: "accuracy",
    secondary: "f1",
  },
  MNLI: {
    ...base,
    name: "MNLI",
    kind: "multiclass",
    numClasses: 3,
    scale: 1,
    classNames: ["contradiction", "entailment", "neutral"],
    labelValues: ["contradiction", "entailment", "neutral"],
    devFiles: ["dev_matched.tsv", "dev_mismatched.tsv"],
    columns: { a: "sentence1", b: "sentence2", label: "gold_label" },
    primary: "accuracy",
    secondary: "f1",
  },
};

export function isGlueTaskName(s: string): s is GlueTaskName {
  return (GLUE_TASK_NAMES as readonly string[]).includes(s);
}

/** Qubits of the task's QMTL sub-register by the paper's rule: 1 for binary or regression, 2 for MNLI. */
export function glueTaskQubits(t: GlueTaskSpec): number {
  return t.kind === "multiclass" ? 2 : 1;
}
