/**
 * Pearson and Spearman correlation (scipy's definitions). Degenerate input,
 * fewer than 2 points or a constant vector, gives 0 instead of scipy's NaN,
 * so a report never carries NaN: a constant prediction carries no linear or
 * rank information, and 0 is what MCC reports in the same situation.
 */
import { ValidationError, requireAllFinite, requireLength } from "../../core/errors.ts";

/** Pearson correlation of two equally long vectors. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  requireLength("pearson.y", y, x.length);
  requireAllFinite("pearson.x", x);
  requireAllFinite("pearson.y", y);
  const n = x.length;
  if (n < 2) return 0;
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return 0;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

/** 1-based ranks, ties sharing the average of their positions (scipy.stats.rankdata "average"). */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (x[a] as number) - (x[b] as number));
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && x[order[j + 1] as number] === x[order[i] as number]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = r;
    i = j + 1;
  }
  return ranks;
}

/** Spearman's rho: Pearson correlation of the average ranks. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  requireLength("spearman.y", y, x.length);
  for (const [name, v] of [
    ["x", x],
    ["y", y],
  ] as const) {
    for (let i = 0; i < v.length; i++) {
      if (Number.isNaN(v[i])) throw new ValidationError(`spearman.${name}[${i}]`, "a number", v[i]);
    }
  }
  return pearson(averageRanks(x), averageRanks(y));
}
