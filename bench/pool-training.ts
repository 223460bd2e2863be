/**
 * The thread pool as training sees it: every step brings new weights, so the
 * structured engine's weight-dependent preparation is paid on every call.
 * Measures record + backward with fresh weights each call: 1 thread, 2 threads
 * with the preparation made once on the calling thread and shipped
 * (default), 2 threads where every thread prepares (shipPrepared: false), and
 * 1 thread at half the batch (the per-thread share); plus a message round
 * trip of the pool at batch 2 (1 sample per thread):
 *   npx tsx bench/pool-training.ts [glue|chexpert|mustard] [batch]
 */
import { qmtlEngine } from "../src/sim/qmtl-structured/engine.ts";
import { parallelQmtlEngine } from "../src/sim/qmtl-structured/parallel.ts";
import { resolveQmtl } from "../src/circuits/qmtl.ts";
import { PRESETS, type PresetName } from "../src/circuits/presets.ts";
import type { DifferentiableExecutor } from "../src/sim/executor.ts";
import { bestRate, type Budget } from "./lib/timing.ts";
import { cpuPerCall } from "./lib/thread-cpu.ts";
import { isPreparing } from "../src/sim/parallel/recipe.ts";
import { createParallelExecutor } from "../src/sim/parallel/pool-executor.ts";

export interface PoolRow {
  readonly preset: PresetName;
  readonly batch: number;
  /** microseconds per record + backward call, new weights every call */
  readonly oneThreadUs: number;
  readonly twoThreadsUs: number;
  readonly twoThreadsNoShipUs: number;
  readonly halfBatchUs: number;
  /** twoThreads / oneThread speed-up (wall clock; shared cores make it noisy) */
  readonly speedup: number;
  readonly speedupNoShip: number;
  /** record + backward of a no-op executor on 2 threads (two round trips and the copies), us */
  readonly roundTripUs: number;
  /**
   * CPU microseconds per call on the calling thread and on the worker
   * (shipped / every thread preparing), and the speed-up they imply on two
   * free cores: oneThread CPU / the critical path, max(caller, worker) when
   * every thread prepares and max(caller, prepare + worker) when the worker
   * waits for the shipped preparation
   */
  readonly cpu: {
    readonly oneThreadUs: number;
    /** the weight-dependent preparation alone, new weights */
    readonly prepareUs: number;
    readonly ship: { readonly callerUs: number; readonly workerUs: number };
    readonly noShip: { readonly callerUs: number; readonly workerUs: number };
    readonly speedup: number;
    readonly speedupNoShip: number;
  };
}

/**
 * What one pool call costs beyond the simulation: record + backward of a no-op
 * executor with the preset's sizes at `batch`, split over 2 threads (two
 * message round trips, the slices' copies and the reply's gradients), in us.
 */
export async function poolRoundTrip(preset: PresetName, batch: number, b: Budget): Promise<number> {
  const lay = resolveQmtl(PRESETS[preset]);
  const pool = await createParallelExecutor(
    {
      module: new URL("./lib/noop-executor.ts", import.meta.url).href,
      exportName: "noopExecutor",
      args: [lay.nInputs, lay.nWeights, lay.nOutputs],
    },
    { threads: 2, minSlice: 1, coldCalls: 0 },
  );
  const x = new Float64Array(batch * lay.nInputs),
    w = new Float64Array(lay.nWeights),
    c = new Float64Array(batch * lay.nOutputs);
  const us =
    1e6 /
    bestRate(
      () => {
        pool.record(x, w, batch).backward(c);
      },
      1,
      b,
    );
  await pool.close();
  return us;
}

export async function benchPool(preset: PresetName, batch: number, b: Budget): Promise<PoolRow> {
  const lay = resolveQmtl(PRESETS[preset]);
  const one = qmtlEngine(lay);
  const two = await parallelQmtlEngine(lay, { threads: 2, coldCalls: 0 });
  const old = await parallelQmtlEngine(lay, { threads: 2, shipPrepared: false, coldCalls: 0 });
  // per-thread CPU time needs threads that sleep while they wait (a spinning one would bill its waits)
  const twoSleep = await parallelQmtlEngine(lay, { threads: 2, spinUs: 0 });
  const oldSleep = await parallelQmtlEngine(lay, { threads: 2, shipPrepared: false, spinUs: 0 });
  const x = Float64Array.from({ length: batch * one.nInputs }, (_, i) => Math.sin(i));
  const c = Float64Array.from({ length: batch * one.nOutputs }, (_, i) => Math.sin(3 * i));
  let k = 0;
  const fresh = (): Float64Array => Float64Array.from({ length: one.nWeights }, (_, i) => Math.cos(i + k++));
  const call = (ex: DifferentiableExecutor, n: number) => (): void => {
    ex.record(x.subarray(0, n * one.nInputs), fresh(), n).backward(c.subarray(0, n * one.nOutputs));
  };
  // interleaved rounds, best of each
  const best = [Infinity, Infinity, Infinity, Infinity];
  const fns = [call(one, batch), call(two, batch), call(old, batch), call(one, batch / 2)];
  for (let r = 0; r < 3; r++)
    fns.forEach((f, i) => {
      best[i] = Math.min(best[i]!, 1e6 / bestRate(f, 1, b));
    });
  // CPU time per thread (best of rounds: preemption only adds)
  const n = Math.max(3, Math.ceil(2e5 / best[0]!));
  let c1 = Infinity;
  let cs = { callerUs: Infinity, workerUs: Infinity },
    cn = { callerUs: Infinity, workerUs: Infinity };
  const better = (a: typeof cs, b: typeof cs): typeof cs =>
    Math.max(b.callerUs, b.workerUs) < Math.max(a.callerUs, a.workerUs) ? b : a;
  for (let r = 0; r < 3; r++) {
    c1 = Math.min(c1, cpuPerCall(fns[0]!, n).callerUs);
    cs = better(cs, cpuPerCall(call(twoSleep, batch), n));
    cn = better(cn, cpuPerCall(call(oldSleep, batch), n));
  }
  let prepareUs = Infinity;
  if (isPreparing(one)) {
    // process CPU time (the workers sleep meanwhile): /proc's per-thread figure of a running thread lags by up to a tick
    for (let r = 0; r < 5; r++) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < 40; i++) one.prepareWeights(fresh());
      const d = process.cpuUsage(c0);
      prepareUs = Math.min(prepareUs, (d.user + d.system) / 40);
    }
  } else prepareUs = 0;
  await Promise.all([two.close(), old.close(), twoSleep.close(), oldSleep.close()]);
  const roundTripUs = await poolRoundTrip(preset, batch, b);
  return {
    preset,
    batch,
    roundTripUs,
    oneThreadUs: best[0]!,
    twoThreadsUs: best[1]!,
    twoThreadsNoShipUs: best[2]!,
    halfBatchUs: best[3]!,
    speedup: best[0]! / best[1]!,
    speedupNoShip: best[0]! / best[2]!,
    cpu: {
      oneThreadUs: c1,
      prepareUs,
      ship: cs,
      noShip: cn,
      speedup: c1 / Math.max(cs.callerUs, prepareUs + cs.workerUs),
      speedupNoShip: c1 / Math.max(cn.callerUs, cn.workerUs),
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const preset = (process.argv[2] ?? "mustard") as PresetName;
  const batch = Number(process.argv[3] ?? 16);
  const r = await benchPool(preset, batch, { warm: 0.3, window: 0.3, reps: 3, cap: 3 });
  const us = (v: number): string => `${v.toFixed(0)} us`;
  console.log(
    `${preset}, batch ${batch}, record + backward per call, new weights every call: 1 thread ${us(r.oneThreadUs)}, ` +
      `2 threads ${us(r.twoThreadsUs)} = ${r.speedup.toFixed(2)}x (every thread preparing: ${us(r.twoThreadsNoShipUs)} = ${r.speedupNoShip.toFixed(2)}x); ` +
      `1 thread at batch ${batch / 2}: ${us(r.halfBatchUs)}; no-op round trips (record + backward): ${us(r.roundTripUs)}`,
  );
  const cp = r.cpu;
  console.log(
    `  CPU per call: 1 thread ${us(cp.oneThreadUs)} (preparation ${us(cp.prepareUs)}); 2 threads shipped: caller ${us(cp.ship.callerUs)}, worker ${us(cp.ship.workerUs)} ` +
      `-> ${cp.speedup.toFixed(2)}x on two free cores; every thread preparing: caller ${us(cp.noShip.callerUs)}, worker ${us(cp.noShip.workerUs)} -> ${cp.speedupNoShip.toFixed(2)}x`,
  );
}
