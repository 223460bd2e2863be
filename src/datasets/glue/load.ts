/**
 * Reads GLUE tasks from the official TSV layout (`<dir>/<TASK>/{train,dev}.tsv`,
 * MNLI: `dev_matched.tsv` + `dev_mismatched.tsv`). Every file is split on tabs
 * only (no quote handling: GLUE's own loaders use QUOTE_NONE, and STS-B holds
 * unbalanced literal quotes); a UTF-8 byte-order mark (MRPC) is dropped; CR LF
 * line ends are accepted. A row that cannot be read is an error naming the
 * file, line and column, except QQP rows with too few columns, which are
 * skipped and counted as GLUE practice does (Hugging Face's QqpProcessor).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "../../core/errors.ts";
import { repoRoot } from "../../data/data-paths.ts";
import { GLUE_TASK_NAMES, GLUE_TASKS, type GlueTaskName, type GlueTaskSpec } from "./tasks.ts";

export interface GlueExample {
  /** first (or only) text, trimmed */
  readonly a: string;
  /** second text of a pair task, null for single-sentence tasks */
  readonly b: string | null;
  /** class index, or the regression target already divided by the task's scale */
  readonly label: number;
}

export interface GlueSplitData {
  readonly examples: readonly GlueExample[];
  /** rows skipped as GLUE practice does (QQP short rows), with their line numbers */
  readonly skipped: readonly { readonly file: string; readonly line: number }[];
}

export interface GlueTaskData {
  readonly spec: GlueTaskSpec;
  readonly train: GlueSplitData;
  readonly dev: GlueSplitData;
  /** sha256 of every file read, by `<TASK>/<file>` */
  readonly hashes: Readonly<Record<string, string>>;
}

/** `<repo>/data/glue`: the six embedded tasks. */
export function defaultGlueDir(): string {
  return join(repoRoot(), "data", "glue");
}

/** The tasks whose train and dev files are all present in `dir`, in the paper's order. */
export function glueTasksPresent(dir: string): GlueTaskName[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ValidationError("glue data", `a directory in the glue_data/<TASK>/{train,dev}.tsv layout`, dir);
  return GLUE_TASK_NAMES.filter((name) => {
    const spec = GLUE_TASKS[name];
    return [spec.trainFile, ...spec.devFiles].every((f) => existsSync(join(dir, name, f)));
  });
}

/** Loads the named tasks (default: every task present) from `dir`. */
export function loadGlue(dir: string = defaultGlueDir(), tasks?: readonly GlueTaskName[]): GlueTaskData[] {
  const names = tasks ?? glueTasksPresent(dir);
  if (names.length === 0)
    throw new ValidationError(
      "glue data",
      `at least one task folder with train and dev TSVs (${GLUE_TASK_NAMES.join(", ")})`,
      dir,
    );
  return names.map((name) => loadGlueTask(dir, name));
}

export function loadGlueTask(dir: string, name: GlueTaskName): GlueTaskData {
  const spec = GLUE_TASKS[name];
  const hashes: Record<string, string> = {};
  const read = (file: string): GlueSplitData => {
    const path = join(dir, name, file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new ValidationError(
        path,
        `the ${name} file ${file} of the GLUE layout`,
        e instanceof Error ? e.message : String(e),
      );
    }
    hashes[`${name}/${file}`] = createHash("sha256").update(bytes).digest("hex");
    return parseGlueTsv(spec, bytes.toString("utf8"), path);
  };
  const train = read(spec.trainFile);
  const devs = spec.devFiles.map(read);
  const dev: GlueSplitData = {
    examples: devs.flatMap((d) => d.examples),
    skipped: devs.flatMap((d) => d.skipped),
  };
  return { spec, train, dev, hashes };
}

/** Parses one GLUE TSV file's text; `path` names it in errors. */
export function parseGlueTsv(spec: GlueTaskSpec, text: string, path: string): GlueSplitData {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const rows = lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  let first = 0;
  let col: (c: string | number, what: string) => number = (c) => c as number;
  if (spec.header) {
    const head = rows[0]?.split("\t");
    if (head === undefined) throw new ValidationError(path, `a header line (${spec.name})`, "an empty file");
    col = (c, what) => {
      if (typeof c === "number") return c;
      const i = head.indexOf(c);
      if (i < 0)
        throw new ValidationError(
          `${path}:1`,
          `a header with a "${c}" column (${what} of ${spec.name})`,
          head.join(" | "),
        );
      return i;
    };
    first = 1;
  }
  const ia = col(spec.columns.a, "first text");
  const ib = spec.columns.b === null ? null : col(spec.columns.b, "second text");
  // MNLI's label is its last column (gold_label): train has 12 columns, dev 16
  const il = col(spec.columns.label, "label");
  const need = Math.max(ia, ib ?? 0, il) + 1;
  const examples: GlueExample[] = [];
  const skipped: { file: string; line: number }[] = [];
  for (let r = first; r < rows.length; r++) {
    const line = r + 1;
    const row = rows[r]!;
    if (row.length === 0)
      throw new ValidationError(
        `${path}:${line}`,
        `a ${spec.name} row (empty lines are not part of the GLUE layout)`,
        row,
      );
    const f = row.split("\t");
    if (f.length < need) {
      if (spec.skipShortRows) {
        skipped.push({ file: path, line });
        continue;
      }
      throw new ValidationError(
        `${path}:${line}:${f.length + 1}`,
        `${need} tab-separated columns in a ${spec.name} row`,
        `${f.length} columns`,
      );
    }
    const a = f[ia]!.trim();
    const b = ib === null ? null : f[ib]!.trim();
    examples.push({ a, b, label: parseLabel(spec, f[il]!, `${path}:${line}:${il + 1}`) });
  }
  return { examples, skipped };
}

function parseLabel(spec: GlueTaskSpec, raw: string, where: string): number {
  const s = raw.trim();
  if (spec.kind === "regression") {
    const x = s.length > 0 ? Number(s) : Number.NaN;
    if (!Number.isFinite(x) || x < 0 || x > spec.scale)
      throw new ValidationError(where, `a ${spec.name} score in [0, ${spec.scale}]`, raw);
    return x / spec.scale;
  }
  const k = spec.labelValues.indexOf(s);
  if (k < 0) throw new ValidationError(where, `a ${spec.name} label (${spec.labelValues.join(", ")})`, raw);
  return k;
}
