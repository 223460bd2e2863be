import type { MustardConfig, HeadId } from "./config.ts";
import type { HeadPlan } from "../../experiments/suite.ts";
import type { ModelSpec } from "../../models/model-spec.ts";
import type { TaskDef } from "../../models/task-info.ts";
import type { TrainConfig } from "../../training/trainer.ts";
import type { TaskLoss } from "../../training/objective.ts";

const LABELS: Record<HeadId, string> = {
  qmtl: "QMTL (13 qubits)",
  classical: "Classical",
  "hqnn-4": "HQNN (4 qubits)",
  "hqnn-13": "HQNN (13 qubits)",
  "qmtl-noent": "QMTL, no encoder entanglement",
};

/**
 * The heads of the paper's MUStARD comparison (Appendix B.3, C.3): the same
 * projection Linear(D, 39) -> ReLU -> Linear(39, 39) into every head; QMTL on
 * Q = 13, L = 3 with logits straight from expectation values; classical
 * Linear(39, r_t) per task; HQNN with Linear(39, 3) into 4 or 13 qubits.
 * BCE for sarcasm, CE for the others, task weight 0.2 for QMTL and 1.0 for
 * the others, Adam, checkpoint on validation sarcasm F1.
 */
export function mustardHeadPlans(
  cfg: MustardConfig,
  tasks: readonly TaskDef[],
  inputDim: number,
): HeadPlan[] {
  return cfg.heads.map((id) => {
    const isQmtl = id === "qmtl" || id === "qmtl-noent";
    const weight = isQmtl ? cfg.taskWeights.qmtl : cfg.taskWeights.other;
    const base = { inputDim, latentDim: cfg.latentDim, tasks, projection: cfg.projection };
    let model: ModelSpec;
    if (isQmtl) {
      model = {
        ...base,
        head: "qmtl",
        qmtl: {
          encodingLayers: cfg.qmtl.encodingLayers,
          headLayers: cfg.qmtl.headLayers,
          encoderOrder: cfg.qmtl.encoderOrder,
          firstRotation: cfg.qmtl.firstRotation,
          entangle: id === "qmtl",
        },
      };
    } else if (id === "classical") {
      model = { ...base, head: "classical" };
    } else {
      model = {
        ...base,
        head: "hqnn",
        hqnn: {
          qubits: id === "hqnn-4" ? 4 : 13,
          repetitions: cfg.hqnnRepetitions,
          precision: cfg.hqnnPrecision,
        },
      };
    }
    const losses: TaskLoss[] = tasks.map((t) => ({
      kind: t.kind === "binary" ? "bce" : t.kind === "multiclass" ? "ce" : "mse",
      weight,
    }));
    const train: TrainConfig = {
      epochs: cfg.epochs,
      batchSize: cfg.batchSize,
      protocol: { kind: "parallel" },
      losses,
      optimizer: { kind: "adam", lr: cfg.lr },
      clipNorm: null,
      scheduler: null,
      earlyStopping: null,
      selection: { task: cfg.selection.task, metric: cfg.selection.metric },
      validateEvery: cfg.validateEvery,
    };
    return { id, label: LABELS[id], model, train };
  });
}
