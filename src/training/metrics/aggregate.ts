/** Averages of per-task metrics (the GLUE macro score, CheXpert's mean F1 across tasks). */
import { ValidationError, requireFinite } from "../../core/errors.ts";

/** Unweighted mean of per-task values; throws on an empty list or a non-finite value. */
export function macroAverage(values: readonly number[] | Readonly<Record<string, number>>): number {
  const entries: Array<[string, number]> = Array.isArray(values)
    ? (values as readonly number[]).map((v, i) => [String(i), v])
    : Object.entries(values as Readonly<Record<string, number>>);
  if (entries.length === 0)
    throw new ValidationError("macroAverage.values", "at least one task's value", "none");
  let sum = 0;
  for (const [k, v] of entries) {
    requireFinite(`macroAverage.values[${k}]`, v);
    sum += v;
  }
  return sum / entries.length;
}
