/**
 * The custom suite: a user's own table and tasks (`qmtl run custom --data
 * table.csv --tasks tasks.yaml`), any of the heads, with the engine's folds,
 * seeds, resume and report.
 */
import { ValidationError } from "../../core/errors.ts";
import { defaultReadout } from "../../circuits/readout.ts";
import type { HeadPlan, Suite } from "../../experiments/suite.ts";
import type { ModelSpec } from "../../models/model-spec.ts";
import type { TaskDef } from "../../models/task-info.ts";
import type { TrainConfig } from "../../training/trainer.ts";
import { checkCustomConfig, CUSTOM_HEADS, customConfigSchema, type CustomConfig } from "./config.ts";
import { loadCustomInputs } from "./load.ts";
import { readTasksFile } from "./tasks-file.ts";

/** Q: the sum of the tasks' sub-register sizes (given, or the readout rule's). */
function qubitsOf(tasks: readonly TaskDef[], given: readonly (number | undefined)[]): number[] {
  return tasks.map(
    (t, k) => defaultReadout({ kind: t.kind, numClasses: t.numClasses ?? 2 }, given[k]).qubits,
  );
}

function customHeads(
  cfg: CustomConfig,
  inputs: { tasks: readonly TaskDef[]; data: { dim: number } },
  qubits: readonly (number | undefined)[],
): HeadPlan[] {
  const tasks = inputs.tasks;
  const sizes = qubitsOf(tasks, qubits);
  const Q = sizes.reduce((a, b) => a + b, 0);
  const d = cfg.latentDim ?? Q * cfg.qmtl.encodingLayers;
  if (cfg.heads.includes("qmtl") && d !== Q * cfg.qmtl.encodingLayers) {
    throw new ValidationError(
      "latentDim",
      `Q x encodingLayers = ${Q} x ${cfg.qmtl.encodingLayers} = ${Q * cfg.qmtl.encodingLayers} for the QMTL head (Q = ${sizes.join(" + ")})`,
      d,
    );
  }
  const sel = cfg.selection ?? {
    task: tasks[0]!.name,
    metric: tasks[0]!.kind === "regression" ? "pearson" : "accuracy",
  };
  if (!tasks.some((t) => t.name === sel.task))
    throw new ValidationError(
      "selection.task",
      `a task name (${tasks.map((t) => t.name).join(", ")})`,
      sel.task,
    );
  const train: TrainConfig = {
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    protocol: { kind: "masked" },
    losses: tasks.map((t) => ({
      kind: t.kind === "binary" ? "bce" : t.kind === "multiclass" ? "ce" : "mse",
      weight: 1,
    })),
    optimizer: { kind: "adam", lr: cfg.lr },
    clipNorm: 1,
    scheduler: null,
    earlyStopping: null,
    selection: sel,
    validateEvery: cfg.validateEvery,
  };
  const base = { inputDim: inputs.data.dim, latentDim: d, tasks, projection: cfg.projection };
  const transforms = Object.fromEntries(
    tasks.filter((t) => t.kind === "regression").map((t) => [t.name, "affine" as const]),
  );
  return cfg.heads.map((id) => {
    let model: ModelSpec, label: string;
    if (id === "qmtl") {
      model = { ...base, head: "qmtl", qmtl: { ...cfg.qmtl, qubits: sizes }, outputTransforms: transforms };
      label = `QMTL (${Q} qubits)`;
    } else if (id === "classical") {
      model = { ...base, head: "classical" };
      label = "Classical";
    } else {
      model = { ...base, head: "hqnn", hqnn: { qubits: cfg.hqnn.qubits, repetitions: cfg.hqnn.repetitions } };
      label = `HQNN (${cfg.hqnn.qubits} qubits)`;
    }
    return { id, label, model, train };
  });
}

export const customSuite: Suite<CustomConfig> = {
  name: "custom",
  title: "your own data",
  summary: "your own table and tasks: --data table.csv --tasks tasks.yaml (binary, k-class, regression)",
  schema: customConfigSchema,
  headIds: CUSTOM_HEADS,
  flags: [
    {
      flag: "--data <file>",
      description: "a CSV/TSV table, or a feature file (.npy, .npz, .json) with --labels",
      field: "data",
      parse: "path",
    },
    {
      flag: "--labels <file>",
      description: "a CSV/TSV of the task columns, one row per feature row (with a feature file)",
      field: "labels",
      parse: "path",
    },
    {
      flag: "--tasks <file>",
      description: "the tasks file (YAML/JSON): each task's column, kind, classes; the split",
      field: "tasks",
      parse: "path",
    },
    {
      flag: "--folds <list>",
      description: "k-fold splits: which folds to run (default all)",
      field: "folds",
      parse: "int-list",
    },
  ],
  check(cfg) {
    checkCustomConfig(cfg);
    const tf = readTasksFile(cfg.tasks);
    if (cfg.folds !== undefined && !("kfold" in tf.split))
      throw new ValidationError("folds", "a tasks file with split: { kfold: k }", cfg.folds);
  },
  splitIndices(cfg) {
    const tf = readTasksFile(cfg.tasks);
    return "kfold" in tf.split
      ? [...(cfg.folds ?? Array.from({ length: tf.split.kfold }, (_, k) => k))]
      : [0];
  },
  load: async (cfg) => loadCustomInputs(cfg),
  heads: (cfg, inputs) =>
    customHeads(
      cfg,
      inputs,
      readTasksFile(cfg.tasks).tasks.map((t) => t.qubits),
    ),
  differences: () => [],
  stratifyBy: (cfg) => cfg.selection?.task ?? readTasksFile(cfg.tasks).tasks[0]!.name,
};
