import type { HeadPlan } from "../../experiments/suite.ts";
import type { ModelSpec } from "../../models/model-spec.ts";
import type { TaskDef } from "../../models/task-info.ts";
import type { MultiTaskData } from "../../training/dataset.ts";
import { isMissing } from "../../training/dataset.ts";
import { layoutTasks } from "../../models/task-info.ts";
import type { TaskLoss } from "../../training/objective.ts";
import type { TrainConfig, ValidationInterval } from "../../training/trainer.ts";
import type { GlueConfig, GlueHeadId } from "./config.ts";
import { GLUE_TASKS, isGlueTaskName } from "./tasks.ts";

/**
 * The heads of the paper's GLUE comparison (Appendix B.1, C.1): the same
 * projection (MLP with tanh) from the pair features to d = Q * L into every
 * head, with Q = one qubit per binary or regression task and two for MNLI
 * (six embedded tasks: Q = 6, d = 18; all nine: Q = 10, d = 30). QMTL: L = 3,
 * L_h = 1, logits straight from expectation values, STS-B through the
 * learnable affine beta + gamma z (beta 0.5, gamma 1). Classical: Linear(d, r_t)
 * per task. HQNN: Linear(d, 3) into 4 or 10 qubits, then Linear(q, r_t) per task.
 * qmtl-noent (Section 6.2's ablation, not a default head): QMTL without the
 * encoder's CNOTs, the same parameters.
 */

/** The paper's updates per epoch with all nine tasks (official train sizes, batch 128, cap 300). */
export const PAPER_UPDATES_PER_EPOCH = 67 + 300 + 29 + 300 + 45 + 300 + 20 + 5 + 300;
export const PAPER_VALIDATE_EVERY = 2000;

/** Qubits of the QMTL register: 1 per binary or regression task, 2 for a 3-class task. */
export function glueQubits(tasks: readonly TaskDef[]): number {
  return tasks.reduce((a, t) => a + (t.kind === "multiclass" ? 2 : 1), 0);
}

/** Updates in one epoch of the task-sampled protocol: sum over tasks of min(cap, ceil(train rows / batch)). */
export function updatesPerEpoch(
  tasks: readonly TaskDef[],
  data: MultiTaskData,
  train: readonly number[],
  batchSize: number,
  cap: number,
): number {
  const infos = layoutTasks(tasks);
  return infos.reduce((sum, t, k) => {
    const y = data.labels[k]!;
    let n = 0;
    for (const i of train) if (!isMissing(t, y[i]!)) n++;
    return sum + Math.min(cap, Math.ceil(n / batchSize));
  }, 0);
}

/**
 * Validation interval: the paper validates every 2,000 updates with 1,366
 * updates per epoch (nine tasks), i.e. every 1.46 epochs; "auto" keeps that
 * ratio for the data present: N = round(2000 * updatesPerEpoch / 1366), at least 1.
 */
export function validateEveryFor(
  cfg: Pick<GlueConfig, "validateEvery">,
  updates: number,
): ValidationInterval {
  if (cfg.validateEvery !== "auto") return cfg.validateEvery;
  return { updates: Math.max(1, Math.round((PAPER_VALIDATE_EVERY * updates) / PAPER_UPDATES_PER_EPOCH)) };
}

/** The macro average the paper's selection uses: each task's primary metric. */
export function primaryMetrics(tasks: readonly TaskDef[]): Record<string, string> {
  return Object.fromEntries(
    tasks.map((t) => [t.name, isGlueTaskName(t.name) ? GLUE_TASKS[t.name].primary : "accuracy"]),
  );
}

const LABEL: Record<GlueHeadId, (q: number) => string> = {
  classical: () => "Classical",
  qmtl: (q) => `QMTL (${q} qubits)`,
  "hqnn-4": () => "HQNN (4 qubits)",
  "hqnn-10": () => "HQNN (10 qubits)",
  "qmtl-noent": (q) => `QMTL (${q} qubits), no encoder entanglement`,
};

export function glueHeadPlans(
  cfg: GlueConfig,
  tasks: readonly TaskDef[],
  data: MultiTaskData,
  train: readonly number[],
): HeadPlan[] {
  const Q = glueQubits(tasks);
  const d = Q * cfg.qmtl.encodingLayers;
  const every = validateEveryFor(cfg, updatesPerEpoch(tasks, data, train, cfg.batchSize, cfg.batchCap));
  const losses: TaskLoss[] = tasks.map((t) => ({
    kind: t.kind === "binary" ? "bce" : t.kind === "multiclass" ? "ce" : "mse",
    weight: 1,
  }));
  const train_: TrainConfig = {
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    protocol: { kind: "task-sampled", batchCap: cfg.batchCap },
    losses,
    optimizer: { kind: "adamw", lr: cfg.lr, weightDecay: cfg.weightDecay },
    clipNorm: cfg.clipNorm,
    scheduler: {
      factor: cfg.plateau.factor,
      minLr: cfg.plateau.minLr,
      patience: cfg.plateau.patience,
      mode: "max",
    },
    earlyStopping: { patience: cfg.earlyStoppingPatience },
    selection: { macro: primaryMetrics(tasks) },
    validateEvery: every,
  };
  const base = {
    inputDim: data.dim,
    latentDim: d,
    tasks,
    projection: {
      hidden: cfg.projectionHidden ?? [d],
      activation: "tanh" as const,
      dropout: 0,
      batchNorm: false,
    },
  };
  return cfg.heads.map((id) => {
    const head = id as GlueHeadId;
    let model: ModelSpec;
    if (head === "qmtl" || head === "qmtl-noent") {
      const regression = tasks.filter((t) => t.kind === "regression").map((t) => [t.name, "affine"] as const);
      model = {
        ...base,
        head: "qmtl",
        qmtl: {
          encodingLayers: cfg.qmtl.encodingLayers,
          headLayers: cfg.qmtl.headLayers,
          firstRotation: cfg.qmtl.firstRotation,
          entangle: head === "qmtl",
        },
        ...(regression.length > 0 && { outputTransforms: Object.fromEntries(regression) }),
      };
    } else if (head === "classical") {
      model = { ...base, head: "classical" };
    } else {
      model = {
        ...base,
        head: "hqnn",
        hqnn: {
          qubits: head === "hqnn-4" ? 4 : 10,
          repetitions: cfg.hqnnRepetitions,
          precision: cfg.hqnnPrecision,
        },
      };
    }
    return { id: head, label: LABEL[head](Q), model, train: train_ };
  });
}
