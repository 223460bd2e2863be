/**
 * Vega-lite figures of sweeps and studies (rendered to SVG by renderSvg of
 * figures.ts, the same path as the run report's figures):
 *  - ablationLineSpec: the paper's Fig. 8 style, one panel per task, mean
 *    over folds as a line with points and a shaded ±1 std band, Acc and F1;
 *  - ablationBarSpec: the paper's Fig. 9 style, grouped bars with ±1 std
 *    error bars, one panel per task;
 *  - groupParamsSpec: head parameters per cell group;
 *  - scalingSpec: Theorem 1, head parameters against T (formula lines,
 *    instantiated-model points).
 */
import type { TopLevelSpec } from "vega-lite";
import { FIGURE_FONT } from "./figures.ts";
import { HEAD_PALETTE, taskTitle } from "./style.ts";
import type { SweepResults } from "../sweep/merge.ts";
import type { SweepPlot } from "../sweep/sweep-config.ts";
import type { ParamStudy } from "../sweep/param-study.ts";
import { groupHead, groupValue } from "./html-claims.ts";

/** The figures' shared Vega-Lite config (fonts, axes, legend, facet headers, titles). */
export const CONFIG = {
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
  legend: { labelFontSize: 12, titleFontSize: 12, labelLimit: 0 },
  header: { labelFontSize: 13, labelFontWeight: "bold" as const, labelColor: "#222" },
  title: { fontSize: 15, subtitleFontSize: 12, subtitleColor: "#444", anchor: "start" as const, offset: 10 },
};

/** The two metrics every per-task figure shows. */
export const METRICS = [
  { key: "accuracy", name: "Accuracy" },
  { key: "f1", name: "F1" },
] as const;

/** Colour by metric series (Accuracy, F1). */
export const metricColor = {
  field: "series",
  type: "nominal",
  title: "Metric",
  scale: { domain: METRICS.map((x) => x.name), range: [HEAD_PALETTE[0], HEAD_PALETTE[1]] },
};

/** The two layers of a line with a shaded ±1 std band (fields mean, lo, hi). */
export const BAND_LINE_LAYERS = [
  {
    mark: { type: "area", opacity: 0.18 },
    encoding: { y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
  },
  {
    mark: { type: "line", point: { filled: true, size: 45 }, strokeWidth: 2 },
    encoding: { y: { field: "mean", type: "quantitative", title: "Score", scale: { zero: false } } },
  },
];

/**
 * One panel per task (`task` field, in first-seen order) of `spec` (encoding and layers), 250 x 170 each,
 * with the shared config: the frame of every per-task figure.
 */
export function perTaskFigure(
  title: string,
  subtitle: string,
  data: ReadonlyArray<{ task: string }>,
  spec: Record<string, unknown>,
): TopLevelSpec {
  const tasks = [...new Set(data.map((d) => d.task))];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, subtitle: [subtitle] },
    data: { values: data },
    facet: { field: "task", type: "nominal", sort: tasks, title: null },
    columns: facetColumns(tasks.length),
    spec: { width: 250, height: 170, ...spec },
    resolve: { axis: { x: "independent" } },
    config: CONFIG,
  } as TopLevelSpec;
}

/** Grouped bars with ±1 std error bars: x = metric series, bars coloured by `x` in `order`. */
export function groupedBars(colorTitle: string, order: readonly string[]): Record<string, unknown> {
  return {
    encoding: {
      x: { field: "series", type: "nominal", title: null, axis: { labelAngle: 0 } },
      xOffset: { field: "x", type: "nominal", sort: order },
    },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          y: { field: "mean", type: "quantitative", title: "Score", scale: { domain: [0, 1] } },
          color: {
            field: "x",
            type: "nominal",
            title: colorTitle,
            sort: order,
            scale: { range: [...HEAD_PALETTE] },
          },
        },
      },
      {
        mark: { type: "rule", color: "#1a1a1a", strokeWidth: 1.2 },
        encoding: { y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
      },
    ],
  };
}

interface Point {
  task: string;
  x: string;
  xNum: number;
  series: string;
  mean: number;
  lo: number;
  hi: number;
  std: number;
}

/** The points of one study plot: groups holding `fixed`, x = their label on axis `x`. */
export function plotPoints(m: SweepResults, plot: SweepPlot): Point[] {
  const out: Point[] = [];
  const axis = m.axes.find((a) => a.name === plot.x);
  const order = axis?.labels ?? [];
  const groups = m.groups
    .filter(
      (g) =>
        g.labels[plot.x] !== undefined && Object.entries(plot.fixed).every(([k, v]) => g.labels[k] === v),
    )
    .sort((a, b) => order.indexOf(a.labels[plot.x]!) - order.indexOf(b.labels[plot.x]!));
  for (const g of groups) {
    for (const t of m.tasks) {
      if (t.kind === "regression") continue;
      for (const metric of METRICS) {
        const v = groupValue(g, t.name, metric.key);
        if (v === undefined) continue;
        const x = g.labels[plot.x]!;
        out.push({
          task: taskTitle(t),
          x,
          xNum: Number(x),
          series: metric.name,
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

/** Facet columns for n task panels: up to 3 in a row, 4 as 2 x 2. */
export function facetColumns(n: number): number {
  return n <= 3 ? n : n === 4 ? 2 : 3;
}

/** Line plot with shaded std (numeric x) over the plot's axis. */
export function ablationLineSpec(m: SweepResults, plot: SweepPlot, subtitle: string): TopLevelSpec {
  const data = plotPoints(m, plot);
  const x = {
    field: "xNum",
    type: "quantitative",
    title: plot.x,
    axis: { values: [...new Set(data.map((d) => d.xNum))], format: "d" },
    scale: { zero: false, padding: 14 },
  };
  return perTaskFigure(plot.title, subtitle, data, {
    encoding: { x, color: metricColor },
    layer: BAND_LINE_LAYERS,
  });
}

/** Grouped bars with error bars (categorical x): x = metric, colour = the axis label. */
export function ablationBarSpec(m: SweepResults, plot: SweepPlot, subtitle: string): TopLevelSpec {
  const data = plotPoints(m, plot);
  return perTaskFigure(plot.title, subtitle, data, groupedBars(plot.x, [...new Set(data.map((d) => d.x))]));
}

/** Head parameters per cell group (the head of each group). */
export function groupParamsSpec(m: SweepResults): TopLevelSpec {
  const data = m.groups.map((g) => {
    const id = groupHead(g);
    const h = g.heads.find((x) => x.id === id);
    const label =
      Object.entries(g.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ") || "all";
    return { group: label, params: (h?.headParams ?? 0) + (h?.extras ?? 0), head: h?.label ?? id };
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Trainable head parameters per cell group",
      subtitle: ["Head parameters plus extra scalars; the projection into the head is not counted."],
    },
    data: { values: data },
    width: 520,
    height: { step: 30 },
    encoding: {
      y: { field: "group", type: "nominal", sort: data.map((d) => d.group), title: null },
      x: { field: "params", type: "quantitative", title: "Trainable head parameters" },
    },
    layer: [
      { mark: { type: "bar", color: HEAD_PALETTE[0], height: { band: 0.7 } } },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 12 },
        encoding: { text: { field: "params", type: "quantitative", format: "," } },
      },
    ],
    config: { ...CONFIG, view: { stroke: null } },
  } as TopLevelSpec;
}

/** Theorem 1: head parameters against T; lines from the formula, points from instantiated models. */
export function scalingSpec(p: ParamStudy): TopLevelSpec {
  const heads = [
    ["classical", "Classical"],
    ["qmtl", "QMTL"],
    ["hqnn4", "HQNN (4 qubits)"],
  ] as const;
  const rows = p.scaling.flatMap((s) =>
    heads.flatMap(([k, name]) => [
      { T: s.T, head: name, params: s[k].formula, source: "formula" },
      { T: s.T, head: name, params: s[k].instantiated, source: "instantiated model" },
    ]),
  );
  const color = {
    field: "head",
    type: "nominal",
    title: "Head",
    scale: { domain: heads.map((h) => h[1]), range: [HEAD_PALETTE[1], HEAD_PALETTE[0], HEAD_PALETTE[2]] },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Head parameters against the number of tasks T (Theorem 1)",
      subtitle: [
        `Q = S T, d = S T L with S = ${p.theorem.S}, L = ${p.theorem.L}, L_h = ${p.theorem.Lh}, r = ${p.theorem.r}, k_theta = ${p.theorem.kTheta}. Lines: formula; points: counted from instantiated models.`,
      ],
    },
    data: { values: rows },
    width: 560,
    height: 300,
    encoding: {
      x: { field: "T", type: "quantitative", title: "Tasks T", axis: { tickMinStep: 1 } },
      y: { field: "params", type: "quantitative", title: "Trainable head parameters" },
      color,
    },
    layer: [
      { transform: [{ filter: "datum.source === 'formula'" }], mark: { type: "line", strokeWidth: 2 } },
      {
        transform: [{ filter: "datum.source !== 'formula'" }],
        mark: { type: "point", filled: true, size: 55 },
      },
    ],
    config: CONFIG,
  } as TopLevelSpec;
}
