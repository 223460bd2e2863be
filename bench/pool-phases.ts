/**
 * Where a two-thread pool call spends its wall time: record + backward with
 * new weights every call (as in training), traced per phase on the caller and
 * on the worker (PoolTrace), medians over many calls; beside it, the same
 * engine on one thread at the full and at half the batch, and at half the
 * batch beside a busy core (bench/lib/spinner.ts: what the second core costs
 * this workload, so 2 x half-alone / half-beside-spinner is the ceiling):
 *   npx tsx bench/pool-phases.ts [mustard|chexpert|glue] [batch] [calls]
 * Run it on an otherwise idle machine (wall-clock ratios).
 */
import { qmtlEngine } from "../src/sim/qmtl-structured/engine.ts";
import { parallelQmtlEngine } from "../src/sim/qmtl-structured/parallel.ts";
import { resolveQmtl } from "../src/circuits/qmtl.ts";
import { PRESETS, type PresetName } from "../src/circuits/presets.ts";
import type { DifferentiableExecutor } from "../src/sim/executor.ts";
import type { PoolTrace } from "../src/sim/parallel/pool-executor.ts";
import { startSpinner } from "./lib/spinner.ts";
import { Worker } from "node:worker_threads";
import { qmtlEngineRecipe } from "../src/sim/qmtl-structured/parallel.ts";

const preset = (process.argv[2] ?? "mustard") as PresetName;
const batch = Number(process.argv[3] ?? 16);
const calls = Number(process.argv[4] ?? 300);
const lay = resolveQmtl(PRESETS[preset]);
const one = qmtlEngine(lay);
const traces: PoolTrace[] = [];
let tracing = false;
const two = await parallelQmtlEngine(lay, {
  threads: 2,
  coldCalls: 0,
  trace: (t) => tracing && traces.push(t),
});
const noSpin = await parallelQmtlEngine(lay, { threads: 2, spinUs: 0 });
const noShip = await parallelQmtlEngine(lay, { threads: 2, shipPrepared: false, coldCalls: 0 });
// the previous pool (structured-clone messages, futex wake-ups), for this comparison only
const x = Float64Array.from({ length: batch * one.nInputs }, (_, i) => Math.sin(i));
const c = Float64Array.from({ length: batch * one.nOutputs }, (_, i) => Math.sin(3 * i));
let k = 0;
const fresh = (): Float64Array => Float64Array.from({ length: one.nWeights }, (_, i) => Math.cos(i + k++));
const call = (ex: DifferentiableExecutor, n: number): void => {
  ex.record(x.subarray(0, n * one.nInputs), fresh(), n).backward(c.subarray(0, n * one.nOutputs));
};
const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
/** median wall microseconds per call over `n` calls (after n/4 warm-up calls) */
function timeCalls(ex: DifferentiableExecutor, b: number, n: number): number {
  for (let i = 0; i < Math.max(5, n / 4); i++) call(ex, b);
  const v: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    call(ex, b);
    v.push((performance.now() - t) * 1e3);
  }
  return median(v);
}

const rows: Array<[string, number]> = [];
for (let round = 0; round < 2; round++) {
  rows.length = 0;
  rows.push(["1 thread, full batch", timeCalls(one, batch, calls)]);
  rows.push(["1 thread, half batch", timeCalls(one, batch / 2, calls)]);
  tracing = false;
  timeCalls(two, batch, calls / 4);
  traces.length = 0;
  tracing = true;
  rows.push(["2 threads, full batch", timeCalls(two, batch, calls)]);
  tracing = false;
  rows.push(["2 threads, no spinning", timeCalls(noSpin, batch, calls)]);
  rows.push(["2 threads, every thread prepares", timeCalls(noShip, batch, calls)]);
}
const sp = await startSpinner();
rows.push(["1 thread, half batch, beside a busy core", timeCalls(one, batch / 2, calls)]);
await sp.stop();
// the same engine running on the other core (what a pool worker's slice really has beside it)
const flag = new Int32Array(new SharedArrayBuffer(8));
const nb = new Worker(new URL("./lib/engine-neighbour.mjs", import.meta.url), {
  workerData: { preset, batch: batch / 2, flag },
});
while (Atomics.load(flag, 1) === 0) await new Promise((r) => setTimeout(r, 10));
await new Promise((r) => setTimeout(r, 500));
rows.push(["1 thread, half batch, beside the engine", timeCalls(one, batch / 2, calls)]);
Atomics.store(flag, 0, 1);
await new Promise((r) => nb.once("exit", r));
await Promise.all([two.close(), noSpin.close(), noShip.close()]);

const us = (v: number): string => `${v.toFixed(0).padStart(6)} us`;
console.log(
  `${preset}, batch ${batch}, record + backward, new weights every call (medians of ${calls} calls)`,
);
for (const [name, v] of rows) console.log(`  ${name.padEnd(42)} ${us(v)}`);
const [full, half, twoT, twoNoSpin, twoNoShip, halfSpin, halfEngine] = rows.map((r) => r[1]) as number[] as [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];
console.log(
  `  2 thr / 1 thr ${(full / twoT).toFixed(2)}x (no spinning ${(full / twoNoSpin).toFixed(2)}x, ` +
    `every thread prepares ${(full / twoNoShip).toFixed(2)}x); ceiling (full batch / half batch beside a busy core) ` +
    `${(full / halfSpin).toFixed(2)}x; beside the engine ${(full / halfEngine).toFixed(2)}x; half batch alone ${(full / half).toFixed(2)}x`,
);
for (const op of ["record", "backward"] as const) {
  const ts = traces.filter((t) => t.op === op && t.worker.length === 4);
  const d = (f: (t: PoolTrace) => number): string => us(median(ts.map((t) => 1e3 * f(t))));
  const C = (t: PoolTrace, i: number): number => t.caller[i]!;
  const W = (t: PoolTrace, i: number): number => t.worker[i]!;
  console.log(`  ${op} (${ts.length} traced calls), medians:`);
  console.log(`    caller: preparation + clone setup     ${d((t) => C(t, 1) - C(t, 0))}`);
  console.log(`    caller: post (structured clone)       ${d((t) => C(t, 2) - C(t, 1))}`);
  console.log(`    caller: own slice                     ${d((t) => C(t, 3) - C(t, 2))}`);
  console.log(`    caller: waits after own slice         ${d((t) => C(t, 4) - C(t, 3))}`);
  console.log(`    worker: wakes after post              ${d((t) => W(t, 0) - C(t, 2))}`);
  console.log(`    worker: deserialize                   ${d((t) => W(t, 1) - W(t, 0))}`);
  console.log(`    worker: adopt preparation             ${d((t) => W(t, 2) - W(t, 1))}`);
  console.log(`    worker: slice                         ${d((t) => W(t, 3) - W(t, 2))}`);
  console.log(`    caller: gets reply after worker done  ${d((t) => C(t, 4) - W(t, 3))}`);
  console.log(`    total                                 ${d((t) => C(t, 4) - C(t, 0))}`);
}
const whole: number[] = [],
  gap: number[] = [];
for (let i = 0; i + 1 < traces.length; i++) {
  const r = traces[i]!,
    b = traces[i + 1]!;
  if (r.op !== "record" || b.op !== "backward") continue;
  whole.push(1e3 * (b.caller[4]! - r.caller[0]!));
  gap.push(1e3 * (b.caller[0]! - r.caller[4]!));
}
console.log(
  `  traced record + backward: ${us(median(whole))} median (${us(gap.length ? median(gap) : 0)} between the two)`,
);
