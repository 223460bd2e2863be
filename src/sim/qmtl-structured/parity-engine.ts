import type { QmtlLayout } from "../../circuits/qmtl.ts";
import type { Gradients, Tape } from "../executor.ts";
import type { PreparingExecutor } from "../parallel/recipe.ts";
import { checkBatchArgs, checkCotangent } from "../executor.ts";
import { makePlan, type Plan } from "./plan.ts";
import { prepareFactors, buildFactors, factorGradients, type SharedFactors } from "./encoder-factors.ts";
import {
  chainBoundaries,
  leftSandwich,
  leftStep,
  leftStepBack,
  leftSandwichBack,
  rightStep,
  rightStepBack,
} from "./chains.ts";
import { blockForward, blockBackward } from "./blocks.ts";
import { prepareHeads, readout, readoutBack, headGradients, type Head } from "./heads.ts";
import { KernelMemory, activate } from "./wasm-kernels.ts";
import { blockKernels, descriptorBytes, type BlockKernels } from "./wasm-blocks.ts";
import {
  readoutBytes,
  readoutKernels,
  loadHeads,
  wasmReadout,
  wasmReadoutBack,
  rcView,
} from "./wasm-readout.ts";

/**
 * The structured QMTL engine for the entangling encoder (see engine.ts for the
 * physics). Everything a sample needs lives in one flat Float64Array frame
 * laid out by plan.ts; the backward pass runs the adjoint of every step with
 * a cotangent frame of the same layout, reused across samples. Nothing is
 * allocated per sample.
 *
 * Memory: the frames of a recorded batch live in an arena owned by the
 * engine and reused by the next record() (allocating ~100-200 kB per sample
 * on every call cost ~10% in page faults and GC). Recording again therefore
 * invalidates the previous tape's frames; backward() on such a tape recomputes
 * its forward pass into a private buffer first, so results never change, only
 * that unusual order of calls costs one extra forward pass.
 */
export function parityEngine(
  layout: QmtlLayout,
  opts: {
    readonly wasm?: boolean;
    readonly wasmBlocks?: boolean;
    readonly wasmChains?: boolean;
    readonly wasmReadout?: boolean;
  } = {},
): PreparingExecutor {
  if (!layout.entangle) throw new Error("parityEngine needs the entangling encoder");
  const plan = makePlan(layout);
  const nOut = layout.nOutputs,
    nIn = layout.nInputs;
  // frames, cotangent frame and scratch in the linear memory of this engine's kernels (wasm-kernels.ts)
  // wasmBlocks / wasmChains / wasmReadout = false: task blocks (blocks.ts) / chains (chains.ts) / readout
  // (heads.ts) from JavaScript on the wasm products; all false is the engine of round three (kept callable
  // for same-run benches). The readout in wasm needs the blocks or chains (m = 4).
  const wasm = opts.wasm ?? true,
    useBlocks = opts.wasmBlocks ?? true,
    useChains = opts.wasmChains ?? true;
  const some = wasm && (useBlocks || useChains) && descriptorBytes(plan) > 0;
  const useReadout = some && (opts.wasmReadout ?? true);
  const dBytes = some ? descriptorBytes(plan) : 0;
  const mem = new KernelMemory(
    plan.size,
    2 * plan.bs,
    wasm,
    dBytes + (useReadout ? readoutBytes(layout) : 0),
  );
  const bk = some ? blockKernels(plan, mem, useBlocks, useChains) : null;
  if (bk !== null && useReadout) bk.ro = readoutKernels(layout, mem, mem.headerB + dBytes);
  const work: Work = { mem, rc: null, bk };
  // per-sample views of mem.arena, made once per arena (a view per sample per call was ~200 B of garbage per sample)
  let views: Float64Array[] = [];
  let viewsOf: Float64Array | null = null;
  const frameView = (frames: Float64Array, b: number): Float64Array => {
    if (frames !== mem.arena) return frames.subarray(b * plan.size, (b + 1) * plan.size);
    if (viewsOf !== frames) {
      views = [];
      viewsOf = frames;
    }
    return (views[b] ??= frames.subarray(b * plan.size, (b + 1) * plan.size));
  };
  let arenaOwner: object | null = null;
  let prepared: { w: Float64Array; sh: SharedFactors; heads: Head[] } | null = null;

  /** per-batch pieces that depend only on the weights; reused while the weights are unchanged (read-only afterwards) */
  function prepare(weights: Float64Array): { sh: SharedFactors; heads: Head[] } {
    if (prepared !== null && sameValues(prepared.w, weights)) return prepared;
    prepared = {
      w: weights.slice(),
      sh: prepareFactors(layout, weights),
      heads: prepareHeads(layout, weights),
    };
    return prepared;
  }

  function forwardBatch(
    sh: SharedFactors,
    heads: Head[],
    inputs: Float64Array,
    batch: number,
    frames: Float64Array,
    framesB: number,
    out: Float64Array,
  ): void {
    for (let b = 0; b < batch; b++) {
      const fr = frameView(frames, b);
      activate(framesB >= 0 ? mem : null, fr, framesB + 8 * b * plan.size);
      if (bk !== null) bk.fr = framesB >= 0 ? framesB + 8 * b * plan.size : -1;
      runForward(plan, layout, sh, heads, inputs, b * nIn, fr, out, b * nOut, bk);
    }
    activate(null);
  }

  const ex: PreparingExecutor = {
    name: "qmtl-parity-mps",
    nInputs: nIn,
    nWeights: layout.nWeights,
    nOutputs: nOut,
    prepareWeights(weights) {
      checkBatchArgs(ex, new Float64Array(nIn), weights, 1);
      const { sh, heads } = prepare(weights);
      return { sh, heads } satisfies Prepared;
    },
    adoptPrepared(weights, data) {
      const d = data as Partial<Prepared> | null;
      if (
        d?.sh?.b?.length !== layout.Q * 8 ||
        d.heads?.length !== layout.tasks.length ||
        weights.length !== layout.nWeights
      ) {
        throw new Error("qmtl engine: adoptPrepared needs what prepareWeights returned for this layout");
      }
      prepared = { w: weights.slice(), sh: d.sh, heads: d.heads };
      // the thread pool adopts views into a shared buffer that it refills in place for new weights: the
      // same Head objects may now hold other tables, so the readout's copy in wasm memory is reloaded
      if (bk?.ro) bk.ro.heads = null;
    },
    forward(inputs, weights, batch) {
      checkBatchArgs(ex, inputs, weights, batch);
      const { sh, heads } = prepare(weights);
      const out = new Float64Array(batch * nOut);
      activate(mem, mem.scratch, mem.scratchB);
      if (bk !== null) bk.fr = mem.scratchB;
      for (let b = 0; b < batch; b++)
        runForward(plan, layout, sh, heads, inputs, b * nIn, mem.scratch, out, b * nOut, bk);
      activate(null);
      return out;
    },
    record(inputs, weights, batch): Tape {
      checkBatchArgs(ex, inputs, weights, batch);
      const { sh, heads } = prepare(weights);
      const outputs = new Float64Array(batch * nOut);
      const size = batch * plan.size;
      mem.ensure(size);
      const frames = mem.arena; // samples 0..batch-1 of the arena
      const owner = {};
      arenaOwner = owner;
      forwardBatch(sh, heads, inputs, batch, frames, mem.arenaB, outputs);
      const z = inputs.slice();
      return {
        outputs,
        backward(cot): Gradients {
          checkCotangent(nOut, batch, cot);
          let fr = frames,
            frB = mem.arenaB;
          if (arenaOwner !== owner) {
            fr = new Float64Array(size);
            frB = -1; // outside the kernels' memory: the JavaScript kernels run
            forwardBatch(sh, heads, z, batch, fr, frB, new Float64Array(batch * nOut));
          }
          return runBackward(plan, layout, sh, heads, z, fr, frB, cot, batch, work, frameView);
        },
      };
    },
  };
  return ex;
}

interface Prepared {
  readonly sh: SharedFactors;
  readonly heads: Head[];
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return a.length === b.length;
}

interface Work {
  readonly mem: KernelMemory;
  rc: Float64Array[] | null;
  /** the block kernels (wasm-blocks.ts), or null: blocks.ts for every block */
  readonly bk: BlockKernels | null;
}

function runForward(
  plan: Plan,
  layout: QmtlLayout,
  sh: SharedFactors,
  heads: Head[],
  z: Float64Array,
  zo: number,
  fr: Float64Array,
  out: Float64Array,
  oo: number,
  bk: BlockKernels | null,
): void {
  if (bk?.ro) loadHeads(bk.ro, heads);
  buildFactors(plan, sh, z, zo, fr);
  if (bk !== null && bk.fr >= 0 && bk.chains >= 0) bk.k.chainsForward(bk.chains, bk.fr);
  else {
    chainBoundaries(plan, fr);
    for (let i = 0; i <= plan.oLast; i++) {
      leftSandwich(plan, fr, i);
      if (i < plan.oLast) leftStep(plan, fr, i);
    }
    for (let i = plan.Q - 1; i >= plan.e0; i--) rightStep(plan, fr, i);
  }
  const blocks = plan.blocks;
  for (let i = 0; i < blocks.length; i++) {
    const bp = blocks[i]!;
    // the block kernels run on wasm-resident frames only (bk.fr < 0: a recomputed stale tape)
    const desc = bk !== null && bk.fr >= 0 ? bk.desc[i]! : -1;
    if (desc >= 0) bk!.k.blockForward(desc, bk!.fr);
    else blockForward(plan, bp, fr);
    const oOut = oo + layout.tasks[bp.task]!.outputOffset;
    const ro = bk !== null && bk.fr >= 0 ? bk.ro : null;
    if (ro !== null) wasmReadout(ro, bp.task, bk!.fr + 8 * bp.rho, out, oOut);
    else readout(heads[bp.task]!, fr, bp.rho, out, oOut);
  }
}

function runBackward(
  plan: Plan,
  layout: QmtlLayout,
  sh: SharedFactors,
  heads: Head[],
  z: Float64Array,
  frames: Float64Array,
  framesB: number,
  cot: Float64Array,
  batch: number,
  work: Work,
  frameView: (frames: Float64Array, b: number) => Float64Array,
): Gradients {
  const nIn = layout.nInputs,
    nOut = layout.nOutputs;
  const gradWeights = new Float64Array(layout.nWeights);
  const gradInputs = new Float64Array(batch * nIn);
  const { cf, tmp } = work.mem;
  const bk = framesB >= 0 ? work.bk : null,
    blocks = plan.blocks;
  // head accumulators: in the kernels' memory with the readout there (views valid: nothing grows below)
  const ro = bk !== null ? bk.ro : null;
  if (ro !== null) loadHeads(ro, heads);
  const rc =
    ro !== null
      ? heads.map((_, t) => rcView(ro, t))
      : (work.rc ??= heads.map((h) => new Float64Array(h.nOut * 2 * h.dim * h.dim)));
  for (const r of rc) r.fill(0);
  for (let b = 0; b < batch; b++) {
    const fr = frameView(frames, b);
    activate(framesB >= 0 ? work.mem : null, fr, framesB + 8 * b * plan.size);
    cf.fill(0, 0, plan.cotSize);
    const frB = framesB + 8 * b * plan.size;
    for (let i = 0; i < blocks.length; i++) {
      const bp = blocks[i]!;
      const task = layout.tasks[bp.task]!;
      if (ro !== null)
        wasmReadoutBack(
          ro,
          bp.task,
          cot,
          b * nOut + task.outputOffset,
          frB + 8 * bp.rho,
          bk!.cf + 8 * bp.rho,
        );
      else
        readoutBack(heads[bp.task]!, cot, b * nOut + task.outputOffset, fr, bp.rho, cf, bp.rho, rc[bp.task]!);
      const desc = bk !== null ? bk.desc[i]! : -1;
      if (desc >= 0) bk!.k.blockBackward(desc, frB, bk!.cf, bk!.tmp);
      else blockBackward(plan, bp, fr, cf, tmp);
    }
    if (bk !== null && bk.chains >= 0) bk.k.chainsBackward(bk.chains, frB, bk.cf, bk.tmp);
    else {
      for (let i = plan.oLast; i >= 0; i--) {
        if (i < plan.oLast) leftStepBack(plan, fr, cf, i);
        leftSandwichBack(plan, fr, cf, i, tmp);
      }
      for (let i = plan.e0; i < plan.Q; i++) rightStepBack(plan, fr, cf, i, tmp);
    }
    factorGradients(plan, sh, z, b * nIn, fr, cf, gradWeights, gradInputs);
  }
  activate(null);
  heads.forEach((h, t) => headGradients(h, rc[t]!, gradWeights));
  return { gradWeights, gradInputs };
}
