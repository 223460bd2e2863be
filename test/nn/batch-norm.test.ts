import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { BatchNorm1d } from "../../src/nn/batch-norm.ts";
import { checkModuleGrads, randomVector } from "./gradcheck.ts";

const train = () => ({ training: true, rng: new Rng(1) });
const evalCtx = () => ({ training: false, rng: new Rng(1) });

describe("BatchNorm1d", () => {
  it("normalises with batch statistics and updates running stats as PyTorch does", () => {
    const bn = new BatchNorm1d(2);
    bn.weight?.value.set([2, 1]);
    bn.bias?.value.set([0.5, 0]);
    // feature 0 over the batch: [1, 2, 3]: mean 2, biased var 2/3, unbiased var 1
    // feature 1 over the batch: [0, 0, 6]: mean 2, biased var (4+4+16)/3 = 8, unbiased var 12
    const x = new Float64Array([1, 0, 2, 0, 3, 6]);
    const y = bn.forward(x, 3, train());
    const s0 = Math.sqrt(2 / 3 + 1e-5);
    const s1 = Math.sqrt(8 + 1e-5);
    const expected = [0.5 + (2 * -1) / s0, -2 / s1, 0.5, -2 / s1, 0.5 + (2 * 1) / s0, 4 / s1];
    for (let i = 0; i < 6; i++) expect(y[i]).toBeCloseTo(expected[i], 13);
    // running_mean = 0.9*0 + 0.1*2 = 0.2 (both); running_var = 0.9*1 + 0.1*unbiased = 1.0 and 2.1
    expect(bn.runningMean.value[0]).toBeCloseTo(0.2, 15);
    expect(bn.runningMean.value[1]).toBeCloseTo(0.2, 15);
    expect(bn.runningVar.value[0]).toBeCloseTo(1.0, 15);
    expect(bn.runningVar.value[1]).toBeCloseTo(2.1, 15);
    expect(bn.numBatchesTracked.value[0]).toBe(1);
    // eval: one sample [2, 8] uses the running statistics
    const ye = bn.forward(new Float64Array([2, 8]), 1, evalCtx());
    expect(ye[0]).toBeCloseTo(0.5 + (2 * (2 - 0.2)) / Math.sqrt(1.0 + 1e-5), 13);
    expect(ye[1]).toBeCloseTo((8 - 0.2) / Math.sqrt(2.1 + 1e-5), 13);
    expect(bn.numBatchesTracked.value[0]).toBe(1);
  });

  it("has exact gradients in training mode, through the batch statistics", () => {
    const bn = new BatchNorm1d(4);
    bn.weight?.value.set([1.5, -0.7, 0.3, 2]);
    bn.bias?.value.set([0.1, 0.2, -0.3, 0]);
    const rep = checkModuleGrads(bn, randomVector(5 * 4, 11, -2, 2), 5, train);
    expect(rep.maxRelErr, rep.worst).toBeLessThan(1e-7);
    expect(rep.checked).toBe(20 + 8);
  });

  it("has exact gradients in training mode without affine parameters and at batch 2", () => {
    const bn = new BatchNorm1d(3, { affine: false });
    expect(bn.params().length).toBe(0);
    const rep = checkModuleGrads(bn, randomVector(2 * 3, 12, -2, 2), 2, train);
    expect(rep.maxRelErr, rep.worst).toBeLessThan(1e-7);
  });

  it("has exact gradients in eval mode", () => {
    const bn = new BatchNorm1d(3);
    bn.runningMean.value.set([0.3, -0.2, 1]);
    bn.runningVar.value.set([0.5, 2, 1.5]);
    bn.weight?.value.set([1.2, 0.8, -1]);
    const rep = checkModuleGrads(bn, randomVector(4 * 3, 13), 4, evalCtx);
    expect(rep.maxRelErr, rep.worst).toBeLessThan(1e-7);
  });

  it("refuses a batch of one in training mode, like PyTorch", () => {
    expect(() => new BatchNorm1d(2).forward(new Float64Array(2), 1, train())).toThrow(/more than 1 sample/);
  });

  it("names its state like torch (weight, bias, running_mean, running_var, num_batches_tracked)", () => {
    const bn = new BatchNorm1d(2);
    expect(bn.namedParams().map(([n]) => n)).toEqual(["weight", "bias"]);
    expect(bn.namedBuffers().map(([n]) => n)).toEqual(["running_mean", "running_var", "num_batches_tracked"]);
  });
});
