import { describe, expect, it } from "vitest";
import {
  circuitToQasm,
  ECR_DEFINITION,
  exportQasm,
  fmtReal,
  paramNames,
  usedParams,
} from "../../src/hardware/qasm/export.ts";
import { parseQasm } from "../../src/hardware/qasm/parse.ts";
import { fromCircuit, type HwCircuit } from "../../src/hardware/hw-circuit.ts";
import { compactMap, ECR, expectationsHw, simulateHw } from "../../src/hardware/hw-simulate.ts";
import { randomCircuit } from "../helpers/random-circuit.ts";
import { maxAbs } from "../helpers/refs.ts";
import { flat, logicalExpvals, paperHeads, randomValues } from "./heads.ts";
import { ValidationError } from "../../src/core/errors.ts";

function withObs(parsed: HwCircuit, from: HwCircuit): HwCircuit {
  return { ...parsed, observables: from.observables };
}

describe("OpenQASM export and parse: round trip to 1e-12", () => {
  const cases = [
    ...paperHeads(),
    ...[1, 2, 3, 4].map((s) => [`random ${s}`, randomCircuit(100 + s, 5, 60)] as const),
  ];
  for (const [name, c] of cases) {
    it(`${name}: bound OpenQASM 2 and 3, parametric OpenQASM 3`, () => {
      const { inputs, weights } = randomValues(c, 7);
      const ref = logicalExpvals(c, inputs, weights);
      const hc = fromCircuit(c);
      const p = flat(inputs, weights);
      expect(maxAbs(expectationsHw(hc, p), ref)).toBeLessThan(1e-12);
      for (const version of [2, 3] as const) {
        const text = circuitToQasm(c, { version, inputs, weights });
        expect(text).not.toMatch(/input/);
        const back = parseQasm(text);
        expect(back.version).toBe(version);
        expect(back.circuit.ops.length).toBe(hc.ops.length);
        expect(maxAbs(expectationsHw(withObs(back.circuit, hc), new Float64Array(0)), ref)).toBeLessThan(
          1e-12,
        );
      }
      const text3 = circuitToQasm(c, { version: 3 });
      const back = parseQasm(text3);
      const used = usedParams(hc);
      const names = paramNames(c.nInputs, c.nWeights);
      expect(back.paramNames).toEqual(used.map((i) => names[i]));
      const values = Float64Array.from(used, (i) => p[i]!);
      expect(maxAbs(expectationsHw(withObs(back.circuit, hc), values), ref)).toBeLessThan(1e-12);
    });
  }
});

describe("OpenQASM details", () => {
  it("writes parameters as input float[64] with sortable names and affine angles", () => {
    const hc: HwCircuit = {
      nQubits: 2,
      nInputs: 1,
      nWeights: 12,
      observables: [],
      ops: [
        {
          gate: "rz",
          qubits: [0],
          angles: [
            {
              c: Math.PI / 2,
              terms: [
                { p: 0, k: 1 },
                { p: 12, k: -2 },
              ],
            },
          ],
        },
        { gate: "sx", qubits: [1], angles: [] },
        { gate: "cz", qubits: [0, 1], angles: [] },
      ],
    };
    const text = exportQasm(hc, { version: 3, physical: true, measure: [1, 0] });
    expect(text).toBe(
      [
        "OPENQASM 3.0;",
        'include "stdgates.inc";',
        "input float[64] in_0000;",
        "input float[64] w_0011;",
        "bit[2] c;",
        "rz(in_0000 - 2*w_0011 + 1.5707963267948966) $0;",
        "sx $1;",
        "cz $0, $1;",
        "c[0] = measure $1;",
        "c[1] = measure $0;",
        "",
      ].join("\n"),
    );
    const back = parseQasm(text);
    expect(back.measured).toEqual([1, 0]);
    expect(back.circuit.ops[0]!.angles[0]).toEqual({
      c: Math.PI / 2,
      terms: [
        { p: 0, k: 1 },
        { p: 1, k: -2 },
      ],
    });
    expect([...paramNames(3, 2)].sort()).toEqual(paramNames(3, 2));
    expect(() => exportQasm(hc, { version: 2 })).toThrow(ValidationError);
    const wide = exportQasm(hc, { version: 3, physical: true, physicalWidth: 156 });
    expect(wide).toContain("barrier $155;");
    expect(parseQasm(wide).circuit.nQubits).toBe(156);
    expect(parseQasm(wide).circuit.ops.length).toBe(3);
    expect(() => exportQasm(hc, { version: 3, physicalWidth: 156 })).toThrow(/physical/);
  });

  it("formats reals that OpenQASM 2 accepts", () => {
    expect(fmtReal(1e-7)).toBe("1.0e-7");
    expect(fmtReal(-2.5e-12)).toBe("-2.5e-12");
    expect(fmtReal(3)).toBe("3");
    expect(() => fmtReal(NaN)).toThrow(ValidationError);
  });

  it("the ecr gate definition equals Qiskit's ECR matrix up to a global phase", () => {
    const hc: HwCircuit = {
      nQubits: 2,
      nInputs: 0,
      nWeights: 0,
      observables: [],
      ops: [{ gate: "ecr", qubits: [0, 1], angles: [] }],
    };
    const text = exportQasm(hc, { version: 3 });
    expect(text).toContain(ECR_DEFINITION);
    const native = parseQasm(text).circuit;
    expect(native.ops.map((o) => o.gate)).toEqual(["ecr"]);
    const expanded = parseQasm(text, { expandBuiltins: true }).circuit;
    expect(expanded.ops.length).toBe(11);
    // columns of the unitary: run each basis state through both and compare up to one phase
    let phase: [number, number] | null = null;
    for (let b = 0; b < 4; b++) {
      const prep = [
        ...(b & 2 ? [{ gate: "x" as const, qubits: [0], angles: [] }] : []),
        ...(b & 1 ? [{ gate: "x" as const, qubits: [1], angles: [] }] : []),
      ];
      const s1 = simulateHw(
        { ...native, ops: [...prep, ...native.ops] },
        [],
        compactMap({ ...native, ops: [...prep, ...native.ops] }),
      );
      const s2 = simulateHw(
        { ...expanded, ops: [...prep, ...expanded.ops] },
        [],
        compactMap({ ...expanded, ops: [...prep, ...expanded.ops] }),
      );
      for (let i = 0; i < 4; i++) {
        expect(s1.re[i]).toBeCloseTo(ECR.re[i * 4 + b]!, 14);
        expect(s1.im[i]).toBeCloseTo(ECR.im[i * 4 + b]!, 14);
        const ar = s1.re[i]!,
          ai = s1.im[i]!,
          br = s2.re[i]!,
          bi = s2.im[i]!;
        if (Math.hypot(ar, ai) > 0.1) {
          const ph: [number, number] = [ar * br + ai * bi, ai * br - ar * bi]; // a * conj(b)
          if (!phase) phase = ph;
          expect(ph[0]).toBeCloseTo(phase[0], 12);
          expect(ph[1]).toBeCloseTo(phase[1], 12);
        } else expect(Math.hypot(br, bi)).toBeLessThan(1e-12);
      }
    }
  });

  it("rejects what it cannot read, naming the statement", () => {
    expect(() => parseQasm("OPENQASM 3.0;\nqubit[2] q;\nfoo q[0];")).toThrow(/statement 3/);
    expect(() => parseQasm("OPENQASM 3.0;\nqubit[2] q;\nh q[5];")).toThrow(/index below 2/);
    expect(() => parseQasm("OPENQASM 3.0;\nqubit[1] q;\ninput float[64] a;\nrz(a*a) q[0];")).toThrow(
      /affine/,
    );
    expect(() => parseQasm("qubit[1] q;")).toThrow(/OPENQASM/);
    expect(() =>
      fromCircuit({
        nQubits: 1,
        nInputs: 0,
        nWeights: 0,
        observables: [],
        ops: [{ gate: "Unitary", wires: [0], params: [], matrix: ECR }],
      }),
    ).toThrow(/Unitary/);
  });
});
