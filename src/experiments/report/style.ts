/**
 * Presentation shared by the report's tables and figures: one colour per head
 * (the same in every figure), readable task and metric names, number formats.
 */
import type { ExperimentResults, MeanStdValue } from "./results-types.ts";

type Task = ExperimentResults["tasks"][number];
type Head = ExperimentResults["heads"][number];

/** Colour-blind-friendly categorical palette (Tableau 10 order, without grey). */
export const HEAD_PALETTE = [
  "#4C78A8",
  "#F58518",
  "#54A24B",
  "#B279A2",
  "#E45756",
  "#72B7B2",
  "#EECA3B",
  "#9D755D",
  "#FF9DA6",
] as const;
/** The majority-class baseline is drawn in grey in every figure. */
export const BASELINE_COLOR = "#A0A0A0";
export const BASELINE_LABEL = "Majority class (baseline)";

/** Head id -> colour, by the head's position in results.heads (stable across figures). */
export function headColors(heads: readonly Head[]): Map<string, string> {
  return new Map(heads.map((h, i) => [h.id, HEAD_PALETTE[i % HEAD_PALETTE.length] as string]));
}

/** The metrics shown for a task, in column order, with their short names. */
export interface MetricColumn {
  key: string;
  short: string;
  long: string;
  higherIsBetter: boolean;
}

const CLASSIFICATION_COLUMNS: MetricColumn[] = [
  { key: "accuracy", short: "Acc", long: "Accuracy", higherIsBetter: true },
  { key: "precision", short: "P", long: "Precision", higherIsBetter: true },
  { key: "recall", short: "R", long: "Recall", higherIsBetter: true },
  { key: "f1", short: "F1", long: "F1", higherIsBetter: true },
];
const MACRO_F1: MetricColumn = { key: "f1_macro", short: "Macro-F1", long: "Macro-F1", higherIsBetter: true };
const REGRESSION_COLUMNS: MetricColumn[] = [
  { key: "pearson", short: "Pearson", long: "Pearson r", higherIsBetter: true },
  { key: "spearman", short: "Spearman", long: "Spearman rho", higherIsBetter: true },
  { key: "mse", short: "MSE", long: "Mean squared error", higherIsBetter: false },
];

/** The four metrics of the paper's Fig. 7, in its order. */
export const FIGURE_METRICS: readonly MetricColumn[] = CLASSIFICATION_COLUMNS;

/**
 * Table columns for a task: Acc, P, R, F1 for classification, plus macro-F1
 * for a binary task (whose P, R and F1 are of the positive class) when every
 * row reports it; Pearson, Spearman, MSE for regression.
 */
export function tableColumns(
  task: Task,
  rows: ReadonlyArray<Record<string, MeanStdValue> | undefined>,
): MetricColumn[] {
  const present = (c: MetricColumn): boolean => rows.every((r) => r?.[c.key] !== undefined);
  if (task.kind === "regression") return REGRESSION_COLUMNS.filter(present);
  const cols = [...CLASSIFICATION_COLUMNS];
  if (task.kind === "binary" && present(MACRO_F1)) cols.push(MACRO_F1);
  return cols;
}

/**
 * The metric the report calls macro-F1 for a task: `f1_macro` when reported,
 * else `f1` (which is already the macro average for a multiclass task).
 */
export function macroF1Key(
  task: Task,
  rows: ReadonlyArray<Record<string, MeanStdValue> | undefined>,
): string {
  return task.kind === "binary" && rows.every((r) => r?.["f1_macro"] !== undefined) ? "f1_macro" : "f1";
}

/** "sentiment_implicit" -> "Sentiment implicit". */
export function prettyTaskName(name: string): string {
  const s = name.replace(/[_-]+/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "Sentiment implicit (3 classes)", "Sarcasm (binary)". */
export function taskTitle(task: Task): string {
  const kind =
    task.kind === "binary"
      ? "binary"
      : task.kind === "regression"
        ? "regression"
        : `${task.numClasses} classes`;
  return `${prettyTaskName(task.name)} (${kind})`;
}

/** Metric values are fractions in [0, 1]; the report prints them with 3 decimals. */
export const DECIMALS = 3;

export function fmt(x: number, decimals = DECIMALS): string {
  const s = x.toFixed(decimals);
  return s === `-${(0).toFixed(decimals)}` ? (0).toFixed(decimals) : s;
}

export function fmtMeanStd(v: MeanStdValue, decimals = DECIMALS): string {
  return `${fmt(v.mean, decimals)} ± ${fmt(v.std, decimals)}`;
}

export function fmtSigned(x: number, decimals = DECIMALS): string {
  const s = fmt(x, decimals);
  return x > 0 && !/^0\.0*$/.test(s) ? `+${s}` : s;
}

/** 1234567 -> "1,234,567". */
export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** Seconds as "3.2 s", "12 min 05 s", "2 h 03 min". */
export function fmtDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, "0")} min`;
  return `${m} min ${String(r).padStart(2, "0")} s`;
}

export function fmtPercent(fraction: number): string {
  return `${(100 * fraction).toFixed(1)}%`;
}
