/**
 * The heads of the paper's CheXpert comparison (App. B.2, C.2; Fig. 6), each
 * behind the same trainable projection of the frozen CNN features (Linear,
 * batch norm, ReLU, dropout, Linear down to M = 30):
 *  - QMTL: Q = 10 qubits, L = 3 encoding layers, two qubits per task with one
 *    StronglyEntanglingLayer, logits {Z0, Z1, X0X1} times a learnable
 *    temperature per task;
 *  - classical: Linear(30, 3) per task;
 *  - HQNN: Linear(30, 3) into the 4- or 10-qubit circuit of Phukan et al.,
 *    a trainable output scale, then Linear(qubits, 3) per task;
 *  - qmtl-noent (Section 6.2's ablation, not a default head): QMTL without
 *    the encoder's CNOTs, the same parameters.
 * Training: masked multi-task class-weighted focal loss (gamma 2, alpha 1,
 * w_{c,t} = N / (K n_{c,t}) from each fold's training rows, computed by
 * `train`), Adam 1e-4, batch 32 (HQNN 128), up to 30 epochs, clipping 1.0,
 * early stopping on the validation mean F1 over tasks, checked every two
 * epochs (patience 5 checks).
 */
import type { HeadPlan } from "../../experiments/suite.ts";
import type { ModelSpec } from "../../models/model-spec.ts";
import type { TaskDef } from "../../models/task-info.ts";
import type { MultiTaskData } from "../../training/dataset.ts";
import type { TaskLoss } from "../../training/objective.ts";
import type { TrainConfig } from "../../training/trainer.ts";
import type { ChexpertConfig, ChexpertHeadId } from "./config.ts";

const LABELS: Record<ChexpertHeadId, string> = {
  qmtl: "QMTL (10 qubits)",
  classical: "Classical",
  "hqnn-4": "HQNN (4 qubits)",
  "hqnn-10": "HQNN (10 qubits)",
  "qmtl-noent": "QMTL (10 qubits), no encoder entanglement",
};

/**
 * The focal loss of every task. With `classWeights` on, Eq. 23's weights are
 * left to `train`, which computes them from the labels of the rows it trains
 * on: each fold's training part (its validation patients and test fold
 * excluded), blank (masked) labels not counted, a class absent there weighted 0.
 */
export function chexpertLosses(cfg: ChexpertConfig, tasks: readonly TaskDef[]): TaskLoss[] {
  return tasks.map(() => ({
    kind: "focal",
    weight: 1,
    gamma: cfg.focal.gamma,
    alpha: cfg.focal.alpha,
    ...(cfg.classWeights ? { classWeights: "inverse-frequency" as const } : {}),
  }));
}

export function chexpertHeadPlans(
  cfg: ChexpertConfig,
  tasks: readonly TaskDef[],
  data: MultiTaskData,
): HeadPlan[] {
  const losses = chexpertLosses(cfg, tasks);
  const projection = {
    hidden: cfg.projection.hidden,
    activation: "relu" as const,
    dropout: cfg.projection.dropout,
    batchNorm: cfg.projection.batchNorm,
  };
  return cfg.heads.map((raw) => {
    const id = raw as ChexpertHeadId;
    const base = { inputDim: data.dim, latentDim: cfg.latentDim, tasks, projection };
    let model: ModelSpec;
    if (id === "qmtl" || id === "qmtl-noent") {
      model = {
        ...base,
        head: "qmtl",
        qmtl: {
          encodingLayers: cfg.qmtl.encodingLayers,
          headLayers: cfg.qmtl.headLayers,
          firstRotation: cfg.qmtl.firstRotation,
          entangle: id === "qmtl",
          qubits: tasks.map(() => 2),
        },
        outputTransforms: Object.fromEntries(tasks.map((t) => [t.name, "temperature" as const])),
      };
    } else if (id === "classical") {
      model = { ...base, head: "classical" };
    } else {
      model = {
        ...base,
        head: "hqnn",
        hqnn: {
          qubits: id === "hqnn-4" ? 4 : 10,
          repetitions: cfg.hqnnRepetitions,
          precision: cfg.hqnnPrecision,
        },
      };
    }
    const train: TrainConfig = {
      epochs: cfg.epochs,
      batchSize: id.startsWith("hqnn") ? cfg.hqnnBatchSize : cfg.batchSize,
      protocol: { kind: "masked" },
      losses,
      optimizer: { kind: "adam", lr: cfg.lr },
      clipNorm: cfg.clipNorm,
      scheduler: null,
      earlyStopping: { patience: cfg.patience },
      selection: { macro: Object.fromEntries(tasks.map((t) => [t.name, "f1"])) },
      validateEvery: cfg.validateEvery,
    };
    return { id, label: LABELS[id], model, train };
  });
}
