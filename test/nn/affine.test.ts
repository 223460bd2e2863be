import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { Affine } from "../../src/nn/affine.ts";
import { checkModuleGrads, randomVector } from "./gradcheck.ts";

const ctx = () => ({ training: true, rng: new Rng(1) });

describe("Affine", () => {
  it("computes beta + gamma * x per feature (STS-B head: gamma 1, beta 0.5)", () => {
    const a = new Affine(1, { gammaInit: 1, betaInit: 0.5 });
    const y = a.forward(new Float64Array([0.2, -0.4]), 2, ctx());
    expect(y[0]).toBeCloseTo(0.7, 15);
    expect(y[1]).toBeCloseTo(0.1, 15);
    // dL/dgamma = sum g*x = 0.2 - 0.4*2 ; dL/dbeta = sum g = 3 ; dx = g*gamma
    const dx = a.backward(new Float64Array([1, 2]));
    expect(Array.from(dx)).toEqual([1, 2]);
    expect(a.gamma.grad[0]).toBeCloseTo(0.2 - 0.8, 15);
    expect(a.beta?.grad[0]).toBe(3);
  });

  it("shares one scalar temperature across features when asked", () => {
    const t = new Affine(3, { shared: true, bias: false, gammaInit: 2 });
    expect(t.params().length).toBe(1);
    expect(t.gamma.value.length).toBe(1);
    expect(Array.from(t.forward(new Float64Array([1, -1, 3]), 1, ctx()))).toEqual([2, -2, 6]);
  });

  it("passes finite-difference checks per feature and shared", () => {
    const a = new Affine(4, { gammaInit: 0.7, betaInit: -0.2 });
    a.gamma.value.set([0.7, 1.3, -0.5, 2]);
    let rep = checkModuleGrads(a, randomVector(12, 3), 3, ctx);
    expect(rep.maxRelErr, rep.worst).toBeLessThan(1e-7);
    rep = checkModuleGrads(new Affine(4, { shared: true, gammaInit: 1.7 }), randomVector(12, 4), 3, ctx);
    expect(rep.maxRelErr, rep.worst).toBeLessThan(1e-7);
  });

  it("rejects non-finite initial values", () => {
    expect(() => new Affine(2, { gammaInit: Number.NaN })).toThrow(/Affine.gammaInit/);
  });
});
