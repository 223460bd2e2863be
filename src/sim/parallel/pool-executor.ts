import type { DifferentiableExecutor, Gradients, Tape } from "../executor.ts";
import { checkBatchArgs, checkCotangent } from "../executor.ts";
import { ValidationError, requireInt } from "../../core/errors.ts";
import { buildFromRecipe, epochMs, isPreparing, type ExecutorRecipe } from "./recipe.ts";
import { splitBatch, type Slice } from "./split.ts";
import { await_, send, startLanes, type Lane } from "./pool-lanes.ts";
import {
  BATCH,
  CUR_GEN,
  ID,
  MSGS,
  OP,
  OP_BACKWARD,
  OP_FORWARD,
  OP_RECORD,
  PREP_GEN,
  SEQ,
  SPIN_US,
  STOP,
  packPrepared,
  regions,
  writePacked,
  type Regions,
} from "./shared-lane.ts";

/**
 * A DifferentiableExecutor that splits every batch into contiguous slices, one
 * per thread: the calling thread runs the first slice on its own executor
 * while `threads - 1` worker threads run the others (whole slices per request,
 * never per gate). Requests and replies travel through shared memory
 * (shared-lane.ts), and both sides spin briefly before sleeping, so a round
 * trip costs a few microseconds plus the copies. Weight gradients are summed
 * in slice order (never in order of arrival), so results are deterministic
 * and equal the single-thread ones up to that summation order (~1e-15
 * relative). The API stays synchronous.
 *
 * Workers are unref'd, so a forgotten close() never keeps the process alive;
 * close() ends them explicitly.
 */
export interface ParallelExecutor extends DifferentiableExecutor {
  readonly threads: number;
  close(): Promise<void>;
}

export interface ParallelOptions {
  /** total threads including the calling one (default 2) */
  readonly threads?: number;
  /** smallest slice worth a thread (default 4 samples) */
  readonly minSlice?: number;
  /** ship a PreparingExecutor's weight preparation to the workers (default true; false: each thread prepares, for benchmarks) */
  readonly shipPrepared?: boolean;
  /**
   * microseconds each side spins on the shared control words before it sleeps
   * (default 2000): the caller waiting for a reply, a worker waiting for the
   * next request; 0 sleeps at once (a wake-up then costs tens of microseconds
   * on an idle machine, up to a scheduler slice on a busy one)
   */
  readonly spinUs?: number;
  /**
   * calls (record, backward or forward) before the pool starts spinning
   * (default 200): while V8 still compiles the executors' code on background
   * threads, threads that sleep at once leave it the cores; in 12-epoch
   * MUStARD cells the first epoch took 0.49 s instead of 0.60 s (means of 4)
   */
  readonly coldCalls?: number;
  /** benchmarks: called after each record/backward with the phase timestamps (PoolTrace) */
  readonly trace?: (t: PoolTrace) => void;
}

/**
 * Phase timestamps of one pool call (epoch ms, recipe.ts epochMs): on the
 * caller [start, prepared, posted, own slice done, replies collected]; on the
 * first worker [woke, messages drained, preparation adopted, slice done].
 */
export interface PoolTrace {
  readonly op: "record" | "backward";
  readonly caller: readonly number[];
  readonly worker: readonly number[];
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

export async function createParallelExecutor(
  recipe: ExecutorRecipe,
  opts: ParallelOptions = {},
): Promise<ParallelExecutor> {
  return startParallelExecutor(recipe, await buildFromRecipe(recipe), opts);
}

/**
 * The same, synchronously, with the calling thread's executor given (it must
 * be what the recipe builds): starts the workers and blocks until each has
 * built its copy (a few hundred ms).
 */
export function startParallelExecutor(
  recipe: ExecutorRecipe,
  local: DifferentiableExecutor,
  opts: ParallelOptions = {},
): ParallelExecutor {
  const threads = opts.threads ?? 2;
  requireInt("threads", threads, 1, 256);
  const minSlice = opts.minSlice ?? 4;
  requireInt("minSlice", minSlice, 1);
  const spinUs = opts.spinUs ?? 2000;
  requireInt("spinUs", spinUs, 0, 1_000_000);
  const { nInputs: nIn, nWeights: nW, nOutputs: nOut } = local;
  const coldCalls = opts.coldCalls ?? 200;
  requireInt("coldCalls", coldCalls, 0);
  let calls = 0,
    spinNow = coldCalls > 0 ? 0 : spinUs;
  const lanes = startLanes(recipe, threads - 1, regions(0, nIn, nW, nOut), spinNow, opts.trace !== undefined);
  let nextId = 1;
  let closed = false;
  const releaser = new FinalizationRegistry<number>((id) => {
    if (closed) return;
    // picked up at the worker's next request or sleep slice (no reply)
    for (const l of lanes) if (!l.dead) send(l, { op: "release", id });
  });

  const slicesFor = (batch: number): Slice[] =>
    splitBatch(batch, Math.min(threads, Math.max(1, Math.floor(batch / minSlice))));
  const guard = (): void => {
    if (closed) throw new ValidationError("executor", "an open parallel executor (close() was called)");
  };

  /**
   * With a PreparingExecutor: the weight-dependent preparation is made once on
   * this thread (and kept by the local executor for its own slice), packed
   * with its weights into one shared buffer whose arrays every worker uses in
   * place (or, for values that do not pack, structured-cloned to each worker).
   */
  const preparing = isPreparing(local) && opts.shipPrepared !== false ? local : null;
  let prepW: Float64Array | null = null,
    prepGen = 0,
    prepBuf: SharedArrayBuffer | null = null,
    skeleton: string | null = null,
    clone: { value: unknown } | null = null;
  /** the preparation generation for these weights (0: none; the workers prepare themselves) */
  const prepareFor = (weights: Float64Array): number => {
    if (preparing === null) return 0;
    if (prepW !== null && sameValues(prepW, weights)) return prepGen;
    const value = preparing.prepareWeights(weights);
    prepW = weights.slice();
    prepGen++;
    const p = packPrepared(value);
    if (p === null) {
      clone = { value };
      for (const l of lanes) {
        send(l, { op: "prepClone", value });
        l.skeleton = null; // a later packed preparation sends its skeleton again (which clears the clone)
      }
      return prepGen;
    }
    clone = null;
    const bytes = 8 * nW + p.bytes;
    if (prepBuf === null || prepBuf.byteLength < bytes) prepBuf = new SharedArrayBuffer(bytes);
    writePacked(p, weights, prepBuf);
    skeleton = p.skeleton;
    // every worker gets the buffer and skeleton now (applied before its next request), also those that
    // get no request this time: they hold views into this buffer and re-adopt from it (worker.ts)
    for (const l of lanes) {
      if (l.prepBuf !== prepBuf) send(l, { op: "prepBuf", buf: (l.prepBuf = prepBuf) });
      if (l.skeleton !== skeleton) send(l, { op: "skeleton", json: (l.skeleton = skeleton) });
    }
    return prepGen;
  };

  /** writes the request's arrays into the lane's shared buffer (a larger one first if needed) and posts it */
  const post = (
    lane: Lane,
    op: number,
    id: number,
    gen: number,
    w: Float64Array,
    fill: (d: Float64Array, r: Regions) => void,
    batch: number,
  ): void => {
    if (lane.dead) throw new Error("parallel executor: worker thread has exited");
    if (batch > lane.reg.cap) {
      const reg = regions(batch, nIn, nW, nOut);
      const buf = new SharedArrayBuffer(8 * reg.length);
      lane.data = new Float64Array(buf);
      lane.reg = reg;
      send(lane, { op: "data", buf, cap: batch });
    }
    lane.data.set(w, lane.reg.weights);
    fill(lane.data, lane.reg);
    const c = lane.ctl;
    c[OP] = op;
    c[ID] = id;
    c[BATCH] = batch;
    c[PREP_GEN] = gen;
    c[CUR_GEN] = clone === null ? prepGen : 0;
    Atomics.store(c, MSGS, lane.posted);
    lane.seq++;
    Atomics.store(c, SEQ, lane.seq);
    Atomics.notify(c, SEQ);
  };
  /**
   * Posts slices 1..n-1 (postK), runs slice 0 here (own), then collects every
   * posted reply in slice order (take), also when something failed, so that no
   * worker is still busy with a request when the next one is written; the
   * first error is thrown after that.
   */
  const dispatch = <T>(
    n: number,
    postK: (k: number) => void,
    own: () => T,
    take: (k: number, lane: Lane) => void,
  ): T => {
    if (spinNow !== spinUs && ++calls > coldCalls) {
      spinNow = spinUs;
      for (const l of lanes) Atomics.store(l.ctl, SPIN_US, spinUs);
    }
    let posted = 1,
      err: unknown = null,
      result: T | undefined;
    try {
      for (; posted < n; posted++) postK(posted);
      result = own();
    } catch (e) {
      err = e;
    }
    for (let k = 1; k < posted; k++) {
      const lane = lanes[k - 1]!;
      try {
        await_(lane, lane.seq, spinNow);
        if (err === null) take(k, lane);
      } catch (e) {
        err ??= e;
      }
    }
    if (err !== null) throw err;
    return result!;
  };
  const trace = opts.trace;
  const workerTimes = (lane: Lane | undefined): number[] =>
    lane === undefined ? [] : Array.from(lane.data.subarray(lane.reg.trace, lane.reg.trace + 4));

  const ex: ParallelExecutor = {
    name: `${local.name}x${threads}`,
    nInputs: nIn,
    nWeights: nW,
    nOutputs: nOut,
    threads,
    forward(inputs, weights, batch) {
      guard();
      checkBatchArgs(ex, inputs, weights, batch);
      const slices = slicesFor(batch);
      const gen = slices.length > 1 ? prepareFor(weights) : 0;
      const out = new Float64Array(batch * nOut);
      const part = (k: number): Float64Array =>
        inputs.subarray(slices[k]!.start * nIn, (slices[k]!.start + slices[k]!.size) * nIn);
      dispatch(
        slices.length,
        (k) =>
          post(
            lanes[k - 1]!,
            OP_FORWARD,
            0,
            gen,
            weights,
            (d, r) => d.set(part(k), r.inputs),
            slices[k]!.size,
          ),
        () => out.set(local.forward(part(0), weights, slices[0]!.size), 0),
        (k, lane) => {
          const s = slices[k]!;
          out.set(lane.data.subarray(lane.reg.outputs, lane.reg.outputs + s.size * nOut), s.start * nOut);
        },
      );
      return out;
    },
    record(inputs, weights, batch): Tape {
      guard();
      checkBatchArgs(ex, inputs, weights, batch);
      const id = nextId++;
      const t0 = trace ? epochMs() : 0;
      const slices = slicesFor(batch);
      const x = inputs.slice(0, batch * nIn),
        w = weights.slice();
      const gen = slices.length > 1 ? prepareFor(w) : 0;
      const t1 = trace ? epochMs() : 0;
      const fillInputs =
        (s: Slice) =>
        (d: Float64Array, r: Regions): void =>
          d.set(x.subarray(s.start * nIn, (s.start + s.size) * nIn), r.inputs);
      let t2 = 0,
        t3 = 0;
      const outputs = new Float64Array(batch * nOut);
      const localTape = dispatch(
        slices.length,
        (k) => post(lanes[k - 1]!, OP_RECORD, id, gen, w, fillInputs(slices[k]!), slices[k]!.size),
        () => {
          if (trace) t2 = epochMs();
          const t = local.record(x.subarray(0, slices[0]!.size * nIn), w, slices[0]!.size);
          if (trace) t3 = epochMs();
          outputs.set(t.outputs, 0);
          return t;
        },
        (k, lane) => {
          const s = slices[k]!;
          outputs.set(lane.data.subarray(lane.reg.outputs, lane.reg.outputs + s.size * nOut), s.start * nOut);
        },
      );
      if (trace) trace({ op: "record", caller: [t0, t1, t2, t3, epochMs()], worker: workerTimes(lanes[0]) });
      const tape: Tape = {
        outputs,
        backward(cot): Gradients {
          guard();
          checkCotangent(nOut, batch, cot);
          const t0 = trace ? epochMs() : 0;
          let t2 = 0,
            t3 = 0;
          const gradInputs = new Float64Array(batch * nIn);
          const fill = (s: Slice) => (d: Float64Array, r: Regions) => {
            fillInputs(s)(d, r);
            d.set(cot.subarray(s.start * nOut, (s.start + s.size) * nOut), r.cot);
          };
          let gradWeights = new Float64Array(0);
          dispatch(
            slices.length,
            (k) => post(lanes[k - 1]!, OP_BACKWARD, id, 0, w, fill(slices[k]!), slices[k]!.size),
            () => {
              if (trace) t2 = epochMs();
              const g0 = localTape.backward(cot.subarray(0, slices[0]!.size * nOut));
              if (trace) t3 = epochMs();
              gradInputs.set(g0.gradInputs, 0);
              gradWeights = g0.gradWeights.slice();
            },
            // summed in slice order: the result never depends on which worker finished first
            (k, lane) => {
              const s = slices[k]!,
                r = lane.reg,
                d = lane.data;
              for (let j = 0; j < nW; j++) gradWeights[j]! += d[r.gradWeights + j]!;
              gradInputs.set(d.subarray(r.gradInputs, r.gradInputs + s.size * nIn), s.start * nIn);
            },
          );
          if (trace)
            trace({ op: "backward", caller: [t0, t0, t2, t3, epochMs()], worker: workerTimes(lanes[0]) });
          return { gradWeights, gradInputs };
        },
      };
      if (slices.length > 1) releaser.register(tape, id);
      return tape;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const l of lanes) {
        Atomics.store(l.ctl, STOP, 1);
        Atomics.add(l.ctl, SEQ, 1);
        Atomics.notify(l.ctl, SEQ);
      }
      await Promise.all(lanes.map((l) => l.worker.terminate()));
      for (const l of lanes) l.port.close();
    },
  };
  return ex;
}
