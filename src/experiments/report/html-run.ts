/**
 * The HTML page of one run folder (results.json): configuration, per-task
 * metric tables (mean ± std over folds x seeds), the paper-style figures of
 * the existing report (Fig. 7 grouped bars with error bars, Fig. 4 parameter
 * counts), timing, and the paper's claims beside what this run measured.
 */
import type { ExperimentResults, MeanStdValue } from "./results-types.ts";
import { renderReport, type RenderedReport } from "./write-report.ts";
import { headTotal } from "./figures.ts";
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
} from "./html-page.ts";
import { fmt, fmtDuration, fmtInt, macroF1Key, tableColumns, taskTitle } from "./style.ts";
import { mainTask } from "./analysis.ts";

type Head = ExperimentResults["heads"][number];

function metricTables(r: ExperimentResults): string {
  return r.tasks
    .map((task) => {
      const rows = [...r.heads.map((h) => r.summary[h.id]?.[task.name]), r.baselines.majority[task.name]];
      const cols = tableColumns(task, rows);
      const best = new Map(
        cols.map((c) => [
          c.key,
          Math.max(...r.heads.map((h) => r.summary[h.id]?.[task.name]?.[c.key]?.mean ?? -Infinity)),
        ]),
      );
      const body = [
        ...r.heads.map((h) => [
          esc(h.label),
          ...cols.map((c) => {
            const v = r.summary[h.id]?.[task.name]?.[c.key];
            return v !== undefined && v.mean === best.get(c.key) && r.heads.length > 1
              ? `<b>${meanStdCell(v)}</b>`
              : meanStdCell(v);
          }),
        ]),
        ["<i>Majority class</i>", ...cols.map((c) => meanStdCell(r.baselines.majority[task.name]?.[c.key]))],
      ];
      return `<h3>${esc(taskTitle(task))}</h3>\n${htmlTable(["Head", ...cols.map((c) => esc(c.long))], body)}`;
    })
    .join("\n");
}

function f1Of(
  r: ExperimentResults,
  h: Head,
  task: ExperimentResults["tasks"][number],
): MeanStdValue | undefined {
  const key = macroF1Key(task, [r.summary[h.id]?.[task.name]]);
  return r.summary[h.id]?.[task.name]?.[key];
}

/** The paper's claims about its main comparison that a run of these heads can test. */
export function runClaims(r: ExperimentResults): Claim[] {
  const claims: Claim[] = [];
  const q = r.heads.find((h) => h.id === "qmtl");
  const c = r.heads.find((h) => h.id === "classical");
  const hqnns = r.heads.filter((h) => h.id.startsWith("hqnn"));
  const task = mainTask(r);
  if (q && c) {
    const ratio = headTotal(c) / Math.max(1, headTotal(q));
    claims.push({
      claim: "QMTL needs fewer head parameters than the classical multi-task heads (O(T) against O(T^2)).",
      source: "Section 4.2, Theorem 1, Fig. 4",
      measured: `QMTL ${fmtInt(headTotal(q))}, classical ${fmtInt(headTotal(c))} head parameters (${ratio.toFixed(1)}x).`,
      verdict: headTotal(q) < headTotal(c) ? "supported" : "not supported",
    });
    const fq = f1Of(r, q, task),
      fc = f1Of(r, c, task);
    if (fq && fc) {
      claims.push({
        claim: "QMTL matches or exceeds the classical baseline.",
        source: "Abstract; Section 5 (Fig. 7 for MUStARD)",
        measured: `${task.name} F1: QMTL ${fmt(fq.mean)} ± ${fmt(fq.std)}, classical ${fmt(fc.mean)} ± ${fmt(fc.std)} (matching = within one std of the classical mean).`,
        verdict: fq.mean >= fc.mean - fc.std ? "supported" : "not supported",
      });
    }
  }
  if (q && hqnns.length > 0) {
    const fq = f1Of(r, q, task);
    const rows = hqnns.map((h) => ({ h, f: f1Of(r, h, task) })).filter((x) => x.f !== undefined);
    if (fq && rows.length > 0) {
      const beaten = rows.filter((x) => fq.mean > x.f!.mean);
      claims.push({
        claim: "QMTL outperforms the HQNN baselines.",
        source: "Abstract; Section 5",
        measured: `${task.name} F1: QMTL ${fmt(fq.mean)}; ${rows.map((x) => `${x.h.label} ${fmt(x.f!.mean)}`).join(", ")}.`,
        verdict: beaten.length === rows.length ? "supported" : "not supported",
      });
    }
  }
  const majority = r.baselines.majority[task.name]?.["accuracy"];
  if (q && majority) {
    const acc = r.summary[q.id]?.[task.name]?.["accuracy"];
    if (acc) {
      claims.push({
        claim:
          "The heads learn the task (above the majority-class predictor); implicit in every comparison of the paper.",
        source: "Section 5",
        measured: `${task.name} accuracy: QMTL ${fmt(acc.mean)} ± ${fmt(acc.std)}, majority class ${fmt(majority.mean)}.`,
        verdict: acc.mean > majority.mean ? "supported" : "not supported",
      });
    }
  }
  return claims;
}

function timing(r: ExperimentResults): string {
  const rows = r.heads.map((h) => {
    const t = r.timing.perHead[h.id];
    return [
      esc(h.label),
      t ? esc(fmtDuration(t.seconds)) : "–",
      t ? esc(fmtDuration(t.simSeconds)) : "–",
      t ? fmtInt(t.epochs) : "–",
      t && t.epochs > 0 ? esc(`${(t.seconds / t.epochs).toFixed(2)} s`) : "–",
    ];
  });
  return `${htmlTable(["Head", "Training time", "Simulator time", "Epochs", "Per epoch"], rows)}
<p>Whole run: ${esc(fmtDuration(r.timing.totalSeconds))} wall time, ${esc(fmtDuration(r.timing.simSeconds))} in the simulator.</p>`;
}

export interface HtmlReport {
  html: string;
  report: RenderedReport;
}

/** The run page, with the rendered Markdown report and figures it embeds. */
export async function renderRunHtml(r: ExperimentResults): Promise<HtmlReport> {
  const report = await renderReport(r);
  const s = r.setup;
  const setup = configTable({
    dataset: r.dataset,
    backbone: s.backbone,
    featureDim: s.featureDim,
    split: s.split,
    folds: s.folds,
    seeds: s.seeds,
    epochs: s.epochs,
    batchSize: s.batchSize,
    lr: s.lr,
    valFraction: s.valFraction,
    selection: s.selection,
    taskWeights: s.taskWeights,
  });
  const heads = htmlTable(
    ["Head", "Qubits", "Head params", "Extras", "Projection (not counted)"],
    r.heads.map((h) => [
      esc(h.label),
      h.qubits === null ? "–" : String(h.qubits),
      fmtInt(h.headParams),
      fmtInt(h.extras),
      fmtInt(h.projectionParams),
    ]),
  );
  const fig = (name: string): string => report.figures.find((f) => f.name === name)?.svg ?? "";
  const html = htmlPage(
    `${r.dataset}: ${r.name}`,
    `qmtl ${r.qmtlVersion}, ${r.createdAt}; ${r.runs.length} training runs (${s.folds.length} folds × ${s.seeds.length} seeds × ${r.heads.length} heads).`,
    [
      { id: "claims", title: "The paper's claims and this run", html: claimsTable(runClaims(r)) },
      {
        id: "config",
        title: "Configuration",
        html: `${setup}<p>${esc(s.backboneDetail)}</p><h3>Heads</h3>${heads}<h3>Differences from the paper</h3>${list(r.differences)}`,
      },
      { id: "metrics", title: "Test metrics (mean ± std)", html: metricTables(r) },
      {
        id: "figures",
        title: "Figures",
        html: [
          figure(
            "metrics",
            fig("fig-metrics"),
            "Test metrics per task, grouped by head, ±1 std error bars (the paper's Fig. 7).",
          ),
          figure("params", fig("fig-params"), "Trainable head parameters (the paper's Fig. 4)."),
        ].join("\n"),
      },
      { id: "timing", title: "Timing", html: timing(r) },
      { id: "notes", title: "Notes", html: list(r.notes) },
    ],
  );
  return { html, report };
}
