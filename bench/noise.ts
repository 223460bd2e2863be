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
import type { Budget } from "./lib/timing.ts";

/**
 * Samples per second of `fn` by wall clock and by this process's CPU time
 * (user + system): on a shared, overloaded machine the CPU-time rate is what
 * one core gives; the wall rate is reported beside it. Best of the windows.
 */
function rates(fn: () => void, units: number, b: Budget): { wall: number; cpu: number } {
  const t0 = performance.now();
  fn();
  while ((performance.now() - t0) / 1000 < b.warm) fn();
  let wall = 0,
    cpu = 0;
  for (let r = 0; r < b.reps; r++) {
    const w0 = performance.now(),
      c0 = process.cpuUsage();
    let n = 0;
    do {
      fn();
      n++;
    } while ((performance.now() - w0) / 1000 < b.window);
    const c = process.cpuUsage(c0);
    wall = Math.max(wall, (n * units) / ((performance.now() - w0) / 1000));
    cpu = Math.max(cpu, (n * units) / ((c.user + c.system) / 1e6));
  }
  return { wall, cpu };
}

export interface NoiseBenchRow {
  readonly preset: string;
  readonly qubits: number;
  readonly model: string;
  readonly bond: number;
  /** samples per CPU-second (one core) and per wall-second */
  readonly structuredForwardPerSec: number;
  readonly structuredForwardPerWallSec: number;
  readonly structuredGradPerSec: number;
  /** density-matrix path, forward only, per CPU-second; null where it was not run (Q > 10) */
  readonly densityForwardPerSec: number | null;
  readonly densityForwardPerWallSec: number | null;
  /** structured / density, CPU-time rates */
  readonly ratio: number | null;
  /** max |structured - density| over the timed batch */
  readonly maxAbsDiff: number | null;
}

/** A uniform device-like model: thermal relaxation (T1 = 150 us, T2 = 100 us) after 1q (36 ns) and CNOT (68 ns) plus readout. */
export function thermalBenchModel(Q: number): NoiseModel {
  const m = new NoiseModel("thermal T1=150us T2=100us");
  const t1 = 150e3,
    t2 = 100e3;
  m.addAllQubitQuantumError(thermalRelaxation(t1, t2, 36), ["H", "RX", "RY", "RZ", "Rot"]);
  m.addAllQubitQuantumError(tensorChannels(thermalRelaxation(t1, t2, 68), thermalRelaxation(t1, t2, 68)), [
    "CNOT",
  ]);
  m.addAllQubitReadoutError({ p01: 0.01, p10: 0.02 });
  void Q;
  return m;
}

function data(n: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: n }, () => rng.range(-Math.PI, Math.PI));
}

function benchOne(
  preset: string,
  layout: QmtlLayout,
  model: NoiseModel,
  b: Budget,
  densityBatch: number,
): NoiseBenchRow {
  const rng = new Rng(20261204);
  const ex = new NoisyQmtlExecutor(layout, model);
  const batch = 16;
  const x = data(batch * ex.nInputs, rng),
    w = data(ex.nWeights, rng);
  const cot = Float64Array.from({ length: batch * ex.nOutputs }, () => rng.range(-1, 1));
  const fwd = rates(() => ex.forward(x, w, batch), batch, b);
  const grad = rates(() => ex.record(x, w, batch).backward(cot), batch, b);
  let dens: { wall: number; cpu: number } | null = null,
    maxAbsDiff: number | null = null;
  if (layout.Q <= 10) {
    const c = qmtlCircuit(layout);
    const xs = x.subarray(0, densityBatch * ex.nInputs);
    let dm: Float64Array = new Float64Array(0);
    dens = rates(
      () => {
        dm = densityForward(c, model, xs, w, densityBatch);
      },
      densityBatch,
      { ...b, warm: 0, reps: 1, window: 0 },
    );
    const st = ex.forward(xs, w, densityBatch);
    maxAbsDiff = Math.max(...st.map((v, k) => Math.abs(v - dm[k]!)));
  }
  return {
    preset,
    qubits: layout.Q,
    model: model.label,
    bond: ex.bond,
    structuredForwardPerSec: fwd.cpu,
    structuredForwardPerWallSec: fwd.wall,
    structuredGradPerSec: grad.cpu,
    densityForwardPerSec: dens?.cpu ?? null,
    densityForwardPerWallSec: dens?.wall ?? null,
    ratio: dens === null ? null : fwd.cpu / dens.cpu,
    maxAbsDiff,
  };
}

export function benchNoise(quick: boolean, log: (s: string) => void): NoiseBenchRow[] {
  const b: Budget = quick
    ? { warm: 0.5, window: 0.5, reps: 2, cap: 4 }
    : { warm: 1, window: 1, reps: 3, cap: 6 };
  const rows: NoiseBenchRow[] = [];
  for (const preset of ["glue", "chexpert", "mustard"] as PresetName[]) {
    const layout = resolveQmtl(PRESETS[preset]);
    for (const model of [depolarizingModel(0.05), thermalBenchModel(layout.Q)]) {
      const r = benchOne(preset, layout, model, b, 1);
      rows.push(r);
      log(
        `${preset} Q=${r.qubits} ${r.model} bond ${r.bond}: structured ${r.structuredForwardPerSec.toFixed(1)}/s fwd, ` +
          `${r.structuredGradPerSec.toFixed(1)}/s fwd+grad (CPU time; wall ${r.structuredForwardPerWallSec.toFixed(1)}/s); density ${r.densityForwardPerSec?.toFixed(2) ?? "-"}/s; ` +
          `ratio ${r.ratio?.toFixed(0) ?? "-"}x; max diff ${r.maxAbsDiff?.toExponential(1) ?? "-"}`,
      );
    }
  }
  // scaling past the paper: MUStARD's five tasks repeated (Q = 13 k), depolarizing p = 0.05, structured path only
  for (const k of [2, 4]) {
    const tasks = Array.from({ length: k }, (_, r) =>
      PRESETS.mustard.tasks.map((t) => ({ ...t, name: `${t.name}#${r}` })),
    ).flat();
    const layout = resolveQmtl({ ...PRESETS.mustard, tasks });
    const r = benchOne(`mustard x${k}`, layout, depolarizingModel(0.05), { ...b, reps: 1 }, 1);
    rows.push(r);
    log(
      `${r.preset} Q=${r.qubits} ${r.model} bond ${r.bond}: structured ${r.structuredForwardPerSec.toFixed(1)}/s fwd, ${r.structuredGradPerSec.toFixed(1)}/s fwd+grad (CPU time)`,
    );
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
