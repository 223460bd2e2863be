/**
 * Grid expansion: every cell of a sweep with a stable id (its axis labels in
 * axis order, e.g. `L-2_Lh-1_fold-0`), its full config (the base config with
 * the axis values applied, parsed by the suite's schema) and a rough cost for
 * longest-first scheduling. Every axis value and every cell is validated
 * before anything runs; an unknown field or a bad value is named.
 */
import type { z } from "zod";
import { ValidationError } from "../../core/errors.ts";
import {
  gridsOf,
  isReplicate,
  setPath,
  valueLabel,
  type AxisSpec,
  type AxisValue,
  type LoadedSweep,
} from "./sweep-config.ts";

/** What the sweep needs to know of a suite: its name and config schema (and optional whole-config checks). */
export interface SweepSuite {
  readonly name: string;
  readonly schema: z.ZodType;
  /** checks needing the whole config; throws a ValidationError naming the field */
  check?(cfg: Record<string, unknown>): void;
  /** the splits a config selects (for cost estimates); default: the length of a `folds` field, else 1 */
  splitIndices?(cfg: Record<string, unknown>): number[];
}

export interface SweepCell {
  /** stable id: `<axis>-<label>` joined by "_" in axis order */
  readonly id: string;
  /** the grid(s) it came from (indices into gridsOf(config)) */
  readonly grids: number[];
  /** axis name -> the value set */
  readonly values: Readonly<Record<string, AxisValue>>;
  /** axis name -> display label */
  readonly labels: Readonly<Record<string, string>>;
  /** the parsed config the cell runs */
  readonly config: Record<string, unknown>;
  /** relative cost estimate (longest first) */
  readonly cost: number;
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

function issuesOf(
  schema: z.ZodType,
  raw: unknown,
): { ok: true; value: Record<string, unknown> } | { ok: false; issues: Issue[] } {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data as Record<string, unknown> };
  return { ok: false, issues: r.error.issues as unknown as Issue[] };
}

function unknownKeys(issues: readonly Issue[]): string[] {
  return issues
    .filter((i) => i.code === "unrecognized_keys")
    .flatMap((i) => (i.keys ?? []).map((k) => [...i.path.map(String), k].join(".")));
}

function describeIssues(issues: readonly Issue[]): string {
  return issues
    .map((i) => `${i.path.length > 0 ? i.path.map(String).join(".") : "(config)"}: ${i.message}`)
    .join("; ");
}

/** Fields (axis field and linked fields) an axis sets for value i. */
function assignments(a: AxisSpec, i: number): Array<[string, AxisValue]> {
  const out: Array<[string, AxisValue]> = [[a.field, a.values[i]!]];
  for (const [f, vs] of Object.entries(a.linked ?? {})) out.push([f, vs[i]!]);
  return out;
}

/** Checks one axis on its own against the base config: fields exist, every value parses. */
function checkAxis(suite: SweepSuite, base: Record<string, unknown>, a: AxisSpec, where: string): void {
  const labels = a.values.map((_, i) => valueLabel(a, i));
  if (a.labels !== undefined && a.labels.length !== a.values.length) {
    throw new ValidationError(`${where}.labels`, `${a.values.length} labels, one per value`, a.labels);
  }
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup !== undefined) throw new ValidationError(`${where}.values`, "distinct values (labels)", dup);
  for (const [f, vs] of Object.entries(a.linked ?? {})) {
    if (vs.length !== a.values.length)
      throw new ValidationError(
        `${where}.linked.${f}`,
        `${a.values.length} values, one per value of ${a.field}`,
        vs,
      );
  }
  a.values.forEach((_, i) => {
    let cfg = base;
    for (const [f, v] of assignments(a, i)) cfg = setPath(cfg, f, v);
    const r = issuesOf(suite.schema, cfg);
    if (r.ok) return;
    const unknown = unknownKeys(r.issues);
    if (unknown.length > 0) {
      throw new ValidationError(
        `${where} (${a.name})`,
        `fields of the ${suite.name} config; unknown: ${unknown.join(", ")}`,
      );
    }
    throw new ValidationError(
      `${where} (${a.name}) value ${JSON.stringify(a.values[i])}`,
      `a valid ${a.field} for the ${suite.name} config (${describeIssues(r.issues)})`,
    );
  });
}

function product<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>((acc, xs) => acc.flatMap((p) => xs.map((x) => [...p, x])), [[]]);
}

/**
 * Every cell of the sweep, validated. Throws a ValidationError naming the
 * axis (and value or cell) at fault before any cell runs.
 */
export function expandCells(sweep: LoadedSweep, suite: SweepSuite): SweepCell[] {
  const { config, base } = sweep;
  if (config.suite !== suite.name)
    throw new ValidationError("suite", `the suite "${suite.name}"`, config.suite);
  const baseParsed = issuesOf(suite.schema, base);
  if (!baseParsed.ok)
    throw new ValidationError("base", `a valid ${suite.name} config (${describeIssues(baseParsed.issues)})`);
  const grids = gridsOf(config);
  const byId = new Map<string, { cell: SweepCell; raw: string }>();
  grids.forEach((axes, g) => {
    const where = config.grids ? `grids[${g}]` : "axes";
    const names = axes.map((a) => a.name);
    const dupName = names.find((n, i) => names.indexOf(n) !== i);
    if (dupName !== undefined) throw new ValidationError(`${where}`, "distinct axis names", dupName);
    const fields = axes.flatMap((a) => [a.field, ...Object.keys(a.linked ?? {})]);
    const dupField = fields.find((f, i) => fields.indexOf(f) !== i);
    if (dupField !== undefined)
      throw new ValidationError(`${where}`, "each config field set by one axis only", dupField);
    axes.forEach((a, k) => checkAxis(suite, base, a, `${where}[${k}]`));
    for (const pick of product(axes.map((a) => a.values.map((_, i) => i)))) {
      let raw = base;
      const values: Record<string, AxisValue> = {};
      const labels: Record<string, string> = {};
      axes.forEach((a, k) => {
        const i = pick[k]!;
        for (const [f, v] of assignments(a, i)) raw = setPath(raw, f, v);
        values[a.name] = a.values[i]!;
        labels[a.name] = valueLabel(a, i);
      });
      const id = axes.map((a) => `${a.name}-${labels[a.name]}`).join("_") || "all";
      raw = setPath(raw, "name", id);
      const r = issuesOf(suite.schema, raw);
      if (!r.ok)
        throw new ValidationError(`cell ${id}`, `a valid ${suite.name} config (${describeIssues(r.issues)})`);
      try {
        suite.check?.(r.value);
      } catch (e) {
        throw new ValidationError(
          `cell ${id}`,
          `a config the ${suite.name} suite accepts (${e instanceof Error ? e.message : String(e)})`,
        );
      }
      const key = JSON.stringify(r.value);
      const seen = byId.get(id);
      if (seen !== undefined) {
        if (seen.raw !== key)
          throw new ValidationError(
            `cell ${id}`,
            "the same config in every grid that yields it (two grids give this id different configs)",
          );
        seen.cell.grids.push(g);
        continue;
      }
      byId.set(id, {
        cell: {
          id,
          grids: [g],
          values,
          labels,
          config: r.value,
          cost: cellCost(r.value, suite.splitIndices?.(r.value).length),
        },
        raw: key,
      });
    }
  });
  if (byId.size === 0) throw new ValidationError("axes", "at least one cell");
  return [...byId.values()].map((x) => x.cell);
}

/** Non-replicate axes (what a summary row is keyed by), in first-seen order over the grids. */
export function groupAxes(sweep: LoadedSweep): AxisSpec[] {
  const seen = new Map<string, AxisSpec>();
  for (const axes of gridsOf(sweep.config))
    for (const a of axes) if (!isReplicate(a) && !seen.has(a.name)) seen.set(a.name, a);
  return [...seen.values()];
}

/** Relative cost of one simulated epoch per head id (measured ratios, rounded; unknown heads 1). */
const HEAD_COST: Record<string, number> = {
  qmtl: 3,
  "qmtl-noent": 2,
  "hqnn-13": 4,
  "hqnn-4": 0.5,
  classical: 0.3,
};

function numberAt(cfg: Record<string, unknown>, path: string, fallback: number): number {
  let v: unknown = cfg;
  for (const k of path.split("."))
    v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}

function lengthAt(cfg: Record<string, unknown>, key: string): number {
  const v = cfg[key];
  return Array.isArray(v) && v.length > 0 ? v.length : 1;
}

/** epochs x splits x seeds x the heads' costs (quantum heads scale with their depth). */
export function cellCost(cfg: Record<string, unknown>, splits?: number): number {
  const heads = Array.isArray(cfg["heads"]) ? (cfg["heads"] as unknown[]).map(String) : ["?"];
  const depth = numberAt(cfg, "qmtl.encodingLayers", 3) + numberAt(cfg, "qmtl.headLayers", 1);
  const perEpoch = heads.reduce(
    (a, h) => a + (HEAD_COST[h] ?? 1) * (h.startsWith("qmtl") ? depth / 4 : 1),
    0,
  );
  return numberAt(cfg, "epochs", 1) * (splits ?? lengthAt(cfg, "folds")) * lengthAt(cfg, "seeds") * perEpoch;
}
