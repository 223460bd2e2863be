/**
 * Reading and validating a suite's config: a YAML or JSON file (or an object)
 * checked against the suite's zod schema. Every offending field is named by
 * its path; an empty file is an error, never "all defaults".
 */
import { readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { ValidationError } from "../core/errors.ts";
import type { BaseConfig, Suite } from "./suite.ts";

/** Validates a config object against a schema; the error lists every offending field by path. */
export function parseWithSchema<C>(schema: z.ZodType<C>, raw: unknown, source: string, what: string): C {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ValidationError(source, `${what} as a mapping of fields`, raw);
  }
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => {
    const path = i.path.length ? `${source}.${i.path.map(String).join(".")}` : source;
    return `${path}: ${i.message}`;
  });
  throw new ValidationError(source, `${what}:\n  ${lines.join("\n  ")}`);
}

/** Validates a config for `suite` (defaults filled in), then the suite's whole-config checks. */
export function parseSuiteConfig<C extends BaseConfig>(suite: Suite<C>, raw: unknown, source = "config"): C {
  const cfg = parseWithSchema(suite.schema, raw, source, `a valid ${suite.title} experiment config`);
  suite.check?.(cfg);
  return cfg;
}

/** Reads a YAML or JSON config file; an empty file or a non-mapping top level is an error. */
export function readConfigFile(path: string, field = "--config"): Record<string, unknown> {
  let text: string;
  try {
    if (!statSync(path).isFile()) throw new Error("not a regular file");
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ValidationError(
      field,
      "a readable config file",
      `${path} (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (text.trim().length === 0)
    throw new ValidationError(path, "a config with at least one field (the file is empty)");
  let value: unknown;
  try {
    value = extname(path).toLowerCase() === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ValidationError(
      path,
      "valid YAML or JSON",
      e instanceof Error ? e.message.split("\n")[0] : String(e),
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError(path, "a mapping of config fields at the top level", value);
  }
  return value as Record<string, unknown>;
}
