/**
 * Independent check: the OpenQASM 2 we write is imported and simulated by the npm package
 * `quantum-circuit` (code we did not write), and its expectation values match the project's
 * simulator on the original circuit to 1e-10.
 */
import { describe, expect, it } from "vitest";
import QuantumCircuit from "quantum-circuit";
import type { Circuit } from "../../src/circuits/ir.ts";
import { qmtlCircuit, resolveQmtl } from "../../src/circuits/qmtl.ts";
import { circuitToQasm, exportQasm } from "../../src/hardware/qasm/export.ts";
import { compactCircuit } from "../../src/hardware/hw-simulate.ts";
import { transpile } from "../../src/hardware/transpile/index.ts";
import { loadDevice } from "../../src/devices/load.ts";
import { flat } from "./heads.ts";
import { zeroState } from "../../src/sim/state.ts";
import { expvalPauli, pauliMasks } from "../../src/sim/pauli-ops.ts";
import { randomCircuit } from "../helpers/random-circuit.ts";
import { maxAbs } from "../helpers/refs.ts";
import { logicalExpvals, paperHeads, randomValues } from "./heads.ts";

/** Runs QASM 2 in quantum-circuit; returns expectation values of the circuit's observables. */
export function quantumCircuitExpvals(qasm: string, c: Circuit): Float64Array {
  const qc = new QuantumCircuit();
  let errors: unknown[] = [];
  qc.importQASM(qasm, (e) => {
    errors = e;
  });
  if (errors.length > 0) throw new Error(`quantum-circuit import: ${JSON.stringify(errors)}`);
  qc.run();
  const n = c.nQubits;
  // quantum-circuit: wire w is bit 2^w of the index; qmtl: wire w is bit 2^(n-1-w)
  const s = zeroState(n);
  s.re[0] = 0;
  for (const [k, v] of Object.entries(qc.state)) {
    const i = Number(k);
    let j = 0;
    for (let w = 0; w < n; w++) if (i & (1 << w)) j |= 1 << (n - 1 - w);
    s.re[j] = v.re;
    s.im[j] = v.im;
  }
  return Float64Array.from(c.observables, (o) => expvalPauli(s, pauliMasks(o, n)));
}

describe("OpenQASM 2 through quantum-circuit", () => {
  const small = qmtlCircuit(
    resolveQmtl({
      encodingLayers: 2,
      headLayers: 1,
      tasks: [
        { name: "a", kind: "binary" },
        { name: "b", kind: "multiclass", numClasses: 3 },
      ],
    }),
  );
  const cases: Array<[string, Circuit]> = [
    ["qmtl Q=3", small],
    ...paperHeads().filter(([n]) => n === "hqnn4" || n === "glue"),
    ...[1, 2, 3].map((s) => [`random ${s}`, randomCircuit(200 + s, 4, 40)] as [string, Circuit]),
  ];
  for (const [name, c] of cases) {
    it(`${name}: expectation values to 1e-10`, () => {
      const { inputs, weights } = randomValues(c, 11);
      const ref = logicalExpvals(c, inputs, weights);
      const got = quantumCircuitExpvals(circuitToQasm(c, { version: 2, inputs, weights }), c);
      expect(got).toBeAllclose(ref, { rtol: 0, atol: 1e-10 });
    });
  }
});

describe("transpiled ISA circuits through quantum-circuit", () => {
  const boston = loadDevice("ibm_boston");
  const cases: Array<[string, Circuit]> = [
    ...paperHeads().filter(([n]) => n === "hqnn4" || n === "glue"),
    ["random", randomCircuit(77, 5, 50)],
  ];
  for (const [name, c] of cases) {
    it(`${name}: rz/sx/x/cz circuit on compacted physical qubits gives the logical values (1e-10)`, () => {
      const { inputs, weights } = randomValues(c, 13);
      const ref = logicalExpvals(c, inputs, weights);
      const t = transpile(c, boston, { params: flat(inputs, weights) });
      const { circuit } = compactCircuit(t.circuit);
      expect(circuit.ops.every((o) => ["rz", "sx", "x", "cz"].includes(o.gate))).toBe(true);
      expect(circuit.ops.some((o) => o.gate === "sx")).toBe(true);
      const qasm = exportQasm(circuit, { version: 2, params: flat(inputs, weights) });
      const got = quantumCircuitExpvals(qasm, {
        nQubits: circuit.nQubits,
        nInputs: 0,
        nWeights: 0,
        ops: [],
        observables: circuit.observables,
      });
      expect(got).toBeAllclose(ref, { rtol: 0, atol: 1e-10 });
    });
  }
});
