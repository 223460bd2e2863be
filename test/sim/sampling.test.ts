import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { sampleExpectations } from "../../src/sim/sampling.ts";
import { compile, simulateSample } from "../../src/sim/simulate.ts";
import { expvalPauli, pauliMasks } from "../../src/sim/pauli-ops.ts";
import { randomCircuit, randomArray } from "../helpers/random-circuit.ts";

describe("finite-shot estimation", () => {
  const c = randomCircuit(3, 4, 30);
  const rng = new Rng(9);
  const x = randomArray(rng, c.nInputs),
    w = randomArray(rng, c.nWeights);
  const psi = simulateSample(compile(c), x, 0, w);
  const exact = c.observables.map((o) => expvalPauli(psi, pauliMasks(o, 4)));

  it("estimates fall within 5 standard errors of the exact values", () => {
    const est = sampleExpectations(psi, c.observables, 20000, new Rng(1));
    exact.forEach((e, i) => {
      expect(Math.abs(est.means[i]! - e)).toBeLessThan(5 * est.stderr[i]! + 1e-9);
      expect(est.stderr[i]).toBeLessThan(0.01);
    });
  });

  it("is reproducible from the seed and varies with it", () => {
    const a = sampleExpectations(psi, c.observables, 500, new Rng(42));
    const b = sampleExpectations(psi, c.observables, 500, new Rng(42));
    const d = sampleExpectations(psi, c.observables, 500, new Rng(43));
    expect(Array.from(a.means)).toEqual(Array.from(b.means));
    expect(Array.from(a.means)).not.toEqual(Array.from(d.means));
  });

  it("rejects a non-integer shot count", () => {
    expect(() => sampleExpectations(psi, c.observables, 0.5, new Rng(1))).toThrow(
      /shots: expected an integer/,
    );
  });
});
