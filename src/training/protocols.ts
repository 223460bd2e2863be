import type { Rng } from "../core/rng.ts";
import type { TaskInfo } from "../models/task-info.ts";
import { isMissing, type MultiTaskData } from "./dataset.ts";

/**
 * The three training protocols of the paper's Appendix C, as batch schedules
 * for one epoch. A schedule is a list of (rows, task) pairs; task = null means
 * the batch trains every task (with missing labels masked out of the loss).
 */
export type Protocol =
  | { readonly kind: "parallel" }
  | { readonly kind: "masked" }
  | { readonly kind: "task-sampled"; readonly batchCap?: number };

export interface ScheduledBatch {
  readonly rows: number[];
  readonly task: number | null;
}

/**
 * Parallel and masked: shuffle all rows, cut into batches; every task in every
 * batch. A trailing batch of one row joins the previous batch (batch
 * statistics of a single row are undefined, which BatchNorm cannot train on).
 */
function allTaskSchedule(n: number, batchSize: number, rng: Rng): ScheduledBatch[] {
  const perm = rng.permutation(n);
  const out: ScheduledBatch[] = [];
  for (let i = 0; i < n; i += batchSize) out.push({ rows: perm.slice(i, i + batchSize), task: null });
  if (out.length > 1 && out[out.length - 1]!.rows.length === 1)
    out[out.length - 2]!.rows.push(...out.pop()!.rows);
  return out;
}

/**
 * Task-sampled (GLUE): each task's labelled rows are shuffled and cut into
 * batches, capped at `batchCap` per task and epoch; at every update a task is
 * drawn with probability proportional to its remaining batches, and its next
 * batch is used.
 */
function taskSampledSchedule(
  data: MultiTaskData,
  tasks: readonly TaskInfo[],
  batchSize: number,
  rng: Rng,
  cap: number,
): ScheduledBatch[] {
  const queues: ScheduledBatch[][] = tasks.map((t, k) => {
    const rows: number[] = [];
    const y = data.labels[k]!;
    for (let i = 0; i < data.n; i++) if (!isMissing(t, y[i]!)) rows.push(i);
    rng.shuffle(rows);
    const batches: ScheduledBatch[] = [];
    for (let i = 0; i < rows.length && batches.length < cap; i += batchSize)
      batches.push({ rows: rows.slice(i, i + batchSize), task: k });
    return batches;
  });
  const out: ScheduledBatch[] = [];
  let remaining = queues.reduce((a, q) => a + q.length, 0);
  while (remaining > 0) {
    let u = rng.uniform() * remaining;
    let k = 0;
    while (u >= queues[k]!.length) {
      u -= queues[k]!.length;
      k++;
    }
    out.push(queues[k]!.shift()!);
    remaining--;
  }
  return out;
}

export function epochSchedule(
  protocol: Protocol,
  data: MultiTaskData,
  tasks: readonly TaskInfo[],
  batchSize: number,
  rng: Rng,
): ScheduledBatch[] {
  switch (protocol.kind) {
    case "parallel":
    case "masked":
      return allTaskSchedule(data.n, batchSize, rng);
    case "task-sampled":
      return taskSampledSchedule(data, tasks, batchSize, rng, protocol.batchCap ?? Number.POSITIVE_INFINITY);
  }
}
