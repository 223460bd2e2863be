import type { Circuit } from "../../circuits/ir.ts";
import type { Gradients } from "../executor.ts";
import type { Schedule } from "./schedule.ts";
import type { Readout } from "./readout.ts";
import { firstLayerVectors } from "./forward-pass.ts";
import { MAX_BYTES, WasmArena } from "./wasm-arena.ts";
import { WasmPlan } from "./wasm-plan.ts";
import { WasmWorkspace } from "./wasm-workspace.ts";
import { WasmTapeMemory } from "./wasm-tape-memory.ts";
import { forwardSampleWasm, uploadSampleMats } from "./wasm-forward.ts";
import { backwardSampleWasm } from "./wasm-backward.ts";
import { buildLambdaWasm, measureWasm } from "./wasm-readout.ts";
import { workspacePool, type FusedRunner } from "./runner.ts";

/**
 * The fused executor's loops on the WebAssembly SIMD passes: the executor's
 * own fused.wasm instance holds its plan, workspaces and tape states. Same
 * algorithm and results as ts-runner.ts (to rounding: some sums run in two
 * lanes).
 */
export function wasmRunner(
  circuit: Circuit,
  sch: Schedule,
  ro: Readout,
  rerunKeeps: boolean,
  f32 = false,
): FusedRunner {
  const nOut = circuit.observables.length,
    nIn = circuit.nInputs;
  const need = wasmWorkspaceBytes(sch, rerunKeeps);
  if (need > MAX_BYTES / 2)
    throw new RangeError(
      `fused wasm: ${sch.n} qubits need ${need} bytes of workspace, more than half of wasm32's 4 GiB`,
    );
  const arena = new WasmArena();
  const plan = new WasmPlan(arena, sch, ro);
  const pool = workspacePool(() => new WasmWorkspace(arena, sch, nOut, rerunKeeps, f32));
  // the first workspace before any tape, so that the tape is the top of the heap and grows in place
  const first = pool.take();
  pool.give(first);
  const memory = new WasmTapeMemory(arena, sch, 8 * (sch.nBlocks + sch.nGates), first.stateBytes);
  return {
    kernels: "wasm",
    tapeBytes: (batch) => memory.bytesFor(batch),
    claimTape: (batch) => memory.claim(batch),
    ownsTape: (token) => memory.owns(token),
    forward(x, w, batch, tape) {
      const out = new Float64Array(batch * nOut);
      const ws = pool.take();
      for (let b = 0; b < batch; b++) {
        const rec = tape ? memory.sample(b) : null;
        forwardSampleWasm(sch, plan, ws, x, b * nIn, w, rec ? rec.keep : null);
        measureWasm(ro, plan, ws, ws.psi, out, b * nOut);
        if (rec) {
          arena.ex.copyF64(rec.final, ws.psi, ws.stateBytes >> 3);
          rec.mats.set(ws.mats);
        }
      }
      pool.give(ws);
      return out;
    },
    backward(x, w, batch, cot, tape): Gradients {
      const gradWeights = new Float64Array(circuit.nWeights);
      const gradInputs = new Float64Array(batch * nIn);
      const ws = pool.take();
      for (let b = 0; b < batch; b++) {
        const off = b * nIn;
        let psi: number, cps: ReadonlyArray<number | null> | null;
        if (tape) {
          const rec = memory.sample(b);
          ws.mats.set(rec.mats);
          firstLayerVectors(sch, ws);
          uploadSampleMats(sch, ws);
          psi = rec.final;
          cps = rec.keep;
        } else {
          forwardSampleWasm(sch, plan, ws, x, off, w, ws.checkpoints);
          psi = ws.psi;
          cps = ws.checkpoints;
        }
        buildLambdaWasm(ro, plan, ws, psi, cot, b * nOut);
        backwardSampleWasm(sch, plan, ws, off, gradWeights, gradInputs, cps);
      }
      pool.give(ws);
      return { gradWeights, gradInputs };
    },
  };
}

/** About the bytes of wasm memory an executor needs before any tape: one workspace and the permutation tables. */
export function wasmWorkspaceBytes(sch: Schedule, rerunKeeps: boolean): number {
  const dim = 1 << sch.n;
  const layers = sch.items.filter((it) => it.kind === "layer").length;
  const perms = sch.items.filter((it) => it.kind === "perm").length;
  return 8 * dim * (10 + (rerunKeeps ? 2 * layers : 0)) + 24 * dim * perms;
}
