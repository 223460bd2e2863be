import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.ts";
import { layoutTasks } from "../../../src/models/task-info.ts";
import { MISSING } from "../../../src/training/dataset.ts";
import { auroc, chexpertMetrics } from "../../../src/datasets/chexpert/metrics.ts";
import { CHEXPERT_TASKS } from "../../../src/datasets/chexpert/labels.ts";

/** brute force: fraction of (positive, negative) pairs ordered correctly, ties 1/2 */
function pairAuc(s: number[], y: number[]): number {
  let num = 0,
    den = 0;
  for (let i = 0; i < s.length; i++)
    for (let j = 0; j < s.length; j++) {
      if (y[i] !== 1 || y[j] !== 0) continue;
      den++;
      num += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  return num / den;
}

describe("CheXpert metrics", () => {
  it("AUROC equals the pairwise count, with ties, on random data", () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + rng.int(40);
      const s = Array.from({ length: n }, () => Math.round(rng.uniform() * 6) / 6);
      const y = Array.from({ length: n }, (_, i) => (i < 2 ? i : rng.uniform() < 0.4 ? 1 : 0));
      expect(Math.abs(auroc(s, y)! - pairAuc(s, y))).toBeLessThan(1e-12);
    }
    expect(auroc([0.1, 0.2], [1, 1])).toBeNull();
    expect(auroc([0.1, 0.9, 0.5], [0, 1, 0])).toBe(1);
  });

  it("scores p+ = p_pos / (p_pos + p_neg) on non-uncertain samples only, per task", () => {
    const tasks = layoutTasks(CHEXPERT_TASKS);
    const n = 6;
    const rng = new Rng(2);
    const logits = Float64Array.from({ length: n * 15 }, () => rng.normal() * 2);
    // task 0 labels: uncertain, neg, pos, missing, pos, neg; other tasks all negative
    const y0 = Float64Array.from([0, 1, 2, MISSING, 2, 1]);
    const labels = [y0, ...Array.from({ length: 4 }, () => new Float64Array(n).fill(1))];
    const m = chexpertMetrics(tasks, logits, 15, { n, dim: 1, features: new Float64Array(n), labels });
    // by hand from softmax probabilities
    const scored = [1, 2, 4, 5];
    const truth = [0, 1, 1, 0];
    const pPos = scored.map((i) => {
      const z = [logits[i * 15]!, logits[i * 15 + 1]!, logits[i * 15 + 2]!];
      const e = z.map((v) => Math.exp(v));
      return e[2]! / (e[1]! + e[2]!);
    });
    const pred = pPos.map((p) => (p >= 0.5 ? 1 : 0));
    const tp = pred.filter((p, k) => p === 1 && truth[k] === 1).length;
    const fp = pred.filter((p, k) => p === 1 && truth[k] === 0).length;
    const fn = pred.filter((p, k) => p === 0 && truth[k] === 1).length;
    const t0 = m["Atelectasis"]!;
    expect(t0["n"]).toBe(4);
    expect(t0["n_uncertain"]).toBe(1);
    expect(t0["n_missing"]).toBe(1);
    expect(t0["accuracy"]).toBeCloseTo(pred.filter((p, k) => p === truth[k]).length / 4, 12);
    expect(t0["f1"]).toBeCloseTo(2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn), 12);
    expect(t0["auroc"]).toBeCloseTo(pairAuc(pPos, truth), 12);
    expect(m["Edema"]!["auroc"]).toBeUndefined(); // a single class: no AUROC
    expect(m["Edema"]!["n"]).toBe(6);
  });
});
