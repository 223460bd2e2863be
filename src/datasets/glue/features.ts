import { ValidationError } from "../../core/errors.ts";
import { requireAllocation } from "../../core/limits.ts";
import { MISSING, type MultiTaskData } from "../../training/dataset.ts";
import type { TaskDef } from "../../models/task-info.ts";
import type { GlueTaskData } from "./load.ts";

/**
 * The GLUE rows as one multi-task dataset: every train row of every task,
 * then every dev row, each labelled for its own task only (the others
 * missing: -100, NaN for STS-B), which is what task-sampled training needs.
 * Features follow the paper's Eq. 22 with sentence vectors s (dim h):
 * pair tasks [s1; s2; |s1 - s2|; s1 * s2] (4h); single-sentence tasks (CoLA,
 * SST-2) put s in the first block and zeros in the other three, so one
 * projection serves both kinds of input (the paper projects them "through a
 * similar MLP" and does not say whether it is shared).
 */

export interface GlueRows {
  readonly data: MultiTaskData;
  readonly tasks: TaskDef[];
  readonly classNames: string[][];
  readonly train: number[];
  readonly dev: number[];
  /** rows per task and split */
  readonly counts: Record<string, { train: number; dev: number }>;
}

/** Every text the tasks need embedded (pairs contribute both sides). */
export function glueTexts(tasks: readonly GlueTaskData[]): string[] {
  const out: string[] = [];
  for (const t of tasks)
    for (const s of [t.train, t.dev])
      for (const e of s.examples) {
        out.push(e.a);
        if (e.b !== null) out.push(e.b);
      }
  return out;
}

export function glueRows(
  tasks: readonly GlueTaskData[],
  vector: (text: string) => Float32Array,
  dim: number,
): GlueRows {
  const n = tasks.reduce((a, t) => a + t.train.examples.length + t.dev.examples.length, 0);
  const width = 4 * dim;
  // the engine copies the training rows once more: refuse what cannot fit twice rather than fail mid-run
  requireAllocation(
    "glue features",
    2 * n * width,
    8,
    `${n} rows x ${width} float64 features, and the training copy`,
  );
  const features = new Float64Array(n * width);
  const labels = tasks.map((t) =>
    new Float64Array(n).fill(t.spec.kind === "regression" ? Number.NaN : MISSING),
  );
  const train: number[] = [],
    dev: number[] = [];
  const counts: Record<string, { train: number; dev: number }> = {};
  let row = 0;
  for (const split of ["train", "dev"] as const) {
    tasks.forEach((t, k) => {
      for (const e of t[split].examples) {
        const o = row * width;
        const a = vector(e.a);
        if (a.length !== dim)
          throw new ValidationError(
            `glue features (${t.spec.name})`,
            `sentence vectors of size ${dim}`,
            a.length,
          );
        if (e.b === null) {
          for (let j = 0; j < dim; j++) features[o + j] = a[j]!;
        } else {
          const b = vector(e.b);
          for (let j = 0; j < dim; j++) {
            const x = a[j]!,
              y = b[j]!;
            features[o + j] = x;
            features[o + dim + j] = y;
            features[o + 2 * dim + j] = Math.abs(x - y);
            features[o + 3 * dim + j] = x * y;
          }
        }
        labels[k]![row] = e.label;
        (split === "train" ? train : dev).push(row);
        row++;
      }
      counts[t.spec.name] = {
        ...(counts[t.spec.name] ?? { train: 0, dev: 0 }),
        [split]: t[split].examples.length,
      };
    });
  }
  return {
    data: { n, dim: width, features, labels },
    tasks: tasks.map((t) => ({
      name: t.spec.name,
      kind: t.spec.kind,
      ...(t.spec.kind === "multiclass" && { numClasses: t.spec.numClasses }),
    })),
    classNames: tasks.map((t) => [...t.spec.classNames]),
    train,
    dev,
    counts,
  };
}
