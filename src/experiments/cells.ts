/**
 * The cells of an experiment: one (head, split, seed) each. A cell carves a
 * seeded, stratified validation set from its split's training part (unless the
 * split names one), standardises features with the training part's statistics,
 * trains with checkpoint selection on validation, and evaluates the selected
 * checkpoint on the test part. Each finished cell writes its files atomically,
 * its result sealed to the run and the cell, and is skipped when the run is
 * started again; an unfinished cell resumes from its last finished epoch.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "../core/errors.ts";
import { Rng } from "../core/rng.ts";
import { writeJsonAtomic } from "../core/atomic-file.ts";
import { stratifiedHoldout } from "../data/splits.ts";
import { buildModel } from "../models/build-model.ts";
import { saveModelFile, savedModel, type Standardization } from "../models/saved-model.ts";
import { layoutTasks, type TaskInfo } from "../models/task-info.ts";
import { subset, type MultiTaskData } from "../training/dataset.ts";
import { predictLogits, type TaskMetrics } from "../training/evaluate.ts";
import { train, type TrainEvent } from "../training/trainer.ts";
import type { TrainPhases } from "../training/checkpoint.ts";
import { readSealed, seal } from "./run-folder.ts";
import { applyStandardization, fitStandardization } from "./standardize.ts";
import type { HeadPlan, SuiteMetrics, SuiteSplit } from "./suite.ts";

export interface CellPlan {
  readonly runDir: string;
  /** the run's id (from its marker): cell results are sealed to it */
  readonly runId: string;
  readonly data: MultiTaskData;
  readonly splits: readonly SuiteSplit[];
  readonly seeds: readonly number[];
  readonly heads: readonly HeadPlan[];
  /** fraction of each split's training part held out for checkpoint selection (splits without `val`) */
  readonly valFraction: number;
  /** task whose labels stratify the validation split */
  readonly stratifyTask: number;
  readonly standardize: boolean;
  readonly metrics: SuiteMetrics;
  /** simulator threads per batch for every model (default 1; BuildOptions.threads) */
  readonly threads?: number;
  /** run only these cells (keys from cellKey); the others are left to another process */
  readonly cells?: ReadonlySet<string>;
  /** write training checkpoints after every epoch (TrainOptions.checkpointEveryEpoch) */
  readonly checkpointEveryEpoch?: boolean;
}

/** The name of one (head, split, seed) cell, as --cells takes it. */
export function cellKey(head: string, split: number, seed: number): string {
  return `${head}:${split}:${seed}`;
}

export function parseCellKey(key: string): { head: string; split: number; seed: number } {
  const m = /^([A-Za-z0-9._-]+):(\d+):(\d+)$/.exec(key);
  if (!m) throw new ValidationError("--cells", "cells as head:split:seed", key);
  return { head: m[1]!, split: Number(m[2]), seed: Number(m[3]) };
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
  /** where the cell's time went (absent in results sealed before it existed) */
  readonly phases?: CellPhases;
}

/**
 * Seconds of one cell by phase: training's four (src/training/checkpoint.ts, TrainPhases), the final
 * test-set evaluation, and I/O (training checkpoints, the saved best model and the history; the
 * sealed result itself is not timed).
 */
export interface CellPhases extends TrainPhases {
  readonly test: number;
  readonly io: number;
}

export type CellEvent =
  | {
      type: "run-start";
      head: string;
      fold: number;
      seed: number;
      index: number;
      total: number;
      resumed: boolean;
    }
  | { type: "run-done"; result: RunResult; index: number; total: number; cached: boolean }
  | { type: "train"; head: string; fold: number; seed: number; event: TrainEvent }
  /** a finished cell's file is about to be written (the last, result.json, marks the cell done) */
  | { type: "write"; file: string };

/** The folder of one cell inside a run folder. */
export function cellDir(runDir: string, head: string, split: number, seed: number): string {
  return join(runDir, "runs", head, `fold-${split}-seed-${seed}`);
}

/** Whether a cell ("head:split:seed") has finished (its result.json exists). */
export function cellDone(runDir: string, key: string): boolean {
  const { head, split, seed } = parseCellKey(key);
  return existsSync(join(cellDir(runDir, head, split, seed), "result.json"));
}

/** The data of one (split, seed): train / validation / test parts, standardised as the plan says. */
export interface CellData {
  readonly train: MultiTaskData;
  readonly val: MultiTaskData;
  readonly test: MultiTaskData;
  readonly standardization: Standardization | null;
}

export function cellData(
  plan: Pick<CellPlan, "data" | "valFraction" | "stratifyTask" | "standardize">,
  split: SuiteSplit,
  seed: number,
): CellData {
  const parts = split.val
    ? { train: split.train, val: split.val }
    : stratifiedHoldout(
        split.train,
        plan.data.labels[plan.stratifyTask]!,
        plan.valFraction,
        new Rng(seed).fork(`val-split/${split.index}`),
      );
  const tr = subset(plan.data, parts.train),
    va = subset(plan.data, parts.val),
    te = subset(plan.data, split.test);
  if (!plan.standardize) return { train: tr, val: va, test: te, standardization: null };
  const s = fitStandardization(tr);
  return {
    train: applyStandardization(tr, s),
    val: applyStandardization(va, s),
    test: applyStandardization(te, s),
    standardization: s,
  };
}

/** Runs every (split, seed, head) cell of the plan (or plan.cells) in that order; returns their results. */
export function runCells(plan: CellPlan, onEvent?: (e: CellEvent) => void): RunResult[] {
  const results: RunResult[] = [];
  const total = plan.cells ? plan.cells.size : plan.splits.length * plan.heads.length * plan.seeds.length;
  let index = 0;
  const taskList: TaskInfo[] = layoutTasks(plan.heads[0]!.model.tasks);
  for (const split of plan.splits) {
    // with a given validation set the parts do not depend on the seed: build them once per split (GLUE's
    // training subset is 1.45 GB; one copy per seed left the garbage collector several to free)
    let shared: CellData | null = null;
    for (const seed of plan.seeds) {
      const heads = plan.heads.filter((h) => !plan.cells || plan.cells.has(cellKey(h.id, split.index, seed)));
      if (heads.length === 0) continue;
      const parts = split.val ? (shared ??= cellData(plan, split, seed)) : cellData(plan, split, seed);
      for (const head of heads) {
        index++;
        const key = cellKey(head.id, split.index, seed);
        const dir = cellDir(plan.runDir, head.id, split.index, seed);
        const resultPath = join(dir, "result.json");
        if (existsSync(resultPath)) {
          const r = readSealed<RunResult>(resultPath, plan.runId, key);
          results.push(r);
          onEvent?.({ type: "run-done", result: r, index, total, cached: true });
          continue;
        }
        const ckpt = join(dir, "checkpoint.json");
        onEvent?.({
          type: "run-start",
          head: head.id,
          fold: split.index,
          seed,
          index,
          total,
          resumed: existsSync(ckpt),
        });
        const model = buildModel(head.model, new Rng(seed).fork(`model/${head.id}`), {
          threads: plan.threads ?? 1,
        });
        try {
          const res = train(model, parts.train, parts.val, head.train, {
            seed: seed * 1000 + split.index,
            checkpointPath: ckpt,
            checkpointEveryEpoch: plan.checkpointEveryEpoch === true,
            metrics: plan.metrics,
            onEvent: (event) => onEvent?.({ type: "train", head: head.id, fold: split.index, seed, event }),
          });
          const tt = performance.now();
          const test = plan.metrics(taskList, predictLogits(model, parts.test), model.nOutputs, parts.test);
          const testSeconds = (performance.now() - tt) / 1000;
          const tw = performance.now();
          const write = (file: string, doWrite: () => void): void => {
            onEvent?.({ type: "write", file: join(dir, file) });
            doWrite();
          };
          write("best-model.json", () =>
            saveModelFile(
              join(dir, "best-model.json"),
              savedModel(model, parts.standardization, {
                head: head.id,
                split: split.index,
                seed,
                bestEpoch: res.bestEpoch,
              }),
            ),
          );
          write("history.json", () => writeJsonAtomic(join(dir, "history.json"), res.history));
          const writeSeconds = (performance.now() - tw) / 1000;
          const result: RunResult = {
            head: head.id,
            fold: split.index,
            seed,
            bestEpoch: res.bestEpoch,
            valScore: res.bestScore,
            seconds: res.history.reduce((a, h) => a + h.seconds, 0),
            simSeconds: res.simSeconds,
            epochs: res.history.length,
            test,
            phases: { ...res.phases, test: testSeconds, io: res.checkpointSeconds + writeSeconds },
          };
          write("result.json", () => writeJsonAtomic(resultPath, seal(result, plan.runId, key)));
          results.push(result);
          onEvent?.({ type: "run-done", result, index, total, cached: false });
        } finally {
          // worker threads (if any) end in the background; they are unref'd, so they never hold the process
          model.close().catch(() => {});
        }
      }
    }
  }
  return results;
}
