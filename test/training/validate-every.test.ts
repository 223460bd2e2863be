/**
 * The trainer's validation interval ({ updates: n } or { epochs: n }) and the
 * class weights it computes from the rows it trains on ("inverse-frequency").
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { buildModel } from "../../src/models/build-model.ts";
import { subset, MISSING, type MultiTaskData } from "../../src/training/dataset.ts";
import { train, type TrainConfig } from "../../src/training/trainer.ts";
import { resolveClassWeights, type TaskLoss } from "../../src/training/objective.ts";
import { layoutTasks } from "../../src/models/task-info.ts";
import { SYNTH_TASKS, syntheticData } from "../helpers/synthetic.ts";

const spec = {
  head: "classical",
  inputDim: 6,
  latentDim: 6,
  tasks: SYNTH_TASKS,
  projection: { hidden: [], activation: "relu", dropout: 0, batchNorm: false },
} as const;

const base: TrainConfig = {
  epochs: 5,
  batchSize: 16,
  protocol: { kind: "masked" },
  losses: [
    { kind: "bce", weight: 1 },
    { kind: "ce", weight: 1 },
    { kind: "mse", weight: 1 },
  ],
  optimizer: { kind: "adam", lr: 0.01 },
  selection: { macro: { bin: "accuracy", tri: "accuracy" } },
};

const trainData = syntheticData(120, 6, 1);
const valData = syntheticData(60, 6, 2);

function run(cfg: TrainConfig, data: MultiTaskData = trainData): ReturnType<typeof train> {
  return train(buildModel(spec, new Rng(3)), data, valData, cfg, { seed: 4 });
}

describe("validation every n epochs", () => {
  it("validates after epochs 2 and 4 and after the last one (5); the others record no score", () => {
    const res = run({ ...base, validateEvery: { epochs: 2 } });
    expect(res.history.map((h) => h.valScore !== null)).toEqual([false, true, false, true, true]);
    expect(res.history.map((h) => h.val !== null)).toEqual([false, true, false, true, true]);
    expect([2, 4, 5]).toContain(res.bestEpoch);
  });

  it("{ epochs: 1 } is the default (every epoch), bit for bit", () => {
    const a = run(base);
    const b = run({ ...base, validateEvery: { epochs: 1 } });
    const strip = (r: ReturnType<typeof train>): unknown =>
      r.history.map(({ seconds: _s, simSeconds: _m, phases: _p, ...rest }) => rest);
    expect(strip(b)).toEqual(strip(a));
    expect(b.bestEpoch).toBe(a.bestEpoch);
    expect(b.bestScore).toBe(a.bestScore);
  });

  it("early stopping's patience counts validations, not epochs", () => {
    // lr so small that the weights never move: every validation ties the first, none improves
    const frozen = { ...base, epochs: 30, optimizer: { kind: "adam" as const, lr: 1e-300 } };
    const everyTwo = run({ ...frozen, validateEvery: { epochs: 2 }, earlyStopping: { patience: 2 } });
    expect(everyTwo.history.length).toBe(6); // checks at epochs 2 (best), 4, 6 -> stop
    expect(everyTwo.bestEpoch).toBe(2);
    const everyOne = run({ ...frozen, earlyStopping: { patience: 2 } });
    expect(everyOne.history.length).toBe(3);
  });

  it("refuses an empty, zero, negative, mixed or bare-number interval in one line", () => {
    const bad: unknown[] = [
      {},
      { epochs: 0 },
      { updates: -1 },
      { epochs: 1.5 },
      { epochs: 1, updates: 2 },
      3,
    ];
    for (const v of bad) {
      const cfg = { ...base, validateEvery: v as TrainConfig["validateEvery"] };
      let err: unknown;
      try {
        run(cfg);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(v)).toBeInstanceOf(ValidationError);
      const msg = (err as Error).message;
      expect(msg, JSON.stringify(v)).toMatch(/^train\.validateEvery/);
      expect(msg.includes("\n")).toBe(false);
    }
  });
});

describe('class weights "inverse-frequency" come from the training rows train() receives', () => {
  const tasks = layoutTasks(SYNTH_TASKS);
  const tri = 1;
  /** w_c = N / (K n_c) by a plain count (N: rows, labelled or not; absent class: 0) */
  const bruteForce = (labels: Float64Array): Float64Array => {
    const counts = [0, 1, 2].map((c) => labels.filter((y) => y === c).length);
    return Float64Array.from(counts, (n) => (n === 0 ? 0 : labels.length / (3 * n)));
  };

  // a "fold": the rows whose tri label is not 2, plus a few unlabelled ones, so its class counts differ
  const foldRows: number[] = [];
  for (let i = 0; i < trainData.n; i++) {
    const y = trainData.labels[tri]![i]!;
    if (y !== 2 || i % 10 === 0) foldRows.push(i);
  }
  const fold = subset(trainData, foldRows);

  it("resolveClassWeights gives the fold's N / (K n_c), masked labels not counted, an absent class 0", () => {
    const losses: TaskLoss[] = [
      { kind: "bce", weight: 1 },
      { kind: "focal", weight: 1, classWeights: "inverse-frequency" },
      { kind: "mse", weight: 1 },
    ];
    const got = resolveClassWeights(tasks, losses, fold)[tri]!.classWeights as Float64Array;
    expect(Array.from(got)).toEqual(Array.from(bruteForce(fold.labels[tri]!)));
    expect(Array.from(got)).not.toEqual(Array.from(bruteForce(trainData.labels[tri]!)));
    expect(fold.labels[tri]!.some((y) => y === MISSING)).toBe(true);
    // a fold without class 2 at all
    const no2 = subset(
      trainData,
      foldRows.filter((i) => trainData.labels[tri]![i] !== 2),
    );
    const w = resolveClassWeights(tasks, losses, no2)[tri]!.classWeights as Float64Array;
    expect(w[2]).toBe(0);
    expect(Number.isFinite(w[0]!) && w[0]! > 0 && Number.isFinite(w[1]!) && w[1]! > 0).toBe(true);
  });

  it("training with it equals training with the fold's explicit weights, and not the whole sample's", () => {
    const withLoss = (cw: TaskLoss["classWeights"]): TrainConfig => ({
      ...base,
      epochs: 3,
      losses: [
        { kind: "bce", weight: 1 },
        { kind: "focal", weight: 1, gamma: 2, alpha: 1, classWeights: cw },
        { kind: "mse", weight: 1 },
      ],
    });
    const auto = run(withLoss("inverse-frequency"), fold);
    const foldW = run(withLoss(bruteForce(fold.labels[tri]!)), fold);
    const wholeW = run(withLoss(bruteForce(trainData.labels[tri]!)), fold);
    expect(auto.history.map((h) => h.trainLoss)).toEqual(foldW.history.map((h) => h.trainLoss));
    expect(auto.history.map((h) => h.trainLoss)).not.toEqual(wholeW.history.map((h) => h.trainLoss));
  });

  it('refuses "inverse-frequency" on a task that is not multiclass', () => {
    const cfg: TrainConfig = {
      ...base,
      losses: [
        { kind: "bce", weight: 1, classWeights: "inverse-frequency" },
        { kind: "ce", weight: 1 },
        { kind: "mse", weight: 1 },
      ],
    };
    expect(() => run(cfg)).toThrow(/classWeights: expected class weights only for a multiclass task/);
  });
});
