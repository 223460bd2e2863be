import { describe, expect, it } from "vitest";
import { loadMustard } from "../../src/datasets/mustard/dataset.ts";
import { loadMustardSplits, parseMustardSplits } from "../../src/datasets/mustard/splits.ts";
import { rawSplits } from "../fixtures/data/mustard-fixture.ts";

describe("official MUStARD splits", () => {
  const ds = loadMustard();
  const splits = loadMustardSplits(ds);

  it("has 5 speaker-dependent folds of 552 train / 138 test whose test sets partition the data", () => {
    expect(splits.speakerDependent).toHaveLength(5);
    const all: number[] = [];
    for (const f of splits.speakerDependent) {
      expect(f.train).toHaveLength(552);
      expect(f.test).toHaveLength(138);
      const test = new Set(f.test);
      expect(f.train.some((i) => test.has(i))).toBe(false);
      all.push(...f.test);
    }
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 690 }, (_, i) => i));
    expect(splits.speakerDependent[0]?.test.slice(0, 5)).toEqual([0, 1, 4, 7, 8]);
  });

  it("has the speaker-independent split: test = FRIENDS", () => {
    const si = splits.speakerIndependent;
    expect(si.test).toHaveLength(356);
    expect(si.train).toHaveLength(334);
    expect(si.test.every((i) => ds.items[i]?.show === "FRIENDS")).toBe(true);
    expect(si.train.every((i) => ds.items[i]?.show !== "FRIENDS")).toBe(true);
  });

  it("rejects overlapping folds, naming the fold", () => {
    const raw = rawSplits();
    const folds = (raw["speaker_dependent_5fold"] as { folds: { train: number[]; test: number[]; train_ids?: unknown; test_ids?: unknown }[] }).folds;
    const f1 = folds[1] as { train: number[]; test: number[]; test_ids?: unknown; train_ids?: unknown };
    // Move item 0 (fold 0's test) into fold 1's test as well.
    f1.train = f1.train.filter((i) => i !== 0);
    f1.test = [...f1.test, 0];
    delete f1.test_ids;
    delete f1.train_ids;
    expect(() => parseMustardSplits(raw, ds)).toThrow(/folds\[1\]\.test: expected test sets that do not overlap \(index 0 is also in folds\[0\]\.test\)/);
  });

  it("rejects an out-of-range index and mismatched ids", () => {
    const raw = rawSplits();
    const si = raw["speaker_independent"] as { test: number[]; test_ids: string[] };
    si.test[0] = 690;
    expect(() => parseMustardSplits(raw, ds)).toThrow(/speaker_independent\.test\[0\]: expected an integer in \[0, 689\]/);
    const raw2 = rawSplits();
    (raw2["speaker_independent"] as { test_ids: string[] }).test_ids[3] = "nope";
    expect(() => parseMustardSplits(raw2, ds)).toThrow(/speaker_independent\.test_ids\[3\]/);
  });
});
