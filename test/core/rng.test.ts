import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";

describe("seeded RNG", () => {
  it("same seed, same stream; different seed, different stream", () => {
    const a = new Rng(7),
      b = new Rng(7),
      c = new Rng(8);
    const xa = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xa);
  });
  it("uniform in [0,1) with the right mean; normal with mean 0 and variance 1", () => {
    const r = new Rng(1);
    let s = 0,
      s2 = 0,
      n = 20000,
      m = 0,
      v = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      s += u;
    }
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      m += z;
      s2 += z * z;
    }
    m /= n;
    v = s2 / n - m * m;
    expect(s / n).toBeCloseTo(0.5, 1);
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
  });
  it("state round-trips for checkpoints", () => {
    const r = new Rng(3);
    r.normal(); // leaves a spare normal cached
    const st = r.getState();
    const ahead = [r.normal(), r.uniform(), r.int(100)];
    const q = new Rng(999);
    q.setState(st);
    expect([q.normal(), q.uniform(), q.int(100)]).toEqual(ahead);
    expect(() => q.setState([1, 2])).toThrow(/Rng state/);
  });
  it("fork gives independent, reproducible streams", () => {
    const a = new Rng(5).fork("data").uniform(),
      b = new Rng(5).fork("data").uniform(),
      c = new Rng(5).fork("model").uniform();
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});
