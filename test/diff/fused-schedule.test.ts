import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { hqnnCircuit } from "../../src/circuits/hqnn.ts";
import { qmtlCircuit, resolveQmtl } from "../../src/circuits/qmtl.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { compileSchedule, type Schedule } from "../../src/sim/fused/index.ts";
import { gather } from "../../src/sim/fused/perm-kernels.ts";
import { applyStep } from "../../src/sim/apply-steps.ts";
import { randomArray } from "../helpers/random-circuit.ts";

function shape(s: Schedule): string[] {
  return s.items.map((it) =>
    it.kind === "layer"
      ? `layer ${it.blocks.map((b) => b.gates.length).join(",")}`
      : it.kind === "perm"
        ? `perm ${it.steps.length}`
        : it.step.kind,
  );
}

describe("fused schedule", () => {
  it("HQNN-13: a product first layer of 4-gate blocks, then ring / layer / ring / layer / ring", () => {
    const s = compileSchedule(hqnnCircuit({ qubits: 13 }));
    expect(s.first.map((b) => [b.wire, b.gates.length])).toEqual(
      Array.from({ length: 13 }, (_, q) => [q, 4]),
    );
    const layer = `layer ${new Array(13).fill(4).join(",")}`;
    expect(shape(s)).toEqual(["perm 13", layer, "perm 13", layer, "perm 13"]);
    // the three identical rings share one pair of tables
    const perms = s.items.filter((it) => it.kind === "perm");
    expect(
      perms[0]!.kind === "perm" && perms[2]!.kind === "perm" && perms[0]!.forward === perms[2]!.forward,
    ).toBe(true);
  });

  it("QMTL MUStARD: H+RX+RY+RZ first, ladders between RX/RY/RZ layers, then the Rot layer and the task rings", () => {
    const s = compileSchedule(qmtlCircuit(resolveQmtl(PRESETS.mustard)));
    expect(s.first.every((b) => b.gates.length === 4 && b.differentiable)).toBe(true);
    const layer = `layer ${new Array(13).fill(3).join(",")}`;
    expect(shape(s)).toEqual(["perm 12", layer, "perm 12", layer, "perm 12", layer, "perm 12"]);
  });

  it("a permutation table equals its gates applied one by one", () => {
    const s = compileSchedule(hqnnCircuit({ qubits: 6 }));
    const it0 = s.items[0]!;
    if (it0.kind !== "perm") throw new Error("expected a permutation first");
    const rng = new Rng(4);
    const re = randomArray(rng, 64, -1, 1),
      im = randomArray(rng, 64, -1, 1);
    const st = { n: 6, re: re.slice(), im: im.slice() };
    for (const step of it0.steps) applyStep(st, step, 0);
    const out = { re: new Float64Array(64), im: new Float64Array(64) };
    gather(re, im, out.re, out.im, it0.forward);
    expect(Array.from(out.re)).toEqual(Array.from(st.re));
    expect(Array.from(out.im)).toEqual(Array.from(st.im));
    const back = { re: new Float64Array(64), im: new Float64Array(64) };
    gather(out.re, out.im, back.re, back.im, it0.inverse);
    expect(Array.from(back.re)).toEqual(Array.from(re));
  });

  it("a circuit of one-qubit gates only is a single product layer", () => {
    const s = compileSchedule({
      nQubits: 2,
      nInputs: 0,
      nWeights: 1,
      ops: [
        { gate: "H", wires: [0], params: [] },
        { gate: "RY", wires: [1], params: [{ kind: "weight", index: 0 }] },
        { gate: "S", wires: [0], params: [] },
      ],
      observables: [{ factors: [{ pauli: "Z", wire: 0 }] }],
    });
    expect(s.items).toEqual([]);
    expect(s.first.map((b) => [b.wire, b.gates.length, b.differentiable, b.constant !== null])).toEqual([
      [0, 2, false, true],
      [1, 1, true, false],
    ]);
  });
});
