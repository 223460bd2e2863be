import { receiveMessageOnPort, workerData, type MessagePort } from "node:worker_threads";
import type { DifferentiableExecutor, Tape } from "../executor.ts";
import {
  buildFromRecipe,
  epochMs,
  isPreparing,
  type ExecutorRecipe,
  type PreparingExecutor,
} from "./recipe.ts";
import {
  ACK,
  ACK_DEAD,
  BATCH,
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
  regions,
  sharedPrepared,
  CUR_GEN,
  waitChange,
  type LaneMessage,
  type WorkerMessage,
} from "./shared-lane.ts";

/**
 * Worker side of the thread pool (started through worker-entry.mjs): builds
 * its executor from the recipe, then waits for requests on the shared control
 * words (shared-lane.ts: spinning briefly after each reply, since in training
 * the next request usually follows within a millisecond, then sleeping in
 * Atomics.wait), runs its whole slice and writes the reply into shared memory.
 */
interface Init {
  readonly recipe: ExecutorRecipe;
  readonly port: MessagePort;
  readonly ctl: Int32Array;
}

/** tapes kept per worker; older ones are dropped (a backward on them records again) */
const MAX_TAPES = 8;

const { recipe, port, ctl } = workerData as Init;
/** tapes by request id, with the preparation generation whose shared views they hold (-1: private ones) */
const tapes = new Map<number, { tape: Tape; gen: number }>();
let data: Float64Array<ArrayBufferLike> = new Float64Array(0),
  cap = 0;
let prepBuf: SharedArrayBuffer | null = null,
  skeleton: unknown = null,
  cloned: { value: unknown } | null = null,
  /** the preparation's arrays as views into prepBuf, built once per skeleton and buffer */
  views: unknown = null,
  /** the generation the executor last adopted, and whether as views into prepBuf (which the caller rewrites) */
  adoptedGen = 0,
  adoptedViews = false,
  received = 0;

function apply(m: LaneMessage): void {
  received++;
  if (m.op === "release") tapes.delete(m.id);
  else if (m.op === "skeleton") [skeleton, cloned, views] = [JSON.parse(m.json), null, null];
  else if (m.op === "prepClone") cloned = { value: m.value };
  else if (m.op === "prepBuf") [prepBuf, views] = [m.buf, null];
  else [data, cap] = [new Float64Array(m.buf), m.cap];
}

/** applies every message the caller has posted before its latest request (or whatever is there) */
function drain(until: number): void {
  for (;;) {
    const m = receiveMessageOnPort(port);
    if (m !== undefined) apply(m.message as LaneMessage);
    else if (received >= until) return;
  }
}

function handle(ex: DifferentiableExecutor, nIn: number, nW: number, nOut: number, wake: number): void {
  const got = epochMs();
  const op = ctl[OP]!,
    id = ctl[ID]!,
    batch = ctl[BATCH]!,
    gen = ctl[PREP_GEN]!;
  if (batch > cap) throw new Error(`request of ${batch} samples, shared buffer for ${cap}`);
  const reg = regions(cap, nIn, nW, nOut);
  const weights = data.slice(reg.weights, reg.weights + nW),
    inputs = data.slice(reg.inputs, reg.inputs + batch * nIn);
  const cur = ctl[CUR_GEN]!;
  if (isPreparing(ex)) {
    if (op !== OP_BACKWARD && gen !== 0 && gen !== adoptedGen) adopt(ex, gen, weights);
    // the shared buffer holds a newer preparation than the views this executor holds: adopt it with its
    // weights, so that the executor's preparation and weights agree again (other weights prepare anew)
    else if (adoptedViews && cur !== 0 && cur !== adoptedGen) adopt(ex, cur, null);
  }
  const adopted = epochMs();
  if (op === OP_FORWARD) {
    data.set(ex.forward(inputs, weights, batch), reg.outputs);
  } else if (op === OP_RECORD) {
    const tape = ex.record(inputs, weights, batch);
    tapes.set(id, { tape, gen: adoptedViews ? adoptedGen : -1 });
    while (tapes.size > MAX_TAPES) tapes.delete(tapes.keys().next().value!);
    data.set(tape.outputs, reg.outputs);
  } else if (op === OP_BACKWARD) {
    const kept = tapes.get(id);
    // a tape on views whose buffer now holds another preparation is recorded again
    const tape =
      kept !== undefined && (kept.gen === -1 || kept.gen === cur)
        ? kept.tape
        : ex.record(inputs, weights, batch);
    const g = tape.backward(data.slice(reg.cot, reg.cot + batch * nOut));
    data.set(g.gradWeights, reg.gradWeights);
    data.set(g.gradInputs, reg.gradInputs);
  } else throw new Error(`unknown request ${op}`);
  if (ctl[TRACE] === 1) data.set([wake, got, adopted, epochMs()], reg.trace);
}

/** installs preparation `gen`: the structured clone if one came, else views into the shared buffer */
function adopt(ex: PreparingExecutor, gen: number, weights: Float64Array | null): void {
  if (cloned !== null && weights !== null) {
    ex.adoptPrepared(weights, cloned.value);
    adoptedViews = false;
  } else {
    views ??= sharedPrepared(skeleton, prepBuf!, ex.nWeights);
    ex.adoptPrepared(new Float64Array(prepBuf!, 0, ex.nWeights), views);
    adoptedViews = true;
  }
  adoptedGen = gen;
}

function signal(v: number): void {
  Atomics.store(ctl, ACK, v);
  Atomics.notify(ctl, ACK);
}

process.on("exit", () => signal(ACK_DEAD));

let ex: DifferentiableExecutor | null = null;
try {
  ex = await buildFromRecipe(recipe);
  port.postMessage({ ok: true } satisfies WorkerMessage);
} catch (e) {
  port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) } satisfies WorkerMessage);
}
signal(0);
if (ex !== null) {
  const { nInputs: nIn, nWeights: nW, nOutputs: nOut } = ex;
  let seen = 0;
  for (;;) {
    // the sleep slices bound how long a queued tape release waits
    const s = waitChange(ctl, SEQ, seen, Atomics.load(ctl, SPIN_US), 250, () => drain(0));
    const wake = epochMs();
    seen = s;
    drain(Atomics.load(ctl, MSGS));
    if (Atomics.load(ctl, STOP) === 1) break;
    let status = 0;
    try {
      handle(ex, nIn, nW, nOut, wake);
    } catch (e) {
      port.postMessage({
        ok: false,
        error: e instanceof Error ? e.message : String(e),
      } satisfies WorkerMessage);
      status = 1;
    }
    Atomics.store(ctl, STATUS, status);
    signal(seen);
  }
}
