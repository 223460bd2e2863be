/**
 * report.md: the write-up a researcher would publish from one results object.
 * Every claim in it is computed from the numbers (analysis.ts); nothing about
 * who wins is written in advance.
 */
import type { ExperimentResults, MeanStdValue, TimingPhases } from "./results-types.ts";
import { selectionSection } from "./md-selection.ts";
import { baselineVerdict, taskWinners, type MetricComparison } from "./analysis.ts";
import { headTotal, referenceHead } from "./figures.ts";
import {
  BASELINE_LABEL,
  fmt,
  fmtDuration,
  fmtInt,
  fmtMeanStd,
  fmtPercent,
  fmtSigned,
  tableColumns,
  taskTitle,
  type MetricColumn,
} from "./style.ts";

type Task = ExperimentResults["tasks"][number];
type Head = ExperimentResults["heads"][number];

/** File names of the figures, relative to the report. */
export const FIGURE_FILES = {
  metricsSvg: "fig-metrics.svg",
  metricsPng: "fig-metrics.png",
  paramsSvg: "fig-params.svg",
  paramsPng: "fig-params.png",
} as const;

/** Escapes a table cell (pipes and line breaks). */
function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function table(header: string[], rows: string[][], align?: Array<"l" | "r">): string {
  const sep = header.map((_, i) => ((align?.[i] ?? "l") === "r" ? "---:" : "---"));
  return [header, sep, ...rows].map((r) => `| ${r.map(cell).join(" | ")} |`).join("\n");
}

function list(items: readonly string[]): string {
  return items.length === 0 ? "_None._" : items.map((s) => `- ${s}`).join("\n");
}

/** "a, b and c". */
function joinAnd(xs: readonly string[]): string {
  if (xs.length <= 1) return xs.join("");
  return `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;
}

/** Human name of a metric key for a task (F1 of a binary task is the positive class's). */
export function metricName(key: string, task: Task): string {
  if (key === "accuracy") return "accuracy";
  if (key === "f1_macro") return "macro-F1";
  if (key === "f1") return task.kind === "binary" ? "F1 (positive class)" : "macro-F1";
  return key;
}

function runCount(results: ExperimentResults): string {
  const f = results.setup.folds.length;
  const s = results.setup.seeds.length;
  return s === 1 ? `the ${f} folds` : `the ${f} folds × ${s} seeds`;
}

function isoDay(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 10);
}

function isoMinute(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function setupSection(r: ExperimentResults): string {
  const s = r.setup;
  const nRuns = s.folds.length * s.seeds.length;
  const tasks = joinAnd(
    r.tasks.map(
      (t) =>
        `\`${t.name}\` (${t.kind === "binary" ? "binary" : t.kind === "regression" ? "regression" : `${t.numClasses} classes`})`,
    ),
  );
  const weights = groupWeights(r);
  const seeds = s.seeds.length === 1 ? `seed ${s.seeds[0]}` : `seeds ${s.seeds.join(", ")}`;
  return [
    "## Setup",
    "",
    `${r.heads.length} multi-task heads (${joinAnd(r.heads.map((h) => h.label))}) are trained on the ${r.tasks.length} tasks of ${r.dataset}: ${tasks}. ` +
      `Inputs are frozen \`${s.backbone}\` features (${s.featureDim} dimensions; ${s.backboneDetail}). ` +
      `Evaluation uses the ${s.split} split with test folds ${s.folds.join(", ")} and ${seeds}: ${nRuns} run${nRuns === 1 ? "" : "s"} per head, ${r.runs.length} in all. ` +
      `Each run trains for ${s.epochs} epochs with batch size ${s.batchSize} and learning rate ${s.lr}; ` +
      `${s.validation ?? `${fmtPercent(s.valFraction).replace(".0%", "%")} of the fold's training part is held out for validation`}, and the checkpoint is selected by ${s.selection}. ` +
      (weights === "" ? "" : `Task-loss weights: ${weights}. `) +
      `Every metric is measured on the run's test fold and reported as mean ± sample standard deviation over the runs.`,
  ].join("\n");
}

function groupWeights(r: ExperimentResults): string {
  const byValue = new Map<number, string[]>();
  for (const [id, w] of Object.entries(r.setup.taskWeights)) {
    const label = r.heads.find((h) => h.id === id)?.label ?? id;
    byValue.set(w, [...(byValue.get(w) ?? []), label]);
  }
  return [...byValue.entries()].map(([w, labels]) => `${w} for ${joinAnd(labels)}`).join("; ");
}

function comparisonText(c: MetricComparison, task: Task): string {
  const rel = c.beats ? "above" : c.diff === 0 ? "equal to" : "below";
  const noise = c.withinStd ? ", less than one std" : "";
  return `${metricName(c.metric, task)} ${fmt(c.head.mean)} vs ${fmt(c.baseline.mean)} (${fmtSigned(c.diff)}${noise}; ${rel} the baseline)`;
}

/** The baseline paragraph: whether every head beats the majority baseline on the main task. */
export function baselineStatement(r: ExperimentResults): string {
  const v = baselineVerdict(r);
  const task = v.task;
  const metrics = joinAnd(v.metrics.map((m) => metricName(m, task)));
  const base = r.baselines.majority[task.name];
  const baseText = v.metrics
    .map((m) => {
      const b = base?.[m];
      return b === undefined ? "" : `${metricName(m, task)} ${fmt(b.mean)}`;
    })
    .filter((s) => s !== "")
    .join(", ");
  const lines: string[] = [];
  if (v.everyHeadBeats) {
    lines.push(
      `**Every head beats the majority-class baseline on ${task.name}** in both ${metrics}, averaged over ${runCount(r)} (baseline: ${baseText}).`,
    );
  } else {
    const losers = v.heads
      .filter((h) => !h.beatsAll)
      .map((h) => {
        const which = h.comparisons
          .filter((c) => !c.beats)
          .map((c) => `${metricName(c.metric, task)} (${fmt(c.head.mean)} vs ${fmt(c.baseline.mean)})`);
        const missing = v.metrics
          .filter((m) => !h.comparisons.some((c) => c.metric === m))
          .map((m) => `${metricName(m, task)} (not reported)`);
        return `${h.head.label} does not beat it in ${joinAnd([...which, ...missing])}`;
      });
    lines.push(
      `**Not every head beats the majority-class baseline on ${task.name}** (${metrics}, averaged over ${runCount(r)}; baseline: ${baseText}): ${losers.join("; ")}.`,
    );
  }
  lines.push("");
  for (const h of v.heads)
    lines.push(`- ${h.head.label}: ${h.comparisons.map((c) => comparisonText(c, task)).join("; ")}.`);
  return lines.join("\n");
}

function winnersSection(r: ExperimentResults): string {
  const ws = taskWinners(r);
  const rows = ws.map((w) => {
    const best = w.ranking[0];
    const second = w.ranking[1];
    return [
      taskTitle(w.task),
      best === undefined ? w.best.label : `${w.best.label}: ${fmtMeanStd(best.value)}`,
      second === undefined ? "–" : `${second.head.label}: ${fmtMeanStd(second.value)}`,
      second === undefined ? "–" : fmt(w.margin),
      second === undefined ? "–" : w.clear ? "yes" : "no (within one std)",
      w.bestByAccuracy === undefined
        ? "–"
        : w.bestByAccuracy.id === w.best.id
          ? "same"
          : w.bestByAccuracy.label,
    ];
  });
  const bestCounts = new Map<string, number>();
  for (const w of ws) bestCounts.set(w.best.label, (bestCounts.get(w.best.label) ?? 0) + 1);
  const tally = [...bestCounts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([label, n]) => `${label} on ${n} of ${ws.length}`);
  const clear = ws.filter((w) => w.clear).map((w) => `${w.task.name} (${w.best.label})`);
  return [
    `Best head per task, ranked by mean macro-F1 (the positive-class F1 is not used for ranking; ties broken by accuracy). ` +
      `A win counts as clear only when the margin over the runner-up exceeds both heads' standard deviations over folds.`,
    "",
    table(["Task", "Best head (macro-F1)", "Runner-up", "Margin", "Clear?", "Best by accuracy"], rows, [
      "l",
      "l",
      "l",
      "r",
      "l",
      "l",
    ]),
    "",
    `Best by macro-F1: ${joinAnd(tally)} tasks. Clear wins: ${clear.length === 0 ? "none" : joinAnd(clear)}.`,
  ].join("\n");
}

function paramsStatement(r: ExperimentResults): string {
  const ref = referenceHead(r);
  const refTotal = headTotal(ref);
  const others = r.heads
    .filter((h) => h.id !== ref.id)
    .map((h) => {
      const t = headTotal(h);
      if (refTotal === 0) return `${h.label} (${fmtInt(t)})`;
      const ratio = t / refTotal;
      return ratio >= 1
        ? `${ratio.toFixed(1)}× fewer than ${h.label} (${fmtInt(t)})`
        : `${(1 / ratio).toFixed(1)}× more than ${h.label} (${fmtInt(t)})`;
    });
  return `${ref.label} has ${fmtInt(refTotal)} trainable head parameters${others.length ? `: ${joinAnd(others)}` : ""}.`;
}

function paramsSection(r: ExperimentResults): string {
  const ref = referenceHead(r);
  const refTotal = headTotal(ref);
  const rows = r.heads.map((h) => [
    h.label,
    h.qubits === null ? "–" : String(h.qubits),
    fmtInt(h.headParams),
    fmtInt(h.extras),
    fmtInt(headTotal(h)),
    refTotal > 0 ? `${(headTotal(h) / refTotal).toFixed(2)}×` : "–",
    fmtInt(h.projectionParams),
  ]);
  return [
    "## Head parameter counts (the paper's Fig. 4)",
    "",
    table(
      [
        "Head",
        "Qubits",
        "Head params",
        "Extras",
        "Total",
        `Ratio to ${ref.label}`,
        "Projection (not counted)",
      ],
      rows,
      ["l", "r", "r", "r", "r", "r", "r"],
    ),
    "",
    "Head params: the task-specific head only, as in the paper's Fig. 4. Extras: additional trainable scalars of the head (e.g. HQNN's output scale). " +
      "Projection: the layers that map the features into the head's input; they are trained too but are not part of the head count.",
    "",
    `![Trainable parameters per head](${FIGURE_FILES.paramsPng})`,
    "",
    `Figure: [${FIGURE_FILES.paramsPng}](${FIGURE_FILES.paramsPng}) · vector: [${FIGURE_FILES.paramsSvg}](${FIGURE_FILES.paramsSvg})`,
  ].join("\n");
}

/** Row cells for a task table, the best head per column in bold (ties at the printed precision all bold). */
function taskTable(r: ExperimentResults, task: Task): string {
  const headRows = r.heads.map((h) => ({ head: h, m: r.summary[h.id]?.[task.name] }));
  const base = r.baselines.majority[task.name];
  const cols = tableColumns(task, [...headRows.map((x) => x.m), base]);
  const best = new Map<string, string>();
  for (const c of cols) {
    const vals = headRows
      .map((x) => x.m?.[c.key]?.mean)
      .filter((v): v is number => v !== undefined)
      .map((v) => fmt(v));
    if (vals.length < 2) continue;
    const nums = vals.map(Number);
    best.set(c.key, fmt(c.higherIsBetter ? Math.max(...nums) : Math.min(...nums)));
  }
  const show = (c: MetricColumn, v: MeanStdValue | undefined, rankable: boolean): string => {
    if (v === undefined) return "–";
    const s = fmtMeanStd(v);
    return rankable && best.get(c.key) === fmt(v.mean) ? `**${s}**` : s;
  };
  const rows = [
    ...headRows.map((x) => [x.head.label, ...cols.map((c) => show(c, x.m?.[c.key], true))]),
    [`_${BASELINE_LABEL}_`, ...cols.map((c) => show(c, base?.[c.key], false))],
  ];
  return table(["Head", ...cols.map((c) => c.short)], rows, ["l", ...cols.map(() => "r" as const)]);
}

function resultsSection(r: ExperimentResults): string {
  const parts = [
    `## Results per task (the paper's ${r.setup.paperFigure ?? "Fig. 7"})`,
    "",
    `Test metrics, mean ± sample standard deviation over ${runCount(r)}; the best head per column is in bold (the baseline is not ranked). ` +
      "Acc = accuracy, P = precision, R = recall. For a binary task P, R and F1 are those of the positive class and Macro-F1 averages F1 over both classes; " +
      "for a multiclass task P, R and F1 are macro averages over the classes.",
    "",
    `![Test metrics per task and head](${FIGURE_FILES.metricsPng})`,
    "",
    `Figure: [${FIGURE_FILES.metricsPng}](${FIGURE_FILES.metricsPng}) · vector: [${FIGURE_FILES.metricsSvg}](${FIGURE_FILES.metricsSvg})`,
  ];
  for (const task of r.tasks) {
    parts.push("", `### ${taskTitle(task)}`, "");
    if (task.classNames.length > 0) parts.push(`Classes: ${task.classNames.join(", ")}.`, "");
    parts.push(taskTable(r, task));
  }
  return parts.join("\n");
}

function timingSection(r: ExperimentResults): string {
  const t = r.timing;
  const share = t.totalSeconds > 0 ? ` (${fmtPercent(t.simSeconds / t.totalSeconds)} of the total)` : "";
  const rows = r.heads.map((h: Head) => {
    const p = t.perHead[h.id];
    const runs = r.runs.filter((x) => x.head === h.id).length;
    if (p === undefined) return [h.label, String(runs), "–", "–", "–", "–", "–"];
    return [
      h.label,
      String(runs),
      fmtInt(p.epochs),
      fmtDuration(p.seconds),
      fmtDuration(p.simSeconds),
      p.seconds > 0 ? fmtPercent(p.simSeconds / p.seconds) : "–",
      p.epochs > 0 ? `${(p.seconds / p.epochs).toFixed(2)} s` : "–",
    ];
  });
  return [
    "## Timing",
    "",
    `Total wall time ${fmtDuration(t.totalSeconds)} (${fmtInt(t.totalSeconds)} s), of which ${fmtDuration(t.simSeconds)} was spent in the quantum-circuit simulator${share}.`,
    "",
    table(["Head", "Runs", "Epochs", "Wall time", "Simulator", "Simulator share", "Time per epoch"], rows, [
      "l",
      "r",
      "r",
      "r",
      "r",
      "r",
      "r",
    ]),
    ...phaseSection(r),
  ].join("\n");
}

/** The split of the time: loading (backbone) and the cells' seconds by phase, when the run recorded them. */
function phaseSection(r: ExperimentResults): string[] {
  const t = r.timing;
  const out: string[] = [];
  if (t.loadSeconds !== undefined)
    out.push(
      "",
      `Loading data and features (backbone or its cache): ${fmtDuration(t.loadSeconds)} of the wall time.`,
    );
  const heads = r.heads.filter((h) => t.perHead[h.id]?.phases !== undefined);
  if (t.phases === undefined || heads.length === 0) return out;
  const cols = ["simulator", "classical", "optimizer", "evaluation", "test", "io"] as const;
  const row = (label: string, p: TimingPhases): string[] => {
    const total = cols.reduce((a, c) => a + p[c], 0);
    return [label, ...cols.map((c) => `${fmtDuration(p[c])} (${fmtPercent(total > 0 ? p[c] / total : 0)})`)];
  };
  out.push(
    "",
    "Where the cells' time went (seconds summed over cells; with several jobs they overlap in wall time):",
    "",
    table(
      ["Head", "Simulator", "Classical layers + losses", "Optimizer", "Validation", "Test", "I/O"],
      [...heads.map((h) => row(h.label, t.perHead[h.id]!.phases!)), row("All", t.phases)],
      ["l", "r", "r", "r", "r", "r", "r"],
    ),
  );
  return out;
}

/** The whole report.md. */
export function buildMarkdown(r: ExperimentResults): string {
  const selection = selectionSection(r, table);
  const sections = [
    `# ${r.dataset}: ${r.heads.length} multi-task heads compared (run \`${r.name}\`)`,
    "",
    `${isoDay(r.createdAt)} · results produced ${isoMinute(r.createdAt)} by qmtl ${r.qmtlVersion}.`,
    "",
    setupSection(r),
    "",
    "## Main findings",
    "",
    baselineStatement(r),
    "",
    winnersSection(r),
    "",
    paramsStatement(r),
    "",
    paramsSection(r),
    "",
    resultsSection(r),
    "",
    ...(selection.length > 0 ? [...selection, ""] : []),
    timingSection(r),
    "",
    "## Differences from the paper",
    "",
    list(r.differences),
    "",
    "## Notes",
    "",
    list(r.notes),
    "",
  ];
  return sections.join("\n");
}
