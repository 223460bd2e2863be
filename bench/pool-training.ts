/**
 * The thread pool as training sees it: every step brings new weights, so the
 * structured engine's weight-dependent preparation (about 0.5 ms per call for
 * the MUStARD head) is paid on every call, in every thread. Measures
 * record + backward at batch 16 with fresh weights each call, 1 vs 2 threads,
 * and 1 thread at batch 8 (the per-thread share):
 *   npx tsx bench/pool-training.ts [glue|chexpert|mustard]
 */
import { qmtlEngine } from "../src/sim/qmtl-structured/engine.ts";
import { parallelQmtlEngine } from "../src/sim/qmtl-structured/parallel.ts";
import { resolveQmtl } from "../src/circuits/qmtl.ts";
import { PRESETS, type PresetName } from "../src/circuits/presets.ts";
import { bestRate } from "./lib/timing.ts";

const preset = (process.argv[2] ?? "mustard") as PresetName;
const lay = resolveQmtl(PRESETS[preset]);
const one = qmtlEngine(lay);
const two = await parallelQmtlEngine(lay, { threads: 2 });
const b = { warm: 0.5, window: 0.5, reps: 4, cap: 5 };
const x = Float64Array.from({ length: 16 * one.nInputs }, (_, i) => Math.sin(i));
const c = Float64Array.from({ length: 16 * one.nOutputs }, (_, i) => Math.sin(3 * i));
let k = 0;
const fresh = (): Float64Array => Float64Array.from({ length: one.nWeights }, (_, i) => Math.cos(i + k++));
const us = (r: number): string => `${(1e6 / r).toFixed(0)} us`;
const r1 = bestRate(() => one.record(x, fresh(), 16).backward(c), 1, b);
const r2 = bestRate(() => two.record(x, fresh(), 16).backward(c), 1, b);
const h = bestRate(() => one.record(x.subarray(0, 8 * one.nInputs), fresh(), 8).backward(c.subarray(0, 8 * one.nOutputs)), 1, b);
const same = one.nWeights > 0 ? fresh() : new Float64Array(0);
const rc = bestRate(() => one.record(x, same, 16).backward(c), 1, b);
console.log(`${preset}, batch 16, record + backward per call: 1 thread ${us(r1)} (same weights every call: ${us(rc)}), 2 threads ${us(r2)} = ${(r2 / r1).toFixed(2)}x; 1 thread at batch 8: ${us(h)}`);
await two.close();
