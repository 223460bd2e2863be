import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { Dropout } from "../../src/nn/dropout.ts";
import { checkModuleGrads, randomVector } from "./gradcheck.ts";

describe("Dropout", () => {
  it("is the identity in eval mode (forward and backward)", () => {
    const d = new Dropout(3, 0.5);
    const x = new Float64Array([1, 2, 3, 4, 5, 6]);
    const y = d.forward(x, 2, { training: false, rng: new Rng(1) });
    expect(Array.from(y)).toEqual(Array.from(x));
    expect(y).not.toBe(x);
    expect(Array.from(d.backward(new Float64Array([1, 1, 1, 1, 1, 1])))).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("keeps entries with probability 1-p, scaled by 1/(1-p), reproducibly from the seed", () => {
    const n = 20000;
    const d = new Dropout(n, 0.3);
    const x = new Float64Array(n).fill(1);
    const y = d.forward(x, 1, { training: true, rng: new Rng(42) });
    const kept = y.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-14)).toBe(true);
    // Binomial(20000, 0.7): sd = sqrt(20000*0.21) ~ 65; allow 5 sd.
    expect(Math.abs(kept.length - 14000)).toBeLessThan(325);
    const y2 = new Dropout(n, 0.3).forward(x, 1, { training: true, rng: new Rng(42) });
    expect(Array.from(y2)).toEqual(Array.from(y));
    // backward applies the same mask
    const dx = d.backward(new Float64Array(n).fill(2));
    expect(dx.every((v, i) => v === 2 * (y[i] as number))).toBe(true);
  });

  it("p = 1 zeroes everything and p = 0 draws nothing", () => {
    const x = new Float64Array([1, 2]);
    expect(Array.from(new Dropout(2, 1).forward(x, 1, { training: true, rng: new Rng(1) }))).toEqual([0, 0]);
    const rng = new Rng(7);
    expect(Array.from(new Dropout(2, 0).forward(x, 1, { training: true, rng }))).toEqual([1, 2]);
    expect(rng.uniform()).toBe(new Rng(7).uniform());
  });

  it("passes a finite-difference check with a fixed mask", () => {
    const rep = checkModuleGrads(new Dropout(6, 0.4), randomVector(18, 3), 3, () => ({
      training: true,
      rng: new Rng(9),
    }));
    expect(rep.maxRelErr, rep.worst).toBeLessThan(1e-7);
  });

  it("rejects p outside [0, 1]", () => {
    expect(() => new Dropout(2, 1.5)).toThrow(/Dropout.p/);
    expect(() => new Dropout(2, Number.NaN)).toThrow(/Dropout.p/);
  });
});
