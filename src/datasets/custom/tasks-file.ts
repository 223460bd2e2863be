/**
 * The tasks file of the custom suite: which column holds each task's labels,
 * its kind and classes, which columns are features, and how to split.
 *
 *   id: row_id                  # optional: a column of unique row ids
 *   features: [x1, x2, x3]      # optional: default every column not used below
 *   tasks:
 *     - { name: mood, column: mood, kind: multiclass, classes: [sad, neutral, happy] }
 *     - { name: spam, column: is_spam, kind: binary, classes: ["no", "yes"] }   # the second class is positive
 *     - { name: score, column: score, kind: regression, qubits: 1 }
 *   split: { column: split }     # rows marked train / val / test; or { kfold: 5 }; or { holdout: 0.2 }
 */
import { z } from "zod";
import { readConfigFile, parseWithSchema } from "../../experiments/config.ts";

const task = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, '_', '.' or '-'"),
    column: z.string().min(1),
    kind: z.enum(["binary", "multiclass", "regression"]),
    /** label values in class order (binary: negative, positive); default: the sorted distinct values */
    classes: z.array(z.string().min(1)).min(2).optional(),
    /** QMTL sub-register size; default from the readout rule */
    qubits: z.number().int().min(1).max(12).optional(),
  })
  .strict();

const split = z.union([
  z.object({ column: z.string().min(1) }).strict(),
  z.object({ kfold: z.number().int().min(2).max(20) }).strict(),
  z.object({ holdout: z.number().gt(0).lt(0.9) }).strict(),
]);

export const tasksFileSchema = z
  .object({
    id: z.string().min(1).optional(),
    features: z.array(z.string().min(1)).min(1).optional(),
    tasks: z
      .array(task)
      .min(1)
      .max(32)
      .refine((ts) => new Set(ts.map((t) => t.name)).size === ts.length, "distinct task names"),
    split,
  })
  .strict();

export type TasksFile = z.infer<typeof tasksFileSchema>;
export type TaskEntry = TasksFile["tasks"][number];

export function readTasksFile(path: string): TasksFile {
  return parseWithSchema(
    tasksFileSchema,
    readConfigFile(path, "--tasks"),
    path,
    "a tasks file (tasks, split; see qmtl run custom --help)",
  );
}
