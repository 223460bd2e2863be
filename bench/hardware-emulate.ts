/**
 * Noisy emulation (src/hardware/noisy: gate errors, relaxation, readout; 100 trajectories) of
 * the transpiled MUStARD QMTL head (Q=13) on the four shipped devices: mean |emulated - ideal|
 * and the rms bias (trajectory variance removed) over head outputs for random weights and
 * inputs, next to the transpiled circuit's estimated fidelity (product of 1 - gate/readout errors).
 * Run: npx tsx bench/hardware-emulate.ts
 */
import { Rng } from "../src/core/rng.ts";
import { PRESETS } from "../src/circuits/presets.ts";
import { resolveQmtl } from "../src/circuits/qmtl.ts";
import { KNOWN_DEVICES } from "../src/devices/load.ts";
import { runHardwareStudy } from "../src/experiments/hardware-study.ts";

const layout = resolveQmtl(PRESETS.mustard);
const rng = new Rng(2026);
const B = 16;
const weights = Float64Array.from({ length: layout.nWeights }, () => rng.range(0, 2 * Math.PI));
const inputs = Float64Array.from({ length: B * layout.nInputs }, () => rng.range(-Math.PI, Math.PI));
const head = { layout, weights, inputs, batch: B };
const ideal = (await runHardwareStudy(head, { mode: "dry-run", backend: "ibm_boston" })).outputs;
const rows = [];
for (const name of KNOWN_DEVICES) {
  const r = await runHardwareStudy(head, {
    mode: "emulate",
    backend: name,
    emulation: { trajectories: 100 },
  });
  let dev = 0,
    sq = 0;
  for (let i = 0; i < ideal.length; i++) {
    dev += Math.abs(r.outputs[i]! - ideal[i]!);
    sq += (r.outputs[i]! - ideal[i]!) ** 2 - r.stderr![i]! ** 2;
  }
  rows.push({
    device: name,
    meanAbsDeviation: Number((dev / ideal.length).toExponential(3)),
    rmsBias: Number(Math.sqrt(Math.max(0, sq / ideal.length)).toExponential(3)),
    medianReadoutError: r.device.medianReadoutError,
    median2qError: Number(r.device.median2qError.toExponential(3)),
    estimatedFidelity: Number(r.transpile.estimatedFidelity.toFixed(4)),
    swaps: r.transpile.swaps,
    twoQubit: r.transpile.after.twoQubit,
    layout: r.transpile.initialLayout.join(","),
  });
}
console.log(JSON.stringify(rows, null, 1));
