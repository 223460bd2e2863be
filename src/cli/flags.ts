/**
 * Command-line values to config values. An empty value is an error, never
 * "use the default"; a list may not hold empty items; numbers must be numbers.
 */
import { resolve } from "node:path";
import { ValidationError } from "../core/errors.ts";
import { runName, type SuiteFlag } from "../experiments/suite.ts";

function nonEmpty(flag: string, v: string | boolean): string {
  if (typeof v !== "string") throw new ValidationError(flag, "a value");
  if (v.trim().length === 0)
    throw new ValidationError(flag, "a non-empty value (leave the flag out for the default)");
  return v.trim();
}

export function intFlag(flag: string, v: string | boolean, lo = -Infinity, hi = Infinity): number {
  const s = nonEmpty(flag, v);
  if (!/^[+-]?\d+$/.test(s)) throw new ValidationError(flag, "an integer", s);
  const n = Number(s);
  if (n < lo || n > hi)
    throw new ValidationError(
      flag,
      hi === Infinity ? `an integer >= ${lo}` : `an integer in [${lo}, ${hi}]`,
      n,
    );
  return n;
}

function listItems(flag: string, v: string | boolean): string[] {
  const items = nonEmpty(flag, v)
    .split(",")
    .map((x) => x.trim());
  if (items.some((x) => x.length === 0))
    throw new ValidationError(flag, "a comma-separated list without empty items", v);
  return items;
}

/** Parses a flag's text as its SuiteFlag kind says. */
export function flagValue(flag: string, kind: SuiteFlag["parse"], v: string | boolean): unknown {
  switch (kind) {
    case "boolean":
      return v === true || v === "true";
    case "string":
      return nonEmpty(flag, v);
    case "path":
      return resolve(nonEmpty(flag, v));
    case "int":
      return intFlag(flag, v);
    case "number": {
      const s = nonEmpty(flag, v);
      const n = Number(s);
      if (!Number.isFinite(n)) throw new ValidationError(flag, "a finite number", s);
      return n;
    }
    case "int-list":
      return listItems(flag, v).map((x) => intFlag(flag, x));
    case "list":
      return listItems(flag, v);
    case "interval":
      return intervalFlag(flag, v);
  }
}

/** "epochs:N" -> { epochs: N }, "updates:N" -> { updates: N }, "auto" stays "auto" (the suite's schema decides). */
function intervalFlag(flag: string, v: string | boolean): unknown {
  const s = nonEmpty(flag, v);
  if (s === "auto") return s;
  const m = /^(epochs|updates):(.*)$/.exec(s);
  if (!m)
    throw new ValidationError(flag, "epochs:N or updates:N (N >= 1), or auto where the suite has it", s);
  return { [m[1]!]: intFlag(flag, m[2]!, 1) };
}

/** An output folder name: one plain path segment, by the same rule as a run name. */
export function folderNameFlag(flag: string, v: string): string {
  const r = runName.safeParse(v);
  if (!r.success)
    throw new ValidationError(
      flag,
      "one path segment of letters, digits, '.', '_' or '-', not starting with '.'",
      v,
    );
  return r.data;
}
