/**
 * The noisy QMTL heads: the structured noisy path (src/noise/structured) against
 * the plain density-matrix reference on the same head, noise model and inputs,
 * in one process (only the ratios of one run count). Writes bench/noise-results.json.
 * Run: npx tsx bench/noise.ts [--quick]
 */
import { PRESETS, type PresetName } from "../src/circuits/presets.ts";
import { qmtlCircuit, resolveQmtl, type QmtlLayout } from "../src/circuits/qmtl.ts";
import { Rng } from "../src/core/rng.ts";
import { writeJsonAtomic } from "../src/core/atomic-file.ts";
import { tensorChannels, thermalRelaxation } from "../src/noise/channels.ts";
import { NoiseModel, depolarizingModel } from "../src/noise/noise-model.ts";
import { densityForward } from "../src/noise/density-matrix.ts";
import { NoisyQmtlExecutor } from "../src/noise/structured/executor.ts";
import { bestRate, type Budget } from "./lib/timing.ts";

export interface NoiseBenchRow {
  readonly preset: string;
  readonly qubits: number;
  readonly model: string;
  readonly bond: number;
  readonly structuredForwardPerSec: number;
  readonly structuredGradPerSec: number;
  /** density-matrix path, forward only; null where it was not run (Q > 10) */
  readonly densityForwardPerSec: number | null;
  readonly ratio: number | null;
  /** max |structured - density| over the timed batch */
  readonly maxAbsDiff: number | null;
}

/** A uniform device-like model: thermal relaxation (T1 = 150 us, T2 = 100 us) after 1q (36 ns) and CNOT (68 ns) plus readout. */
export function thermalBenchModel(Q: number): NoiseModel {
  const m = new NoiseModel("thermal T1=150us T2=100us");
  const t1 = 150e3, t2 = 100e3;
  m.addAllQubitQuantumError(thermalRelaxation(t1, t2, 36), ["H", "RX", "RY", "RZ", "Rot"]);
  m.addAllQubitQuantumError(tensorChannels(thermalRelaxation(t1, t2, 68), thermalRelaxation(t1, t2, 68)), ["CNOT"]);
  m.addAllQubitReadoutError({ p01: 0.01, p10: 0.02 });
  void Q;
  return m;
}

function data(n: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: n }, () => rng.range(-Math.PI, Math.PI));
}

function benchOne(preset: string, layout: QmtlLayout, model: NoiseModel, b: Budget, densityBatch: number): NoiseBenchRow {
  const rng = new Rng(20261204);
  const ex = new NoisyQmtlExecutor(layout, model);
  const batch = 16;
  const x = data(batch * ex.nInputs, rng), w = data(ex.nWeights, rng);
  const cot = Float64Array.from({ length: batch * ex.nOutputs }, () => rng.range(-1, 1));
  const structuredForwardPerSec = bestRate(() => ex.forward(x, w, batch), batch, b);
  const structuredGradPerSec = bestRate(() => ex.record(x, w, batch).backward(cot), batch, b);
  let densityForwardPerSec: number | null = null, maxAbsDiff: number | null = null;
  if (layout.Q <= 10) {
    const c = qmtlCircuit(layout);
    const xs = x.subarray(0, densityBatch * ex.nInputs);
    let dm: Float64Array = new Float64Array(0);
    densityForwardPerSec = bestRate(() => { dm = densityForward(c, model, xs, w, densityBatch); }, densityBatch, { ...b, warm: 0, reps: 1 });
    const st = ex.forward(xs, w, densityBatch);
    maxAbsDiff = Math.max(...st.map((v, k) => Math.abs(v - dm[k]!)));
  }
  return {
    preset, qubits: layout.Q, model: model.label, bond: ex.bond, structuredForwardPerSec, structuredGradPerSec,
    densityForwardPerSec, ratio: densityForwardPerSec === null ? null : structuredForwardPerSec / densityForwardPerSec, maxAbsDiff,
  };
}

export function benchNoise(quick: boolean, log: (s: string) => void): NoiseBenchRow[] {
  const b: Budget = quick ? { warm: 0.2, window: 0.3, reps: 2, cap: 2 } : { warm: 0.5, window: 0.6, reps: 3, cap: 4 };
  const rows: NoiseBenchRow[] = [];
  for (const preset of ["glue", "chexpert", "mustard"] as PresetName[]) {
    const layout = resolveQmtl(PRESETS[preset]);
    for (const model of [depolarizingModel(0.05), thermalBenchModel(layout.Q)]) {
      const r = benchOne(preset, layout, model, b, quick ? 1 : 2);
      rows.push(r);
      log(`${preset} Q=${r.qubits} ${r.model} bond ${r.bond}: structured ${r.structuredForwardPerSec.toFixed(1)}/s fwd, ` +
        `${r.structuredGradPerSec.toFixed(1)}/s fwd+grad; density ${r.densityForwardPerSec?.toFixed(2) ?? "-"}/s; ` +
        `ratio ${r.ratio?.toFixed(0) ?? "-"}x; max diff ${r.maxAbsDiff?.toExponential(1) ?? "-"}`);
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes("--quick");
  const rows = benchNoise(quick, (s) => console.log(s));
  const out = new URL("./noise-results.json", import.meta.url).pathname;
  writeJsonAtomic(out, { date: new Date().toISOString(), node: process.version, threads: 1, rows });
  console.log(`wrote ${out}`);
}
