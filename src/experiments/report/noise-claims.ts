/**
 * The paper's noise claims checked against a noise sweep's merged results
 * (computed from the numbers):
 *  - noise-graceful (Section 6.3, Fig. 10): at p = 0.01 the task-averaged F1
 *    is within the std over folds of the ideal (p = 0), and it degrades
 *    progressively: lower at the largest p than at the smallest p > 0, with no
 *    step up by more than the std;
 *  - noise-device-order (Section 7, Fig. 11): ibm_boston closer to the ideal
 *    than ibm_fez: a smaller mean |noisy - ideal| output deviation (exact, no
 *    shot noise) and a task-averaged |F1 - ideal F1| not larger.
 */
import type { SweepResults } from "../sweep/merge.ts";
import type { NoiseGroup } from "../sweep/noise-merge.ts";
import type { Claim } from "./html-page.ts";
import type { MeanStdValue } from "./results-types.ts";
import { fmt } from "./style.ts";

type Avg = { mean: number; std: number };

function classTasks(m: SweepResults): string[] {
  return m.tasks.filter((t) => t.kind !== "regression").map((t) => t.name);
}

function value(g: NoiseGroup, task: string, metric: string): MeanStdValue | undefined {
  return Object.values(g.summary)[0]?.[task]?.[metric];
}

/** Task average of a metric's mean and std in a noise group. */
export function noiseAverage(
  m: SweepResults,
  g: NoiseGroup,
  metric: string,
  tasks = classTasks(m),
): Avg | undefined {
  const vs = tasks.map((t) => value(g, t, metric));
  if (vs.length === 0 || vs.some((v) => v === undefined)) return undefined;
  const ok = vs as MeanStdValue[];
  return {
    mean: ok.reduce((a, v) => a + v.mean, 0) / ok.length,
    std: ok.reduce((a, v) => a + v.std, 0) / ok.length,
  };
}

/** Exact (no shots) depolarizing groups by p, ascending. */
export function levelGroups(m: SweepResults): NoiseGroup[] {
  return (m.noise?.groups ?? [])
    .filter((g) => g.condition.kind === "depolarizing" && g.condition.shots === undefined)
    .sort((a, b) => a.condition.p! - b.condition.p!);
}

function graceful(m: SweepResults, text: string): Claim {
  const source = "Section 6.3, Fig. 10";
  const rows = levelGroups(m).map((g) => ({
    p: g.condition.p!,
    f1: noiseAverage(m, g, "f1"),
    acc: noiseAverage(m, g, "accuracy"),
  }));
  const ideal = rows.find((r) => r.p === 0);
  const noisy = rows.filter((r) => r.p > 0);
  if (!ideal?.f1 || noisy.length < 2 || noisy.some((r) => !r.f1))
    return {
      claim: text,
      source,
      measured: "Needs p = 0 and at least two levels p > 0 with results.",
      verdict: "not testable",
    };
  const first = noisy[0]!,
    last = noisy[noisy.length - 1]!;
  const close = Math.abs(first.f1!.mean - ideal.f1.mean) <= Math.max(ideal.f1.std, first.f1!.std);
  const steps = [ideal, ...noisy]
    .slice(1)
    .map((r, i) => ({ d: r.f1!.mean - [ideal, ...noisy][i]!.f1!.mean, std: r.f1!.std }));
  const progressive = last.f1!.mean < first.f1!.mean && steps.every((s) => s.d <= s.std);
  const measured = `Task-averaged F1 ± std (accuracy) by p: ${rows.map((r) => `p=${r.p} ${fmt(r.f1!.mean)} ± ${fmt(r.f1!.std)} (${fmt(r.acc!.mean)})`).join("; ")}. p=${first.p} minus ideal: ${fmt(first.f1!.mean - ideal.f1.mean)}${close ? " (within the std)" : " (beyond the std)"}; p=${last.p} minus p=${first.p}: ${fmt(last.f1!.mean - first.f1!.mean)}.`;
  return { claim: text, source, measured, verdict: close && progressive ? "supported" : "not supported" };
}

function deviceOrder(m: SweepResults, text: string): Claim {
  const source = "Section 7, Fig. 11";
  const groups = m.noise?.groups ?? [];
  const dev = (name: string): NoiseGroup | undefined =>
    groups.find((g) => g.condition.device === name && g.condition.shots === undefined);
  const boston = dev("ibm_boston"),
    fez = dev("ibm_fez");
  const ideal = levelGroups(m).find((g) => g.condition.p === 0);
  if (!boston || !fez)
    return {
      claim: text,
      source,
      measured: "Needs results for ibm_boston and ibm_fez.",
      verdict: "not testable",
    };
  const allTasks = m.tasks.map((t) => t.name);
  const errB = noiseAverage(m, boston, "outputError", allTasks),
    errF = noiseAverage(m, fez, "outputError", allTasks);
  const gap = (g: NoiseGroup): number | undefined => {
    if (!ideal) return undefined;
    const ts = classTasks(m);
    const ds = ts.map((t) =>
      Math.abs((value(g, t, "f1")?.mean ?? NaN) - (value(ideal, t, "f1")?.mean ?? NaN)),
    );
    return ds.reduce((a, x) => a + x, 0) / ds.length;
  };
  const gB = gap(boston),
    gF = gap(fez);
  if (!errB || !errF)
    return { claim: text, source, measured: "No output deviations recorded.", verdict: "not testable" };
  const closer = errB.mean < errF.mean && (gB === undefined || gF === undefined || gB <= gF);
  const measured = `Mean |noisy - ideal| output deviation (task average): ibm_boston ${fmt(errB.mean, 4)}, ibm_fez ${fmt(errF.mean, 4)} (ratio ${fmt(errF.mean / errB.mean, 2)})${gB !== undefined && gF !== undefined ? `; task-averaged |F1 - ideal F1|: ibm_boston ${fmt(gB, 4)}, ibm_fez ${fmt(gF, 4)}` : ""}.`;
  return { claim: text, source, measured, verdict: closer ? "supported" : "not supported" };
}

/** A noise claim by id, or undefined for other ids. */
export function noiseClaim(m: SweepResults, id: string, text: string): Claim | undefined {
  if (id === "noise-graceful") return graceful(m, text);
  if (id === "noise-device-order") return deviceOrder(m, text);
  return undefined;
}
