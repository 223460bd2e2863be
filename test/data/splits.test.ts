import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { loadMustard, taskLabels } from "../../src/datasets/mustard/dataset.ts";
import { loadMustardSplits } from "../../src/datasets/mustard/splits.ts";
import { stratifiedHoldout, stratifiedKFold } from "../../src/data/splits.ts";

function classCounts(idx: readonly number[], y: ArrayLike<number>, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (const i of idx) c[y[i] as number]++;
  return c;
}

describe("stratifiedHoldout", () => {
  const ds = loadMustard();
  const fold = loadMustardSplits(ds).speakerDependent[0];
  const train = fold?.train ?? [];
  const y = taskLabels(ds, "emotion_implicit");

  it("carves a disjoint validation set of the asked size from the training indices", () => {
    const { train: tr, val } = stratifiedHoldout(train, y, 0.2, new Rng(7));
    expect(val).toHaveLength(Math.round(0.2 * train.length));
    expect(tr.length + val.length).toBe(train.length);
    const v = new Set(val);
    expect(tr.some((i) => v.has(i))).toBe(false);
    expect([...tr, ...val].sort((a, b) => a - b)).toEqual([...train].sort((a, b) => a - b));
  });

  it("keeps every class's share within one item of fraction x class size", () => {
    const { val } = stratifiedHoldout(train, y, 0.2, new Rng(7));
    const all = classCounts(train, y, 9);
    const got = classCounts(val, y, 9);
    all.forEach((n, k) => expect(Math.abs((got[k] as number) - 0.2 * n)).toBeLessThanOrEqual(1));
  });

  it("is determined by the seed", () => {
    const a = stratifiedHoldout(train, y, 0.15, new Rng(3));
    const b = stratifiedHoldout([...train].reverse(), y, 0.15, new Rng(3));
    const c = stratifiedHoldout(train, y, 0.15, new Rng(4));
    expect(b).toEqual(a);
    expect(c.val).not.toEqual(a.val);
  });

  it("validates its arguments", () => {
    expect(() => stratifiedHoldout(train, y, 1, new Rng(1))).toThrow(/fraction: expected a number in \(0, 1\)/);
    expect(() => stratifiedHoldout([0, 0, 1], y, 0.5, new Rng(1))).toThrow(/indices\[1\]: expected an index not listed before/);
    expect(() => stratifiedHoldout([0, 9999], y, 0.5, new Rng(1))).toThrow(/indices\[1\]/);
  });
});

describe("stratifiedKFold", () => {
  const rng = new Rng(11);
  const y = Int32Array.from({ length: 103 }, () => rng.int(4));

  it("partitions the items into k test sets of sizes differing by at most one", () => {
    const folds = stratifiedKFold(y, 5, new Rng(1));
    expect(folds).toHaveLength(5);
    const sizes = folds.map((f) => f.test.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    const all = folds.flatMap((f) => f.test).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 103 }, (_, i) => i));
    for (const f of folds) {
      const t = new Set(f.test);
      expect(f.train.length + f.test.length).toBe(103);
      expect(f.train.some((i) => t.has(i))).toBe(false);
    }
  });

  it("spreads each class evenly over the folds", () => {
    const folds = stratifiedKFold(y, 5, new Rng(1));
    for (let k = 0; k < 4; k++) {
      const per = folds.map((f) => classCounts(f.test, y, 4)[k] as number);
      expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
    }
  });

  it("is determined by the seed", () => {
    expect(stratifiedKFold(y, 5, new Rng(2))).toEqual(stratifiedKFold(y, 5, new Rng(2)));
    expect(stratifiedKFold(y, 5, new Rng(2))[0]?.test).not.toEqual(stratifiedKFold(y, 5, new Rng(3))[0]?.test);
  });

  it("validates k", () => {
    expect(() => stratifiedKFold(y, 1, new Rng(1))).toThrow(/k: expected an integer/);
    expect(() => stratifiedKFold(Int32Array.from([0, 1]), 3, new Rng(1))).toThrow(/k/);
  });
});
