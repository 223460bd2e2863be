import { Rng } from "../../src/core/rng.ts";
import type { Circuit } from "../../src/circuits/ir.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { qmtlCircuit, resolveQmtl } from "../../src/circuits/qmtl.ts";
import { hqnnCircuit } from "../../src/circuits/hqnn.ts";
import { compile, measureAll, simulateSample } from "../../src/sim/simulate.ts";
import { randomArray } from "../helpers/random-circuit.ts";

/** The paper heads: QMTL GLUE Q=10, CheXpert Q=10, MUStARD Q=13; HQNN on 4 and 13 qubits. */
export function paperHeads(): Array<[string, Circuit]> {
  return [
    ["glue", qmtlCircuit(resolveQmtl(PRESETS.glue))],
    ["chexpert", qmtlCircuit(resolveQmtl(PRESETS.chexpert))],
    ["mustard", qmtlCircuit(resolveQmtl(PRESETS.mustard))],
    ["hqnn4", hqnnCircuit({ qubits: 4 })],
    ["hqnn13", hqnnCircuit({ qubits: 13 })],
  ];
}

/** Random inputs (one sample) and weights for a circuit. */
export function randomValues(c: Circuit, seed: number): { inputs: Float64Array; weights: Float64Array } {
  const rng = new Rng(seed);
  return { inputs: randomArray(rng, c.nInputs), weights: randomArray(rng, c.nWeights) };
}

/** Expectation values from the project's own gate-by-gate simulator (the logical reference). */
export function logicalExpvals(c: Circuit, inputs: Float64Array, weights: Float64Array): Float64Array {
  const cc = compile(c);
  const out = new Float64Array(c.observables.length);
  measureAll(cc, simulateSample(cc, inputs, 0, weights), out, 0);
  return out;
}

export function flat(inputs: Float64Array, weights: Float64Array): Float64Array {
  const p = new Float64Array(inputs.length + weights.length);
  p.set(inputs, 0);
  p.set(weights, inputs.length);
  return p;
}
