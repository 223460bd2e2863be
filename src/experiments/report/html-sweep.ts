/**
 * The report of a sweep folder (sweep-results.json) and of the parameter
 * study (param-study.json): HTML page, Markdown, and the figures as SVG/PNG.
 */
import type { SweepResults } from "../sweep/merge.ts";
import type { ParamStudy } from "../sweep/param-study.ts";
import type { SweepPlot } from "../sweep/sweep-config.ts";
import { renderSvg } from "./figures.ts";
import { svgToPng } from "./fonts.ts";
import type { RenderedFigure } from "./write-report.ts";
import {
  claimsTable,
  configTable,
  esc,
  figure,
  htmlPage,
  htmlTable,
  list,
  meanStdCell,
  type Claim,
  type Section,
} from "./html-page.ts";
import { sweepClaims } from "./html-claims.ts";
import { ablationBarSpec, ablationLineSpec, groupParamsSpec, scalingSpec } from "./html-figures.ts";
import { noiseDeviceSpec, noiseLineSpec, noiseMarkdown, noiseTableHtml } from "./html-noise.ts";
import { fmt, fmtDuration, fmtInt, fmtMeanStd, taskTitle } from "./style.ts";
import { sweepSummaryTable } from "../sweep/summary-table.ts";

/**
 * Suites that select by the macro average of one metric per task (GLUE: CoLA MCC, STS-B Spearman, ...):
 * that macro and each task's metric per group, the table `qmtl sweep` prints; null otherwise.
 */
function selectionTable(m: SweepResults): { header: string[]; rows: string[][] } | null {
  if (m.setup?.selectionMetrics === undefined) return null;
  const t = sweepSummaryTable(m);
  return t.header.includes("macro") ? t : null;
}
const SELECTION_TEXT =
  "The checkpoint is selected by the mean over tasks of one metric each (the suite's primary metrics); " +
  "macro: that mean per run, then mean ± sample std over the runs of each group.";

export interface PageBundle {
  html: string;
  markdown: string;
  figures: RenderedFigure[];
}

function groupName(labels: Record<string, string>): string {
  return (
    Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ") || "all"
  );
}

/** Plots of a sweep: the study's, else one per non-replicate axis with more than one label. */
function plotsOf(m: SweepResults): SweepPlot[] {
  if (m.study && m.study.plots.length > 0) return m.study.plots;
  return m.axes
    .filter((a) => !a.replicate && a.labels.length > 1)
    .map((a) => ({ title: `Effect of ${a.name}`, x: a.name, fixed: {} }))
    .filter(
      (p) =>
        m.axes.filter((a) => !a.replicate).length === 1 || p.x === m.axes.find((a) => !a.replicate)?.name,
    );
}

async function fig(name: string, spec: Parameters<typeof renderSvg>[0]): Promise<RenderedFigure> {
  const svg = await renderSvg(spec);
  return { name, svg, png: svgToPng(svg) };
}

function metricsTable(m: SweepResults, metric: "accuracy" | "f1"): string {
  const tasks = m.tasks.filter((t) => t.kind !== "regression");
  const rows = m.groups.flatMap((g) =>
    Object.keys(g.summary).map((head) => [
      esc(groupName(g.labels)),
      esc(g.heads.find((h) => h.id === head)?.label ?? head),
      String(g.summary[head]?.[tasks[0]?.name ?? ""]?.[metric]?.n ?? 0),
      ...tasks.map((t) => meanStdCell(g.summary[head]?.[t.name]?.[metric])),
    ]),
  );
  return htmlTable(["Cell group", "Head", "Runs", ...tasks.map((t) => esc(taskTitle(t)))], rows);
}

function mdTable(header: string[], rows: string[][]): string {
  return [header, header.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

function sweepMarkdown(
  m: SweepResults,
  claims: readonly Claim[],
  figures: readonly RenderedFigure[],
): string {
  const tasks = m.tasks.filter((t) => t.kind !== "regression");
  const sel = selectionTable(m);
  const table = (metric: string): string =>
    mdTable(
      ["Cell group", "Head", ...tasks.map((t) => t.name)],
      m.groups.flatMap((g) =>
        Object.keys(g.summary).map((h) => [
          groupName(g.labels),
          h,
          ...tasks.map((t) => {
            const v = g.summary[h]?.[t.name]?.[metric];
            return v ? fmtMeanStd(v) : "–";
          }),
        ]),
      ),
    );
  return [
    `# ${m.study?.title ?? `Sweep ${m.name}`}`,
    "",
    `Suite ${m.suite} (${m.dataset}); ${m.cells.length} finished cells${m.missing.length ? `, ${m.missing.length} missing (${m.missing.join(", ")})` : ""}.`,
    "",
    "## Claims",
    "",
    mdTable(
      ["Paper's claim", "This run", "Verdict"],
      claims.map((c) => [c.claim, c.measured, c.verdict]),
    ),
    "",
    ...(sel
      ? [
          "## Selection metrics and their macro average",
          "",
          SELECTION_TEXT,
          "",
          mdTable(sel.header, sel.rows),
          "",
        ]
      : []),
    "## Accuracy (mean ± std over the runs of each group)",
    "",
    table("accuracy"),
    "",
    "## F1 (positive class for binary tasks, macro otherwise)",
    "",
    table("f1"),
    "",
    ...noiseMarkdown(m),
    "## Figures",
    "",
    ...figures.map((f) => `![${f.name}](${f.name}.png)`),
    "",
    "## Notes",
    "",
    ...(m.study?.notes ?? []).map((n) => `- ${n}`),
    "",
  ].join("\n");
}

/** The sweep page (and its Markdown and figures). */
export async function renderSweepHtml(m: SweepResults): Promise<PageBundle> {
  const runs = m.groups[0]
    ? (Object.values(m.groups[0].summary)[0]?.[m.tasks[0]?.name ?? ""]?.["accuracy"]?.n ?? 0)
    : 0;
  const subtitle = `Mean over ${runs} run(s) per point (folds × seeds); shading and error bars: ±1 sample std.`;
  const figures: RenderedFigure[] = [];
  const plots = plotsOf(m);
  for (const [i, p] of plots.entries()) {
    const axis = m.axes.find((a) => a.name === p.x);
    const numeric = axis !== undefined && axis.labels.every((l) => Number.isFinite(Number(l)));
    figures.push(
      await fig(
        `fig-ablation-${i + 1}`,
        numeric ? ablationLineSpec(m, p, subtitle) : ablationBarSpec(m, p, subtitle),
      ),
    );
  }
  if (m.groups.length > 0) figures.push(await fig("fig-params", groupParamsSpec(m)));
  const captions = new Map<string, string>([["fig-params", "Trainable head parameters of each cell group."]]);
  const noiseLine = noiseLineSpec(m, subtitle);
  if (noiseLine) {
    figures.push(await fig("fig-noise-levels", noiseLine));
    captions.set("fig-noise-levels", `Accuracy and F1 against the depolarizing level p: ${subtitle}`);
  }
  const noiseDevices = noiseDeviceSpec(m, subtitle);
  if (noiseDevices) {
    figures.push(await fig("fig-noise-devices", noiseDevices));
    captions.set(
      "fig-noise-devices",
      `The ideal circuit (p = 0) and each calibrated device model: ${subtitle}`,
    );
  }
  const claims = sweepClaims(m);
  const timing = htmlTable(
    ["Cell", "Training time", "Runs"],
    m.cells.map((c) => [esc(c.id), esc(fmtDuration(c.seconds)), String(c.runs.length)]),
  );
  const setup = m.setup;
  const sel = selectionTable(m);
  const sections: Section[] = [
    { id: "claims", title: "The paper's claims and this sweep", html: claimsTable(claims) },
    {
      id: "config",
      title: "Configuration",
      html: [
        htmlTable(
          ["Axis", "Config field", "Values", "Pooled (replicate)"],
          m.axes.map((a) => [
            esc(a.name),
            `<code>${esc(a.field)}</code>`,
            esc(a.labels.join(", ")),
            a.replicate ? "yes" : "no",
          ]),
        ),
        setup
          ? `<h3>Base experiment</h3>${configTable({ suite: m.suite, dataset: m.dataset, backbone: setup.backbone, featureDim: setup.featureDim, split: setup.split, epochs: setup.epochs, batchSize: setup.batchSize, lr: setup.lr, selection: setup.selection })}`
          : "",
        m.missing.length ? `<p><b>Missing cells:</b> ${esc(m.missing.join(", "))}</p>` : "",
        "<h3>Notes</h3>",
        list(m.study?.notes ?? []),
      ].join("\n"),
    },
    ...(sel
      ? [
          {
            id: "selection",
            title: "Selection metrics and their macro average (mean ± std)",
            html: `${htmlTable(
              sel.header.map(esc),
              sel.rows.map((r) => r.map(esc)),
            )}<p>${esc(SELECTION_TEXT)}</p>`,
          },
        ]
      : []),
    { id: "accuracy", title: "Accuracy (mean ± std)", html: metricsTable(m, "accuracy") },
    ...(m.noise
      ? [
          {
            id: "noise",
            title: "Noise (trained cells evaluated under each condition)",
            html: noiseTableHtml(m),
          },
        ]
      : []),
    {
      id: "f1",
      title: "F1 (mean ± std)",
      html: `${metricsTable(m, "f1")}<p>F1: the positive class for binary tasks, the macro average over classes otherwise.</p>`,
    },
    {
      id: "figures",
      title: "Figures",
      html: figures
        .map((f) =>
          figure(
            f.name,
            f.svg,
            captions.get(f.name) ?? `${plots[Number(f.name.split("-").pop()) - 1]?.title ?? ""}: ${subtitle}`,
          ),
        )
        .join("\n"),
    },
    {
      id: "timing",
      title: "Timing",
      html: `${timing}<p>Training time summed over cells: ${esc(fmtDuration(m.timing.cellSeconds))}, ${esc(fmtDuration(m.timing.simSeconds))} in the simulator.</p>`,
    },
  ];
  const html = htmlPage(
    m.study?.title ?? `Sweep ${m.name}`,
    `${m.dataset} (suite ${m.suite}); ${m.cells.length} cells; merged ${m.createdAt}.`,
    sections,
  );
  return { html, markdown: sweepMarkdown(m, claims, figures), figures };
}

/** The parameter-study page. */
export async function renderParamHtml(p: ParamStudy): Promise<PageBundle> {
  const figures = [await fig("fig-scaling", scalingSpec(p))];
  const last = p.scaling[p.scaling.length - 1];
  const first = p.scaling[0];
  const ratio = (s: NonNullable<typeof last>): number => s.qmtl.formula / s.classical.formula;
  const claims: Claim[] = [
    {
      claim:
        "Head parameters: O(T) for QMTL against O(T^2) for classical hard-parameter-sharing heads; the ratio falls as 1/T.",
      source: "Section 4.2, Theorem 1, Fig. 2",
      measured:
        last && first
          ? `QMTL/classical ratio ${fmt(ratio(first))} at T = ${first.T}, ${fmt(ratio(last))} at T = ${last.T}.`
          : "no rows",
      verdict:
        last && first && p.scaling.every((s, i) => i === 0 || ratio(s) < ratio(p.scaling[i - 1]!))
          ? "supported"
          : "not supported",
    },
    {
      claim: "The closed-form counts describe the models as built.",
      source: "Section 4.2 (this project's check)",
      measured: `${p.scaling.length * 3 + p.datasets.reduce((a, d) => a + d.heads.length, 0)} formula/instantiated pairs; ${p.agree ? "all equal" : "some differ"}.`,
      verdict: p.agree ? "supported" : "not supported",
    },
  ];
  const scaling = htmlTable(
    ["T", "d", "Classical (formula / model)", "QMTL (formula / model)", "HQNN-4 (formula / model)"],
    p.scaling.map((s) => [
      String(s.T),
      String(s.d),
      `${fmtInt(s.classical.formula)} / ${fmtInt(s.classical.instantiated)}`,
      `${fmtInt(s.qmtl.formula)} / ${fmtInt(s.qmtl.instantiated)}`,
      `${fmtInt(s.hqnn4.formula)} / ${fmtInt(s.hqnn4.instantiated)}`,
    ]),
  );
  const datasets = p.datasets
    .map(
      (d) =>
        `<h3>${esc(d.dataset)} (Q = ${d.Q}, d = ${d.d})</h3>${htmlTable(
          ["Head", "Formula", "Instantiated", "Extras"],
          d.heads.map((h) => [esc(h.head), fmtInt(h.formula), fmtInt(h.instantiated), fmtInt(h.extras)]),
        )}`,
    )
    .join("\n");
  const html = htmlPage(
    "Parameter scaling (Theorem 1)",
    `Head parameter counts from the closed forms and from instantiated models; ${p.createdAt}.`,
    [
      { id: "claims", title: "The paper's claims and this study", html: claimsTable(claims) },
      {
        id: "figures",
        title: "Figures",
        html: figure(
          "scaling",
          figures[0]!.svg,
          "Head parameters against T: lines from the formula, points counted from built models.",
        ),
      },
      { id: "scaling", title: "Scaling with T", html: scaling },
      { id: "datasets", title: "The paper's datasets (Fig. 4)", html: datasets },
      { id: "notes", title: "Notes", html: list(p.notes) },
    ],
  );
  const markdown = [
    "# Parameter scaling (Theorem 1)",
    "",
    mdTable(
      ["Paper's claim", "This run", "Verdict"],
      claims.map((c) => [c.claim, c.measured, c.verdict]),
    ),
    "",
    mdTable(
      ["T", "d", "classical", "QMTL", "HQNN-4"],
      p.scaling.map((s) => [
        String(s.T),
        String(s.d),
        `${s.classical.formula}/${s.classical.instantiated}`,
        `${s.qmtl.formula}/${s.qmtl.instantiated}`,
        `${s.hqnn4.formula}/${s.hqnn4.instantiated}`,
      ]),
    ),
    "",
    "![scaling](fig-scaling.png)",
    "",
  ].join("\n");
  return { html, markdown, figures };
}
