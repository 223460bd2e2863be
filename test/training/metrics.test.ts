import { describe, expect, it } from "vitest";
import { macroAverage } from "../../src/training/metrics/aggregate.ts";
import {
  chexpertBinary,
  chexpertPositiveFromLogits,
  chexpertPositiveFromProbs,
  chexpertTaskScores,
} from "../../src/training/metrics/chexpert.ts";
import {
  accuracy,
  confusionMatrix,
  matthewsCorrcoef,
  precisionRecallF1,
} from "../../src/training/metrics/classification.ts";
import { averageRanks, pearson, spearman } from "../../src/training/metrics/correlation.ts";
import { argmaxRows, binaryFromLogits, dropMissing } from "../../src/training/metrics/predictions.ts";

describe("binary classification metrics (sklearn definitions)", () => {
  // tp = 3 (idx 0, 2, 6), fn = 1 (idx 1), fp = 2 (idx 4, 7), tn = 2 (idx 3, 5)
  const yTrue = [1, 1, 1, 0, 0, 0, 1, 0];
  const yPred = [1, 0, 1, 0, 1, 0, 1, 1];

  it("accuracy, precision, recall, F1 by hand", () => {
    expect(accuracy(yTrue, yPred)).toBe(5 / 8);
    const s = precisionRecallF1(yTrue, yPred); // binary, pos_label 1
    expect(s.precision).toBeCloseTo(3 / 5, 15); // tp / (tp + fp)
    expect(s.recall).toBeCloseTo(3 / 4, 15); // tp / (tp + fn)
    expect(s.f1).toBeCloseTo(2 / 3, 15); // 2 tp / (2 tp + fp + fn) = 6 / 9
    // pos_label 0: tp = 2, fp = 1, fn = 2
    const n = precisionRecallF1(yTrue, yPred, { posLabel: 0 });
    expect(n.precision).toBeCloseTo(2 / 3, 15);
    expect(n.recall).toBeCloseTo(1 / 2, 15);
  });

  it("Matthews correlation by hand", () => {
    // (tp tn - fp fn) / sqrt((tp+fp)(tp+fn)(tn+fp)(tn+fn)) = (6 - 2) / sqrt(5*4*4*3) = 4 / sqrt(240)
    expect(matthewsCorrcoef(yTrue, yPred)).toBeCloseTo(0.2581988897471611, 15);
    expect(matthewsCorrcoef([0, 1, 0, 1], [0, 1, 0, 1])).toBe(1);
    expect(matthewsCorrcoef([0, 1, 0, 1], [1, 0, 1, 0])).toBe(-1);
  });

  it("degenerate cases give 0, never NaN (zero_division=0)", () => {
    // the positive class is never predicted: precision 0/0 -> 0, recall 0/2 = 0, F1 0
    expect(precisionRecallF1([0, 1, 1], [0, 0, 0])).toEqual({ precision: 0, recall: 0, f1: 0 });
    // no positive labels and none predicted: everything 0
    expect(precisionRecallF1([0, 0], [0, 0])).toEqual({ precision: 0, recall: 0, f1: 0 });
    // constant predictions or constant truth: MCC 0 (sklearn)
    expect(matthewsCorrcoef([0, 1, 1], [0, 0, 0])).toBe(0);
    expect(matthewsCorrcoef([1, 1, 1], [0, 1, 0])).toBe(0);
    expect(accuracy([], [])).toBe(0);
    expect(matthewsCorrcoef([], [])).toBe(0);
  });
});

describe("multiclass metrics", () => {
  // confusion (rows true, cols pred): [[2,1,0],[1,0,1],[0,1,2]]
  const yTrue = [0, 1, 2, 0, 1, 2, 0, 2];
  const yPred = [0, 2, 1, 0, 0, 2, 1, 2];

  it("confusion matrix and accuracy", () => {
    expect(confusionMatrix(yTrue, yPred)).toEqual([
      [2, 1, 0],
      [1, 0, 1],
      [0, 1, 2],
    ]);
    expect(confusionMatrix([0, 1], [1, 1], [0, 1, 2])).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [0, 0, 0],
    ]);
    expect(accuracy(yTrue, yPred)).toBe(0.5);
  });

  it("macro, weighted and micro averages by hand", () => {
    // per class: 0: P = R = F1 = 2/3 ; 1: tp 0 -> all 0 ; 2: P = R = F1 = 2/3 ; supports 3, 2, 3
    const macro = precisionRecallF1(yTrue, yPred, { average: "macro" });
    expect(macro.precision).toBeCloseTo(4 / 9, 15);
    expect(macro.recall).toBeCloseTo(4 / 9, 15);
    expect(macro.f1).toBeCloseTo(4 / 9, 15);
    const weighted = precisionRecallF1(yTrue, yPred, { average: "weighted" });
    expect(weighted.f1).toBeCloseTo((3 * (2 / 3) + 2 * 0 + 3 * (2 / 3)) / 8, 15); // 0.5
    const micro = precisionRecallF1(yTrue, yPred, { average: "micro" });
    expect(micro.f1).toBeCloseTo(0.5, 15); // = accuracy when every class is averaged
  });

  it("macro over the union of labels, or over given labels", () => {
    // labels present: {0, 1}; class 1 never predicted -> precision 0 for it
    // class 0: tp 1, fp 1, fn 0 -> P 1/2, R 1, F1 2/3 ; class 1: 0, 0, 0
    const s = precisionRecallF1([0, 1], [0, 0], { average: "macro" });
    expect(s.precision).toBeCloseTo(0.25, 15);
    expect(s.recall).toBeCloseTo(0.5, 15);
    expect(s.f1).toBeCloseTo(1 / 3, 15);
    // with labels [0, 1, 2] the absent class 2 counts as 0 in the mean
    expect(precisionRecallF1([0, 1], [0, 0], { average: "macro", labels: [0, 1, 2] }).f1).toBeCloseTo(
      2 / 9,
      15,
    );
  });

  it("multiclass Matthews correlation by hand", () => {
    // t = p = [3, 2, 3], c = 4, s = 8: (4*8 - (9+4+9)) / sqrt((64-22)(64-22)) = 10/42
    expect(matthewsCorrcoef(yTrue, yPred)).toBeCloseTo(10 / 42, 15);
    expect(matthewsCorrcoef([0, 1, 2], [2, 2, 2])).toBe(0);
  });

  it("rejects non-integer labels and mismatched lengths", () => {
    expect(() => accuracy([0, 1], [0])).toThrow(/accuracy.yPred/);
    expect(() => accuracy([0.5], [0])).toThrow(/accuracy.yTrue\[0\]/);
  });
});

describe("correlations", () => {
  it("Pearson by hand", () => {
    // x = [1,2,3,4], y = [2,4,5,4]: sxy = 3.5, sxx = 5, syy = 4.75 -> 3.5 / sqrt(23.75)
    expect(pearson([1, 2, 3, 4], [2, 4, 5, 4])).toBeCloseTo(3.5 / Math.sqrt(23.75), 15);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
  });

  it("Spearman with average ranks for ties", () => {
    // ranks x = [1, 2.5, 2.5, 4], ranks y = [1, 3, 2, 4]: sxy = 4.5, sxx = 4.5, syy = 5 -> 4.5 / sqrt(22.5)
    expect(Array.from(averageRanks([1, 2, 2, 3]))).toEqual([1, 2.5, 2.5, 4]);
    expect(Array.from(averageRanks([3, 1, 3, 3, 0]))).toEqual([4, 2, 4, 4, 1]);
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(4.5 / Math.sqrt(22.5), 15);
    // monotone but non-linear: rho = 1
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBeCloseTo(1, 15);
  });

  it("constant input or fewer than 2 points gives 0, not NaN", () => {
    expect(pearson([1, 2, 3], [5, 5, 5])).toBe(0);
    expect(spearman([5, 5, 5], [1, 2, 3])).toBe(0);
    expect(pearson([1], [2])).toBe(0);
    expect(pearson([], [])).toBe(0);
  });
});

describe("prediction helpers", () => {
  it("argmax takes the first maximum, binary threshold 0.5 is logit >= 0", () => {
    expect(Array.from(argmaxRows(new Float64Array([1, 3, 3, -1, -2, -3]), 3))).toEqual([1, 0]);
    expect(Array.from(binaryFromLogits([-0.1, 0, 2]))).toEqual([0, 1, 1]);
    expect(Array.from(binaryFromLogits([0.5, 1.5], 0.75))).toEqual([0, 1]); // logit(0.75) = log 3 = 1.0986
  });

  it("dropMissing removes -100 labels", () => {
    expect(dropMissing([1, -100, 0], [1, 1, 1])).toEqual({ yTrue: [1, 0], yPred: [1, 1] });
  });
});

describe("CheXpert binary evaluation (Eq. 25)", () => {
  // order: uncertain, negative, positive
  const probs = new Float64Array([
    0.2,
    0.2,
    0.6, // label 2: p+ = 0.6/0.8 = 0.75 -> 1 (tp)
    0.5,
    0.3,
    0.2, // label 1: p+ = 0.2/0.5 = 0.4 -> 0 (tn)
    0.1,
    0.1,
    0.8, // label 0 (uncertain): not scored
    0.3,
    0.3,
    0.4, // label -100: not scored
    0.1,
    0.6,
    0.3, // label 2: p+ = 1/3 -> 0 (fn)
    0.05,
    0.4,
    0.55, // label 1: p+ = 0.55/0.95 -> 1 (fp)
  ]);
  const labels = [2, 1, 0, -100, 2, 1];

  it("renormalises p+ over negative and positive, and from logits equals sigmoid(z+ - z-)", () => {
    const p = chexpertPositiveFromProbs(probs);
    expect(p[0]).toBeCloseTo(0.75, 15);
    expect(p[1]).toBeCloseTo(0.4, 15);
    expect(p[5]).toBeCloseTo(0.55 / 0.95, 15);
    const logits = probs.map((v) => Math.log(v) + 1.7); // any shift per row gives the same softmax
    const q = chexpertPositiveFromLogits(logits);
    for (let i = 0; i < p.length; i++) expect(q[i]).toBeCloseTo(p[i] as number, 14);
    expect(chexpertPositiveFromProbs(new Float64Array([1, 0, 0]))[0]).toBe(0.5);
  });

  it("scores only negative/positive samples: accuracy and positive-class P/R/F1", () => {
    const b = chexpertBinary(chexpertPositiveFromProbs(probs), labels);
    expect(b.kept).toEqual([0, 1, 4, 5]);
    expect(b.yTrue).toEqual([1, 0, 1, 0]);
    expect(b.yPred).toEqual([1, 0, 0, 1]);
    // tp 1, tn 1, fn 1, fp 1: accuracy 0.5, P 0.5, R 0.5, F1 0.5
    const s = chexpertTaskScores(
      probs.map((v) => Math.log(v)),
      labels,
    );
    expect(s).toEqual({ accuracy: 0.5, precision: 0.5, recall: 0.5, f1: 0.5, n: 4 });
  });

  it("a task with only uncertain or missing labels scores 0, not NaN", () => {
    expect(chexpertTaskScores(new Float64Array([0, 0, 0, 1, 1, 1]), [0, -100])).toEqual({
      accuracy: 0,
      precision: 0,
      recall: 0,
      f1: 0,
      n: 0,
    });
  });
});

describe("macroAverage", () => {
  it("averages per-task values from an array or a record, and refuses NaN", () => {
    expect(macroAverage([0.5, 0.7, 0.9])).toBeCloseTo(0.7, 15);
    expect(macroAverage({ cola: 0.2, sst2: 0.8 })).toBeCloseTo(0.5, 15);
    expect(() => macroAverage({ cola: Number.NaN })).toThrow(/macroAverage.values\[cola\]/);
    expect(() => macroAverage([])).toThrow(/at least one/);
  });
});
