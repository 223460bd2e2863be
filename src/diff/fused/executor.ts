import type { Circuit } from "../../circuits/ir.ts";
import type { DifferentiableExecutor, Gradients, Tape } from "../../sim/executor.ts";
import { checkBatchArgs, checkCotangent } from "../../sim/executor.ts";
import { compileSchedule } from "./schedule.ts";
import { compileReadout, measure } from "./readout.ts";
import { buildLambda } from "./lambda.ts";
import { Workspace, type Buf } from "./workspace.ts";
import { TapeMemory } from "./tape-memory.ts";
import { forwardSample, firstLayerVectors } from "./forward-pass.ts";
import { backwardSample } from "./backward-pass.ts";

export interface FusedAdjointOptions {
  /**
   * Most bytes spent on copies of psi (16 * 2^n bytes each). The backward pass
   * needs psi just after every layer (L of them); by budget, per call:
   *  - batch * (L + 1) states: `record` keeps them and the final state of every
   *    sample in the executor's tape memory (reused from call to call; only
   *    the executor's latest tape holds it), backward reads them;
   *  - L states: backward re-runs each sample's forward pass, keeping its
   *    layer states in a workspace (one forward pass more per sample);
   *  - less: backward re-runs forward and un-applies every block from psi as
   *    well as from lambda (no copies at all, slowest).
   * Default 256 MiB: the first mode for HQNN-13 and QMTL-13 at batch 128.
   */
  readonly checkpointBytes?: number;
}

export const DEFAULT_CHECKPOINT_BYTES = 256 * 1024 * 1024;

/**
 * The fused adjoint: the adjoint method (exact, any circuit of the IR) run on
 * the fused schedule of `schedule.ts`. Per sample, forward writes the product
 * state of the first layer directly, then applies one 2x2 per block and one
 * gather per permutation run. Backward builds lambda from the cotangents and
 * walks the schedule back: at each layer, every block's cross matrix K from
 * one (psi, lambda) pair (layer-cross.ts), all of its angles' derivatives from
 * K at 2x2 cost (block-math.ts), then the layer is un-applied from lambda;
 * the first layer's gradients come from one contraction of lambda with the
 * product state (product-layer.ts).
 */
export function fusedAdjointExecutor(circuit: Circuit, options: FusedAdjointOptions = {}): DifferentiableExecutor {
  const budget = options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES;
  if (!(budget >= 0)) throw new RangeError(`checkpointBytes: expected a number >= 0, got ${budget}`);
  const sch = compileSchedule(circuit);
  const ro = compileReadout(circuit.observables, circuit.nQubits);
  const nOut = circuit.observables.length, nIn = circuit.nInputs;
  const nLayers = sch.items.filter((it) => it.kind === "layer").length;
  const rerunKeeps = nLayers * (1 << sch.n) * 16 <= budget;
  const memory = new TapeMemory(sch, 8 * (sch.nBlocks + sch.nGates));

  // one workspace, lent to one call at a time (a nested call would make its own)
  let spare: Workspace | null = null;
  const take = (): Workspace => { const ws = spare ?? new Workspace(sch, rerunKeeps); spare = null; return ws; };
  const give = (ws: Workspace): void => { spare = ws; };

  /** Outputs of a batch; with `tape`, each sample's layer states, final state and 2x2s are saved in it. */
  const runForward = (x: Float64Array, w: Float64Array, batch: number, tape: TapeMemory | null): Float64Array => {
    const out = new Float64Array(batch * nOut);
    const ws = take();
    for (let b = 0; b < batch; b++) {
      const rec = tape ? tape.sample(b) : null;
      forwardSample(sch, ws, x, b * nIn, w, rec ? rec.keep : null);
      measure(ro, ws.psi.re, ws.psi.im, out, b * nOut, ws.readout);
      if (rec) { rec.final.re.set(ws.psi.re); rec.final.im.set(ws.psi.im); rec.mats.set(ws.mats); }
    }
    give(ws);
    return out;
  };

  /** Gradients of a batch: from the saved samples of `tape`, or by re-running each sample's forward pass. */
  const runBackward = (x: Float64Array, w: Float64Array, batch: number, cot: Float64Array, tape: TapeMemory | null): Gradients => {
    const gradWeights = new Float64Array(circuit.nWeights);
    const gradInputs = new Float64Array(batch * nIn);
    const ws = take();
    for (let b = 0; b < batch; b++) {
      const off = b * nIn;
      let psi: Buf, cps: ReadonlyArray<Buf | null> | null;
      if (tape) {
        const rec = tape.sample(b);
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
    give(ws);
    return { gradWeights, gradInputs };
  };

  const ex: DifferentiableExecutor = {
    name: "statevector-fused-adjoint",
    nInputs: nIn,
    nWeights: circuit.nWeights,
    nOutputs: nOut,
    forward(inputs, weights, batch) {
      checkBatchArgs(ex, inputs, weights, batch);
      return runForward(inputs, weights, batch, null);
    },
    record(inputs, weights, batch): Tape {
      checkBatchArgs(ex, inputs, weights, batch);
      // the tape keeps its own copies: callers may reuse their buffers
      const x = inputs.slice(), w = weights.slice();
      const token = memory.bytesFor(batch) <= budget ? memory.claim(batch) : null;
      const outputs = runForward(x, w, batch, token ? memory : null);
      return {
        outputs,
        backward(cot): Gradients {
          checkCotangent(nOut, batch, cot);
          // a later record may have taken the tape memory: then re-run forward
          return runBackward(x, w, batch, cot, token !== null && memory.owns(token) ? memory : null);
        },
      };
    },
  };
  return ex;
}
