/**
 * Wall time of one MUStARD training epoch per head, and the share of it spent
 * in the simulator: the paper's setup (1024-d features into Linear(D, 39) ->
 * ReLU -> Linear(39, 39), the head, batch 16, Adam) on 552 synthetic samples
 * with the five MUStARD tasks, one thread. The classical head is the in-run
 * reference: QMTL's time over the classical head's says what the quantum head
 * costs on top of the same training loop.
 */
import { Rng } from "../src/core/rng.ts";
import { buildModel } from "../src/models/build-model.ts";
import type { ModelSpec } from "../src/models/model-spec.ts";
import type { TaskDef } from "../src/models/task-info.ts";
import { train } from "../src/training/trainer.ts";
import type { MultiTaskData } from "../src/training/dataset.ts";

export interface EpochRow {
  head: string;
  epochSeconds: number;
  simSeconds: number;
  simShare: number;
  vsClassical: number;
}

const TASKS: TaskDef[] = [
  { name: "sarcasm", kind: "binary" },
  { name: "sentiment_implicit", kind: "multiclass", numClasses: 3 },
  { name: "sentiment_explicit", kind: "multiclass", numClasses: 3 },
  { name: "emotion_implicit", kind: "multiclass", numClasses: 9 },
  { name: "emotion_explicit", kind: "multiclass", numClasses: 9 },
];

function data(n: number, d: number, seed: number): MultiTaskData {
  const rng = new Rng(seed);
  return {
    n,
    dim: d,
    features: Float64Array.from({ length: n * d }, () => rng.normal()),
    labels: TASKS.map((t) =>
      Float64Array.from({ length: n }, () => rng.int(t.kind === "binary" ? 2 : t.numClasses!)),
    ),
  };
}

export function benchEpochs(epochs: number, log: (s: string) => void): EpochRow[] {
  const D = 1024;
  const trainData = data(552, D, 1),
    val = data(16, D, 2);
  const base = {
    inputDim: D,
    latentDim: 39,
    tasks: TASKS,
    projection: { hidden: [39], activation: "relu" as const, dropout: 0, batchNorm: false },
  };
  const heads: Array<[string, ModelSpec]> = [
    ["classical", { ...base, head: "classical" }],
    ["qmtl", { ...base, head: "qmtl", qmtl: { encodingLayers: 3, headLayers: 1 } }],
    ["hqnn-4", { ...base, head: "hqnn", hqnn: { qubits: 4 } }],
    ["hqnn-13", { ...base, head: "hqnn", hqnn: { qubits: 13 } }],
  ];
  const rows: EpochRow[] = [];
  for (const [id, spec] of heads) {
    const model = buildModel(spec, new Rng(3));
    const res = train(
      model,
      trainData,
      val,
      {
        epochs,
        batchSize: 16,
        protocol: { kind: "parallel" },
        losses: TASKS.map((t) => ({ kind: t.kind === "binary" ? "bce" : "ce", weight: 1 })),
        optimizer: { kind: "adam", lr: 1e-3 },
        selection: { task: "sarcasm", metric: "f1" },
      },
      { seed: 1 },
    );
    // best epoch of the run (the first one pays for JIT warm-up)
    const best = res.history.reduce((a, h) => (h.seconds < a.seconds ? h : a));
    const classical = rows[0]?.epochSeconds ?? best.seconds;
    const row = {
      head: id,
      epochSeconds: best.seconds,
      simSeconds: best.simSeconds,
      simShare: best.simSeconds / best.seconds,
      vsClassical: best.seconds / classical,
    };
    rows.push(row);
    log(
      `${id.padEnd(10)} ${row.epochSeconds.toFixed(3)} s/epoch, simulator ${(100 * row.simShare).toFixed(0)}%, ${row.vsClassical.toFixed(2)}x the classical head's epoch`,
    );
  }
  return rows;
}
