/**
 * Transpilation report for the paper heads: depth and two-qubit count before/after,
 * SWAPs, estimated fidelity, on ibm_boston and ibm_fez, parametric (one ISA circuit
 * for all samples) and bound (one per sample, constant 1q runs fused). Prints JSON.
 * Run: npx tsx bench/hardware-transpile.ts
 */
import { performance } from "node:perf_hooks";
import { Rng } from "../src/core/rng.ts";
import type { Circuit } from "../src/circuits/ir.ts";
import { PRESETS } from "../src/circuits/presets.ts";
import { qmtlCircuit, resolveQmtl } from "../src/circuits/qmtl.ts";
import { hqnnCircuit } from "../src/circuits/hqnn.ts";
import { loadDevice } from "../src/devices/load.ts";
import { transpile } from "../src/hardware/transpile/index.ts";

const heads: Array<[string, Circuit]> = [
  ["glue Q=10", qmtlCircuit(resolveQmtl(PRESETS.glue))],
  ["chexpert Q=10", qmtlCircuit(resolveQmtl(PRESETS.chexpert))],
  ["mustard Q=13", qmtlCircuit(resolveQmtl(PRESETS.mustard))],
  ["hqnn Q=4", hqnnCircuit({ qubits: 4 })],
  ["hqnn Q=13", hqnnCircuit({ qubits: 13 })],
];
const rows = [];
for (const dev of [loadDevice("ibm_boston"), loadDevice("ibm_fez")]) {
  for (const [name, c] of heads) {
    const rng = new Rng(1);
    const params = Float64Array.from({ length: c.nInputs + c.nWeights }, () => rng.range(-Math.PI, Math.PI));
    for (const mode of ["parametric", "bound"] as const) {
      const t0 = performance.now();
      const r = transpile(c, dev, mode === "bound" ? { params } : {});
      const ms = performance.now() - t0;
      rows.push({
        device: dev.name,
        head: name,
        mode,
        before: r.before,
        after: r.after,
        swaps: r.swaps,
        layout: r.initialLayout.join(","),
        estimatedFidelity: Number(r.estimatedFidelity.toFixed(4)),
        ms: Math.round(ms),
      });
    }
  }
}
console.log(JSON.stringify(rows, null, 1));
