/**
 * Loading the custom suite's inputs: a table (or a feature file plus a label
 * table), the tasks file's columns turned into labels, and the split. Every
 * problem names the file, the row (as a 1-based data line, header = line 1)
 * and the column.
 */
import { basename } from "node:path";
import { ValidationError } from "../../core/errors.ts";
import { sha256File } from "../../core/hash.ts";
import { Rng } from "../../core/rng.ts";
import { loadFeatureFile } from "../../data/feature-file.ts";
import { stratifiedHoldout, stratifiedKFold } from "../../data/splits.ts";
import { columnIndex, readTable, type Table } from "../../data/table.ts";
import type { SuiteInputs, SuiteSplit } from "../../experiments/suite.ts";
import type { TaskDef } from "../../models/task-info.ts";
import { MISSING } from "../../training/dataset.ts";
import type { CustomConfig } from "./config.ts";
import { readTasksFile, type TaskEntry, type TasksFile } from "./tasks-file.ts";

const line = (r: number): number => r + 2; // data row r sits on line r + 2 (the header is line 1)

function labelsOf(table: Table, t: TaskEntry, field: string): { values: Float64Array; classNames: string[] } {
  const j = columnIndex(table, t.column, `${field}.column`);
  const cells = table.rows.map((row) => row[j]!);
  if (t.kind === "regression") {
    const values = Float64Array.from(cells, (c, r) => {
      if (c === "") return NaN;
      const v = Number(c);
      if (!Number.isFinite(v))
        throw new ValidationError(
          `${table.path}: line ${line(r)}, column ${t.column}`,
          `a number for regression task ${t.name} (or an empty cell for a missing label)`,
          c,
        );
      return v;
    });
    return { values, classNames: [] };
  }
  const present = [...new Set(cells.filter((c) => c !== ""))];
  const classes =
    t.classes ??
    present.sort((a, b) =>
      Number.isFinite(Number(a)) && Number.isFinite(Number(b)) ? Number(a) - Number(b) : a < b ? -1 : 1,
    );
  const expected = t.kind === "binary" ? 2 : undefined;
  if (expected !== undefined && classes.length !== expected) {
    throw new ValidationError(
      `${field}.classes`,
      `exactly 2 classes for binary task ${t.name} (found ${classes.length}: ${classes.slice(0, 6).join(", ")})`,
    );
  }
  if (classes.length < 2)
    throw new ValidationError(`${field}`, `at least 2 classes in column ${t.column}`, classes.length);
  if (classes.length > 1024)
    throw new ValidationError(`${field}.classes`, "at most 1024 classes", classes.length);
  const index = new Map(classes.map((c, k) => [c, k]));
  const values = Float64Array.from(cells, (c, r) => {
    if (c === "") return MISSING;
    const k = index.get(c);
    if (k === undefined)
      throw new ValidationError(
        `${table.path}: line ${line(r)}, column ${t.column}`,
        `one of the declared classes of task ${t.name} (${classes.join(", ")})`,
        c,
      );
    return k;
  });
  return { values, classNames: classes };
}

function featureColumns(table: Table, tf: TasksFile): number[] {
  if (tf.features) return tf.features.map((c, k) => columnIndex(table, c, `tasks file: features[${k}]`));
  const used = new Set(
    [tf.id, ...tf.tasks.map((t) => t.column), "column" in tf.split ? tf.split.column : undefined].filter(
      (c) => c !== undefined,
    ),
  );
  const cols = table.columns.map((_, j) => j).filter((j) => !used.has(table.columns[j]!));
  if (cols.length === 0)
    throw new ValidationError(
      "tasks file: features",
      `feature columns in ${table.path} (every column is used for ids, labels or the split)`,
    );
  return cols;
}

function tableFeatures(table: Table, cols: readonly number[]): Float64Array {
  const out = new Float64Array(table.rows.length * cols.length);
  table.rows.forEach((row, r) =>
    cols.forEach((j, k) => {
      const c = row[j]!;
      const v = c === "" ? NaN : Number(c);
      if (!Number.isFinite(v))
        throw new ValidationError(
          `${table.path}: line ${line(r)}, column ${table.columns[j]}`,
          "a finite number (a feature column; list the feature columns under features: in the tasks file)",
          c,
        );
      out[r * cols.length + k] = v;
    }),
  );
  return out;
}

function makeSplits(cfg: CustomConfig, tf: TasksFile, table: Table, strat: Float64Array): SuiteSplit[] {
  const n = table.rows.length;
  const rng = new Rng(cfg.splitSeed);
  const all = Array.from({ length: n }, (_, i) => i);
  const valOf = (train: readonly number[], k: number) =>
    stratifiedHoldout(train, strat, cfg.valFraction, rng.fork(`val/${k}`));
  const check = (s: SuiteSplit): SuiteSplit => {
    for (const [part, rows] of [
      ["train", s.train],
      ["test", s.test],
      ["val", s.val ?? [1, 1]],
    ] as const) {
      if (rows.length < 2)
        throw new ValidationError(
          `tasks file: split (split ${s.index}, ${part})`,
          `at least 2 rows in the ${part} part`,
          rows.length,
        );
    }
    return s;
  };
  const sp = tf.split;
  if ("column" in sp) {
    const j = columnIndex(table, sp.column, "tasks file: split.column");
    const parts: Record<string, number[]> = { train: [], val: [], test: [] };
    table.rows.forEach((row, r) => {
      const v = row[j]!.toLowerCase();
      if (!(v in parts))
        throw new ValidationError(
          `${table.path}: line ${line(r)}, column ${sp.column}`,
          "train, val or test",
          row[j],
        );
      parts[v]!.push(r);
    });
    const val = parts["val"]!.length > 0 ? parts["val"]! : undefined;
    const base = { index: 0, train: parts["train"]!, test: parts["test"]! };
    const s = val ? { ...base, val } : { ...base, ...valOf(parts["train"]!, 0) };
    if (parts["train"]!.length < 2 || parts["test"]!.length < 2) {
      throw new ValidationError(
        `tasks file: split.column ${sp.column}`,
        "at least 2 train and 2 test rows",
        `${parts["train"]!.length} train, ${parts["test"]!.length} test`,
      );
    }
    return [check(s)];
  }
  if ("kfold" in sp) {
    const folds = stratifiedKFold(strat, sp.kfold, rng.fork("kfold"));
    return (cfg.folds ?? folds.map((_, k) => k)).map((k) => {
      const f = folds[k];
      if (!f) throw new ValidationError("folds", `fold indices below kfold = ${sp.kfold}`, k);
      return check({ index: k, test: f.test, ...valOf(f.train, k) });
    });
  }
  const h = stratifiedHoldout(all, strat, sp.holdout, rng.fork("holdout"));
  return [check({ index: 0, test: h.val, ...valOf(h.train, 0) })];
}

/** Loads the custom suite's data, labels and splits. */
export function loadCustomInputs(cfg: CustomConfig): SuiteInputs & { taskEntries: readonly TaskEntry[] } {
  const tf = readTasksFile(cfg.tasks);
  const isTable = /\.(csv|tsv)$/i.test(cfg.data);
  const labelTable = readTable(isTable ? cfg.data : cfg.labels!, isTable ? "data" : "labels");
  const n = labelTable.rows.length;
  let features: Float64Array, dim: number, detail: string;
  const inputHashes: Record<string, string> = {
    data: sha256File(cfg.data, "data"),
    tasks: sha256File(cfg.tasks, "tasks"),
  };
  if (isTable) {
    const cols = featureColumns(labelTable, tf);
    features = tableFeatures(labelTable, cols);
    dim = cols.length;
    detail = `${dim} feature columns of ${basename(cfg.data)}`;
  } else {
    inputHashes["labels"] = sha256File(cfg.labels!, "labels");
    let ids: string[];
    if (tf.id) {
      const j = columnIndex(labelTable, tf.id, "tasks file: id");
      ids = labelTable.rows.map((row) => row[j]!);
      if (new Set(ids).size !== ids.length)
        throw new ValidationError(`${labelTable.path}: column ${tf.id}`, "unique row ids");
    } else {
      ids = labelTable.rows.map((_, r) => String(r));
    }
    const f = loadFeatureFile(cfg.data, { ids, key: cfg.dataKey });
    if (f.matrix.rows !== n)
      throw new ValidationError("data", `${n} feature rows, one per row of ${cfg.labels}`, f.matrix.rows);
    features = f.matrix.data;
    dim = f.matrix.cols;
    detail = `${dim} features from ${basename(cfg.data)}${f.key ? ` (array ${f.key})` : ""}`;
  }
  const labelled = tf.tasks.map((t, k) => labelsOf(labelTable, t, `tasks file: tasks[${k}]`));
  const tasks: TaskDef[] = tf.tasks.map((t, k) => ({
    name: t.name,
    kind: t.kind,
    numClasses: t.kind === "regression" ? undefined : labelled[k]!.classNames.length,
  }));
  const stratTask = tf.tasks.findIndex((t) => t.kind !== "regression");
  const strat = stratTask >= 0 ? labelled[stratTask]!.values : new Float64Array(n); // regression only: a plain seeded split
  const splits = makeSplits(cfg, tf, labelTable, strat);
  return {
    dataset: `custom (${basename(cfg.data)})`,
    data: { n, dim, features, labels: labelled.map((l) => l.values) },
    tasks,
    classNames: labelled.map((l) => l.classNames),
    splits,
    splitName:
      "column" in tf.split
        ? `column ${tf.split.column}`
        : "kfold" in tf.split
          ? `stratified ${tf.split.kfold}-fold`
          : `stratified hold-out ${tf.split.holdout}`,
    backbone: "table",
    backboneDetail: detail,
    inputHashes,
    taskEntries: tf.tasks,
  };
}
