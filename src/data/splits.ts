import { ValidationError, requireFinite, requireInt } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";

/**
 * Seeded stratified splitting: a validation hold-out carved from a training
 * index list, and stratified k-fold over a label vector. Every index list
 * returned is sorted ascending, so a split depends only on (labels, seed),
 * never on the order the caller listed indices in.
 */

export interface Fold {
  readonly train: readonly number[];
  readonly test: readonly number[];
}

/** A two-way split of row indices: `train` and the held-out `val`. */
export interface Holdout {
  readonly train: readonly number[];
  readonly val: readonly number[];
}

/**
 * Splits `indices` into train / val with `round(fraction * n)` validation
 * items, stratified by `labels[index]`: each class contributes its share
 * (largest-remainder rounding, so the total is exact), chosen by `rng`.
 */
export function stratifiedHoldout(
  indices: readonly number[],
  labels: ArrayLike<number>,
  fraction: number,
  rng: Rng,
): Holdout {
  requireFinite("stratifiedHoldout.fraction", fraction);
  if (fraction <= 0 || fraction >= 1) throw new ValidationError("stratifiedHoldout.fraction", "a number in (0, 1)", fraction);
  if (indices.length < 2) throw new ValidationError("stratifiedHoldout.indices", "at least 2 indices", indices);
  const groups = groupByClass("stratifiedHoldout", indices, labels);
  const n = indices.length;
  const nVal = Math.min(n - 1, Math.max(1, Math.round(fraction * n)));

  // Largest-remainder allocation of nVal across classes (ties: the larger class first, then the smaller label).
  const classes = [...groups.keys()].sort((a, b) => a - b);
  const quota = classes.map((c) => (nVal * (groups.get(c) as number[]).length) / n);
  const take = quota.map(Math.floor);
  let left = nVal - take.reduce((s, t) => s + t, 0);
  const order = classes
    .map((c, k) => ({ k, rem: (quota[k] as number) - (take[k] as number), size: (groups.get(c) as number[]).length }))
    .sort((a, b) => b.rem - a.rem || b.size - a.size || a.k - b.k);
  for (const { k } of order) {
    if (left === 0) break;
    take[k] = (take[k] as number) + 1;
    left--;
  }

  const train: number[] = [];
  const val: number[] = [];
  classes.forEach((c, k) => {
    const members = rng.fork(`class:${c}`).shuffle([...(groups.get(c) as number[])].sort((a, b) => a - b));
    const t = take[k] as number;
    val.push(...members.slice(0, t));
    train.push(...members.slice(t));
  });
  return { train: train.sort((a, b) => a - b), val: val.sort((a, b) => a - b) };
}

/**
 * Stratified k-fold over items 0..n-1 of `labels`: each class's members are
 * shuffled and dealt round-robin into the k test sets, continuing from where
 * the previous class stopped, so fold sizes differ by at most one and each
 * class's count per fold differs by at most one.
 */
export function stratifiedKFold(labels: ArrayLike<number>, k: number, rng: Rng): Fold[] {
  const n = labels.length;
  requireInt("stratifiedKFold.k", k, 2, Math.max(2, n));
  if (n < k) throw new ValidationError("stratifiedKFold.labels", `at least k = ${k} items`, n);
  const all = Array.from({ length: n }, (_, i) => i);
  const groups = groupByClass("stratifiedKFold", all, labels);
  const classes = [...groups.keys()].sort((a, b) => a - b);
  const tests: number[][] = Array.from({ length: k }, () => []);
  let slot = 0;
  for (const c of classes) {
    const members = rng.fork(`class:${c}`).shuffle([...(groups.get(c) as number[])]);
    for (const m of members) {
      (tests[slot] as number[]).push(m);
      slot = (slot + 1) % k;
    }
  }
  return tests.map((test) => {
    const inTest = new Set(test);
    return { train: all.filter((i) => !inTest.has(i)), test: test.sort((a, b) => a - b) };
  });
}

function groupByClass(fn: string, indices: readonly number[], labels: ArrayLike<number>): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  const seen = new Set<number>();
  indices.forEach((idx, k) => {
    requireInt(`${fn}.indices[${k}]`, idx, 0, labels.length - 1);
    if (seen.has(idx)) throw new ValidationError(`${fn}.indices[${k}]`, "an index not listed before", idx);
    seen.add(idx);
    const y = labels[idx] as number;
    requireInt(`${fn}.labels[${idx}]`, y, 0);
    const g = groups.get(y);
    if (g) g.push(idx);
    else groups.set(y, [idx]);
  });
  return groups;
}
