import { intFlag } from "./flags.ts";

/** Reads an integer option (an empty value is an error), failing with the flag's name and the expected range. */
export function intOption(
  opts: Record<string, unknown>,
  key: string,
  flag: string,
  lo = -Infinity,
  hi = Infinity,
): number {
  const raw = opts[key];
  return intFlag(flag, typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw : "", lo, hi);
}
