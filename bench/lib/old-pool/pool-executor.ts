// The thread pool as it was before shared-memory lanes (commit 2ba59e3), kept only so that bench/pool-phases.ts
// can compare both in one run; not used by the product.
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { DifferentiableExecutor, Gradients, Tape } from "../../../src/sim/executor.ts";
import { checkBatchArgs, checkCotangent } from "../../../src/sim/executor.ts";
import { ValidationError, requireInt } from "../../../src/core/errors.ts";
import {
  buildFromRecipe,
  isPreparing,
  FLAG_IDLE,
  FLAG_DEAD,
  REQ,
  DONE,
  type ExecutorRecipe,
  type Reply,
  type Request,
} from "./recipe.ts";
import { splitBatch, type Slice } from "./split.ts";

/**
 * A DifferentiableExecutor that splits every batch into contiguous slices, one
 * per thread: the calling thread runs the first slice on its own executor
 * while `threads - 1` worker threads run the others (whole slices per message,
 * never per gate). Weight gradients are summed in slice order, so results are
 * deterministic and equal the single-thread ones up to the summation order
 * (~1e-15 relative). The API stays synchronous: the caller blocks in
 * Atomics.wait until each worker has posted its reply, then takes it with
 * receiveMessageOnPort.
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
}

interface Lane {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly flag: Int32Array;
  dead: boolean;
  /** the weights whose preparation this worker was last sent (it keeps it while they are unchanged) */
  shipped: Float64Array | null;
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

function post(lane: Lane, req: Request): void {
  if (lane.dead) throw new Error("parallel executor: worker thread has exited");
  Atomics.store(lane.flag, DONE, FLAG_IDLE);
  lane.port.postMessage(req);
  Atomics.add(lane.flag, REQ, 1);
  Atomics.notify(lane.flag, REQ);
}

function collect(lane: Lane): Reply {
  for (;;) {
    Atomics.wait(lane.flag, DONE, FLAG_IDLE, 1000);
    const got = receiveMessageOnPort(lane.port);
    if (got !== undefined) return got.message as Reply;
    if (Atomics.load(lane.flag, DONE) === FLAG_DEAD) {
      lane.dead = true;
      throw new Error("parallel executor: worker thread exited before replying");
    }
  }
}

function expectOk(r: Reply): Extract<Reply, { ok: true }> {
  if (!r.ok) throw new Error(`parallel executor worker: ${r.error}`);
  return r;
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
  const lanes: Lane[] = [];
  for (let k = 1; k < threads; k++) {
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(8));
    const worker = new Worker(entry, {
      workerData: { recipe, port: port2, flag },
      transferList: [port2],
      execArgv: workerExecArgv(),
    });
    worker.unref();
    port1.unref();
    lanes.push({ worker, port: port1, flag, dead: false, shipped: null });
  }
  // wait for every worker to have built its executor
  const startErrors = lanes.map((l) => collect(l)).filter((r): r is Extract<Reply, { ok: false }> => !r.ok);
  if (startErrors.length > 0) {
    for (const l of lanes) void l.worker.terminate();
    throw new Error(`parallel executor: worker failed to start: ${startErrors[0]!.error}`);
  }
  let nextId = 1;
  let closed = false;
  const releaser = new FinalizationRegistry<number>((id) => {
    if (closed) return;
    // picked up at the worker's next wake-up (no reply)
    for (const l of lanes) if (!l.dead) l.port.postMessage({ op: "release", id } satisfies Request);
  });

  const slicesFor = (batch: number): Slice[] =>
    splitBatch(batch, Math.min(threads, Math.max(1, Math.floor(batch / minSlice))));
  const sub = (a: Float64Array, s: Slice, width: number): Float64Array =>
    a.slice(s.start * width, (s.start + s.size) * width);
  const guard = (): void => {
    if (closed) throw new ValidationError("executor", "an open parallel executor (close() was called)");
  };
  /**
   * With a PreparingExecutor: the weight-dependent preparation is made once on
   * this thread (and kept by the local executor for its own slice) and sent
   * to each worker that has not had it for these weights.
   */
  const preparing = isPreparing(local) && opts.shipPrepared !== false ? local : null;
  let prepW: Float64Array | null = null,
    prep: unknown = undefined;
  const shipFor = (lane: Lane, weights: Float64Array): unknown => {
    if (preparing === null) return undefined;
    if (prepW === null || !sameValues(prepW, weights)) {
      prep = preparing.prepareWeights(weights);
      prepW = weights.slice();
    }
    if (lane.shipped !== null && sameValues(lane.shipped, weights)) return undefined;
    lane.shipped = prepW;
    return prep;
  };

  const ex: ParallelExecutor = {
    name: `${local.name}x${threads}`,
    nInputs: local.nInputs,
    nWeights: local.nWeights,
    nOutputs: local.nOutputs,
    threads,
    forward(inputs, weights, batch) {
      guard();
      checkBatchArgs(ex, inputs, weights, batch);
      const slices = slicesFor(batch);
      for (let k = 1; k < slices.length; k++) {
        const lane = lanes[k - 1]!;
        post(lane, {
          op: "forward",
          inputs: sub(inputs, slices[k]!, ex.nInputs),
          weights,
          batch: slices[k]!.size,
          prepared: shipFor(lane, weights),
        });
      }
      const out = new Float64Array(batch * ex.nOutputs);
      out.set(local.forward(sub(inputs, slices[0]!, ex.nInputs), weights, slices[0]!.size), 0);
      for (let k = 1; k < slices.length; k++)
        out.set(expectOk(collect(lanes[k - 1]!)).outputs!, slices[k]!.start * ex.nOutputs);
      return out;
    },
    record(inputs, weights, batch): Tape {
      guard();
      checkBatchArgs(ex, inputs, weights, batch);
      const id = nextId++;
      const slices = slicesFor(batch);
      const ins = slices.map((s) => sub(inputs, s, ex.nInputs));
      const w = weights.slice();
      for (let k = 1; k < slices.length; k++) {
        const lane = lanes[k - 1]!;
        post(lane, {
          op: "record",
          id,
          inputs: ins[k]!,
          weights: w,
          batch: slices[k]!.size,
          prepared: shipFor(lane, w),
        });
      }
      const localTape = local.record(ins[0]!, w, slices[0]!.size);
      const outputs = new Float64Array(batch * ex.nOutputs);
      outputs.set(localTape.outputs, 0);
      for (let k = 1; k < slices.length; k++)
        outputs.set(expectOk(collect(lanes[k - 1]!)).outputs!, slices[k]!.start * ex.nOutputs);
      const tape: Tape = {
        outputs,
        backward(cot): Gradients {
          guard();
          checkCotangent(ex.nOutputs, batch, cot);
          for (let k = 1; k < slices.length; k++) {
            const s = slices[k]!;
            post(lanes[k - 1]!, {
              op: "backward",
              id,
              cot: sub(cot, s, ex.nOutputs),
              inputs: ins[k]!,
              weights: w,
              batch: s.size,
            });
          }
          const g0 = localTape.backward(sub(cot, slices[0]!, ex.nOutputs));
          const gradWeights = g0.gradWeights.slice();
          const gradInputs = new Float64Array(batch * ex.nInputs);
          gradInputs.set(g0.gradInputs, 0);
          for (let k = 1; k < slices.length; k++) {
            const r = expectOk(collect(lanes[k - 1]!));
            const gw = r.gradWeights!;
            for (let j = 0; j < gradWeights.length; j++) gradWeights[j]! += gw[j]!;
            gradInputs.set(r.gradInputs!, slices[k]!.start * ex.nInputs);
          }
          return { gradWeights, gradInputs };
        },
      };
      if (slices.length > 1) releaser.register(tape, id);
      return tape;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(lanes.map((l) => l.worker.terminate()));
      for (const l of lanes) l.port.close();
    },
  };
  return ex;
}
