import { receiveMessageOnPort, workerData, type MessagePort } from "node:worker_threads";
import type { Tape } from "../../../src/sim/executor.ts";
import {
  buildFromRecipe,
  isPreparing,
  FLAG_DONE,
  FLAG_DEAD,
  REQ,
  DONE,
  type ExecutorRecipe,
  type Reply,
  type Request,
} from "./recipe.ts";
import type { DifferentiableExecutor } from "../../../src/sim/executor.ts";

/**
 * Worker side of the thread pool (started through worker-entry.mjs): builds
 * its executor from the recipe, then sleeps in Atomics.wait on the request
 * counter; on each wake-up it drains its MessagePort synchronously
 * (receiveMessageOnPort) and answers whole-slice requests. After posting each
 * reply it raises the DONE flag so that the caller, blocked in Atomics.wait,
 * wakes up and reads the reply synchronously. Futex wake-ups both ways: no
 * event-loop round trip (which cost ~0.2 ms per call).
 */
interface Init {
  readonly recipe: ExecutorRecipe;
  readonly port: MessagePort;
  readonly flag: Int32Array;
}

/** tapes kept per worker; older ones are dropped (a backward on them records again) */
const MAX_TAPES = 8;

const { recipe, port, flag } = workerData as Init;
const tapes = new Map<number, Tape>();

function signal(v: number): void {
  Atomics.store(flag, DONE, v);
  Atomics.notify(flag, DONE);
}

function handle(ex: DifferentiableExecutor, req: Request): void {
  if (req.op === "release") {
    tapes.delete(req.id);
    return;
  }
  let reply: Reply;
  try {
    if (req.op !== "backward" && req.prepared !== undefined && isPreparing(ex))
      ex.adoptPrepared(req.weights, req.prepared);
    if (req.op === "forward") {
      reply = { ok: true, outputs: ex.forward(req.inputs, req.weights, req.batch) };
    } else if (req.op === "record") {
      const tape = ex.record(req.inputs, req.weights, req.batch);
      tapes.set(req.id, tape);
      while (tapes.size > MAX_TAPES) tapes.delete(tapes.keys().next().value!);
      reply = { ok: true, outputs: tape.outputs.slice() };
    } else {
      const tape = tapes.get(req.id) ?? ex.record(req.inputs, req.weights, req.batch);
      const g = tape.backward(req.cot);
      reply = { ok: true, gradWeights: g.gradWeights, gradInputs: g.gradInputs };
    }
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
  signal(FLAG_DONE);
}

process.on("exit", () => signal(FLAG_DEAD));

let ex: DifferentiableExecutor | null = null;
try {
  ex = await buildFromRecipe(recipe);
  port.postMessage({ ok: true } satisfies Reply);
} catch (e) {
  port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) } satisfies Reply);
}
signal(FLAG_DONE);
if (ex !== null) {
  let seen = Atomics.load(flag, REQ);
  for (;;) {
    // the timeout only bounds how long a queued tape release waits
    Atomics.wait(flag, REQ, seen, 250);
    seen = Atomics.load(flag, REQ);
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port))
      handle(ex, m.message as Request);
  }
}
