import { Rng } from "../../src/core/rng.ts";
import { MISSING, type MultiTaskData } from "../../src/training/dataset.ts";
import type { TaskDef } from "../../src/models/task-info.ts";

export const SYNTH_TASKS: TaskDef[] = [
  { name: "bin", kind: "binary" },
  { name: "tri", kind: "multiclass", numClasses: 3 },
  { name: "reg", kind: "regression" },
];

/**
 * A small multi-task problem with shared structure: features x ~ N(0, 1)^D;
 * bin = [x0 + x1 > 0]; tri = which of (x2, x3, -x2-x3) is largest;
 * reg = tanh(x0 - x2)/2 + 0.5; about 15% of each task's labels missing.
 */
export function syntheticData(n: number, D: number, seed: number): MultiTaskData {
  const rng = new Rng(seed);
  const features = Float64Array.from({ length: n * D }, () => rng.normal());
  const bin = new Float64Array(n),
    tri = new Float64Array(n),
    reg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = features.subarray(i * D, (i + 1) * D);
    bin[i] = x[0]! + x[1]! > 0 ? 1 : 0;
    const s = [x[2]!, x[3]!, -x[2]! - x[3]!];
    tri[i] = s.indexOf(Math.max(...s));
    reg[i] = Math.tanh(x[0]! - x[2]!) / 2 + 0.5;
    if (rng.uniform() < 0.15) bin[i] = MISSING;
    if (rng.uniform() < 0.15) tri[i] = MISSING;
    if (rng.uniform() < 0.15) reg[i] = Number.NaN;
  }
  return { n, dim: D, features, labels: [bin, tri, reg] };
}
