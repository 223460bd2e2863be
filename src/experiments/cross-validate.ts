import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "../core/errors.ts";
import { Rng } from "../core/rng.ts";
import { writeJsonAtomic } from "../core/atomic-file.ts";
import { stratifiedHoldout, type Fold } from "../data/splits.ts";
import { buildModel } from "../models/build-model.ts";
import type { ModelSpec } from "../models/model-spec.ts";
import { layoutTasks, type TaskInfo } from "../models/task-info.ts";
import { stateDict } from "../nn/state-dict.ts";
import { subset, type MultiTaskData } from "../training/dataset.ts";
import { predictLogits, taskMetrics, type TaskMetrics } from "../training/evaluate.ts";
import { train, type TrainConfig, type TrainEvent } from "../training/trainer.ts";
import { standardize } from "./standardize.ts";

/** One head of a comparison: how to build it and how to train it. */
export interface HeadPlan {
  readonly id: string;
  readonly label: string;
  readonly model: ModelSpec;
  readonly train: TrainConfig;
}

export interface CvPlan {
  readonly runDir: string;
  readonly data: MultiTaskData;
  readonly folds: ReadonlyArray<{ readonly index: number; readonly fold: Fold }>;
  readonly seeds: readonly number[];
  readonly heads: readonly HeadPlan[];
  /** fraction of each fold's training part held out for checkpoint selection */
  readonly valFraction: number;
  /** task whose labels stratify the validation split */
  readonly stratifyTask: number;
  readonly standardize: boolean;
  /** simulator threads per batch for every model (default 1; BuildOptions.threads) */
  readonly threads?: number;
  /** run only these cells (keys from cellKey); the others are left to another process */
  readonly cells?: ReadonlySet<string>;
}

/** The name of one (head, fold, seed) cell, as --cells takes it. */
export function cellKey(head: string, fold: number, seed: number): string {
  return `${head}:${fold}:${seed}`;
}

export interface RunResult {
  readonly head: string;
  readonly fold: number;
  readonly seed: number;
  readonly bestEpoch: number;
  readonly valScore: number;
  readonly seconds: number;
  readonly simSeconds: number;
  readonly epochs: number;
  readonly test: TaskMetrics;
}

export type CvEvent =
  | { type: "run-start"; head: string; fold: number; seed: number; index: number; total: number; resumed: boolean }
  | { type: "run-done"; result: RunResult; index: number; total: number; cached: boolean }
  | { type: "train"; head: string; fold: number; seed: number; event: TrainEvent };

export function runDirFor(plan: CvPlan, head: string, fold: number, seed: number): string {
  return cellDir(plan.runDir, head, fold, seed);
}

/** The folder of one cell inside a run folder. */
export function cellDir(runDir: string, head: string, fold: number, seed: number): string {
  return join(runDir, "runs", head, `fold-${fold}-seed-${seed}`);
}

/** Whether a cell ("head:fold:seed") has finished (its result.json exists). */
export function cellDone(runDir: string, key: string): boolean {
  const [head, fold, seed] = key.split(":");
  return existsSync(join(cellDir(runDir, head!, Number(fold), Number(seed)), "result.json"));
}

/**
 * Runs every (fold, head, seed) cell: carve a seeded, stratified validation
 * set from the fold's training part (never from its test part), train with
 * checkpoint selection on validation, evaluate the selected checkpoint on the
 * test fold. Each finished cell writes result.json and best-model.json
 * atomically and is skipped when the run is started again; an unfinished cell
 * resumes from its last finished epoch.
 */
export function crossValidate(plan: CvPlan, onEvent?: (e: CvEvent) => void): RunResult[] {
  const results: RunResult[] = [];
  const total = plan.cells ? plan.cells.size : plan.folds.length * plan.heads.length * plan.seeds.length;
  let index = 0;
  const taskList: TaskInfo[] = layoutTasks(plan.heads[0]!.model.tasks);
  for (const { index: k, fold } of plan.folds) {
    for (const seed of plan.seeds) {
      const split = stratifiedHoldout(fold.train, plan.data.labels[plan.stratifyTask]!, plan.valFraction, new Rng(seed).fork(`val-split/${k}`));
      let tr = subset(plan.data, split.train), va = subset(plan.data, split.val), te = subset(plan.data, fold.test);
      if (plan.standardize) ({ train: tr, others: [va, te] } = standardize(tr, [va, te]));
      for (const head of plan.heads) {
        if (plan.cells && !plan.cells.has(cellKey(head.id, k, seed))) continue;
        index++;
        const dir = runDirFor(plan, head.id, k, seed);
        const resultPath = join(dir, "result.json");
        if (existsSync(resultPath)) {
          const r = readResult(resultPath);
          results.push(r);
          onEvent?.({ type: "run-done", result: r, index, total, cached: true });
          continue;
        }
        const ckpt = join(dir, "checkpoint.json");
        onEvent?.({ type: "run-start", head: head.id, fold: k, seed, index, total, resumed: existsSync(ckpt) });
        const model = buildModel(head.model, new Rng(seed).fork(`model/${head.id}`), { threads: plan.threads ?? 1 });
        const res = train(model, tr, va, head.train, {
          seed: seedFor(seed, k), checkpointPath: ckpt,
          onEvent: (event) => onEvent?.({ type: "train", head: head.id, fold: k, seed, event }),
        });
        const test = taskMetrics(taskList, predictLogits(model, te), model.nOutputs, te);
        const result: RunResult = {
          head: head.id, fold: k, seed, bestEpoch: res.bestEpoch, valScore: res.bestScore,
          seconds: res.history.reduce((a, h) => a + h.seconds, 0), simSeconds: res.simSeconds, epochs: res.history.length, test,
        };
        writeJsonAtomic(join(dir, "best-model.json"), stateDict(model.net));
        writeJsonAtomic(join(dir, "history.json"), res.history);
        writeJsonAtomic(resultPath, result);
        // worker threads (if any) end in the background; they are unref'd, so they never hold the process
        model.close().catch(() => {});
        results.push(result);
        onEvent?.({ type: "run-done", result, index, total, cached: false });
      }
    }
  }
  return results;
}

function seedFor(seed: number, fold: number): number {
  return seed * 1000 + fold;
}

function readResult(path: string): RunResult {
  try {
    const r = JSON.parse(readFileSync(path, "utf8")) as RunResult;
    if (typeof r.head !== "string" || typeof r.test !== "object") throw new Error("missing head or test");
    return r;
  } catch (e) {
    throw new ValidationError(path, "a finished run's result (delete the file to rerun this cell)", e instanceof Error ? e.message : String(e));
  }
}
