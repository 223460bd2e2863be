/**
 * The shared-memory protocol between the calling thread and one pool worker.
 *
 * Every request and reply goes through two SharedArrayBuffers instead of
 * structured-clone messages (which cost ~0.1-0.3 ms per call to serialise
 * and deserialise on this machine): `ctl`, an Int32Array of control words
 * below, and `data`, a Float64Array holding the request's weights, inputs and
 * cotangent and the reply's outputs and gradients at offsets fixed by the
 * lane's capacity (Regions). Both sides wait for each other by spinning on
 * the control words for a bounded time, then sleeping in Atomics.wait: a
 * sleeping thread's wake-up costs tens of microseconds on an idle machine and
 * up to a scheduler slice (~1-3 ms) when other processes keep the cores busy.
 *
 * MessagePort messages remain for what is rare: a larger `data` buffer, the
 * shared preparation buffer and its skeleton (packPrepared), tape releases
 * and error texts. The caller counts the messages it has posted (MSGS) so the
 * worker drains exactly those before it reads a request.
 */
export const SEQ = 0, // requests posted by the caller (the worker waits on it)
  ACK = 1, // the last request answered by the worker, or ACK_* (the caller waits on it)
  OP = 2,
  ID = 3,
  BATCH = 4,
  PREP_GEN = 5, // generation of the preparation to adopt (0: none; the worker prepares itself)
  MSGS = 6, // messages posted to the worker so far
  STATUS = 7, // 0 ok; 1 error (the text follows as a message)
  SPIN_US = 8, // how long the worker spins for the next request before sleeping
  TRACE = 9, // 1: write phase timestamps into data's trace region
  STOP = 10, // 1: the worker leaves its loop
  CUR_GEN = 11; // generation of the preparation now in the shared preparation buffer (0: none)
export const CTL_WORDS = 12;
export const ACK_STARTING = -2,
  ACK_DEAD = -1;
export const OP_FORWARD = 1,
  OP_RECORD = 2,
  OP_BACKWARD = 3;

/** Float64 offsets into a lane's data buffer for a capacity of `cap` samples. */
export interface Regions {
  readonly cap: number;
  readonly weights: number;
  readonly inputs: number;
  readonly cot: number;
  readonly outputs: number;
  readonly gradInputs: number;
  readonly gradWeights: number;
  /** 4 worker timestamps (epoch ms) of a traced request */
  readonly trace: number;
  readonly length: number;
}

export function regions(cap: number, nIn: number, nW: number, nOut: number): Regions {
  const weights = 0,
    inputs = weights + nW,
    cot = inputs + cap * nIn,
    outputs = cot + cap * nOut,
    gradInputs = outputs + cap * nOut,
    gradWeights = gradInputs + cap * nIn,
    trace = gradWeights + nW;
  return { cap, weights, inputs, cot, outputs, gradInputs, gradWeights, trace, length: trace + 4 };
}

const now = (): number => performance.now();

/**
 * Waits until ctl[i] !== v: spins for up to spinUs microseconds, then sleeps
 * in Atomics.wait slices of sliceMs, calling onSlice after each (it may throw
 * to give up). Returns the new value.
 */
export function waitChange(
  ctl: Int32Array,
  i: number,
  v: number,
  spinUs: number,
  sliceMs: number,
  onSlice: () => void = () => {},
): number {
  let cur = Atomics.load(ctl, i);
  if (cur !== v || spinUs <= 0) return cur !== v ? cur : sleepChange(ctl, i, v, sliceMs, onSlice);
  const end = now() + spinUs / 1000;
  for (let n = 1; ; n++) {
    cur = Atomics.load(ctl, i);
    if (cur !== v) return cur;
    if ((n & 63) === 0 && now() > end) return sleepChange(ctl, i, v, sliceMs, onSlice);
  }
}

function sleepChange(ctl: Int32Array, i: number, v: number, sliceMs: number, onSlice: () => void): number {
  for (;;) {
    Atomics.wait(ctl, i, v, sliceMs);
    const cur = Atomics.load(ctl, i);
    if (cur !== v) return cur;
    onSlice();
  }
}

/**
 * A preparation (any structured-cloneable value) split into a JSON skeleton
 * and the bytes of its typed arrays, so that it can travel through shared
 * memory: the skeleton only changes when the preparation's shape does, the
 * bytes are copied once per weight update into one buffer that every worker
 * reads. Values the skeleton cannot describe (Maps, class instances, ...)
 * make packPrepared return null: the caller then sends a structured clone.
 */
export interface Packed {
  readonly skeleton: string;
  readonly arrays: readonly ArrayBufferView[];
  /** bytes needed, each array 8-byte aligned */
  readonly bytes: number;
}

type Ctor = new (b: ArrayBufferLike, off: number, len: number) => ArrayBufferView & ArrayLike<number>;
const CTORS: Record<string, Ctor> = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
};

export function packPrepared(value: unknown): Packed | null {
  const arrays: ArrayBufferView[] = [];
  let bytes = 0,
    ok = true;
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v === "string" || typeof v === "boolean") return v;
    if (typeof v === "number") return Number.isFinite(v) ? v : { $n: String(v) };
    if (ArrayBuffer.isView(v)) {
      const name = v.constructor.name;
      if (CTORS[name] === undefined) ok = false;
      const a = { $t: name, o: bytes, n: (v as unknown as ArrayLike<number>).length };
      arrays.push(v);
      bytes += Math.ceil(v.byteLength / 8) * 8;
      return a;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>))
        o[k.startsWith("$") ? `$${k}` : k] = walk(x);
      return o;
    }
    ok = false;
    return null;
  };
  const skeleton = JSON.stringify(walk(value));
  return ok ? { skeleton, arrays, bytes } : null;
}

/**
 * Copies the weights and then the packed arrays into `buf` (at least
 * 8 * weights.length + p.bytes long): the layout of a shared preparation buffer.
 */
export function writePacked(p: Packed, weights: Float64Array, buf: SharedArrayBuffer): void {
  new Float64Array(buf, 0, weights.length).set(weights);
  const dst = new Uint8Array(buf);
  let off = 8 * weights.length;
  for (const a of p.arrays) {
    dst.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off);
    off += Math.ceil(a.byteLength / 8) * 8;
  }
}

/**
 * The preparation again, from its skeleton (JSON.parse of Packed.skeleton)
 * and a buffer written by writePacked with `nW` weights: every array is a
 * view into the shared buffer (no copy; built once per skeleton and buffer,
 * the values change with each writePacked). Whoever holds it must adopt the
 * buffer's next contents before using it again (worker.ts: CUR_GEN).
 */
export function sharedPrepared(skeleton: unknown, buf: SharedArrayBuffer, nW: number): unknown {
  const base = 8 * nW;
  const rebuild = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map(rebuild);
    const o = v as Record<string, unknown>;
    if (typeof o["$t"] === "string")
      return new CTORS[o["$t"]]!(buf, base + (o["o"] as number), o["n"] as number);
    if (typeof o["$n"] === "string") return Number(o["$n"]);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k.startsWith("$$") ? k.slice(1) : k] = rebuild(x);
    return out;
  };
  return rebuild(skeleton);
}

/** Messages from the caller to a worker (rare; requests themselves go through `ctl` and `data`). */
export type LaneMessage =
  | { readonly op: "data"; readonly buf: SharedArrayBuffer; readonly cap: number }
  | { readonly op: "prepBuf"; readonly buf: SharedArrayBuffer }
  | { readonly op: "skeleton"; readonly json: string }
  | { readonly op: "prepClone"; readonly value: unknown }
  | { readonly op: "release"; readonly id: number };

/** Messages from a worker: its start-up result, and the text of a failed request (STATUS = 1). */
export type WorkerMessage = { readonly ok: true } | { readonly ok: false; readonly error: string };
