import { describe, expect, it } from "vitest";
import { parsePauliWord } from "../../src/circuits/pauli.ts";
import { loadDevice } from "../../src/devices/load.ts";
import {
  expvalsFromSamples,
  fromQiskitPauli,
  measurementSettings,
  settingCircuit,
  toQiskitPauli,
} from "../../src/hardware/observables.ts";
import { compactMap, expvalsHw, simulateHw } from "../../src/hardware/hw-simulate.ts";
import { checkIsa, transpile } from "../../src/hardware/transpile/index.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { flat, logicalExpvals, paperHeads, randomValues } from "./heads.ts";

describe("Qiskit Pauli strings", () => {
  it("rightmost character is qubit 0", () => {
    expect(toQiskitPauli(parsePauliWord("Z0", 3), 3)).toBe("IIZ");
    expect(toQiskitPauli(parsePauliWord("Z0 X2", 3), 3)).toBe("XIZ");
    expect(toQiskitPauli(parsePauliWord("Y1", 2), 2)).toBe("YI");
    expect(fromQiskitPauli("XIZ")).toEqual({
      factors: [
        { pauli: "Z", wire: 0 },
        { pauli: "X", wire: 2 },
      ],
    });
    expect(() => toQiskitPauli(parsePauliWord("Z3", 4), 3)).toThrow(ValidationError);
    expect(() => fromQiskitPauli("ZA")).toThrow(ValidationError);
  });

  it("groups the MUStARD head's 25 words into qubit-wise-commuting settings", () => {
    const [, c] = paperHeads().find(([n]) => n === "mustard")!;
    const settings = measurementSettings(c.observables);
    // every Z and ZZ word fits one all-Z setting; the all-X words of the 2- and 4-qubit tasks sit on
    // disjoint wires, so they share the second setting
    expect(settings.length).toBe(2);
    expect(settings.flatMap((s) => s.members).sort((a, b) => a - b)).toEqual(c.observables.map((_, i) => i));
  });
});

describe("settings measured on the transpiled circuit reproduce the logical values", () => {
  for (const name of ["mustard", "chexpert"]) {
    it(`${name}: exact parities of every setting circuit equal the logical expectation values (1e-10)`, () => {
      const [, c] = paperHeads().find(([n]) => n === name)!;
      const { inputs, weights } = randomValues(c, 21);
      const ref = logicalExpvals(c, inputs, weights);
      const dev = loadDevice("ibm_boston");
      const t = transpile(c, dev, { params: flat(inputs, weights) });
      const words = t.circuit.observables;
      const got = new Float64Array(words.length);
      for (const s of measurementSettings(words)) {
        const { circuit, measure } = settingCircuit(t.circuit, s);
        checkIsa(circuit, dev);
        const map = compactMap(circuit);
        const st = simulateHw(circuit, flat(inputs, weights), map);
        // after the basis change every member word is a Z-parity on its qubits
        const zWords = s.members.map((m) => ({
          factors: words[m]!.factors.map((f) => ({ pauli: "Z" as const, wire: f.wire })),
        }));
        const vals = expvalsHw(st, zWords, map);
        s.members.forEach((m, j) => {
          got[m] = vals[j]!;
        });
        expect(measure.length).toBe(s.basis.length);
      }
      for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i]! - ref[i]!)).toBeLessThan(1e-10);
    });
  }

  it("parities from sampled bitstrings (hex strings, bit i = i-th measured qubit)", () => {
    const words = [parsePauliWord("Z0", 3), parsePauliWord("Z0 Z2", 3), parsePauliWord("Z2", 3)];
    const [s] = measurementSettings(words);
    // measured qubits 0 and 2 -> bits 0 and 1
    const samples = ["0x0", "0x1", "0x3", "0x2", "0x3", "0x3"];
    const ev = expvalsFromSamples(words, s!, samples);
    expect(ev.get(0)).toBeCloseTo((1 - 1 - 1 + 1 - 1 - 1) / 6, 14);
    expect(ev.get(2)).toBeCloseTo((1 + 1 - 1 - 1 - 1 - 1) / 6, 14);
    expect(ev.get(1)).toBeCloseTo((1 - 1 + 1 - 1 + 1 + 1) / 6, 14);
    expect(() => expvalsFromSamples(words, s!, [])).toThrow(ValidationError);
  });
});
