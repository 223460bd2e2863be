/**
 * The paper's ablation claims checked against a sweep's merged results
 * (computed from the numbers; nothing is decided in advance):
 * Scores are F1 (and accuracy) of the classification tasks, or, for a suite that selects checkpoints by
 * the macro of one primary metric per task (setup.selectionMetrics: GLUE's CoLA MCC, STS-B Spearman, ...),
 * each task's primary metric, regression tasks included.
 *  - depth-L3-best: with L_h = 1, L = 3 has a higher task-averaged F1 than
 *    L = 2, and L = 4 adds less than the std over folds (the paper's words:
 *    "marginal or no additional gains");
 *  - depth-Lh-little: with L = 3, L_h = 2, 3 move the task-averaged F1 by less
 *    than its std over folds (averaged over tasks);
 *  - entanglement-helps: the entangled encoder has the higher mean accuracy
 *    and F1 on every task;
 *  - encoder-variant (ours): RY in the first block moves some task's F1 by
 *    more than the std over folds.
 */
import type { SweepGroup, SweepResults } from "../sweep/merge.ts";
import type { Claim } from "./html-page.ts";
import type { MeanStdValue } from "./results-types.ts";
import { fmt } from "./style.ts";
import { noiseClaim } from "./noise-claims.ts";

type Task = SweepResults["tasks"][number];

function classTasks(m: SweepResults): Task[] {
  return m.tasks.filter((t) => t.kind !== "regression");
}

/** The one head of a group (studies put one head per group), else the first. */
export function groupHead(g: SweepGroup): string {
  return Object.keys(g.summary)[0] ?? "";
}

export function groupValue(g: SweepGroup, task: string, metric: string): MeanStdValue | undefined {
  return g.summary[groupHead(g)]?.[task]?.[metric];
}

/** The tasks the claims score and the metric of each: primary metrics where the suite has them, else F1. */
function scored(m: SweepResults): Array<{ task: string; metric: string }> {
  const primary = m.setup?.selectionMetrics;
  if (primary !== undefined) {
    const out = m.tasks.filter((t) => primary[t.name] !== undefined);
    if (out.length > 0) return out.map((t) => ({ task: t.name, metric: primary[t.name]! }));
  }
  return classTasks(m).map((t) => ({ task: t.name, metric: "f1" }));
}

/** What "the score" is in the claims' text. */
function scoreName(m: SweepResults): string {
  return scored(m).some((s) => s.metric !== "f1") ? "primary metric" : "F1";
}

/**
 * Mean over tasks of a metric's mean, and of its std: `metric` on the classification tasks, or "score"
 * for each scored task's own metric (see `scored`).
 */
export function taskAverage(
  m: SweepResults,
  g: SweepGroup,
  metric: string,
): { mean: number; std: number } | undefined {
  const vs =
    metric === "score"
      ? scored(m).map((s) => groupValue(g, s.task, s.metric))
      : classTasks(m).map((t) => groupValue(g, t.name, metric));
  if (vs.length === 0 || vs.some((v) => v === undefined)) return undefined;
  const ok = vs as MeanStdValue[];
  return {
    mean: ok.reduce((a, v) => a + v.mean, 0) / ok.length,
    std: ok.reduce((a, v) => a + v.std, 0) / ok.length,
  };
}

function find(m: SweepResults, labels: Record<string, string>): SweepGroup | undefined {
  return m.groups.find((g) => Object.entries(labels).every(([k, v]) => g.labels[k] === v));
}

const folds = (m: SweepResults): string => {
  const n = m.groups[0]
    ? Object.values(m.groups[0].summary)[0]?.[m.tasks[0]?.name ?? ""]?.["accuracy"]?.n
    : undefined;
  return n === undefined ? "" : ` (n = ${n} runs per point)`;
};

function depthBest(m: SweepResults, text: string): Claim {
  const rows = ["2", "3", "4"].map((L) => ({ L, g: find(m, { L, Lh: "1" }) }));
  const avg = rows.map((r) => ({
    L: r.L,
    f1: r.g ? taskAverage(m, r.g, "score") : undefined,
    acc: r.g ? taskAverage(m, r.g, "accuracy") : undefined,
  }));
  if (avg.some((a) => a.f1 === undefined))
    return {
      claim: text,
      source: "Section 6.1, Fig. 8",
      measured: "Not every L in {2, 3, 4} with L_h = 1 has results.",
      verdict: "not testable",
    };
  const best = avg.reduce((b, a) => (a.f1!.mean > b.f1!.mean ? a : b));
  const [l2, l3, l4] = avg.map((a) => a.f1!) as [
    { mean: number; std: number },
    { mean: number; std: number },
    { mean: number; std: number },
  ];
  // the paper: L = 2 -> 3 improves; L = 4 gives "marginal or no additional gains" (within the std over folds)
  const ok = l3.mean > l2.mean && l4.mean - l3.mean < Math.max(l3.std, l4.std);
  const acc = (a: (typeof avg)[number]): string => (a.acc ? ` (${fmt(a.acc.mean)})` : "");
  const what =
    scoreName(m) === "F1" ? "F1 (accuracy)" : "primary metric (accuracy of the classification tasks)";
  const measured = `Task-averaged ${what} with L_h = 1: ${avg.map((a) => `L=${a.L} ${fmt(a.f1!.mean)} ± ${fmt(a.f1!.std)}${acc(a)}`).join("; ")}${folds(m)}. Best: L = ${best.L}; L=3 minus L=2: ${fmt(l3.mean - l2.mean)}; L=4 minus L=3: ${fmt(l4.mean - l3.mean)} (supported: L=3 above L=2 and L=4 within the std of L=3).`;
  return {
    claim: text,
    source: "Section 6.1, Fig. 8",
    measured,
    verdict: ok ? "supported" : "not supported",
  };
}

function depthLh(m: SweepResults, text: string): Claim {
  const rows = ["1", "2", "3"].map((Lh) => ({ Lh, g: find(m, { L: "3", Lh }) }));
  const avg = rows.map((r) => ({ Lh: r.Lh, f1: r.g ? taskAverage(m, r.g, "score") : undefined }));
  if (avg.some((a) => a.f1 === undefined))
    return {
      claim: text,
      source: "Section 6.1, Fig. 8",
      measured: "Not every L_h in {1, 2, 3} with L = 3 has results.",
      verdict: "not testable",
    };
  const ref = avg[0]!.f1!;
  const moves = avg
    .slice(1)
    .map((a) => ({ Lh: a.Lh, d: a.f1!.mean - ref.mean, std: Math.max(ref.std, a.f1!.std) }));
  const little = moves.every((x) => Math.abs(x.d) < x.std);
  const measured = `Task-averaged ${scoreName(m)} with L = 3: ${avg.map((a) => `L_h=${a.Lh} ${fmt(a.f1!.mean)} ± ${fmt(a.f1!.std)}`).join("; ")}; change against L_h = 1: ${moves.map((x) => `${x.d >= 0 ? "+" : ""}${fmt(x.d)}`).join(", ")} (little = within the std over folds).`;
  return {
    claim: text,
    source: "Section 6.1, Fig. 8",
    measured,
    verdict: little ? "supported" : "not supported",
  };
}

function twoWay(m: SweepResults, axis: string, a: string, b: string): { ga?: SweepGroup; gb?: SweepGroup } {
  return { ga: find(m, { [axis]: a }), gb: find(m, { [axis]: b }) };
}

function entanglement(m: SweepResults, text: string): Claim {
  const { ga, gb } = twoWay(m, "encoder", "entangled", "product");
  if (!ga || !gb)
    return {
      claim: text,
      source: "Section 6.2, Fig. 9",
      measured: "Both encoder variants need results.",
      verdict: "not testable",
    };
  if (scoreName(m) !== "F1") {
    const per = scored(m).map((s) => ({
      task: s.task,
      metric: s.metric,
      d: (groupValue(ga, s.task, s.metric)?.mean ?? NaN) - (groupValue(gb, s.task, s.metric)?.mean ?? NaN),
    }));
    const wins = per.filter((p) => p.d > 0);
    return {
      claim: text,
      source: "Section 6.2, Fig. 9",
      measured: `Entangled minus product-state encoder, each task's primary metric: ${per.map((p) => `${p.task} ${p.metric} ${fmt(p.d)}`).join("; ")}. Higher for ${wins.length} of ${per.length} tasks${folds(m)}.`,
      verdict: wins.length === per.length ? "supported" : "not supported",
    };
  }
  const per = classTasks(m).map((t) => {
    const d = (metric: string): number =>
      (groupValue(ga, t.name, metric)?.mean ?? NaN) - (groupValue(gb, t.name, metric)?.mean ?? NaN);
    return { task: t.name, acc: d("accuracy"), f1: d("f1") };
  });
  const wins = per.filter((p) => p.acc > 0 && p.f1 > 0);
  const measured = `Entangled minus product-state encoder, accuracy / F1 per task: ${per.map((p) => `${p.task} ${fmt(p.acc)} / ${fmt(p.f1)}`).join("; ")}. Higher on both for ${wins.length} of ${per.length} tasks${folds(m)}.`;
  return {
    claim: text,
    source: "Section 6.2, Fig. 9",
    measured,
    verdict: wins.length === per.length ? "supported" : "not supported",
  };
}

function encoder(m: SweepResults, text: string): Claim {
  const { ga, gb } = twoWay(m, "first", "rx", "ry");
  if (!ga || !gb)
    return {
      claim: text,
      source: "this project (beyond the paper)",
      measured: "Both encoder variants need results.",
      verdict: "not testable",
    };
  const per = scored(m).map((s) => {
    const x = groupValue(ga, s.task, s.metric),
      y = groupValue(gb, s.task, s.metric);
    const d = (y?.mean ?? NaN) - (x?.mean ?? NaN);
    return { task: s.task, d, std: Math.max(x?.std ?? 0, y?.std ?? 0) };
  });
  const beyond = per.filter((p) => Math.abs(p.d) > p.std);
  const measured = `${scoreName(m)} of RY minus RX per task (largest std over folds): ${per.map((p) => `${p.task} ${p.d >= 0 ? "+" : ""}${fmt(p.d)} (${fmt(p.std)})`).join("; ")}. Beyond the std on ${beyond.length} of ${per.length} tasks.`;
  return {
    claim: text,
    source: "this project (beyond the paper)",
    measured,
    verdict: beyond.length > 0 ? "supported" : "not supported",
  };
}

/** The study's claims, each with the numbers and a verdict. */
export function sweepClaims(m: SweepResults): Claim[] {
  return (m.study?.claims ?? []).map((c) => {
    switch (c.id) {
      case "depth-L3-best":
        return depthBest(m, c.text);
      case "depth-Lh-little":
        return depthLh(m, c.text);
      case "entanglement-helps":
        return entanglement(m, c.text);
      case "encoder-variant":
        return encoder(m, c.text);
      case "noise-graceful":
      case "noise-device-order":
        return noiseClaim(m, c.id, c.text)!;
    }
    return { claim: c.text, source: "", measured: "", verdict: "not testable" };
  });
}
