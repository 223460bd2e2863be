import { describe, expect, it } from "vitest";
import { loadDevice } from "../../src/devices/load.ts";
import { applyReadoutConfusion, emulateReadout } from "../../src/hardware/emulate.ts";
import type { HwCircuit } from "../../src/hardware/hw-circuit.ts";
import { Rng } from "../../src/core/rng.ts";
import { transpile } from "../../src/hardware/transpile/index.ts";
import { expectationsHw } from "../../src/hardware/hw-simulate.ts";
import { flat, paperHeads, randomValues } from "./heads.ts";

describe("readout-error emulation", () => {
  const dev = loadDevice("ibm_boston");
  it("matches closed forms on basis states: <Z> = 1 - 2 P(1|0), -(1 - 2 P(0|1)), products for parities", () => {
    const hc: HwCircuit = {
      nQubits: 156,
      nInputs: 0,
      nWeights: 0,
      ops: [
        { gate: "x", qubits: [0], angles: [] },
        { gate: "rz", qubits: [1], angles: [{ c: 0.3, terms: [] }] },
      ],
      observables: [
        { factors: [{ pauli: "Z", wire: 0 }] },
        { factors: [{ pauli: "Z", wire: 1 }] },
        {
          factors: [
            { pauli: "Z", wire: 0 },
            { pauli: "Z", wire: 1 },
          ],
        },
      ],
    };
    const a = dev.qubits[0]!.probMeas0Prep1,
      b = dev.qubits[1]!.probMeas1Prep0;
    const e = emulateReadout(hc, [], dev);
    expect(e.values[0]).toBeCloseTo(-(1 - 2 * a), 14);
    expect(e.values[1]).toBeCloseTo(1 - 2 * b, 14);
    expect(e.values[2]).toBeCloseTo(-(1 - 2 * a) * (1 - 2 * b), 14);
    expect(a).not.toBe(0);
  });

  it("confusion keeps probability mass and flips the right bit", () => {
    const d = Float64Array.from([0.5, 0.25, 0.25, 0]);
    applyReadoutConfusion(d, [0.1, 0], [0, 0]);
    expect(d.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 15);
    expect(d[0]).toBeCloseTo(0.45, 15);
    expect(d[1]).toBeCloseTo(0.3, 15);
  });

  it("on a paper head: readout error only shrinks values toward 0 on average; shots scatter around the exact value", () => {
    const [, c] = paperHeads().find(([n]) => n === "mustard")!;
    const { inputs, weights } = randomValues(c, 2);
    const p = flat(inputs, weights);
    const t = transpile(c, dev);
    const ideal = expectationsHw(t.circuit, p);
    const noisy = emulateReadout(t.circuit, p, dev).values;
    let shrink = 0;
    for (let i = 0; i < ideal.length; i++) shrink += Math.abs(ideal[i]!) - Math.abs(noisy[i]!);
    expect(shrink).toBeGreaterThan(0);
    const sampled = emulateReadout(t.circuit, p, dev, { shots: 20000, rng: new Rng(3) }).values;
    for (let i = 0; i < ideal.length; i++)
      expect(Math.abs(sampled[i]! - noisy[i]!)).toBeLessThan(5 / Math.sqrt(20000) + 1e-9);
  });
});
