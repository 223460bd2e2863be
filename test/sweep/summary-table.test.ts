/**
 * The table `qmtl sweep` prints: for a GLUE-like sweep (selection by the macro
 * average of one metric per task, STS-B a regression task without accuracy or
 * F1) it shows the runs pooled, the macro average per run (mean +- sample std)
 * and each task's primary metric; for a single-task selection (MUStARD) the
 * selection task's accuracy and F1, with the runs counted.
 */
import { describe, expect, it } from "vitest";
import { summarizeRuns } from "../../src/training/summary.ts";
import type { SweepResults } from "../../src/experiments/sweep/merge.ts";
import { noiseSummaryTable, sweepSummaryTable } from "../../src/experiments/sweep/summary-table.ts";

type Run = SweepResults["cells"][number]["runs"][number];
const run = (head: string, seed: number, test: Run["test"]): Run => ({
  head,
  fold: 0,
  seed,
  bestEpoch: 1,
  valScore: 0,
  seconds: 1,
  simSeconds: 0,
  test,
});

function results(
  cells: Array<{ id: string; group: string; runs: Run[] }>,
  setup: Partial<NonNullable<SweepResults["setup"]>>,
  tasks: SweepResults["tasks"],
): SweepResults {
  const groups = [...new Set(cells.map((c) => c.group))].map((g) => {
    const mine = cells.filter((c) => c.group === g);
    const heads = [...new Set(mine.flatMap((c) => c.runs.map((r) => r.head)))];
    return {
      labels: { encoder: g },
      cells: mine.map((c) => c.id),
      summary: Object.fromEntries(
        heads.map((h) => [
          h,
          summarizeRuns(mine.flatMap((c) => c.runs.filter((r) => r.head === h).map((r) => r.test))),
        ]),
      ),
      heads: [],
    };
  });
  return {
    kind: "qmtl-sweep-results",
    name: "s",
    suite: "x",
    dataset: "x",
    createdAt: "",
    axes: [],
    study: null,
    tasks,
    setup: { selection: "", ...setup } as NonNullable<SweepResults["setup"]>,
    cells: cells.map((c) => ({
      id: c.id,
      dir: `cells/${c.id}`,
      values: {},
      labels: { encoder: c.group },
      heads: [],
      runs: c.runs,
      summary: {},
      seconds: 1,
    })),
    groups,
    missing: [],
    noise: null,
    timing: { cellSeconds: 0, simSeconds: 0 },
  };
}

describe("the sweep summary table", () => {
  it("GLUE-like: runs, the macro of the primary metrics and each task's, STS-B included", () => {
    const test = (mcc: number, sp: number) => ({
      CoLA: { accuracy: 0.7, f1: 0.8, mcc, n: 5 },
      "STS-B": { pearson: 0.5, spearman: sp, mse: 0.1, n: 5 },
    });
    const m = results(
      [
        { id: "e0", group: "entangled", runs: [run("qmtl", 0, test(0.1, 0.5))] },
        { id: "e1", group: "entangled", runs: [run("qmtl", 1, test(0.3, 0.7))] },
        { id: "p0", group: "product", runs: [run("qmtl-noent", 0, test(0.2, 0.6))] },
      ],
      {
        selection: "validation mean over tasks of CoLA mcc, STS-B spearman",
        selectionMetrics: { CoLA: "mcc", "STS-B": "spearman" },
      },
      [
        { name: "CoLA", kind: "binary", numClasses: 2, classNames: ["0", "1"] },
        { name: "STS-B", kind: "regression", numClasses: 0, classNames: [] },
      ],
    );
    const t = sweepSummaryTable(m);
    expect(t.header).toEqual(["cell group", "head", "runs", "macro", "CoLA mcc", "STS-B spearman"]);
    // macros per run: 0.3 and 0.5 -> mean 0.4, sample std 0.1414
    expect(t.rows).toEqual([
      ["encoder=entangled", "qmtl", "2", "0.400 ± 0.141", "0.200 ± 0.141", "0.600 ± 0.141"],
      ["encoder=product", "qmtl-noent", "1", "0.400 ± 0.000", "0.200 ± 0.000", "0.600 ± 0.000"],
    ]);
  });

  it("single-task selection: that task's accuracy and F1, runs counted", () => {
    const m = results(
      [
        {
          id: "a",
          group: "g",
          runs: [
            run("qmtl", 0, { sarcasm: { accuracy: 0.6, f1: 0.5 } }),
            run("qmtl", 1, { sarcasm: { accuracy: 0.8, f1: 0.7 } }),
          ],
        },
      ],
      { selection: "validation sarcasm f1" },
      [{ name: "sarcasm", kind: "binary", numClasses: 2, classNames: ["0", "1"] }],
    );
    const t = sweepSummaryTable(m);
    expect(t.header).toEqual(["cell group", "head", "runs", "sarcasm acc", "sarcasm F1"]);
    expect(t.rows).toEqual([["encoder=g", "qmtl", "2", "0.700 ± 0.141", "0.600 ± 0.141"]]);
  });

  it("noise groups: the primary metrics for a GLUE-like sweep, accuracy and F1 of the selection task otherwise", () => {
    const v = (mean: number, std = 0.01, n = 2) => ({ mean, std, n });
    const tasks: SweepResults["tasks"] = [
      { name: "CoLA", kind: "binary", numClasses: 2, classNames: ["0", "1"] },
      { name: "STS-B", kind: "regression", numClasses: 0, classNames: [] },
    ];
    const withNoise = (m: SweepResults): SweepResults => ({
      ...m,
      noise: {
        conditions: [],
        cells: [],
        missing: ["x@p=0.1"],
        groups: [
          {
            labels: { noise: "p=0.01" },
            condition: { kind: "depolarizing", p: 0.01 } as NonNullable<
              SweepResults["noise"]
            >["conditions"][number],
            cells: ["x@p=0.01"],
            summary: {
              qmtl: {
                CoLA: { accuracy: v(0.69), f1: v(0), mcc: v(0.05), outputError: v(0.002) },
                "STS-B": { spearman: v(0.8), outputError: v(0.004) },
              },
            },
          },
        ],
      },
    });
    const glue = withNoise(
      results([], { selection: "macro", selectionMetrics: { CoLA: "mcc", "STS-B": "spearman" } }, tasks),
    );
    const t = noiseSummaryTable(glue, "ignored")!;
    expect(t.header).toEqual([
      "noise group",
      "runs",
      "CoLA mcc",
      "STS-B spearman",
      "output deviation (task mean)",
    ]);
    expect(t.rows).toEqual([["noise=p=0.01", "2", "0.050 ± 0.010", "0.800 ± 0.010", "0.0030"]]);
    const single = withNoise(results([], { selection: "validation CoLA f1" }, tasks));
    const u = noiseSummaryTable(single, "CoLA")!;
    expect(u.header).toEqual(["noise group", "runs", "CoLA acc", "CoLA F1", "output deviation (task mean)"]);
    expect(u.rows).toEqual([["noise=p=0.01", "2", "0.690 ± 0.010", "0.000 ± 0.010", "0.0030"]]);
    expect(noiseSummaryTable(results([], {}, tasks), "CoLA")).toBeNull();
  });
});
