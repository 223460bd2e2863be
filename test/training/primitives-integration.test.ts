import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { BatchNorm1d } from "../../src/nn/batch-norm.ts";
import { Linear } from "../../src/nn/linear.ts";
import { ReLU } from "../../src/nn/relu.ts";
import { Sequential } from "../../src/nn/sequential.ts";
import { loadStateDict, stateDict } from "../../src/nn/state-dict.ts";
import { crossEntropy } from "../../src/training/losses/ce.ts";
import { argmaxRows } from "../../src/training/metrics/predictions.ts";
import { accuracy } from "../../src/training/metrics/classification.ts";
import { AdamW } from "../../src/training/optim/adam.ts";
import { clipGradNorm } from "../../src/training/optim/clip.ts";

/** Three Gaussian blobs in 4-D; class = blob. */
function blobs(n: number, rng: Rng): { x: Float64Array; y: number[] } {
  const centers = [
    [2, 0, 0, 1],
    [-2, 1, 0, -1],
    [0, -2, 2, 0],
  ];
  const x = new Float64Array(n * 4);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    y.push(c);
    for (let j = 0; j < 4; j++) x[i * 4 + j] = ((centers[c] as number[])[j] as number) + 0.5 * rng.normal();
  }
  return { x, y };
}

describe("layers + loss + AdamW + clipping train a classifier", () => {
  it("reaches high accuracy on separable blobs, and a checkpoint reproduces its predictions", () => {
    const rng = new Rng(3);
    const net = new Sequential([
      new Linear(4, 16, rng),
      new BatchNorm1d(16),
      new ReLU(16),
      new Linear(16, 3, rng),
    ]);
    const opt = new AdamW(net.params(), { lr: 0.01, weightDecay: 0.01 });
    const data = blobs(96, rng.fork("data"));
    const dropRng = rng.fork("train");
    let first = 0;
    let last = 0;
    for (let epoch = 0; epoch < 60; epoch++) {
      opt.zeroGrad();
      const logits = net.forward(data.x, 96, { training: true, rng: dropRng });
      const { loss, grad } = crossEntropy(logits, data.y, 3);
      if (epoch === 0) first = loss;
      last = loss;
      net.backward(grad);
      clipGradNorm(net.params(), 1.0);
      opt.step();
    }
    expect(last).toBeLessThan(first / 4);
    const evalCtx = { training: false, rng: new Rng(0) };
    const pred = argmaxRows(net.forward(data.x, 96, evalCtx), 3);
    expect(accuracy(data.y, pred)).toBeGreaterThan(0.95);
    const copy = new Sequential([
      new Linear(4, 16, new Rng(9)),
      new BatchNorm1d(16),
      new ReLU(16),
      new Linear(16, 3, new Rng(9)),
    ]);
    loadStateDict(copy, JSON.parse(JSON.stringify(stateDict(net))) as Record<string, number[]>);
    expect(Array.from(copy.forward(data.x, 96, evalCtx))).toEqual(
      Array.from(net.forward(data.x, 96, evalCtx)),
    );
  });
});
