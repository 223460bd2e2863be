/**
 * A sweep config: a base experiment (a suite and its config) and the axes to
 * vary. One axis sets one config field by dotted path (`qmtl.encodingLayers`,
 * `folds`, `heads`), optionally with linked fields that change with it (Q*L = d
 * ties `latentDim` to `qmtl.encodingLayers`). The cells are the product of the
 * axes of each grid, and the union over grids (`grids` holds several products,
 * e.g. the depth study's "L varies with L_h = 1" and "L_h varies with L = 3").
 */
import { z } from "zod";
import { dirname, isAbsolute, resolve } from "node:path";
import { ValidationError } from "../../core/errors.ts";
import { runName } from "../suite.ts";
import { noiseAxisSchema } from "./noise-axis.ts";

/** A plain JSON value an axis may take (scalars, or arrays of scalars such as a fold list). */
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const axisValue = z.union([scalar, z.array(scalar)]);
export type AxisValue = z.infer<typeof axisValue>;

const fieldPath = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/,
    "a dotted config path such as qmtl.encodingLayers",
  );

const axisSchema = z
  .object({
    /** the axis's name in cell ids, tables and plots */
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, "letters and digits, starting with a letter"),
    /** the config field it sets */
    field: fieldPath,
    values: z.array(axisValue).min(1),
    /** fields that change with this axis: one value per axis value */
    linked: z.record(fieldPath, z.array(axisValue)).optional(),
    /** display labels, one per value (default: the value; arrays joined by "+") */
    labels: z.array(z.string().regex(/^[A-Za-z0-9.+-]+$/, "letters, digits, '.', '+' or '-'")).optional(),
    /**
     * a replicate axis (folds, seeds) is pooled when cells are summarised:
     * mean and std over the runs of every replicate; default: fields "folds", "seeds"
     */
    replicate: z.boolean().optional(),
  })
  .strict();
export type AxisInput = z.input<typeof axisSchema>;

const slurmSchema = z
  .object({
    partition: z.string().min(1).optional(),
    account: z.string().min(1).optional(),
    cpusPerTask: z.number().int().min(1).max(256).default(1),
    /** memory per task, sbatch syntax (e.g. "4G") */
    mem: z
      .string()
      .regex(/^\d+[KMGT]?$/, "sbatch memory such as 4G or 4000M")
      .default("4G"),
    /** time limit per task, sbatch syntax (e.g. "02:00:00") */
    time: z
      .string()
      .regex(/^(\d+-)?\d{1,2}(:\d{2}){0,2}$/, "sbatch time such as 02:00:00 or 1-00:00:00")
      .default("02:00:00"),
    /** further sbatch options, one per entry (e.g. "--qos=short") */
    extra: z
      .array(z.string().regex(/^--[a-z][a-z0-9-]*(=\S+)?$/, "one sbatch option such as --qos=short"))
      .default([]),
  })
  .strict();
export type SlurmOptions = z.infer<typeof slurmSchema>;

/** How a study wants its cells plotted: a line over one axis with the others fixed. */
const plotSchema = z
  .object({
    title: z.string(),
    x: z.string(),
    /** other non-replicate axes held at one label */
    fixed: z.record(z.string(), z.string()).default({}),
  })
  .strict();
export type SweepPlot = z.infer<typeof plotSchema>;

const claimSchema = z
  .object({
    id: z.enum([
      "depth-L3-best",
      "depth-Lh-little",
      "entanglement-helps",
      "encoder-variant",
      "noise-graceful",
      "noise-device-order",
    ]),
    text: z.string(),
  })
  .strict();
export type StudyClaim = z.infer<typeof claimSchema>;

export const sweepConfigSchema = z
  .object({
    /** the suite (`qmtl run <suite>`) */
    suite: z.string().regex(/^[a-z0-9-]+$/, "a suite name such as mustard"),
    name: runName,
    /** the base experiment config (inline) */
    base: z.record(z.string(), z.unknown()).optional(),
    /** or a base config file, relative to the sweep config */
    baseConfig: z.string().min(1).optional(),
    /** one product grid */
    axes: z.array(axisSchema).optional(),
    /** or several product grids whose cells are united (a cell in two grids runs once) */
    grids: z.array(z.array(axisSchema).min(1)).min(1).optional(),
    /** noise as an axis of evaluation: every trained cell evaluated again under each condition */
    noise: noiseAxisSchema.optional(),
    slurm: slurmSchema.default({ cpusPerTask: 1, mem: "4G", time: "02:00:00", extra: [] }),
    /** set by named studies: what the report plots and which paper claims it checks */
    study: z
      .object({
        name: z.string(),
        title: z.string(),
        plots: z.array(plotSchema).default([]),
        claims: z.array(claimSchema).default([]),
        notes: z.array(z.string()).default([]),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.base !== undefined && c.baseConfig !== undefined)
      ctx.addIssue({ code: "custom", path: ["baseConfig"], message: "either base or baseConfig, not both" });
    if ((c.axes === undefined) === (c.grids === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["axes"],
        message: "exactly one of axes (one grid) or grids (several)",
      });
  });

export type SweepConfig = z.infer<typeof sweepConfigSchema>;
export type SweepConfigInput = z.input<typeof sweepConfigSchema>;
export type AxisSpec = z.infer<typeof axisSchema>;

/** A validated sweep config plus the folder its relative paths are relative to. */
export interface LoadedSweep {
  readonly config: SweepConfig;
  /** the base config object (before any axis is applied) */
  readonly base: Record<string, unknown>;
  /** folder that relative paths in the configs refer to; cells run there */
  readonly baseDir: string;
}

/** Validates a sweep config object; every offending field is named by its path. */
export function parseSweepConfig(raw: unknown, source = "sweep config"): SweepConfig {
  const r = sweepConfigSchema.safeParse(raw ?? {});
  if (r.success) return r.data;
  const lines = r.error.issues.map(
    (i) => `${i.path.length ? `${source}.${i.path.join(".")}` : source}: ${i.message}`,
  );
  throw new ValidationError(source, `a valid sweep config:\n  ${lines.join("\n  ")}`);
}

/**
 * Loads a sweep from a parsed file (or object): `baseConfig` is read with
 * `readFile` relative to `configPath`'s folder, which is also the folder cells
 * run in, so relative paths in the base config keep working.
 */
export function loadSweep(
  raw: unknown,
  configPath: string | undefined,
  readFile: (path: string) => unknown,
): LoadedSweep {
  const source = configPath ?? "sweep config";
  const config = parseSweepConfig(raw, source);
  const baseDir = configPath === undefined ? process.cwd() : dirname(resolve(configPath));
  let base: Record<string, unknown> = config.base ?? {};
  if (config.baseConfig !== undefined) {
    const p = isAbsolute(config.baseConfig) ? config.baseConfig : resolve(baseDir, config.baseConfig);
    const b = readFile(p);
    if (b === null || typeof b !== "object" || Array.isArray(b))
      throw new ValidationError(`${source}.baseConfig`, "a file holding one config object", p);
    base = b as Record<string, unknown>;
  }
  return { config, base, baseDir };
}

/** The grids of a config (axes is one grid). */
export function gridsOf(c: SweepConfig): AxisSpec[][] {
  return c.grids ?? [c.axes ?? []];
}

/** Whether an axis is pooled over when summarising (folds and seeds by default). */
export function isReplicate(a: AxisSpec): boolean {
  return a.replicate ?? (a.field === "folds" || a.field === "seeds");
}

/** The display label of an axis value. */
export function valueLabel(a: AxisSpec, i: number): string {
  const given = a.labels?.[i];
  if (given !== undefined) return given;
  const v = a.values[i];
  const s = Array.isArray(v) ? v.map(String).join("+") : String(v);
  return s.replace(/[^A-Za-z0-9.+-]/g, "-");
}

/** A deep copy of `obj` with `path` (dotted) set to `value`; names the path when a parent is not an object. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const out = structuredClone(obj);
  const keys = path.split(".");
  let cur: Record<string, unknown> = out;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i]!;
    const next = cur[k];
    if (next === undefined) cur[k] = {};
    else if (next === null || typeof next !== "object" || Array.isArray(next)) {
      throw new ValidationError(
        path,
        `an object at ${keys.slice(0, i + 1).join(".")} to set ${keys.slice(i + 1).join(".")} in`,
        next,
      );
    }
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = structuredClone(value);
  return out;
}
