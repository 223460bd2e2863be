import { Rng } from "../../src/core/rng.ts";
import type { Circuit, Op, ParamRef } from "../../src/circuits/ir.ts";
import { cst, inp, wgt } from "../../src/circuits/ir.ts";
import type { PauliWord } from "../../src/circuits/pauli.ts";
import type { PauliName } from "../../src/gates/spec.ts";

/** A random circuit mixing every gate kind, inputs, shared weights and constants. */
export function randomCircuit(seed: number, n: number, depth: number): Circuit {
  const rng = new Rng(seed);
  const nInputs = 3,
    nWeights = 4;
  const ops: Op[] = [];
  const ref = (): ParamRef => {
    const u = rng.uniform();
    return u < 0.4 ? wgt(rng.int(nWeights)) : u < 0.8 ? inp(rng.int(nInputs)) : cst(rng.range(-3, 3));
  };
  const one = ["H", "X", "Y", "Z", "S", "T", "RX", "RY", "RZ", "Rot"] as const;
  const two = ["CNOT", "CZ", "SWAP"] as const;
  for (let k = 0; k < depth; k++) {
    if (n > 1 && rng.uniform() < 0.3) {
      const a = rng.int(n);
      let b = rng.int(n - 1);
      if (b >= a) b++;
      ops.push({ gate: two[rng.int(two.length)]!, wires: [a, b], params: [] });
    } else {
      const g = one[rng.int(one.length)]!;
      const np = g === "Rot" ? 3 : g.startsWith("R") ? 1 : 0;
      ops.push({ gate: g, wires: [rng.int(n)], params: Array.from({ length: np }, ref) });
    }
  }
  const paulis: PauliName[] = ["X", "Y", "Z"];
  const observables: PauliWord[] = [];
  for (let o = 0; o < 3; o++) {
    const wires = rng.permutation(n).slice(0, 1 + rng.int(Math.min(n, 3)));
    observables.push({ factors: wires.map((w) => ({ pauli: paulis[rng.int(3)]!, wire: w })) });
  }
  return { nQubits: n, nInputs, nWeights, ops, observables };
}

export function randomArray(rng: Rng, n: number, lo = -Math.PI, hi = Math.PI): Float64Array {
  return Float64Array.from({ length: n }, () => rng.range(lo, hi));
}
