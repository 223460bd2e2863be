import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { GATES } from "../../src/gates/spec.ts";
import { cmat, identity, kron, matmul, type CMatrix } from "../../src/gates/matrix.ts";
import type { Circuit, Op } from "../../src/circuits/ir.ts";
import { paramValue } from "../../src/circuits/ir.ts";
import { compile, simulateSample } from "../../src/sim/simulate.ts";
import { randomCircuit, randomArray } from "../helpers/random-circuit.ts";

/** An independent reference: the circuit's full 2^n x 2^n unitary built from Kronecker products. */
function denseUnitary(c: Circuit, inputs: Float64Array, weights: Float64Array): CMatrix {
  const n = c.nQubits;
  let u = identity(1 << n);
  for (const op of c.ops) u = matmul(embed(op, n, inputs, weights), u);
  return u;
}

function embed(op: Op, n: number, x: Float64Array, w: Float64Array): CMatrix {
  const m =
    op.gate === "Unitary" ? op.matrix : GATES[op.gate].matrix(op.params.map((p) => paramValue(p, x, 0, w)));
  const dim = 1 << n;
  const out = cmat(dim);
  const k = op.wires.length;
  // out[y, x] = m[local(y), local(x)] when x and y agree off the gate's wires
  for (let xb = 0; xb < dim; xb++)
    for (let yb = 0; yb < dim; yb++) {
      let agree = true;
      for (let q = 0; q < n; q++)
        if (!op.wires.includes(q) && ((xb >> (n - 1 - q)) & 1) !== ((yb >> (n - 1 - q)) & 1)) agree = false;
      if (!agree) continue;
      let lx = 0,
        ly = 0;
      for (let j = 0; j < k; j++) {
        lx = (lx << 1) | ((xb >> (n - 1 - op.wires[j]!)) & 1);
        ly = (ly << 1) | ((yb >> (n - 1 - op.wires[j]!)) & 1);
      }
      out.re[yb * dim + xb] = m.re[ly * (1 << k) + lx]!;
      out.im[yb * dim + xb] = m.im[ly * (1 << k) + lx]!;
    }
  return out;
}

/** A Haar-ish random unitary: Gram-Schmidt on a random complex matrix. */
function randomUnitary(dim: number, rng: Rng): CMatrix {
  const m = cmat(dim);
  for (let k = 0; k < dim * dim; k++) {
    m.re[k] = rng.normal();
    m.im[k] = rng.normal();
  }
  for (let c = 0; c < dim; c++) {
    for (let p = 0; p < c; p++) {
      let dr = 0,
        di = 0; // <col p, col c>
      for (let r = 0; r < dim; r++) {
        const ar = m.re[r * dim + p]!,
          ai = m.im[r * dim + p]!,
          br = m.re[r * dim + c]!,
          bi = m.im[r * dim + c]!;
        dr += ar * br + ai * bi;
        di += ar * bi - ai * br;
      }
      for (let r = 0; r < dim; r++) {
        m.re[r * dim + c]! -= dr * m.re[r * dim + p]! - di * m.im[r * dim + p]!;
        m.im[r * dim + c]! -= dr * m.im[r * dim + p]! + di * m.re[r * dim + p]!;
      }
    }
    let nrm = 0;
    for (let r = 0; r < dim; r++) nrm += m.re[r * dim + c]! ** 2 + m.im[r * dim + c]! ** 2;
    nrm = Math.sqrt(nrm);
    for (let r = 0; r < dim; r++) {
      m.re[r * dim + c]! /= nrm;
      m.im[r * dim + c]! /= nrm;
    }
  }
  return m;
}

describe("statevector kernels == dense Kronecker-product reference", () => {
  for (let seed = 1; seed <= 6; seed++) {
    it(`random circuit ${seed} with general 1- and 2-qubit unitaries`, () => {
      const rng = new Rng(seed);
      const n = 2 + (seed % 3);
      const base = randomCircuit(seed, n, 20);
      const extra: Op[] = [
        { gate: "Unitary", wires: [rng.int(n)], params: [], matrix: randomUnitary(2, rng) },
        { gate: "Unitary", wires: [0, n - 1], params: [], matrix: randomUnitary(4, rng) },
        { gate: "Unitary", wires: [n - 1, 0], params: [], matrix: randomUnitary(4, rng) },
      ];
      const c: Circuit = { ...base, ops: [...base.ops.slice(0, 10), ...extra, ...base.ops.slice(10)] };
      const x = randomArray(rng, c.nInputs),
        w = randomArray(rng, c.nWeights);
      const s = simulateSample(compile(c), x, 0, w);
      const u = denseUnitary(c, x, w);
      const dim = 1 << n;
      for (let k = 0; k < dim; k++) {
        expect(s.re[k]).toBeCloseTo(u.re[k * dim]!, 12);
        expect(s.im[k]).toBeCloseTo(u.im[k * dim]!, 12);
      }
    });
  }
  it("kron and embed agree on a two-wire product", () => {
    const a = GATES.RY.matrix([0.3]),
      b = GATES.RX.matrix([1.1]);
    const c: Circuit = {
      nQubits: 2,
      nInputs: 0,
      nWeights: 0,
      observables: [],
      ops: [
        { gate: "RY", wires: [0], params: [{ kind: "const", value: 0.3 }] },
        { gate: "RX", wires: [1], params: [{ kind: "const", value: 1.1 }] },
      ],
    };
    const u = denseUnitary(c, new Float64Array(0), new Float64Array(0)),
      k = kron(a, b);
    for (let i = 0; i < 16; i++) expect(u.re[i]).toBeCloseTo(k.re[i]!, 14);
  });
});
