import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { epochSchedule } from "../../src/training/protocols.ts";
import { isMissing } from "../../src/training/dataset.ts";
import { layoutTasks } from "../../src/models/task-info.ts";
import { buildModel } from "../../src/models/build-model.ts";
import { train } from "../../src/training/trainer.ts";
import { SYNTH_TASKS, syntheticData } from "../helpers/synthetic.ts";

const tasks = layoutTasks(SYNTH_TASKS);

describe("training protocols (paper Appendix C)", () => {
  const data = syntheticData(100, 6, 1);

  it("parallel: every row once per epoch, all tasks, no batch of one", () => {
    const s = epochSchedule({ kind: "parallel" }, data, tasks, 33, new Rng(1));
    expect(s.flatMap((b) => b.rows).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(s.every((b) => b.task === null && b.rows.length > 1)).toBe(true);
  });

  it("task-sampled: one task per batch, only rows labelled for it, at most batchCap batches per task", () => {
    const s = epochSchedule({ kind: "task-sampled", batchCap: 3 }, data, tasks, 10, new Rng(2));
    const perTask = [0, 0, 0];
    for (const b of s) {
      expect(b.task).not.toBeNull();
      perTask[b.task!]!++;
      for (const r of b.rows) expect(isMissing(tasks[b.task!]!, data.labels[b.task!]![r]!)).toBe(false);
    }
    expect(perTask).toEqual([3, 3, 3]);
  });

  it("task-sampled draws tasks in proportion to their remaining batches (not round robin)", () => {
    const s = epochSchedule({ kind: "task-sampled" }, data, tasks, 10, new Rng(3));
    const order = s.map((b) => b.task).join("");
    expect(order).not.toBe("012".repeat(order.length / 3));
    expect(s.length).toBe(
      tasks
        .map((_, k) =>
          Math.ceil(data.labels[k]!.filter((y, i) => !isMissing(tasks[k]!, y) && i >= 0).length / 10),
        )
        .reduce((a, b) => a + b, 0),
    );
  });

  it("task-sampled training with periodic validation learns and selects a checkpoint", () => {
    const spec = {
      head: "classical",
      inputDim: 6,
      latentDim: 6,
      tasks: SYNTH_TASKS,
      projection: { hidden: [], activation: "relu", dropout: 0, batchNorm: false },
    } as const;
    const model = buildModel(spec, new Rng(1));
    const res = train(
      model,
      syntheticData(200, 6, 1),
      syntheticData(80, 6, 2),
      {
        epochs: 6,
        batchSize: 16,
        protocol: { kind: "task-sampled", batchCap: 8 },
        losses: [
          { kind: "bce", weight: 1 },
          { kind: "ce", weight: 1 },
          { kind: "mse", weight: 1 },
        ],
        optimizer: { kind: "adamw", lr: 0.05, weightDecay: 0.01 },
        clipNorm: 1,
        scheduler: { factor: 0.2, patience: 2, minLr: 1e-7 },
        earlyStopping: { patience: 5 },
        selection: { macro: { bin: "accuracy", tri: "accuracy", reg: "spearman" } },
        validateEvery: { updates: 7 },
      },
      { seed: 1 },
    );
    expect(res.history.length).toBeGreaterThan(0);
    expect(res.bestScore).toBeGreaterThan(0.6);
  });
});
