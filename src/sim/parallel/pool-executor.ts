import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { DifferentiableExecutor, Gradients, Tape } from "../executor.ts";
import { checkBatchArgs, checkCotangent } from "../executor.ts";
import { ValidationError, requireInt } from "../../core/errors.ts";
import { buildFromRecipe, epochMs, isPreparing, type ExecutorRecipe } from "./recipe.ts";
import { splitBatch, type Slice } from "./split.ts";
import {
  ACK,
  ACK_DEAD,
  ACK_STARTING,
  BATCH,
  CTL_WORDS,
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
  STATUS,
  STOP,
  TRACE,
  packPrepared,
  regions,
  waitChange,
  writePacked,
  type LaneMessage,
  type Regions,
  type WorkerMessage,
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

interface Lane {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly ctl: Int32Array;
  data: Float64Array<ArrayBufferLike>;
  reg: Regions;
  /** requests and messages posted so far */
  seq: number;
  posted: number;
  dead: boolean;
  /** the prep buffer and skeleton this worker was last sent */
  prepBuf: SharedArrayBuffer | null;
  skeleton: string | null;
}

const entry = new URL("./worker-entry.mjs", import.meta.url);

/** execArgv for workers: the parent's flags without tsx's loader (the entry registers it itself) */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const a = process.execArgv;
  for (let i = 0; i < a.length; i++) {
    const f = a[i]!;
    if ((f === "--import" || f === "--require" || f === "--loader") && a[i + 1]?.includes("tsx")) {
      i++;
      continue;
    }
    if (f.includes("tsx")) continue;
    out.push(f);
  }
  return out;
}

function send(lane: Lane, m: LaneMessage): void {
  lane.port.postMessage(m);
  lane.posted++;
}

/** the worker's message (start-up result or error text), which it posted before raising ACK */
function message(lane: Lane): WorkerMessage {
  for (;;) {
    const m = receiveMessageOnPort(lane.port);
    if (m !== undefined) return m.message as WorkerMessage;
  }
}

/** waits until the worker has answered request `seq`; throws if it died or failed */
function await_(lane: Lane, seq: number, spinUs: number): void {
  const prev = seq - 1;
  let ack = Atomics.load(lane.ctl, ACK);
  if (ack === prev) ack = waitChange(lane.ctl, ACK, prev, spinUs, 1000);
  if (ack === ACK_DEAD) {
    lane.dead = true;
    throw new Error("parallel executor: worker thread exited before replying");
  }
  if (Atomics.load(lane.ctl, STATUS) !== 0) {
    const m = message(lane);
    throw new Error(`parallel executor worker: ${m.ok ? "failed" : m.error}`);
  }
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
  const lanes: Lane[] = [];
  for (let k = 1; k < threads; k++) {
    const { port1, port2 } = new MessageChannel();
    const ctl = new Int32Array(new SharedArrayBuffer(4 * CTL_WORDS));
    ctl[ACK] = ACK_STARTING;
    ctl[SPIN_US] = spinUs;
    ctl[TRACE] = opts.trace !== undefined ? 1 : 0;
    const worker = new Worker(entry, {
      workerData: { recipe, port: port2, ctl },
      transferList: [port2],
      execArgv: workerExecArgv(),
    });
    worker.unref();
    port1.unref();
    const reg = regions(0, nIn, nW, nOut);
    lanes.push({
      worker,
      port: port1,
      ctl,
      data: new Float64Array(0),
      reg,
      seq: 0,
      posted: 0,
      dead: false,
      prepBuf: null,
      skeleton: null,
    });
  }
  // wait for every worker to have built its executor
  const startErrors: string[] = [];
  for (const l of lanes) {
    waitChange(l.ctl, ACK, ACK_STARTING, 0, 1000);
    const m = Atomics.load(l.ctl, ACK) === ACK_DEAD ? { ok: false as const, error: "exited" } : message(l);
    if (!m.ok) startErrors.push(m.error);
  }
  if (startErrors.length > 0) {
    for (const l of lanes) void l.worker.terminate();
    throw new Error(`parallel executor: worker failed to start: ${startErrors[0]!}`);
  }
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
  const collect = (lane: Lane): void => await_(lane, lane.seq, spinUs);
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
      for (let k = 1; k < slices.length; k++) {
        const s = slices[k]!;
        post(
          lanes[k - 1]!,
          OP_FORWARD,
          0,
          gen,
          weights,
          (d, r) => d.set(inputs.subarray(s.start * nIn, (s.start + s.size) * nIn), r.inputs),
          s.size,
        );
      }
      const out = new Float64Array(batch * nOut);
      out.set(local.forward(inputs.subarray(0, slices[0]!.size * nIn), weights, slices[0]!.size), 0);
      for (let k = 1; k < slices.length; k++) {
        const lane = lanes[k - 1]!,
          s = slices[k]!;
        collect(lane);
        out.set(lane.data.subarray(lane.reg.outputs, lane.reg.outputs + s.size * nOut), s.start * nOut);
      }
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
      for (let k = 1; k < slices.length; k++)
        post(lanes[k - 1]!, OP_RECORD, id, gen, w, fillInputs(slices[k]!), slices[k]!.size);
      const t2 = trace ? epochMs() : 0;
      const localTape = local.record(x.subarray(0, slices[0]!.size * nIn), w, slices[0]!.size);
      const t3 = trace ? epochMs() : 0;
      const outputs = new Float64Array(batch * nOut);
      outputs.set(localTape.outputs, 0);
      for (let k = 1; k < slices.length; k++) {
        const lane = lanes[k - 1]!,
          s = slices[k]!;
        collect(lane);
        outputs.set(lane.data.subarray(lane.reg.outputs, lane.reg.outputs + s.size * nOut), s.start * nOut);
      }
      if (trace) trace({ op: "record", caller: [t0, t1, t2, t3, epochMs()], worker: workerTimes(lanes[0]) });
      const tape: Tape = {
        outputs,
        backward(cot): Gradients {
          guard();
          checkCotangent(nOut, batch, cot);
          const t0 = trace ? epochMs() : 0;
          for (let k = 1; k < slices.length; k++) {
            const s = slices[k]!;
            post(
              lanes[k - 1]!,
              OP_BACKWARD,
              id,
              0,
              w,
              (d, r) => {
                fillInputs(s)(d, r);
                d.set(cot.subarray(s.start * nOut, (s.start + s.size) * nOut), r.cot);
              },
              s.size,
            );
          }
          const t2 = trace ? epochMs() : 0;
          const g0 = localTape.backward(cot.subarray(0, slices[0]!.size * nOut));
          const t3 = trace ? epochMs() : 0;
          const gradWeights = g0.gradWeights.slice();
          const gradInputs = new Float64Array(batch * nIn);
          gradInputs.set(g0.gradInputs, 0);
          // summed in slice order: the result never depends on which worker finished first
          for (let k = 1; k < slices.length; k++) {
            const lane = lanes[k - 1]!,
              s = slices[k]!,
              r = lane.reg;
            collect(lane);
            const d = lane.data;
            for (let j = 0; j < nW; j++) gradWeights[j]! += d[r.gradWeights + j]!;
            gradInputs.set(d.subarray(r.gradInputs, r.gradInputs + s.size * nIn), s.start * nIn);
          }
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
