import { describe, expect, it } from "vitest";
import { type RunMetrics, meanStd, summarizeRuns } from "../../src/training/summary.ts";

describe("meanStd (ddof = 1)", () => {
  it("uses the sample standard deviation", () => {
    // mean 0.9, sum of squares 0.02, / (3 - 1) -> 0.01 -> std 0.1
    const s = meanStd([0.8, 0.9, 1.0]);
    expect(s.mean).toBeCloseTo(0.9, 15);
    expect(s.std).toBeCloseTo(0.1, 15);
    expect(s.n).toBe(3);
    // [2, 4, 4, 4, 5, 5, 7, 9]: population std 2, sample std sqrt(32/7)
    expect(meanStd([2, 4, 4, 4, 5, 5, 7, 9]).std).toBeCloseTo(Math.sqrt(32 / 7), 14);
  });

  it("gives std 0 for a single value and refuses empty or non-finite input", () => {
    expect(meanStd([0.42])).toEqual({ mean: 0.42, std: 0, n: 1 });
    expect(() => meanStd([])).toThrow(/meanStd.values/);
    expect(() => meanStd([1, Number.NaN])).toThrow(/meanStd.values\[1\]/);
  });
});

describe("summarizeRuns", () => {
  it("summarises each task and metric over folds", () => {
    const folds: RunMetrics[] = [
      { sarcasm: { acc: 0.7, f1: 0.6 }, sentiment: { acc: 0.5 } },
      { sarcasm: { acc: 0.8, f1: 0.7 }, sentiment: { acc: 0.6 } },
      { sarcasm: { acc: 0.9, f1: 0.8 } },
    ];
    const s = summarizeRuns(folds);
    expect(Object.keys(s)).toEqual(["sarcasm", "sentiment"]);
    expect(s.sarcasm?.acc?.mean).toBeCloseTo(0.8, 15);
    expect(s.sarcasm?.acc?.std).toBeCloseTo(0.1, 15);
    expect(s.sarcasm?.f1?.n).toBe(3);
    expect(s.sentiment?.acc?.n).toBe(2);
    expect(s.sentiment?.acc?.std).toBeCloseTo(Math.sqrt(0.005), 15);
    expect(() => summarizeRuns([{ t: { m: Number.POSITIVE_INFINITY } }])).toThrow(
      /summarizeRuns.runs\[0\].t.m/,
    );
  });
});
