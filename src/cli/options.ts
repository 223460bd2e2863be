import { ValidationError } from "../core/errors.ts";

/** Reads an integer option, failing with the flag's name and the expected range. */
export function intOption(opts: Record<string, unknown>, key: string, flag: string, lo = -Infinity, hi = Infinity): number {
  const raw = opts[key];
  const n = typeof raw === "number" ? raw : Number(raw);
  if (!Number.isInteger(n) || n < lo || n > hi) {
    const range = hi === Infinity ? `>= ${lo}` : `in [${lo}, ${hi}]`;
    throw new ValidationError(flag, `an integer ${range}`, typeof raw === "string" ? raw : String(raw));
  }
  return n;
}
