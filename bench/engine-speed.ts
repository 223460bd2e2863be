/**
 * The structured engine alone, one thread: forward + full gradient per sample
 * (CPU time, best of many windows, so less sensitive to other jobs than wall
 * time), split into record and backward, for the paper heads; optionally
 * against another engine factory in the same run (interleaved windows):
 *   npx tsx bench/engine-speed.ts [glue|chexpert|mustard ...] [--batch 128] [--secs 3] [--js] [--r3] [--blk] [--bc] [--v1]
 * (--js: the same engine on its JavaScript kernels, i.e. without kernels.wasm; --r3: the engine of
 * round three, wasm products but task blocks, chains and readout driven from JavaScript; --blk:
 * blocks in wasm; --bc: blocks and chains in wasm, the readout from JavaScript)
 */
import { cpuUsage, memoryUsage, argv } from "node:process";
import { loadavg } from "node:os";
import { PRESETS, type PresetName } from "../src/circuits/presets.ts";
import { resolveQmtl, type QmtlLayout } from "../src/circuits/qmtl.ts";
import { qmtlEngine } from "../src/sim/qmtl-structured/engine.ts";
import { parityEngine } from "../src/sim/qmtl-structured/parity-engine.ts";
import type { DifferentiableExecutor } from "../src/sim/executor.ts";
import { Rng } from "../src/core/rng.ts";

export interface EngineRow {
  readonly preset: PresetName;
  readonly engine: string;
  readonly batch: number;
  readonly recordUs: number;
  readonly backwardUs: number;
  /** samples/s of record + backward, CPU time */
  readonly gradPerSec: number;
}

const cpuUs = (): number => {
  const u = cpuUsage();
  return u.user + u.system;
};

/** Best CPU microseconds per sample of fn over windows of ~`window` s, for `secs` s in all. */
function bestUs(fn: () => void, batch: number): () => number {
  let best = Infinity;
  return () => {
    const t = cpuUs();
    let n = 0;
    do {
      fn();
      n++;
    } while (cpuUs() - t < 5e4);
    best = Math.min(best, (cpuUs() - t) / (n * batch));
    return best;
  };
}

/** The engine on its JavaScript kernels only (as before kernels.wasm): the in-run baseline of `--js` and goals.ts. */
export const jsKernelEngine = (l: QmtlLayout): DifferentiableExecutor =>
  l.entangle ? parityEngine(l, { wasm: false }) : qmtlEngine(l);

/** The engine of round three (wasm products, everything else from JavaScript): the in-run baseline of `--r3`. */
export const roundThreeEngine = (l: QmtlLayout): DifferentiableExecutor =>
  l.entangle ? parityEngine(l, { wasmBlocks: false, wasmChains: false, wasmReadout: false }) : qmtlEngine(l);

/** Round four's steps: task blocks in wasm (`--blk`), + chains (`--bc`); the engine adds the readout. */
export const blocksOnlyEngine = (l: QmtlLayout): DifferentiableExecutor =>
  l.entangle ? parityEngine(l, { wasmChains: false, wasmReadout: false }) : qmtlEngine(l);
export const blocksChainsEngine = (l: QmtlLayout): DifferentiableExecutor =>
  l.entangle ? parityEngine(l, { wasmReadout: false }) : qmtlEngine(l);

export function benchEngines(
  preset: PresetName,
  engines: ReadonlyArray<[string, (l: QmtlLayout) => DifferentiableExecutor]>,
  batch: number,
  secs: number,
): EngineRow[] {
  const layout = resolveQmtl(PRESETS[preset]);
  const rng = new Rng(7);
  const ex0 = engines[0]![1](layout);
  const x = Float64Array.from({ length: batch * ex0.nInputs }, () => rng.range(-Math.PI, Math.PI));
  const w = Float64Array.from({ length: ex0.nWeights }, () => rng.range(-Math.PI, Math.PI));
  const c = Float64Array.from({ length: batch * ex0.nOutputs }, () => rng.range(-1, 1));
  const probes = engines.map(([name, make]) => {
    const ex = make(layout);
    let tape = ex.record(x, w, batch);
    const rec = bestUs(() => {
      tape = ex.record(x, w, batch);
    }, batch);
    const back = bestUs(() => {
      tape.backward(c);
    }, batch);
    return { name, rec, back, r: Infinity, b: Infinity };
  });
  const t0 = performance.now();
  while (performance.now() - t0 < secs * 1000)
    for (const p of probes) {
      p.r = p.rec();
      p.b = p.back();
    }
  return probes.map((p) => ({
    preset,
    engine: p.name,
    batch,
    recordUs: p.r,
    backwardUs: p.b,
    gradPerSec: 1e6 / (p.r + p.b),
  }));
}

if (import.meta.url === `file://${argv[1]}`) {
  const names = argv.slice(2).filter((a) => a in PRESETS) as PresetName[];
  const arg = (k: string, d: number): number => {
    const i = argv.indexOf(k);
    return i >= 0 ? Number(argv[i + 1]) : d;
  };
  const batch = arg("--batch", 128),
    secs = arg("--secs", 3);
  const engines: Array<[string, (l: QmtlLayout) => DifferentiableExecutor]> = [["engine", qmtlEngine]];
  if (argv.includes("--js")) engines.push(["js", jsKernelEngine]);
  if (argv.includes("--r3")) engines.push(["r3", roundThreeEngine]);
  if (argv.includes("--blk")) engines.push(["blk", blocksOnlyEngine]);
  if (argv.includes("--bc")) engines.push(["bc", blocksChainsEngine]);
  if (argv.includes("--v1")) {
    // the previous engine, for same-run comparisons while developing: an untracked copy of
    // src/sim/qmtl-structured/ as it was (e.g. `git archive <commit> src/sim/qmtl-structured`
    // unpacked as src/sim/qmtl-structured-v1), or QMTL_ENGINE_V1=<path of its engine.ts>
    const path =
      process.env.QMTL_ENGINE_V1 ?? new URL("../src/sim/qmtl-structured-v1/engine.ts", import.meta.url).href;
    const v1 = (await import(path)) as { qmtlEngine: (l: QmtlLayout) => DifferentiableExecutor };
    engines.push(["v1", v1.qmtlEngine]);
  }
  console.log(
    `load ${loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")}`,
  );
  for (const p of names.length > 0 ? names : (["glue", "mustard"] as PresetName[])) {
    for (const r of benchEngines(p, engines, batch, secs)) {
      console.log(
        `${p.padEnd(8)} ${r.engine.padEnd(6)} batch ${batch}: record ${r.recordUs.toFixed(1)} us + backward ${r.backwardUs.toFixed(1)} us = ${r.gradPerSec.toFixed(0)}/s`,
      );
    }
  }
  console.log(
    `peak RSS ${(memoryUsage().rss / 2 ** 20).toFixed(0)} MiB; load ${loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")}`,
  );
}
