import { describe, expect, it } from "vitest";
import { bceWithLogits } from "../../src/training/losses/bce.ts";
import { crossEntropy } from "../../src/training/losses/ce.ts";
import { inverseFrequencyWeights } from "../../src/training/losses/class-weights.ts";
import { focalLoss } from "../../src/training/losses/focal.ts";
import { mse } from "../../src/training/losses/mse.ts";
import { weightedTaskSum } from "../../src/training/losses/multitask.ts";
import type { LossResult } from "../../src/training/losses/common.ts";
import { checkScalarGrad, randomVector } from "../nn/gradcheck.ts";

const M = -100;

/** Finite-difference check of a loss's gradient with respect to its input vector. */
function gradcheck(run: (v: Float64Array) => LossResult, v: Float64Array): number {
  const { grad } = run(v);
  const rep = checkScalarGrad(() => run(v).loss, v, grad, 1e-6);
  expect(rep.maxRelErr, rep.worst).toBeLessThan(1e-7);
  return rep.maxRelErr;
}

describe("bceWithLogits", () => {
  it("matches hand-computed BCEWithLogitsLoss values and masks -100", () => {
    // entry 0: x=0, y=1: log(1+e^0) = log 2 = 0.6931471805599453
    // entry 1: x=2, y=0: x + log(1+e^-2) = 2.1269280110429727
    // entry 2: masked. mean over 2 = 1.410037595801459
    const r = bceWithLogits(new Float64Array([0, 2, -1]), [1, 0, M]);
    expect(r.loss).toBeCloseTo(1.410037595801459, 14);
    expect(r.count).toBe(2);
    // grad = (sigmoid(x) - y) / 2: (0.5 - 1)/2 = -0.25 ; sigmoid(2)/2 = 0.44039853898894116
    expect(r.grad[0]).toBeCloseTo(-0.25, 15);
    expect(r.grad[1]).toBeCloseTo(0.44039853898894116, 15);
    expect(r.grad[2]).toBe(0);
  });

  it("is stable for huge logits", () => {
    // x = 1000, y = 0 -> loss 1000 ; x = -1000, y = 1 -> loss 1000 (no Infinity/NaN)
    const r = bceWithLogits(new Float64Array([1000, -1000]), [0, 1]);
    expect(r.loss).toBe(1000);
    expect(Array.from(r.grad)).toEqual([0.5, -0.5]);
  });

  it("gives loss 0 and zero gradient when nothing is labelled", () => {
    const r = bceWithLogits(new Float64Array([3, -2]), [M, M]);
    expect(r).toEqual({ loss: 0, grad: new Float64Array(2), count: 0 });
  });

  it("has an exact gradient (soft targets too)", () => {
    gradcheck((v) => bceWithLogits(v, [1, 0, 0.3, M, 0.9, 0]), randomVector(6, 1, -3, 3));
  });

  it("rejects targets outside [0, 1]", () => {
    expect(() => bceWithLogits(new Float64Array([0]), [2])).toThrow(/bceWithLogits.targets\[0\]/);
    expect(() => bceWithLogits(new Float64Array([0, 1]), [1])).toThrow(/bceWithLogits.targets/);
  });
});

describe("crossEntropy", () => {
  // Row 0: z = [1, 2, 3], y = 2: logsumexp = 3 + log(1 + e^-1 + e^-2) = 3.4076059644443806,
  //        CE = 3.4076... - 3 = 0.4076059644443806
  // Row 1: z = [1, 1, 1], y = 0: CE = log 3 = 1.0986122886681098
  // Row 2: masked.
  const logits = new Float64Array([1, 2, 3, 1, 1, 1, 5, -5, 0]);
  const labels = [2, 0, M];

  it("matches hand-computed CrossEntropyLoss values", () => {
    const r = crossEntropy(logits, labels, 3);
    expect(r.loss).toBeCloseTo((0.4076059644443806 + 1.0986122886681098) / 2, 14); // 0.7531091265562452
    expect(r.count).toBe(2);
    // row 1 gradient: (softmax - onehot) / 2 = ([1/3, 1/3, 1/3] - [1, 0, 0]) / 2
    expect(r.grad[3]).toBeCloseTo(-1 / 3, 15);
    expect(r.grad[4]).toBeCloseTo(1 / 6, 15);
    expect(Array.from(r.grad.slice(6))).toEqual([0, 0, 0]);
  });

  it("uses PyTorch's weighted mean with class weights", () => {
    // weights [2, 1, 0.5]: (0.5 * 0.40760596 + 2 * 1.09861229) / (0.5 + 2) = 0.960411023823364
    const r = crossEntropy(logits, labels, 3, { weights: [2, 1, 0.5] });
    expect(r.loss).toBeCloseTo(0.960411023823364, 14);
  });

  it("is stable for huge logits", () => {
    const r = crossEntropy(new Float64Array([1000, -1000, 0]), [1], 3);
    expect(r.loss).toBeCloseTo(2000, 10);
    expect(Number.isFinite(r.grad[0])).toBe(true);
  });

  it("gives loss 0 and zero gradient when nothing is labelled", () => {
    const r = crossEntropy(new Float64Array([1, 2, 3]), [M], 3, { weights: [1, 1, 1] });
    expect(r.loss).toBe(0);
    expect(Array.from(r.grad)).toEqual([0, 0, 0]);
  });

  it("has exact gradients, weighted and unweighted", () => {
    const v = randomVector(5 * 4, 2, -3, 3);
    const ys = [3, M, 0, 2, 1];
    gradcheck((x) => crossEntropy(x, ys, 4), v);
    gradcheck((x) => crossEntropy(x, ys, 4, { weights: [0.5, 2, 1, 3] }), v);
  });

  it("rejects out-of-range labels and mismatched shapes", () => {
    expect(() => crossEntropy(new Float64Array(3), [3], 3)).toThrow(/crossEntropy.labels\[0\]/);
    expect(() => crossEntropy(new Float64Array(3), [0.5], 3)).toThrow(/crossEntropy.labels\[0\]/);
    expect(() => crossEntropy(new Float64Array(4), [0], 3)).toThrow(/crossEntropy.logits/);
    expect(() => crossEntropy(new Float64Array(3), [0], 3, { weights: [1, 1] })).toThrow(
      /crossEntropy.weights/,
    );
  });
});

describe("mse", () => {
  it("matches MSELoss by hand and masks -100", () => {
    // (1-0)^2 and (2-2)^2 over 2 labelled entries = 0.5 ; grad 2(p-y)/2 = [1, 0, 0]
    const r = mse(new Float64Array([1, 2, 3]), [0, 2, M]);
    expect(r.loss).toBe(0.5);
    expect(Array.from(r.grad)).toEqual([1, 0, 0]);
    expect(mse(new Float64Array([1]), [M])).toEqual({ loss: 0, grad: new Float64Array(1), count: 0 });
  });

  it("has an exact gradient", () => {
    gradcheck((v) => mse(v, [0.1, 0.9, M, 0.5]), randomVector(4, 3));
  });
});

describe("focalLoss", () => {
  // Row 0: z = [1, 2, 3], y = 2: log p = -0.4076059644443806, p = 0.6652409557748217,
  //        (1-p)^2 * (-log p) = 0.3347590442251783^2 * 0.40760596 = 0.04567779896788498
  // Row 1: z = [1, 1, 1], y = 0: p = 1/3: (2/3)^2 * log 3 = 0.48827212829693767
  const logits = new Float64Array([1, 2, 3, 1, 1, 1, 0, 0, 0]);
  const labels = [2, 0, M];

  it("matches Eq. 24 by hand (gamma 2, alpha 1), mean over labelled samples", () => {
    const r = focalLoss(logits, labels, 3);
    expect(r.loss).toBeCloseTo((0.04567779896788498 + 0.48827212829693767) / 2, 14); // 0.2669749636324113
    expect(r.count).toBe(2);
    expect(Array.from(r.grad.slice(6))).toEqual([0, 0, 0]);
  });

  it("applies class weights inside, with both normalisations", () => {
    // weights [2, 1, 0.5]: numerator 0.5 * 0.0456778 + 2 * 0.4882721 = 0.9993831560778178
    const w = [2, 1, 0.5];
    expect(focalLoss(logits, labels, 3, { weights: w }).loss).toBeCloseTo(0.9993831560778178 / 2, 14);
    expect(focalLoss(logits, labels, 3, { weights: w, normalization: "weights" }).loss).toBeCloseTo(
      0.9993831560778178 / 2.5,
      14,
    );
    // alpha scales linearly
    expect(focalLoss(logits, labels, 3, { weights: w, alpha: 0.25 }).loss).toBeCloseTo(
      (0.25 * 0.9993831560778178) / 2,
      14,
    );
  });

  it("with gamma 0 and 'weights' normalisation equals weighted cross-entropy, value and gradient", () => {
    const v = randomVector(6 * 3, 5, -3, 3);
    const ys = [0, 2, M, 1, 1, 0];
    const w = [1.5, 0.5, 3];
    const a = focalLoss(v, ys, 3, { gamma: 0, weights: w, normalization: "weights" });
    const b = crossEntropy(v, ys, 3, { weights: w });
    expect(a.loss).toBeCloseTo(b.loss, 14);
    for (let i = 0; i < v.length; i++) expect(a.grad[i]).toBeCloseTo(b.grad[i], 14);
  });

  it("has exact gradients for several gammas and weights", () => {
    const v = randomVector(5 * 3, 6, -3, 3);
    const ys = [0, 2, M, 1, 2];
    for (const gamma of [0, 0.5, 1, 2, 3.5]) {
      gradcheck((x) => focalLoss(x, ys, 3, { gamma, weights: [0.7, 1.9, 1.1] }), v);
      gradcheck(
        (x) => focalLoss(x, ys, 3, { gamma, alpha: 0.5, normalization: "weights", weights: [0.7, 1.9, 1.1] }),
        v,
      );
    }
  });

  it("stays finite when the true class has probability 1 in float64", () => {
    for (const gamma of [0.5, 2]) {
      const r = focalLoss(new Float64Array([800, 0, 0]), [0], 3, { gamma });
      expect(r.loss).toBe(0);
      expect(r.grad.every((g) => Number.isFinite(g))).toBe(true);
    }
  });

  it("gives loss 0 and zero gradient when nothing is labelled", () => {
    const r = focalLoss(new Float64Array([1, 2, 3, 4, 5, 6]), [M, M], 3);
    expect(r.loss).toBe(0);
    expect(r.grad.every((g) => g === 0)).toBe(true);
  });
});

describe("inverseFrequencyWeights", () => {
  it("computes Eq. 23 with N = all samples of the split, ignoring -100 in the counts", () => {
    // labels: class 0 x1, class 1 x2, class 2 x3, 2 missing -> N = 8, K = 3
    // w = 8/(3*1), 8/(3*2), 8/(3*3)
    const labels = [0, 1, 1, 2, 2, 2, M, M];
    const w = inverseFrequencyWeights(labels, 3);
    expect(w[0]).toBeCloseTo(8 / 3, 15);
    expect(w[1]).toBeCloseTo(8 / 6, 15);
    expect(w[2]).toBeCloseTo(8 / 9, 15);
    // sklearn "balanced": N = 6 labelled -> 2, 1, 2/3
    const b = inverseFrequencyWeights(labels, 3, { n: "labelled" });
    expect(Array.from(b).map((x) => Number(x.toFixed(12)))).toEqual([2, 1, Number((2 / 3).toFixed(12))]);
  });

  it("gives 0 to a class that never occurs", () => {
    expect(Array.from(inverseFrequencyWeights([0, 0, 1, 1], 3, { n: "labelled" }))).toEqual([
      4 / 6,
      4 / 6,
      0,
    ]);
  });
});

describe("weightedTaskSum", () => {
  it("computes sum_t lambda_t L_t and scales each task's gradient", () => {
    const a = { loss: 2, grad: new Float64Array([1, -1]), count: 2 };
    const b = { loss: 0, grad: new Float64Array([0]), count: 0 };
    const c = { loss: 0.5, grad: new Float64Array([4]), count: 1 };
    const r = weightedTaskSum([a, b, c], [0.2, 0.2, 1]);
    expect(r.loss).toBeCloseTo(0.2 * 2 + 0.5, 15);
    expect(r.parts).toEqual([0.4, 0, 0.5]);
    expect(Array.from(r.grads[0] as Float64Array)).toEqual([0.2, -0.2]);
    expect(Array.from(r.grads[1] as Float64Array)).toEqual([0]);
    expect(Array.from(r.grads[2] as Float64Array)).toEqual([4]);
    expect(() => weightedTaskSum([a], [1, 2])).toThrow(/lambdas/);
  });
});
