import { ValidationError } from "../core/errors.ts";

/**
 * Typed readers for untrusted parsed JSON. Each takes the dotted path of the
 * value it reads, so a bad file is reported as `file.json items[12].speaker:
 * expected a string, got number` rather than as a crash further down.
 */

export type JsonObject = { readonly [key: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function asObject(field: string, v: unknown): JsonObject {
  if (!isObject(v)) throw new ValidationError(field, "an object", v);
  return v;
}

export function asArray(field: string, v: unknown): readonly unknown[] {
  if (!Array.isArray(v)) throw new ValidationError(field, "an array", v);
  return v;
}

export function asString(field: string, v: unknown): string {
  if (typeof v !== "string") throw new ValidationError(field, "a string", v);
  return v;
}

export function asInt(field: string, v: unknown, lo = -Infinity, hi = Infinity): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
    const range = hi === Infinity ? (lo === -Infinity ? "" : ` >= ${lo}`) : ` in [${lo}, ${hi}]`;
    throw new ValidationError(field, `an integer${range}`, v);
  }
  return v;
}

export function asStringArray(field: string, v: unknown): string[] {
  return asArray(field, v).map((x, i) => asString(`${field}[${i}]`, x));
}

export function asIntArray(field: string, v: unknown, lo = -Infinity, hi = Infinity): number[] {
  return asArray(field, v).map((x, i) => asInt(`${field}[${i}]`, x, lo, hi));
}

/** Reads `obj[key]`, throwing a ValidationError naming `field.key` when it is absent. */
export function member(field: string, obj: JsonObject, key: string): unknown {
  if (!(key in obj)) throw new ValidationError(`${field}.${key}`, "to be present", undefined);
  return obj[key];
}
