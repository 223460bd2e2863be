import { describe, expect, it } from "vitest";
import { loadDevice } from "../../src/devices/load.ts";
import { fromCircuit, type HwCircuit, type HwOp } from "../../src/hardware/hw-circuit.ts";
import { expectationsHw } from "../../src/hardware/hw-simulate.ts";
import { checkIsa, transpile } from "../../src/hardware/transpile/index.ts";
import { matrixOf, mm, synthConst, synthParam, type M2 } from "../../src/hardware/transpile/synth1q.ts";
import { lowerTwoQubit } from "../../src/hardware/transpile/lower2q.ts";
import { Rng } from "../../src/core/rng.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { randomCircuit } from "../helpers/random-circuit.ts";
import { maxAbs } from "../helpers/refs.ts";
import { flat, logicalExpvals, paperHeads, randomValues } from "./heads.ts";

/** |tr(A^dag B)| / 2 = 1 iff A = e^{i a} B. */
function phaseFidelity(A: M2, B: M2): number {
  let r = 0,
    i = 0;
  for (let k = 0; k < 4; k++) {
    r += A[k]![0] * B[k]![0] + A[k]![1] * B[k]![1];
    i += A[k]![0] * B[k]![1] - A[k]![1] * B[k]![0];
  }
  return Math.hypot(r, i) / 2;
}
const product = (ops: readonly HwOp[]): M2 =>
  ops.reduce<M2>(
    (acc, op) => mm(matrixOf(op), acc),
    [
      [1, 0],
      [0, 0],
      [0, 0],
      [1, 0],
    ],
  );

describe("one-qubit synthesis", () => {
  const rng = new Rng(5);
  const gates = ["h", "x", "y", "z", "s", "sdg", "t", "tdg", "sx", "sxdg"] as const;
  it("every fixed gate and random products, to 1e-12 up to phase, only rz/sx/x", () => {
    const runs: HwOp[][] = [
      ...gates.map((g) => [{ gate: g, qubits: [0], angles: [] } as HwOp]),
      ...Array.from({ length: 40 }, () =>
        Array.from({ length: 1 + rng.int(5) }, (): HwOp => {
          const k = rng.int(gates.length + 3);
          if (k < gates.length) return { gate: gates[k]!, qubits: [0], angles: [] };
          return {
            gate: (["rx", "ry", "rz"] as const)[k - gates.length]!,
            qubits: [0],
            angles: [{ c: rng.range(-4, 4), terms: [] }],
          };
        }),
      ),
      [
        { gate: "rz", qubits: [0], angles: [{ c: Math.PI / 2, terms: [] }] },
        { gate: "rx", qubits: [0], angles: [{ c: Math.PI / 2, terms: [] }] },
      ],
    ];
    for (const run of runs) {
      const out = synthConst(product(run), 0);
      expect(out.every((o) => o.gate === "rz" || o.gate === "sx" || o.gate === "x")).toBe(true);
      expect(out.filter((o) => o.gate === "sx").length).toBeLessThanOrEqual(2);
      expect(phaseFidelity(product(out), product(run))).toBeGreaterThan(1 - 1e-12);
    }
    expect(
      synthConst(matrixOf({ gate: "h", qubits: [0], angles: [] }), 0).filter((o) => o.gate === "sx").length,
    ).toBe(1);
    expect(synthConst(matrixOf({ gate: "t", qubits: [0], angles: [] }), 0).map((o) => o.gate)).toEqual([
      "rz",
    ]);
  });

  it("parametric rx, ry match their matrices at random angles", () => {
    for (const g of ["rx", "ry"] as const) {
      for (let k = 0; k < 10; k++) {
        const t = rng.range(-7, 7);
        const out = synthParam({ gate: g, qubits: [0], angles: [{ c: 0, terms: [{ p: 0, k: 1 }] }] });
        const bound = out.map((o) => ({
          ...o,
          angles: o.angles.map((a) => ({ c: a.c + a.terms.reduce((s, x) => s + x.k * t, 0), terms: [] })),
        }));
        expect(
          phaseFidelity(product(bound), matrixOf({ gate: g, qubits: [0], angles: [{ c: t, terms: [] }] })),
        ).toBeGreaterThan(1 - 1e-12);
      }
    }
  });
});

describe("two-qubit lowering (exact up to phase, checked on expectation values)", () => {
  const rng = new Rng(9);
  for (const basis of ["cz", "ecr"] as const) {
    for (const gate of ["cx", "cz", "swap", "ecr"] as const) {
      it(`${gate} in the ${basis} basis`, () => {
        for (const [a, b] of [
          [0, 1],
          [1, 0],
        ] as const) {
          const prep: HwOp[] = [0, 1].flatMap((q) => [
            { gate: "ry" as const, qubits: [q], angles: [{ c: rng.range(-3, 3), terms: [] }] },
            { gate: "rz" as const, qubits: [q], angles: [{ c: rng.range(-3, 3), terms: [] }] },
          ]);
          const words = (["X", "Y", "Z"] as const).flatMap((p) =>
            (["X", "Y", "Z"] as const).map((r) => ({
              factors: [
                { pauli: p, wire: 0 },
                { pauli: r, wire: 1 },
              ],
            })),
          );
          const single = (["X", "Y", "Z"] as const).flatMap((p) =>
            [0, 1].map((w) => ({ factors: [{ pauli: p, wire: w }] })),
          );
          const base = { nQubits: 2, nInputs: 0, nWeights: 0, observables: [...words, ...single] };
          const ref = expectationsHw({ ...base, ops: [...prep, { gate, qubits: [a, b], angles: [] }] }, []);
          const low = lowerTwoQubit(
            { gate, qubits: [a, b], angles: [] },
            basis,
            (x, y) => x === 0 && y === 1,
          );
          const twoQ = low.filter((o) => o.qubits.length === 2);
          expect(twoQ.every((o) => o.gate === basis && (basis === "cz" || o.qubits[0] === 0))).toBe(true);
          expect(maxAbs(expectationsHw({ ...base, ops: [...prep, ...low] }, []), ref)).toBeLessThan(1e-12);
        }
      });
    }
  }
});

describe("transpiled circuits give the logical expectation values to 1e-10", () => {
  const boston = loadDevice("ibm_boston");
  const fez = loadDevice("ibm_fez");
  const cases = [
    ...paperHeads(),
    ...[1, 2, 3].map((s) => [`random ${s}`, randomCircuit(300 + s, 6, 80)] as const),
  ];
  for (const [name, c] of cases) {
    it(`${name}: parametric on ibm_boston, bound on ibm_fez, ecr basis on ibm_fez`, () => {
      const { inputs, weights } = randomValues(c, 3);
      const ref = logicalExpvals(c, inputs, weights);
      const p = flat(inputs, weights);
      const runs = [
        transpile(c, boston),
        transpile(c, fez, { params: p }),
        transpile(c, fez, { basis: "ecr", params: p, layoutTrials: 2 }),
      ];
      for (const r of runs) {
        checkIsa(r.circuit, r.device === "ibm_boston" ? boston : fez, r.basis);
        expect(r.circuit.nQubits).toBe(156);
        expect(maxAbs(expectationsHw(r.circuit, p), ref)).toBeLessThan(1e-10);
        const avoided = (r.device === "ibm_boston" ? boston : fez).unusableCouplers.map(
          ([a, b]) => `${a}_${b}`,
        );
        for (const op of r.circuit.ops) {
          if (op.qubits.length === 2)
            expect(avoided).not.toContain(`${Math.min(...op.qubits)}_${Math.max(...op.qubits)}`);
        }
      }
    });
  }

  it("the 4-qubit StronglyEntanglingLayers ring needs SWAPs on heavy-hex; a CNOT chain does not", () => {
    const mustard = paperHeads().find(([n]) => n === "mustard")![1];
    const r = transpile(mustard, boston);
    expect(r.swaps).toBeGreaterThan(0);
    const chain: HwCircuit = {
      nQubits: 5,
      nInputs: 0,
      nWeights: 0,
      observables: [{ factors: [{ pauli: "Z", wire: 4 }] }],
      ops: [0, 1, 2, 3].map((i) => ({ gate: "cx" as const, qubits: [i, i + 1], angles: [] })),
    };
    expect(transpile(chain, boston).swaps).toBe(0);
  });

  it("rejects a circuit larger than the device and an unusable fixed layout", () => {
    const big = fromCircuit(randomCircuit(1, 3, 10));
    expect(() => transpile({ ...big, nQubits: 200 }, boston)).toThrow(ValidationError);
    const fezDev = fez;
    const cx: HwCircuit = {
      nQubits: 2,
      nInputs: 0,
      nWeights: 0,
      observables: [],
      ops: [{ gate: "cx", qubits: [0, 1], angles: [] }],
    };
    // qubit 32 of ibm_fez is cut off (both its couplers flagged): no route to it
    expect(() => transpile(cx, fezDev, { initialLayout: [32, 36] })).toThrow(/connected by usable couplers/);
  });
});
