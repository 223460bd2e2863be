/**
 * The report's figures as vega-lite specs, rendered to SVG by vega (headless,
 * no canvas) and to PNG by resvg:
 *  - metricsSpec: the paper's Fig. 7, one panel per task, grouped bars
 *    (x = metric, colour = head) with +-1 std error bars and the
 *    majority-class baseline as a grey bar;
 *  - paramsSpec: the paper's Fig. 4, trainable parameters per head.
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { ExperimentResults } from "./results-types.ts";
import { BASELINE_COLOR, BASELINE_LABEL, FIGURE_METRICS, fmtInt, headColors, taskTitle } from "./style.ts";
import { estimateTextWidth } from "./fonts.ts";

/** Font stack written into the SVGs (resvg maps sans-serif to the font it found). */
export const FIGURE_FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";

const BASE_CONFIG = {
  font: FIGURE_FONT,
  background: "white",
  view: { stroke: "#d0d0d0" },
  axis: {
    labelFontSize: 12,
    titleFontSize: 12,
    titleFontWeight: "normal" as const,
    labelColor: "#222",
    titleColor: "#222",
    gridColor: "#e6e6e6",
  },
  legend: {
    labelFontSize: 12,
    titleFontSize: 12,
    labelLimit: 0,
    symbolType: "square" as const,
    symbolSize: 140,
  },
  header: { labelFontSize: 14, labelFontWeight: "bold" as const, labelColor: "#222", titleFontSize: 14 },
  title: { fontSize: 16, subtitleFontSize: 12, subtitleColor: "#444", anchor: "start" as const, offset: 12 },
};

/** One bar of the metrics figure. */
export interface MetricBar {
  task: string;
  metric: string;
  series: string;
  mean: number;
  std: number;
  lo: number;
  hi: number;
}

/** The rows behind Fig. 7: per classification task, metric and head (then the baseline). */
export function metricBars(results: ExperimentResults): MetricBar[] {
  const out: MetricBar[] = [];
  const series: Array<{ label: string; table: ExperimentResults["baselines"]["majority"] | undefined }> = [
    ...results.heads.map((h) => ({ label: h.label, table: results.summary[h.id] })),
    { label: BASELINE_LABEL, table: results.baselines.majority },
  ];
  for (const task of results.tasks) {
    if (task.kind === "regression") continue;
    for (const m of FIGURE_METRICS) {
      for (const s of series) {
        const v = s.table?.[task.name]?.[m.key];
        if (v === undefined) continue;
        out.push({
          task: taskTitle(task),
          metric: m.short,
          series: s.label,
          mean: v.mean,
          std: v.std,
          lo: Math.max(0, v.mean - v.std),
          hi: Math.min(1, v.mean + v.std),
        });
      }
    }
  }
  return out;
}

function runsDescription(results: ExperimentResults): string {
  const f = results.setup.folds.length;
  const s = results.setup.seeds.length;
  return s === 1 ? `${f} folds` : `${f} folds × ${s} seeds`;
}

/** The paper's Fig. 7 as a vega-lite spec. */
export function metricsSpec(results: ExperimentResults): TopLevelSpec {
  const colors = headColors(results.heads);
  const domain = [...results.heads.map((h) => h.label), BASELINE_LABEL];
  const range = [...results.heads.map((h) => colors.get(h.id) as string), BASELINE_COLOR];
  const tasks = results.tasks.filter((t) => t.kind !== "regression").map(taskTitle);
  const columns = tasks.length <= 3 ? tasks.length : tasks.length === 4 ? 2 : 3;
  const x = {
    field: "metric",
    type: "nominal" as const,
    sort: FIGURE_METRICS.map((m) => m.short),
    title: null,
    axis: { labelAngle: 0, labelFontSize: 13, ticks: false, domain: false },
  };
  const xOffset = { field: "series", type: "nominal" as const, sort: domain, scale: { paddingInner: 0.08 } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `${results.dataset}: test metrics per task for ${results.heads.length} multi-task heads`,
      subtitle: [
        `Bars: mean over ${runsDescription(results)}; error bars: ±1 sample standard deviation. Grey: majority-class predictor on the same folds.`,
        "Acc = accuracy, P = precision, R = recall, F1 = F1 score (binary task: positive class; multiclass tasks: macro average).",
      ],
    },
    data: { values: metricBars(results) },
    facet: { field: "task", type: "nominal", sort: tasks, title: null, header: { labelPadding: 6 } },
    columns,
    spacing: { row: ROW_SPACING, column: PANEL_SPACING },
    spec: {
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      encoding: { x, xOffset },
      layer: [
        {
          mark: { type: "bar" },
          encoding: {
            y: {
              field: "mean",
              type: "quantitative",
              scale: { domain: [0, 1] },
              title: "Score",
              axis: { tickCount: 5, format: ".1f", domain: false },
            },
            color: {
              field: "series",
              type: "nominal",
              scale: { domain, range },
              legend: legendPlacement(tasks.length, columns, domain.length),
            },
            tooltip: [
              { field: "series", title: "Head" },
              { field: "metric" },
              { field: "mean", format: ".3f" },
              { field: "std", format: ".3f" },
            ],
          },
        },
        {
          mark: { type: "rule", color: "#1a1a1a", strokeWidth: 1.2 },
          encoding: { y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
        },
      ],
    },
    resolve: { axis: { x: "independent" } },
    config: BASE_CONFIG,
  } as TopLevelSpec;
}

const PANEL_WIDTH = 330;
const PANEL_HEIGHT = 210;
const PANEL_SPACING = 16;
const ROW_SPACING = 24;

/**
 * With an empty cell at the end of the panel grid the legend goes there
 * (vertical, with a title); otherwise it sits below the panels in one row.
 */
function legendPlacement(nPanels: number, columns: number, nEntries: number): Record<string, unknown> {
  const rows = Math.ceil(nPanels / columns);
  const empty = rows * columns - nPanels;
  if (empty === 0 || rows < 2) {
    return { title: null, orient: "bottom", direction: "horizontal", columns: nEntries, labelFontSize: 13 };
  }
  const col = nPanels % columns;
  // x, y relative to the first panel's plot area; the header above each panel is about 24 px
  return {
    title: "Head",
    titleFontSize: 14,
    titleFontWeight: "bold",
    orient: "none",
    direction: "vertical",
    labelFontSize: 14,
    symbolSize: 220,
    rowPadding: 8,
    legendX: col * (PANEL_WIDTH + PANEL_SPACING) + 56,
    legendY: (rows - 1) * (PANEL_HEIGHT + ROW_SPACING + 24) + 24,
  };
}

/** One bar of the parameter figure. */
export interface ParamBar {
  head: string;
  total: number;
  text: string;
}

/** The head used as the reference for parameter ratios: id "qmtl", else the first head. */
export function referenceHead(results: ExperimentResults): ExperimentResults["heads"][number] {
  return (
    results.heads.find((h) => h.id.toLowerCase() === "qmtl") ??
    (results.heads[0] as ExperimentResults["heads"][number])
  );
}

/** Total trainable parameters of a head (its parameters plus extra scalars). */
export function headTotal(h: ExperimentResults["heads"][number]): number {
  return h.headParams + h.extras;
}

export function paramBars(results: ExperimentResults): ParamBar[] {
  const ref = referenceHead(results);
  const refTotal = headTotal(ref);
  return results.heads.map((h) => {
    const total = headTotal(h);
    const ratio =
      refTotal > 0 && h.id !== ref.id
        ? `  (${(total / refTotal).toFixed(1)}× ${ref.label.split(" (")[0]})`
        : "";
    const extras = h.extras > 0 ? ` = ${fmtInt(h.headParams)} + ${fmtInt(h.extras)}` : "";
    return { head: h.label, total, text: `${fmtInt(total)}${extras}${ratio}` };
  });
}

/** The paper's Fig. 4 (this dataset's part) as a vega-lite spec. */
export function paramsSpec(results: ExperimentResults): TopLevelSpec {
  const colors = headColors(results.heads);
  const bars = paramBars(results);
  const domain = results.heads.map((h) => h.label);
  const range = results.heads.map((h) => colors.get(h.id) as string);
  const max = Math.max(1, ...bars.map((b) => b.total));
  // room on the right for the printed numbers
  const longest = Math.max(...bars.map((b) => estimateTextWidth(b.text, 13)));
  const width = 560;
  const domainMax = max * (1 + (longest + 16) / Math.max(120, width - longest - 16));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `${results.dataset}: trainable parameters in the task-specific heads`,
      subtitle: [
        "Head parameters plus extra trainable scalars (e.g. an output scale); the projection from the features into the head is not counted.",
      ],
    },
    data: { values: bars },
    width,
    height: { step: 40 },
    encoding: {
      y: {
        field: "head",
        type: "nominal",
        sort: domain,
        title: null,
        axis: { labelFontSize: 13, ticks: false, domain: false, labelPadding: 8 },
      },
      x: {
        field: "total",
        type: "quantitative",
        scale: { domain: [0, domainMax], nice: false },
        title: "Trainable parameters (linear scale)",
        axis: {
          format: ",d",
          values: niceTicks(max),
          domain: false,
          titleAlign: "left",
          titleAnchor: "start",
        },
      },
    },
    layer: [
      {
        mark: { type: "bar", height: { band: 0.7 } },
        encoding: { color: { field: "head", type: "nominal", scale: { domain, range }, legend: null } },
      },
      {
        mark: { type: "text", align: "left", baseline: "middle", dx: 5, fontSize: 13, color: "#1a1a1a" },
        encoding: { text: { field: "text" } },
      },
    ],
    config: { ...BASE_CONFIG, view: { stroke: null } },
  } as TopLevelSpec;
}

/** Round tick values from 0 to at least `max`, about five of them. */
function niceTicks(max: number): number[] {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 0.5; v += step) out.push(Math.round(v));
  return out;
}

interface TextMetricsLike {
  width: (item: { text?: unknown; fontSize?: number; fontWeight?: unknown }, text?: unknown) => number;
}

/**
 * Renders a vega-lite spec to an SVG string. Without a canvas, vega guesses
 * text widths at 0.8 em per character, which leaves large gaps; for the
 * duration of the render a per-character width table for the figure font is
 * used instead (restored afterwards).
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vgSpec = compile(spec).spec;
  const metrics = (vega as unknown as { textMetrics?: TextMetricsLike }).textMetrics;
  const previous = metrics?.width;
  if (metrics !== undefined) {
    metrics.width = (item, text) => {
      const t = text ?? item.text;
      const s = Array.isArray(t) ? t.join(" ") : t === undefined || t === null ? "" : String(t);
      const bold = item.fontWeight === "bold" || Number(item.fontWeight) >= 600;
      return estimateTextWidth(s, item.fontSize ?? 11, bold);
    };
  }
  const view = new vega.View(vega.parse(vgSpec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
    if (metrics !== undefined && previous !== undefined) metrics.width = previous;
  }
}
