import type { Circuit } from "../../circuits/ir.ts";
import type { Gradients } from "../executor.ts";
import type { Schedule } from "./schedule.ts";
import { measure, type Readout } from "./readout.ts";
import { buildLambda } from "./lambda.ts";
import { Workspace, type Buf } from "./workspace.ts";
import { TapeMemory } from "./tape-memory.ts";
import { forwardSample, firstLayerVectors } from "./forward-pass.ts";
import { backwardSample } from "./backward-pass.ts";
import { workspacePool, type FusedRunner } from "./runner.ts";

/** The fused executor's loops on the plain TypeScript passes (the reference and the fallback). */
export function tsRunner(circuit: Circuit, sch: Schedule, ro: Readout, rerunKeeps: boolean): FusedRunner {
  const nOut = circuit.observables.length,
    nIn = circuit.nInputs;
  const memory = new TapeMemory(sch, 8 * (sch.nBlocks + sch.nGates));
  const pool = workspacePool(() => new Workspace(sch, rerunKeeps));
  return {
    kernels: "ts",
    tapeBytes: (batch) => memory.bytesFor(batch),
    claimTape: (batch) => memory.claim(batch),
    ownsTape: (token) => memory.owns(token),
    forward(x, w, batch, tape) {
      const out = new Float64Array(batch * nOut);
      const ws = pool.take();
      for (let b = 0; b < batch; b++) {
        const rec = tape ? memory.sample(b) : null;
        forwardSample(sch, ws, x, b * nIn, w, rec ? rec.keep : null);
        measure(ro, ws.psi.re, ws.psi.im, out, b * nOut, ws.readout);
        if (rec) {
          rec.final.re.set(ws.psi.re);
          rec.final.im.set(ws.psi.im);
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
        let psi: Buf, cps: ReadonlyArray<Buf | null> | null;
        if (tape) {
          const rec = memory.sample(b);
          ws.mats.set(rec.mats);
          firstLayerVectors(sch, ws);
          psi = rec.final;
          cps = rec.keep;
        } else {
          forwardSample(sch, ws, x, off, w, ws.checkpoints);
          psi = ws.psi;
          cps = ws.checkpoints;
        }
        buildLambda(ro, psi.re, psi.im, ws.lam.re, ws.lam.im, cot, b * nOut, ws.readout.p, ws.cw);
        backwardSample(sch, ws, off, gradWeights, gradInputs, cps);
      }
      pool.give(ws);
      return { gradWeights, gradInputs };
    },
  };
}
