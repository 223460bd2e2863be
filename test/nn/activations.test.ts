import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { ReLU } from "../../src/nn/relu.ts";
import { Tanh } from "../../src/nn/tanh.ts";
import { checkModuleGrads, randomVector } from "./gradcheck.ts";

const ctx = () => ({ training: true, rng: new Rng(1) });

describe("Tanh", () => {
  it("maps elementwise and differentiates as 1 - tanh^2", () => {
    const t = new Tanh(2);
    const y = t.forward(new Float64Array([0, 1]), 1, ctx());
    expect(y[0]).toBe(0);
    expect(y[1]).toBeCloseTo(0.7615941559557649, 15);
    const dx = t.backward(new Float64Array([2, 1]));
    expect(dx[0]).toBe(2);
    expect(dx[1]).toBeCloseTo(1 - 0.7615941559557649 ** 2, 15);
  });

  it("passes a finite-difference check", () => {
    const rep = checkModuleGrads(new Tanh(5), randomVector(15, 2, -2, 2), 3, ctx);
    expect(rep.maxRelErr, rep.worst).toBeLessThan(1e-7);
  });
});

describe("ReLU", () => {
  it("zeroes negatives, and its gradient at exactly 0 is 0 (PyTorch)", () => {
    const r = new ReLU(4);
    const y = r.forward(new Float64Array([-1, 0, 2, 3]), 1, ctx());
    expect(Array.from(y)).toEqual([0, 0, 2, 3]);
    expect(Array.from(r.backward(new Float64Array([5, 5, 5, 5])))).toEqual([0, 0, 5, 5]);
  });

  it("passes a finite-difference check away from the kink", () => {
    const x = randomVector(20, 3, -2, 2).map((v) => (Math.abs(v) < 0.01 ? 0.5 : v));
    const rep = checkModuleGrads(new ReLU(5), x, 4, ctx);
    expect(rep.maxRelErr, rep.worst).toBeLessThan(1e-7);
  });
});
