import { QmtlError, ValidationError } from "../core/errors.ts";
import { Rng } from "../core/rng.ts";
import type { MultiTaskModel } from "../models/build-model.ts";
import { stateDict, loadStateDict } from "../nn/state-dict.ts";
import { zeroGrads } from "../nn/param.ts";
import { gatherBatch, validateData, type MultiTaskData } from "./dataset.ts";
import { epochSchedule } from "./protocols.ts";
import { checkLossFits, multiTaskObjective, nonFiniteTask, resolveClassWeights } from "./objective.ts";
import { Adam, AdamW } from "./optim/adam.ts";
import { clipGradNorm } from "./optim/clip.ts";
import { ReduceLROnPlateau } from "./optim/plateau.ts";
import { EarlyStopping } from "./early-stopping.ts";
import { predictLogits, taskMetrics, type TaskMetrics } from "./evaluate.ts";
import { sumFields } from "./summary.ts";
import {
  loadCheckpoint,
  saveCheckpoint,
  type EpochRecord,
  type TrainCheckpoint,
  type TrainPhases,
} from "./checkpoint.ts";
import {
  selectionScore,
  validateTrainConfig,
  validatesAtEpochEnd,
  validatesAtUpdate,
  type TrainConfig,
} from "./train-config.ts";

export {
  checkValidationInterval,
  selectionScore,
  validateTrainConfig,
  type TrainConfig,
  type ValidationInterval,
} from "./train-config.ts";

/** Progress of `train`, per epoch (through `onEvent`). */
export type TrainEvent =
  | {
      type: "epoch";
      epoch: number;
      epochs: number;
      trainLoss: number;
      /** null: this epoch ended without a validation (validateEvery: { epochs: n > 1 }) */
      valScore: number | null;
      lr: number;
      best: boolean;
    }
  | { type: "batch"; epoch: number; done: number; total: number; loss: number };

/** What `train` returns: the selected epoch and its validation score, per-epoch history and timings. */
export interface TrainResult {
  readonly bestEpoch: number;
  readonly bestScore: number;
  readonly history: readonly EpochRecord[];
  readonly simSeconds: number;
  readonly seconds: number;
  /** the epochs' phases summed (epochs recorded before phases existed count as `classical`) */
  readonly phases: TrainPhases;
  /** seconds this call spent writing checkpoints (I/O; not part of the epochs' seconds) */
  readonly checkpointSeconds: number;
}

/** Options of `train`: the seed, a resumable checkpoint file, an event callback. */
export interface TrainOptions {
  readonly seed: number;
  /** file for the resumable checkpoint; without it nothing is written */
  readonly checkpointPath?: string;
  /**
   * write the checkpoint after every epoch instead of spacing writes by their cost (checkpointDue): for
   * crash tests that kill a run at a known epoch, or runs whose epochs are long anyway
   */
  readonly checkpointEveryEpoch?: boolean;
  readonly onEvent?: (e: TrainEvent) => void;
  /** validation metrics (default taskMetrics); a suite with its own evaluation rule selects checkpoints by it */
  readonly metrics?: (
    tasks: MultiTaskModel["tasks"],
    logits: Float64Array,
    nOutputs: number,
    data: MultiTaskData,
  ) => TaskMetrics;
}

/** Training stopped because a number it needs (the loss, a gradient, the validation score) is not finite. */
export class NonFiniteTrainingError extends QmtlError {
  constructor(message: string) {
    super(message);
    this.name = "NonFiniteTrainingError";
  }
}

/**
 * Trains a multi-task model and leaves it holding the best checkpoint's
 * weights (restore-best). After epochs (see checkpointDue) the full training state is
 * written atomically to `checkpointPath`; calling train again with the same
 * arguments continues from it and reaches the same result as an uninterrupted
 * run with the same seed.
 */
export function train(
  model: MultiTaskModel,
  trainData: MultiTaskData,
  valData: MultiTaskData,
  cfg: TrainConfig,
  opts: TrainOptions,
): TrainResult {
  validateTrainConfig(
    cfg,
    model.tasks.map((t) => t.name),
  );
  validateData(trainData, model.tasks, "train data");
  validateData(valData, model.tasks, "validation data");
  if (cfg.losses.length !== model.tasks.length)
    throw new ValidationError("train.losses", `one loss per task (${model.tasks.length})`, cfg.losses.length);
  model.tasks.forEach((t, k) => checkLossFits(t, cfg.losses[k]!, `train.losses[${t.name}]`));
  const params = model.net.params();
  const opt =
    cfg.optimizer.kind === "adamw"
      ? new AdamW(params, { lr: cfg.optimizer.lr, weightDecay: cfg.optimizer.weightDecay ?? 0.01 })
      : new Adam(params, { lr: cfg.optimizer.lr, weightDecay: cfg.optimizer.weightDecay ?? 0 });
  const sched = cfg.scheduler ? new ReduceLROnPlateau(opt, { mode: "max", ...cfg.scheduler }) : null;
  const early = new EarlyStopping({
    patience: cfg.earlyStopping?.patience ?? Number.MAX_SAFE_INTEGER,
    mode: "max",
  });
  const rng = new Rng(opts.seed).fork("train");
  let epoch = 0,
    updates = 0;
  let history: EpochRecord[] = [];
  let best: TrainCheckpoint["best"] = { score: null, epoch: null, model: null };
  let stopped = false;
  const resumed = opts.checkpointPath ? loadCheckpoint(opts.checkpointPath) : null;
  if (resumed) {
    loadStateDict(model.net, resumed.model);
    opt.loadState(resumed.optimizer);
    if (sched && resumed.scheduler) sched.loadState(resumed.scheduler);
    early.loadState(resumed.early);
    rng.setState(resumed.rng);
    ({ epoch, updates, history, best, stopped } = resumed);
    history = [...history];
  }
  const t0 = performance.now();
  const simMs = (): number => model.circuits.reduce((a, c) => a + c.simMs, 0);
  const every = cfg.validateEvery;
  // Eq. 23's class weights, where asked for, from the labels of the rows this run trains on
  const losses = resolveClassWeights(model.tasks, cfg.losses, trainData);
  let evalMs = 0,
    evalSimMs = 0,
    optMs = 0,
    ckptMs = 0;
  let lastWrite: LastWrite | null = null;
  /** one validation check: scheduler, early stopping, restore-best bookkeeping */
  const validate = (atEpoch: number): { score: number; improved: boolean; val: TaskMetrics } => {
    const tv = performance.now(),
      sv = simMs();
    try {
      return validateNow(atEpoch);
    } finally {
      evalMs += performance.now() - tv;
      evalSimMs += simMs() - sv;
    }
  };
  const validateNow = (atEpoch: number): { score: number; improved: boolean; val: TaskMetrics } => {
    const logits = predictLogits(model, valData);
    const badAt = logits.findIndex((x) => !Number.isFinite(x));
    if (badAt >= 0) {
      const task = model.tasks.find(
        (t) =>
          badAt % model.nOutputs >= t.outputOffset && badAt % model.nOutputs < t.outputOffset + t.nOutputs,
      );
      throw new NonFiniteTrainingError(
        `training stopped: the model's validation outputs are not finite at epoch ${atEpoch}, task ${task?.name ?? "?"}; ` +
          "check the scale of the features, or lower the learning rate",
      );
    }
    const val = (opts.metrics ?? taskMetrics)(model.tasks, logits, model.nOutputs, valData);
    const score = selectionScore(cfg.selection, val);

    sched?.step(score);
    const decision = early.step(score, atEpoch);
    if (decision.improved) best = { score, epoch: atEpoch, model: stateDict(model.net) };
    stopped = decision.shouldStop;
    return { score, improved: decision.improved, val };
  };
  while (!stopped && epoch < cfg.epochs) {
    const te = performance.now();
    const sim0 = simMs();
    const [eval0, evalSim0, opt0] = [evalMs, evalSimMs, optMs];
    const schedule = epochSchedule(cfg.protocol, trainData, model.tasks, cfg.batchSize, rng);
    let lossSum = 0,
      count = 0;
    const taskLoss = model.tasks.map(() => 0);
    let last: ReturnType<typeof validate> | null = null;
    for (let i = 0; i < schedule.length && !stopped; i++) {
      const sb = schedule[i]!;
      const batch = gatherBatch(trainData, sb.rows, sb.task);
      zeroGrads(params);
      const logits = model.net.forward(batch.features, batch.size, { training: true, rng });
      const obj = multiTaskObjective(
        model.tasks,
        losses,
        logits,
        batch.size,
        model.nOutputs,
        batch.labels,
        batch.task,
      );
      const bad = nonFiniteTask(model.tasks, obj);
      if (bad !== null) {
        throw new NonFiniteTrainingError(
          `training stopped: the loss is not finite (${obj.loss}) at epoch ${epoch + 1}, batch ${i + 1} of ${schedule.length}, task ${bad}; ` +
            "check the scale of the features and targets, or lower the learning rate",
        );
      }
      model.net.backward(obj.grad, false); // features are frozen: no input gradient
      const to = performance.now();
      if (cfg.clipNorm) clipGradNorm(params, cfg.clipNorm);
      opt.step();
      optMs += performance.now() - to;
      updates++;
      lossSum += obj.loss * batch.size;
      count += batch.size;
      obj.parts.forEach((p, k) => {
        taskLoss[k]! += p * batch.size;
      });
      opts.onEvent?.({
        type: "batch",
        epoch: epoch + 1,
        done: i + 1,
        total: schedule.length,
        loss: obj.loss,
      });
      // periodic validation every N updates (the paper's GLUE protocol), credited to the epoch in progress
      if (validatesAtUpdate(every, updates)) last = validate(epoch + 1);
    }
    epoch++;
    if (validatesAtEpochEnd(every, epoch, cfg.epochs, last !== null)) last = validate(epoch);
    const score = last?.score ?? null;
    const val = last?.val ?? null;
    const seconds = (performance.now() - te) / 1000;
    const simulator = (simMs() - sim0 - (evalSimMs - evalSim0)) / 1000;
    const evaluation = (evalMs - eval0) / 1000;
    const optimizer = (optMs - opt0) / 1000;
    const rec: EpochRecord = {
      epoch,
      trainLoss: count ? lossSum / count : 0,
      taskLosses: Object.fromEntries(model.tasks.map((t, k) => [t.name, count ? taskLoss[k]! / count : 0])),
      valScore: score,
      lr: opt.lr,
      seconds,
      simSeconds: (simMs() - sim0) / 1000,
      phases: {
        simulator,
        classical: Math.max(0, seconds - simulator - evaluation - optimizer),
        optimizer,
        evaluation,
      },
      val,
    };
    history.push(rec);
    opts.onEvent?.({
      type: "epoch",
      epoch,
      epochs: cfg.epochs,
      trainLoss: rec.trainLoss,
      valScore: score,
      lr: opt.lr,
      best: last?.improved ?? false,
    });
    const final = stopped || epoch >= cfg.epochs;
    const due = final || opts.checkpointEveryEpoch === true || checkpointDue(lastWrite, performance.now());
    if (opts.checkpointPath && due) {
      const tc = performance.now();
      saveCheckpoint(opts.checkpointPath, {
        version: 2,
        epoch,
        updates,
        model: stateDict(model.net),
        optimizer: opt.state(),
        scheduler: sched ? sched.state() : null,
        early: early.state(),
        rng: rng.getState(),
        best,
        history,
        stopped,
      });
      const end = performance.now();
      ckptMs += end - tc;
      lastWrite = { end, ms: end - tc };
    }
  }
  if (best.model) loadStateDict(model.net, best.model);
  return {
    bestEpoch: best.epoch ?? epoch,
    bestScore: best.score ?? Number.NaN,
    history,
    simSeconds: history.reduce((a, h) => a + h.simSeconds, 0),
    seconds: (performance.now() - t0) / 1000,
    phases: sumPhases(history),
    checkpointSeconds: ckptMs / 1000,
  };
}

/** When the last checkpoint write ended and how long it took (performance.now() milliseconds). */
export interface LastWrite {
  readonly end: number;
  readonly ms: number;
}

/**
 * Checkpoints are written after the first epoch, after the last one (or an early stop), and in between
 * once the epochs since the last write took at least CHECKPOINT_SPACING times that write: writing then
 * costs at most ~1/(1 + CHECKPOINT_SPACING) of training time, and a killed run loses at most that many
 * write-times of work (MUStARD QMTL: a ~40 ms write against ~150 ms epochs, so every 3rd epoch, ~0.4 s).
 * A resumed run replays the epochs after its checkpoint with the same random state, so where the writes
 * fall (which depends on timing) never changes a result.
 */
const CHECKPOINT_SPACING = 9;

export function checkpointDue(last: LastWrite | null, now: number): boolean {
  return last === null || now - last.end >= CHECKPOINT_SPACING * last.ms;
}

function sumPhases(history: readonly EpochRecord[]): TrainPhases {
  const phases = history.map(
    (h) => h.phases ?? { simulator: 0, classical: h.seconds, optimizer: 0, evaluation: 0 },
  );
  return sumFields(["simulator", "classical", "optimizer", "evaluation"], phases);
}
