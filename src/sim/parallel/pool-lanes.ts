import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { ExecutorRecipe } from "./recipe.ts";
import {
  ACK,
  ACK_DEAD,
  ACK_STARTING,
  CTL_WORDS,
  SPIN_US,
  STATUS,
  TRACE,
  waitChange,
  type LaneMessage,
  type Regions,
  type WorkerMessage,
} from "./shared-lane.ts";
import { workerExecArgv } from "../../core/worker-args.ts";

/** The calling thread's side of one pool worker (pool-executor.ts; the protocol: shared-lane.ts). */
export interface Lane {
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

export function send(lane: Lane, m: LaneMessage): void {
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
export function await_(lane: Lane, seq: number, spinUs: number): void {
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

/**
 * Starts `n` workers that build their executors from the recipe and blocks
 * until each has (a few hundred ms); throws the first start-up error.
 */
export function startLanes(
  recipe: ExecutorRecipe,
  n: number,
  reg: Regions,
  spinUs: number,
  trace: boolean,
): Lane[] {
  const lanes: Lane[] = [];
  for (let k = 0; k < n; k++) {
    const { port1, port2 } = new MessageChannel();
    const ctl = new Int32Array(new SharedArrayBuffer(4 * CTL_WORDS));
    ctl[ACK] = ACK_STARTING;
    ctl[SPIN_US] = spinUs;
    ctl[TRACE] = trace ? 1 : 0;
    const worker = new Worker(entry, {
      workerData: { recipe, port: port2, ctl },
      transferList: [port2],
      execArgv: workerExecArgv(),
    });
    worker.unref();
    port1.unref();
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
  return lanes;
}
