/**
 * The table `qmtl sweep` prints after merging: one row per cell group and
 * head, with the number of runs pooled. A suite that selects its checkpoints
 * by a macro average of one metric per task (setup.selectionMetrics, e.g.
 * GLUE's primary metrics with STS-B's Spearman) shows that macro average (per
 * run, then mean +- sample std over the runs) and each task's metric; a suite
 * that selects by one task's metric shows that task's accuracy and F1.
 */
import { meanStd, type MeanStd } from "../../training/summary.ts";
import { selectionMacro } from "../report/md-selection.ts";
import type { SweepResults } from "./merge.ts";

export interface SweepSummaryTable {
  header: string[];
  rows: string[][];
}

const fmt = (v: MeanStd | undefined): string => (v ? `${v.mean.toFixed(3)} ± ${v.std.toFixed(3)}` : "-");

function groupName(labels: Record<string, string>): string {
  return (
    Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ") || "-"
  );
}

/** Rows of the merged sweep's summary (none when no cell has finished). */
export function sweepSummaryTable(m: SweepResults): SweepSummaryTable {
  const metrics = m.setup?.selectionMetrics;
  const tasks = metrics ? m.tasks.map((t) => t.name).filter((t) => metrics[t] !== undefined) : [];
  const runsOf = (cells: readonly string[], head: string): SweepResults["cells"][number]["runs"] =>
    m.cells.filter((c) => cells.includes(c.id)).flatMap((c) => c.runs.filter((r) => r.head === head));
  if (metrics !== undefined && tasks.length > 0) {
    const rows = m.groups.flatMap((g) =>
      Object.entries(g.summary).map(([head, s]) => {
        const runs = runsOf(g.cells, head);
        const macros = runs.map((r) => selectionMacro(r.test, metrics, tasks)).filter(Number.isFinite);
        return [
          groupName(g.labels),
          head,
          String(runs.length),
          macros.length > 0 ? fmt(meanStd(macros)) : "-",
          ...tasks.map((t) => fmt(s[t]?.[metrics[t]!])),
        ];
      }),
    );
    return {
      header: ["cell group", "head", "runs", "macro", ...tasks.map((t) => `${t} ${metrics[t]}`)],
      rows,
    };
  }
  const task = m.setup?.selection.split(" ")[1] ?? m.tasks[0]?.name ?? "";
  const rows = m.groups.flatMap((g) =>
    Object.entries(g.summary).map(([head, s]) => [
      groupName(g.labels),
      head,
      String(runsOf(g.cells, head).length),
      fmt(s[task]?.["accuracy"]),
      fmt(s[task]?.["f1"]),
    ]),
  );
  return { header: ["cell group", "head", "runs", `${task} acc`, `${task} F1`], rows };
}

/**
 * Rows of the noise evaluation's summary (one per training group x condition, the QMTL head's results):
 * the runs, each task's primary metric where the suite selects by them (GLUE), else the selection task's
 * accuracy and F1; and the mean |noisy - ideal| output deviation over tasks. Null without a noise axis.
 */
export function noiseSummaryTable(m: SweepResults, task: string): SweepSummaryTable | null {
  if (!m.noise) return null;
  const metrics = m.setup?.selectionMetrics;
  const primary = metrics ? m.tasks.map((t) => t.name).filter((t) => metrics[t] !== undefined) : [];
  const cols =
    metrics !== undefined && primary.length > 0
      ? primary.map((t) => ({ label: `${t} ${metrics[t]}`, task: t, metric: metrics[t]! }))
      : [
          { label: `${task} acc`, task, metric: "accuracy" },
          { label: `${task} F1`, task, metric: "f1" },
        ];
  const rows = m.noise.groups.map((g) => {
    const s = g.summary["qmtl"] ?? {};
    const errs = Object.values(s)
      .map((x) => x["outputError"]?.mean)
      .filter((x): x is number => x !== undefined);
    const first = cols[0]!;
    return [
      groupName(g.labels),
      String(s[first.task]?.[first.metric]?.n ?? 0),
      ...cols.map((c) => fmt(s[c.task]?.[c.metric])),
      errs.length > 0 ? (errs.reduce((a, x) => a + x, 0) / errs.length).toFixed(4) : "-",
    ];
  });
  return {
    header: ["noise group", "runs", ...cols.map((c) => c.label), "output deviation (task mean)"],
    rows,
  };
}
