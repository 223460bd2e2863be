/**
 * The report's claims, computed from the numbers: does every head beat the
 * majority-class baseline on the main task, and which head is best per task.
 */
import type { ExperimentResults, MeanStdValue } from "./results-types.ts";
import { macroF1Key } from "./style.ts";

type Task = ExperimentResults["tasks"][number];
type Head = ExperimentResults["heads"][number];

/**
 * The main task: the one the checkpoint is selected on when `setup.selection`
 * names it, else "sarcasm", else the first binary task, else the first task.
 */
export function mainTask(results: ExperimentResults): Task {
  const ts = results.tasks.filter((t) => t.kind !== "regression");
  const pool = ts.length > 0 ? ts : results.tasks;
  const words = results.setup.selection.split(/\s+/);
  return (
    pool.find((t) => words.includes(t.name)) ??
    pool.find((t) => t.name === "sarcasm") ??
    pool.find((t) => t.kind === "binary") ??
    (pool[0] as Task)
  );
}

export interface MetricComparison {
  metric: string;
  head: MeanStdValue;
  baseline: MeanStdValue;
  /** head mean minus baseline mean */
  diff: number;
  /** head mean strictly above the baseline mean */
  beats: boolean;
  /** the difference is smaller than the head's standard deviation over folds */
  withinStd: boolean;
}

export interface HeadVsBaseline {
  head: Head;
  comparisons: MetricComparison[];
  beatsAll: boolean;
}

export interface BaselineVerdict {
  task: Task;
  /** metric keys compared: accuracy and the task's macro-F1 */
  metrics: string[];
  heads: HeadVsBaseline[];
  everyHeadBeats: boolean;
}

function rowsFor(results: ExperimentResults, task: Task): Array<Record<string, MeanStdValue> | undefined> {
  return [
    ...results.heads.map((h) => results.summary[h.id]?.[task.name]),
    results.baselines.majority[task.name],
  ];
}

/** Compares each head's mean accuracy and macro-F1 with the majority baseline's, on the main task. */
export function baselineVerdict(results: ExperimentResults, task: Task = mainTask(results)): BaselineVerdict {
  const metrics = ["accuracy", macroF1Key(task, rowsFor(results, task))];
  const base = results.baselines.majority[task.name];
  const heads = results.heads.map((head) => {
    const comparisons: MetricComparison[] = [];
    for (const metric of metrics) {
      const h = results.summary[head.id]?.[task.name]?.[metric];
      const b = base?.[metric];
      if (h === undefined || b === undefined) continue;
      const diff = h.mean - b.mean;
      comparisons.push({
        metric,
        head: h,
        baseline: b,
        diff,
        beats: diff > 0,
        withinStd: Math.abs(diff) < h.std,
      });
    }
    return {
      head,
      comparisons,
      beatsAll: comparisons.length === metrics.length && comparisons.every((c) => c.beats),
    };
  });
  return { task, metrics, heads, everyHeadBeats: heads.every((h) => h.beatsAll) };
}

export interface TaskWinner {
  task: Task;
  /** metric the heads are ranked by (macro-F1), ties broken by accuracy */
  metric: string;
  ranking: Array<{ head: Head; value: MeanStdValue; accuracy: MeanStdValue | undefined }>;
  best: Head;
  runnerUp: Head | undefined;
  /** best mean minus runner-up mean */
  margin: number;
  /** the margin exceeds both heads' standard deviations */
  clear: boolean;
  /** the head with the best mean accuracy (may differ from `best`) */
  bestByAccuracy: Head | undefined;
}

/** For each task, heads ranked by mean macro-F1 (ties: mean accuracy). */
export function taskWinners(results: ExperimentResults): TaskWinner[] {
  const out: TaskWinner[] = [];
  for (const task of results.tasks) {
    if (task.kind === "regression") continue;
    const metric = macroF1Key(task, rowsFor(results, task));
    type Row = { head: Head; value: MeanStdValue | undefined; accuracy: MeanStdValue | undefined };
    const ranking = results.heads
      .map((head): Row => ({
        head,
        value: results.summary[head.id]?.[task.name]?.[metric],
        accuracy: results.summary[head.id]?.[task.name]?.["accuracy"],
      }))
      .filter((r): r is Row & { value: MeanStdValue } => r.value !== undefined)
      .sort((a, b) => b.value.mean - a.value.mean || (b.accuracy?.mean ?? 0) - (a.accuracy?.mean ?? 0));
    const first = ranking[0];
    if (first === undefined) continue;
    const second = ranking[1];
    const margin = second === undefined ? 0 : first.value.mean - second.value.mean;
    const clear = second !== undefined && margin > Math.max(first.value.std, second.value.std);
    const byAcc = [...ranking]
      .filter((r) => r.accuracy !== undefined)
      .sort((a, b) => (b.accuracy?.mean ?? 0) - (a.accuracy?.mean ?? 0))[0];
    out.push({
      task,
      metric,
      ranking,
      best: first.head,
      runnerUp: second?.head,
      margin,
      clear,
      bestByAccuracy: byAcc?.head,
    });
  }
  return out;
}
