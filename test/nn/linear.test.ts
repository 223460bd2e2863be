import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { Linear } from "../../src/nn/linear.ts";
import { checkModuleGrads, randomVector } from "./gradcheck.ts";

const ctx = () => ({ training: true, rng: new Rng(1) });

describe("Linear", () => {
  it("initialises weight and bias in U(-1/sqrt(in), 1/sqrt(in)) from the seed (PyTorch default)", () => {
    const a = new Linear(16, 5, new Rng(3));
    const b = new Linear(16, 5, new Rng(3));
    expect(Array.from(a.weight.value)).toEqual(Array.from(b.weight.value));
    expect(a.weight.shape).toEqual([5, 16]);
    expect(a.bias?.shape).toEqual([5]);
    const bound = 1 / Math.sqrt(16);
    for (const v of [...a.weight.value, ...(a.bias?.value ?? [])]) {
      expect(Math.abs(v)).toBeLessThan(bound);
    }
    // Spread: a sample of 80 uniform draws covers most of the interval.
    const all = [...a.weight.value];
    expect(Math.max(...all)).toBeGreaterThan(0.8 * bound);
    expect(Math.min(...all)).toBeLessThan(-0.8 * bound);
  });

  it("computes x W^T + b by hand", () => {
    const l = new Linear(2, 2, new Rng(0));
    l.weight.value.set([1, 2, 3, 4]); // W = [[1,2],[3,4]]
    l.bias?.value.set([0.5, -1]);
    // batch of 2: x0 = [1, 1] -> [1+2+0.5, 3+4-1] = [3.5, 6]; x1 = [2, -1] -> [2-2+0.5, 6-4-1] = [0.5, 1]
    const y = l.forward(new Float64Array([1, 1, 2, -1]), 2, ctx());
    expect(Array.from(y)).toEqual([3.5, 6, 0.5, 1]);
    // dL/dx for dL/dy = [1, 0, 0, 1]: row 0 -> W[0] = [1, 2]; row 1 -> W[1] = [3, 4]
    const dx = l.backward(new Float64Array([1, 0, 0, 1]));
    expect(Array.from(dx)).toEqual([1, 2, 3, 4]);
    // dW = sum_b g_b^T x_b = [[1,1],[0,0]] + [[0,0],[2,-1]]; db = [1, 1]
    expect(Array.from(l.weight.grad)).toEqual([1, 1, 2, -1]);
    expect(Array.from(l.bias?.grad ?? [])).toEqual([1, 1]);
    expect(l.weight.hasGrad).toBe(true);
  });

  it("accumulates gradients across backward calls until zeroGrad", () => {
    const l = new Linear(3, 2, new Rng(4));
    const x = randomVector(6, 9);
    const g = randomVector(4, 10);
    l.forward(x, 2, ctx());
    l.backward(g);
    const once = Float64Array.from(l.weight.grad);
    l.backward(g);
    for (let i = 0; i < once.length; i++) expect(l.weight.grad[i]).toBeCloseTo(2 * once[i], 14);
    l.zeroGrad();
    expect(l.weight.grad.every((v) => v === 0)).toBe(true);
    expect(l.weight.hasGrad).toBe(false);
  });

  it("has exact input and parameter gradients (central differences)", () => {
    const l = new Linear(7, 4, new Rng(5));
    const rep = checkModuleGrads(l, randomVector(3 * 7, 6), 3, ctx);
    expect(rep.maxRelErr, rep.worst).toBeLessThan(1e-7);
    expect(rep.checked).toBe(3 * 7 + 4 * 7 + 4);
  });

  it("works without bias", () => {
    const l = new Linear(3, 2, new Rng(5), { bias: false });
    expect(l.params().length).toBe(1);
    const rep = checkModuleGrads(l, randomVector(6, 7), 2, ctx);
    expect(rep.maxRelErr, rep.worst).toBeLessThan(1e-7);
  });

  it("rejects bad sizes and inputs with the field named", () => {
    expect(() => new Linear(0, 2, new Rng(1))).toThrow(/Linear.inSize/);
    const l = new Linear(3, 2, new Rng(1));
    expect(() => l.forward(new Float64Array(5), 2, ctx())).toThrow(
      /Linear.forward x: expected length batch\*inSize = 2\*3 = 6/,
    );
    expect(() => l.backward(new Float64Array(4))).toThrow(/preceding forward/);
    l.forward(new Float64Array(6), 2, ctx());
    expect(() => l.backward(new Float64Array(3))).toThrow(/gradOut/);
  });
});
