/**
 * Issue 18's goal 2 as a whole training cell: a QMTL model shaped like each suite's default (its
 * projection, head and batch size) trained on synthetic features with 1 and then 2 threads
 * (`buildModel(..., { threads })`, what `--threads 2` does), alternating rounds in one process. Reports
 * the median steady epoch (epochs after the second) and the whole cell (build + train + close) per
 * thread count, and their ratios. Synthetic rows keep it self-contained; the per-step work is the
 * suite's (same widths, tasks, batch), the number of rows per epoch is the suite's order of magnitude.
 *   npx tsx bench/train-cells.ts [mustard|chexpert|glue] [epochs] [rounds]
 */
import { Rng } from "../src/core/rng.ts";
import { PRESETS, type PresetName } from "../src/circuits/presets.ts";
import { resolveQmtl } from "../src/circuits/qmtl.ts";
import { buildModel } from "../src/models/build-model.ts";
import type { ModelSpec, ProjectionSpec } from "../src/models/model-spec.ts";
import type { TaskDef } from "../src/models/task-info.ts";
import type { MultiTaskData } from "../src/training/dataset.ts";
import { train } from "../src/training/trainer.ts";

interface CellShape {
  readonly inputDim: number;
  readonly batch: number;
  readonly rows: number;
  readonly projection: (d: number) => ProjectionSpec;
}

/** each suite's default projection and batch (datasets/<suite>/config.ts, heads.ts) */
const SHAPES: Record<PresetName, CellShape> = {
  mustard: {
    inputDim: 1024,
    batch: 16,
    rows: 552,
    projection: () => ({ hidden: [39], activation: "relu", dropout: 0, batchNorm: false }),
  },
  chexpert: {
    inputDim: 1024,
    batch: 32,
    rows: 1024,
    projection: () => ({ hidden: [128], activation: "relu", dropout: 0.2, batchNorm: true }),
  },
  glue: {
    inputDim: 512,
    batch: 128,
    rows: 2048,
    projection: (d) => ({ hidden: [d], activation: "tanh", dropout: 0, batchNorm: false }),
  },
};

export interface CellRow {
  readonly preset: PresetName;
  readonly batch: number;
  readonly epochs: number;
  /** median steady epoch (s) and whole cell (s), per thread count: medians over rounds */
  readonly epochSeconds: { readonly 1: number; readonly 2: number };
  readonly cellSeconds: { readonly 1: number; readonly 2: number };
  readonly epochSpeedup: number;
  readonly cellSpeedup: number;
}

function synthetic(tasks: readonly TaskDef[], n: number, d: number, seed: number): MultiTaskData {
  const rng = new Rng(seed);
  return {
    n,
    dim: d,
    features: Float64Array.from({ length: n * d }, () => rng.normal()),
    labels: tasks.map((t) =>
      Float64Array.from({ length: n }, () =>
        t.kind === "regression" ? rng.normal() : rng.int(t.kind === "binary" ? 2 : t.numClasses!),
      ),
    ),
  };
}

const median = (a: readonly number[]): number =>
  [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) / 2)]!;

export async function benchCell(preset: PresetName, epochs: number, rounds: number): Promise<CellRow> {
  const shape = SHAPES[preset];
  const q = PRESETS[preset];
  const tasks = q.tasks as readonly TaskDef[];
  const lay = resolveQmtl(q);
  const d = lay.Q * lay.L;
  const spec: ModelSpec = {
    inputDim: shape.inputDim,
    latentDim: d,
    tasks,
    head: "qmtl",
    qmtl: { encodingLayers: q.encodingLayers, headLayers: q.headLayers },
    projection: shape.projection(d),
  };
  const trainData = synthetic(tasks, shape.rows, shape.inputDim, 1);
  const val = synthetic(tasks, Math.round(shape.rows / 4), shape.inputDim, 2);
  const runs: Record<1 | 2, { epoch: number[]; cell: number[] }> = {
    1: { epoch: [], cell: [] },
    2: { epoch: [], cell: [] },
  };
  for (let r = 0; r < rounds; r++) {
    for (const threads of [1, 2] as const) {
      const t0 = performance.now();
      const model = buildModel(spec, new Rng(3), { threads });
      const res = train(
        model,
        trainData,
        val,
        {
          epochs,
          batchSize: shape.batch,
          protocol: { kind: "parallel" },
          losses: tasks.map((t) => ({
            kind: t.kind === "binary" ? "bce" : t.kind === "multiclass" ? "ce" : "mse",
            weight: 1,
          })),
          optimizer: { kind: "adam", lr: 1e-3 },
          selection: {
            task: tasks[0]!.name,
            metric: tasks[0]!.kind === "regression" ? "pearson" : "accuracy",
          },
        },
        { seed: 1 },
      );
      await model.close();
      runs[threads].cell.push((performance.now() - t0) / 1000);
      runs[threads].epoch.push(median(res.history.slice(2).map((h) => h.seconds)));
    }
  }
  const e1 = median(runs[1].epoch),
    e2 = median(runs[2].epoch),
    c1 = median(runs[1].cell),
    c2 = median(runs[2].cell);
  return {
    preset,
    batch: shape.batch,
    epochs,
    epochSeconds: { 1: e1, 2: e2 },
    cellSeconds: { 1: c1, 2: c2 },
    epochSpeedup: e1 / e2,
    cellSpeedup: c1 / c2,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const p = (process.argv[2] ?? "mustard") as PresetName;
  const r = await benchCell(p, Number(process.argv[3] ?? 12), Number(process.argv[4] ?? 2));
  console.log(JSON.stringify(r));
  process.exit(0);
}
