import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { Affine } from "../../src/nn/affine.ts";
import { BatchNorm1d } from "../../src/nn/batch-norm.ts";
import { Dropout } from "../../src/nn/dropout.ts";
import { Linear } from "../../src/nn/linear.ts";
import { countParams } from "../../src/nn/param.ts";
import { ReLU } from "../../src/nn/relu.ts";
import { Sequential } from "../../src/nn/sequential.ts";
import { Tanh } from "../../src/nn/tanh.ts";
import { checkModuleGrads, randomVector } from "./gradcheck.ts";

function stack(): Sequential {
  const rng = new Rng(21);
  return new Sequential([
    new Linear(6, 5, rng),
    new BatchNorm1d(5),
    new ReLU(5),
    new Dropout(5, 0.2),
    new Linear(5, 3, rng),
    new Tanh(3),
    new Affine(3, { shared: true, bias: false, gammaInit: 1.5 }),
  ]);
}

describe("Sequential", () => {
  it("names parameters and buffers by position, like torch.nn.Sequential", () => {
    const s = stack();
    expect(s.namedParams().map(([n]) => n)).toEqual([
      "0.weight",
      "0.bias",
      "1.weight",
      "1.bias",
      "4.weight",
      "4.bias",
      "6.gamma",
    ]);
    expect(s.namedBuffers().map(([n]) => n)).toEqual([
      "1.running_mean",
      "1.running_var",
      "1.num_batches_tracked",
    ]);
    expect(countParams(s.params())).toBe(6 * 5 + 5 + 10 + 5 * 3 + 3 + 1);
    expect(s.inSize).toBe(6);
    expect(s.outSize).toBe(3);
  });

  it("backward(g, false) skips the first layer's input gradient and leaves every parameter gradient unchanged", () => {
    const x = randomVector(4 * 6, 31, -2, 2),
      g = randomVector(4 * 3, 32, -1, 1);
    const grads = (need: boolean): { dx: Float64Array; params: Float64Array[] } => {
      const s = stack();
      s.forward(x, 4, { training: true, rng: new Rng(33) });
      const dx = s.backward(g, need);
      return { dx, params: s.params().map((p) => p.grad.slice()) };
    };
    const all = grads(true),
      some = grads(false);
    expect(all.dx.length).toBe(4 * 6);
    expect(some.dx.length).toBe(0);
    expect(some.params.length).toBe(all.params.length);
    some.params.forEach((p, k) => expect(Array.from(p)).toEqual(Array.from(all.params[k]!)));
  });

  it("has exact gradients through Linear-BatchNorm(train)-ReLU-Dropout-Linear-Tanh-Affine", () => {
    const rep = checkModuleGrads(stack(), randomVector(4 * 6, 22, -2, 2), 4, () => ({
      training: true,
      rng: new Rng(23),
    }));
    expect(rep.maxRelErr, rep.worst).toBeLessThan(1e-7);
    expect(rep.checked).toBe(24 + 64);
  });

  it("has exact gradients in eval mode", () => {
    const rep = checkModuleGrads(stack(), randomVector(3 * 6, 24, -2, 2), 3, () => ({
      training: false,
      rng: new Rng(1),
    }));
    expect(rep.maxRelErr, rep.worst).toBeLessThan(1e-7);
  });

  it("zeroGrad reaches every child", () => {
    const s = stack();
    s.forward(randomVector(12, 1), 2, { training: true, rng: new Rng(2) });
    s.backward(randomVector(6, 2));
    expect(s.params().every((p) => p.hasGrad)).toBe(true);
    s.zeroGrad();
    expect(s.params().every((p) => !p.hasGrad && p.grad.every((g) => g === 0))).toBe(true);
  });

  it("refuses layers whose sizes do not chain", () => {
    const rng = new Rng(1);
    expect(() => new Sequential([new Linear(4, 3, rng), new ReLU(4)])).toThrow(
      /Sequential.layers\[1\].inSize: expected 3/,
    );
    expect(() => new Sequential([])).toThrow(/at least one module/);
  });
});
