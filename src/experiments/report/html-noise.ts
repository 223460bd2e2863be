/**
 * The noise part of a sweep report (a sweep with a noise axis):
 *  - noiseLineSpec: the paper's Fig. 10 style, per task accuracy and F1
 *    against the depolarizing level p, mean over folds/seeds as a line with
 *    a shaded ±1 std band;
 *  - noiseDeviceSpec: Fig. 11 style, per task the ideal (p = 0) and each
 *    device model as bars with ±1 std error bars;
 *  - tables (HTML and Markdown) of every condition: accuracy, F1 and the mean
 *    |noisy - ideal| output deviation, mean ± std.
 */
import type { TopLevelSpec } from "vega-lite";
import type { SweepResults } from "../sweep/merge.ts";
import type { NoiseGroup } from "../sweep/noise-merge.ts";
import { BAND_LINE_LAYERS, groupedBars, METRICS, metricColor, perTaskFigure } from "./html-figures.ts";
import { esc, htmlTable, meanStdCell } from "./html-page.ts";
import { levelGroups } from "./noise-claims.ts";
import type { MeanStdValue } from "./results-types.ts";
import { fmtMeanStd, taskTitle } from "./style.ts";

/** The other (non-noise) labels of a group: which training configuration it evaluates. */
function trainingLabel(g: NoiseGroup): string {
  return (
    Object.entries(g.labels)
      .filter(([k]) => k !== "noise")
      .map(([k, v]) => `${k}=${v}`)
      .join(", ") || "all"
  );
}

interface Point {
  task: string;
  x: string;
  p: number;
  series: string;
  config: string;
  mean: number;
  lo: number;
  hi: number;
}

function points(m: SweepResults, groups: readonly NoiseGroup[], x: (g: NoiseGroup) => string): Point[] {
  const out: Point[] = [];
  for (const g of groups)
    for (const t of m.tasks) {
      if (t.kind === "regression") continue;
      for (const metric of METRICS) {
        const v = Object.values(g.summary)[0]?.[t.name]?.[metric.key];
        if (v === undefined) continue;
        out.push({
          task: taskTitle(t),
          x: x(g),
          p: g.condition.p ?? NaN,
          series: metric.name,
          config: trainingLabel(g),
          mean: v.mean,
          lo: Math.max(0, v.mean - v.std),
          hi: Math.min(1, v.mean + v.std),
        });
      }
    }
  return out;
}

/** Accuracy and F1 against p (exact, unmitigated), shaded ±1 std; null without two levels. */
export function noiseLineSpec(m: SweepResults, subtitle: string): TopLevelSpec | null {
  const groups = levelGroups(m);
  if (new Set(groups.map((g) => g.condition.p)).size < 2) return null;
  const data = points(m, groups, (g) => String(g.condition.p));
  const multi = new Set(data.map((d) => d.config)).size > 1;
  return perTaskFigure("Performance under depolarizing noise (Fig. 10 style)", subtitle, data, {
    encoding: {
      // evenly spaced levels (as the paper's Fig. 10), so 0 and 0.01 both get a label
      x: {
        field: "x",
        type: "ordinal",
        sort: [...new Set(data.map((d) => d.x))],
        title: "depolarizing p (p1 = p2 = p)",
        axis: { labelAngle: 0 },
      },
      color: metricColor,
      ...(multi ? { strokeDash: { field: "config", type: "nominal", title: "Cells" } } : {}),
      detail: { field: "config" },
    },
    layer: BAND_LINE_LAYERS,
  });
}

/** The ideal (p = 0) and each device model (exact), bars with ±1 std; null without a device. */
export function noiseDeviceSpec(m: SweepResults, subtitle: string): TopLevelSpec | null {
  const groups = m.noise?.groups ?? [];
  const devices = groups.filter((g) => g.condition.kind === "device" && g.condition.shots === undefined);
  if (devices.length === 0) return null;
  const ideal = levelGroups(m).filter((g) => g.condition.p === 0);
  const data = points(m, [...ideal, ...devices], (g) =>
    g.condition.kind === "device" ? g.condition.device! : "ideal (p = 0)",
  );
  return perTaskFigure(
    "Performance under calibrated device models (Fig. 11 style)",
    subtitle,
    data,
    groupedBars("Condition", [...new Set(data.map((d) => d.x))]),
  );
}

function conditionName(g: NoiseGroup): string {
  const c = g.condition;
  const base = c.kind === "device" ? c.device! : `depolarizing p = ${c.p}`;
  return c.shots !== undefined ? `${base}, ${c.shots} shots` : base;
}

type Cell = (v: MeanStdValue | undefined) => string;

function rows(m: SweepResults, cell: Cell): string[][] {
  const tasks = m.tasks.filter((t) => t.kind !== "regression");
  return (m.noise?.groups ?? []).map((g) => [
    conditionName(g),
    trainingLabel(g),
    String(get(g, tasks[0]?.name ?? "", "accuracy")?.n ?? 0),
    ...tasks.flatMap((t) => [cell(get(g, t.name, "accuracy")), cell(get(g, t.name, "f1"))]),
    cell(avgError(m, g)),
  ]);
}

function get(g: NoiseGroup, task: string, metric: string): MeanStdValue | undefined {
  return Object.values(g.summary)[0]?.[task]?.[metric];
}

function avgError(m: SweepResults, g: NoiseGroup): MeanStdValue | undefined {
  const vs = m.tasks.map((t) => get(g, t.name, "outputError")).filter((v) => v !== undefined);
  if (vs.length === 0) return undefined;
  return {
    mean: vs.reduce((a, v) => a + v.mean, 0) / vs.length,
    std: vs.reduce((a, v) => a + v.std, 0) / vs.length,
    n: vs[0]!.n,
  };
}

function header(m: SweepResults): string[] {
  const tasks = m.tasks.filter((t) => t.kind !== "regression");
  return [
    "Condition",
    "Cells",
    "Runs",
    ...tasks.flatMap((t) => [`${taskTitle(t)} acc`, `${taskTitle(t)} F1`]),
    "Output deviation",
  ];
}

export function noiseTableHtml(m: SweepResults): string {
  if (!m.noise) return "";
  const body = htmlTable(
    header(m).map(esc),
    rows(m, meanStdCell).map((r) => [esc(r[0]!), esc(r[1]!), ...r.slice(2)]),
  );
  const missing = m.noise.missing.length
    ? `<p><b>Evaluation cells without results:</b> ${esc(m.noise.missing.join(", "))}</p>`
    : "";
  return `${body}<p>Mean ± std over the runs (folds × seeds) of each group. Output deviation: mean |noisy - ideal| of the head's raw expectation values, averaged over tasks (exact simulation, no shot noise unless shots are named).</p>${missing}`;
}

export function noiseMarkdown(m: SweepResults): string[] {
  if (!m.noise) return [];
  const md: Cell = (v) => (v ? fmtMeanStd(v) : "–");
  const h = header(m);
  return [
    "## Noise (the trained cells evaluated under each condition)",
    "",
    ...[h, h.map(() => "---"), ...rows(m, md)].map((r) => `| ${r.join(" | ")} |`),
    "",
  ];
}
