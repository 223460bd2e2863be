import { PRESETS, type PresetName } from "../src/circuits/presets.ts";
import { qmtlCircuit, resolveQmtl } from "../src/circuits/qmtl.ts";
import { qmtlEngine } from "../src/sim/qmtl-structured/engine.ts";
import { parallelQmtlEngine } from "../src/sim/qmtl-structured/parallel.ts";
import { adjointExecutor } from "../src/diff/adjoint.ts";
import { fusedAdjointExecutor } from "../src/sim/fused/executor.ts";
import { createParallelExecutor, type ParallelExecutor } from "../src/sim/parallel/pool-executor.ts";
import type { DifferentiableExecutor } from "../src/sim/executor.ts";
import { Rng } from "../src/core/rng.ts";
import { selectKernelBackend } from "../src/sim/wasm/select.ts";
import { bestRate, type Budget } from "./lib/timing.ts";

/** One row: samples/s of an executor on a paper head, forward only and forward + gradient. */
export interface HeadRow {
  readonly preset: PresetName;
  readonly qubits: number;
  /**
   * baseline-wasm: the same adjoint on the WebAssembly SIMD kernels; fused-ts,
   * fused-wasm, fused-f32: the fused-block adjoint (the fast path for any
   * circuit) on its TypeScript passes, its wasm passes, and its float32 wasm
   * passes (these four at 1 thread only)
   */
  readonly executor: "structured" | "baseline" | "baseline-wasm" | "fused-ts" | "fused-wasm" | "fused-f32";
  readonly threads: number;
  readonly batch: number;
  readonly forwardPerSec: number;
  readonly gradPerSec: number;
}

function data(n: number, rng: Rng, lo = -Math.PI, hi = Math.PI): Float64Array {
  return Float64Array.from({ length: n }, () => rng.range(lo, hi));
}

function measure(
  ex: DifferentiableExecutor,
  batch: number,
  b: Budget,
  rng: Rng,
): { forwardPerSec: number; gradPerSec: number } {
  const x = data(batch * ex.nInputs, rng),
    w = data(ex.nWeights, rng),
    cot = data(batch * ex.nOutputs, rng, -1, 1);
  const forwardPerSec = bestRate(() => ex.forward(x, w, batch), batch, b);
  const gradPerSec = bestRate(() => ex.record(x, w, batch).backward(cot), batch, b);
  return { forwardPerSec, gradPerSec };
}

/**
 * The structured engine and the baseline (the plain gate-by-gate statevector
 * adjoint of the same circuit, TypeScript kernels) on one preset, at every
 * batch size and thread count, in the same process.
 */
export async function benchHead(
  preset: PresetName,
  batches: readonly number[],
  threads: readonly number[],
  b: Budget,
  log: (s: string) => void,
): Promise<HeadRow[]> {
  const layout = resolveQmtl(PRESETS[preset]);
  const circuit = qmtlCircuit(layout);
  const rows: HeadRow[] = [];
  const rng = new Rng(20260413);
  for (const t of threads) {
    const pools: ParallelExecutor[] = [];
    const pooled = (p: ParallelExecutor): ParallelExecutor => {
      pools.push(p);
      return p;
    };
    const engine = t === 1 ? qmtlEngine(layout) : pooled(await parallelQmtlEngine(layout, { threads: t }));
    const baseline =
      t === 1
        ? adjointExecutor(circuit)
        : pooled(
            await createParallelExecutor(
              {
                module: new URL("../src/diff/adjoint.ts", import.meta.url).href,
                exportName: "adjointExecutor",
                args: [circuit],
              },
              { threads: t },
            ),
          );
    const runs: Array<[HeadRow["executor"], DifferentiableExecutor]> = [
      ["structured", engine],
      ["baseline", baseline],
    ];
    if (t === 1) {
      runs.push(["baseline-wasm", adjointExecutor(circuit, { backend: selectKernelBackend("wasm") })]);
      runs.push(["fused-ts", fusedAdjointExecutor(circuit, { kernels: "ts" })]);
      runs.push(["fused-wasm", fusedAdjointExecutor(circuit, { kernels: "wasm" })]);
      runs.push(["fused-f32", fusedAdjointExecutor(circuit, { kernels: "wasm", precision: "float32" })]);
    }
    for (const batch of batches) {
      for (const [kind, ex] of runs) {
        const r = measure(ex, batch, b, rng);
        rows.push({ preset, qubits: layout.Q, executor: kind, threads: t, batch, ...r });
        log(
          `  ${preset} ${kind.padEnd(13)} threads ${t} batch ${String(batch).padStart(3)}: fwd ${r.forwardPerSec.toFixed(0).padStart(7)}/s  fwd+grad ${r.gradPerSec.toFixed(0).padStart(7)}/s`,
        );
      }
    }
    await Promise.all(pools.map((p) => p.close()));
  }
  return rows;
}
