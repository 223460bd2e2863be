/**
 * The selection-score table of report.md: when a run selects its checkpoints by the macro average of one
 * metric per task (GLUE's primary metrics: CoLA MCC, STS-B Spearman, MRPC F1, accuracy otherwise), each
 * head's test value of those metrics and their macro average (the GLUE score over the tasks present),
 * mean +- sample std over the runs, with the per-task majority/mean baseline where it is defined.
 */
import { meanStd } from "../../training/summary.ts";
import type { ExperimentResults } from "./results-types.ts";
import { fmtMeanStd } from "./style.ts";

/**
 * One run's macro average of the selection metrics over `tasks` (NaN when a
 * task lacks its metric: the caller drops such runs).
 */
export function selectionMacro(
  test: Readonly<Record<string, Readonly<Record<string, number>>>>,
  metrics: Readonly<Record<string, string>>,
  tasks: readonly string[],
): number {
  return tasks.reduce((a, t) => a + (test[t]?.[metrics[t]!] ?? Number.NaN), 0) / tasks.length;
}

/** Markdown lines of the section (none when the run selects by a single metric). */
export function selectionSection(
  r: ExperimentResults,
  table: (header: string[], rows: string[][], align?: Array<"l" | "r">) => string,
): string[] {
  const metrics = r.setup.selectionMetrics;
  if (metrics === undefined) return [];
  const tasks = r.tasks.map((t) => t.name).filter((t) => metrics[t] !== undefined);
  if (tasks.length === 0) return [];
  const rows = r.heads.map((h) => {
    const cells = tasks.map((t) => {
      const v = r.summary[h.id]?.[t]?.[metrics[t]!];
      return v === undefined ? "–" : fmtMeanStd(v);
    });
    // the macro average per run, then its mean and std over the runs
    const macros = r.runs
      .filter((x) => x.head === h.id)
      .map((x) => selectionMacro(x.test, metrics, tasks))
      .filter((x) => Number.isFinite(x));
    return [h.label, ...cells, macros.length > 0 ? fmtMeanStd(meanStd(macros)) : "–"];
  });
  const base = tasks.map((t) => r.baselines.majority[t]?.[metrics[t]!]);
  if (base.some((v) => v !== undefined && Number.isFinite(v.mean)))
    rows.push([
      "_Majority class / mean (baseline)_",
      ...base.map((v) => (v !== undefined && Number.isFinite(v.mean) ? fmtMeanStd(v) : "–")),
      "",
    ]);
  return [
    "## Selection metrics and their macro average",
    "",
    `The checkpoint is selected by the mean over tasks of one metric each; their test values per head, ` +
      `and the macro average of a run's values (the GLUE-style score over the ${tasks.length} tasks ` +
      `present), mean ± sample standard deviation over the runs.`,
    "",
    table(["Head", ...tasks.map((t) => `${t} ${metrics[t]}`), "Macro average"], rows, [
      "l",
      ...tasks.map((): "r" => "r"),
      "r",
    ]),
  ];
}
