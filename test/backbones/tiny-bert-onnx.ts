/**
 * A tiny BERT-shaped ONNX model for the tests, written here as an ONNX
 * protobuf (ModelProto, IR 8, opset 13) with a minimal hand-written protobuf
 * encoder (field numbers from onnx/onnx.proto), random weights from the seeded
 * Rng, and a float64 reference of the same graph in plain TypeScript.
 *
 *   inputs  input_ids, attention_mask, token_type_ids: int64 [batch, seq]
 *   emb     = Wword[ids] + Wtype[types] + Wpos[0..seq-1]            [b, s, H]
 *   h       = tanh(emb Wq)
 *   scores  = h h^T + (mask - 1) * 10000   (padding keys masked out) [b, s, s]
 *   ctx     = softmax(scores) h
 *   output  last_hidden_state = tanh(ctx Wo) + emb                  [b, s, H]
 *
 * Real tokens never attend to padding, so their states do not depend on how
 * much padding a batch has, as in BERT.
 */
import { writeFileSync } from "node:fs";
import { Rng } from "../../src/core/rng.ts";

// ---- protobuf wire format ----
type Bytes = number[];
function varint(n: number | bigint): Bytes {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: Bytes = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}
const tag = (field: number, wire: number): Bytes => varint((field << 3) | wire);
const vint = (field: number, n: number | bigint): Bytes => [...tag(field, 0), ...varint(n)];
const bytes = (field: number, b: Bytes | Uint8Array): Bytes => [...tag(field, 2), ...varint(b.length), ...b];
const str = (field: number, s: string): Bytes => bytes(field, [...Buffer.from(s, "utf8")]);
const f32 = (field: number, x: number): Bytes => {
  const b = Buffer.alloc(4);
  b.writeFloatLE(x, 0);
  return [...tag(field, 5), ...b];
};

const FLOAT = 1,
  INT64 = 7;
function tensor(name: string, dims: number[], type: number, data: number[]): Bytes {
  const raw = Buffer.alloc(data.length * (type === FLOAT ? 4 : 8));
  data.forEach((x, i) =>
    type === FLOAT ? raw.writeFloatLE(x, 4 * i) : raw.writeBigInt64LE(BigInt(x), 8 * i),
  );
  return [...dims.flatMap((d) => vint(1, d)), ...vint(2, type), ...str(8, name), ...bytes(9, raw)];
}
function valueInfo(name: string, elem: number, dims: (number | string)[]): Bytes {
  const shape = dims.flatMap((d) => bytes(1, typeof d === "number" ? vint(1, d) : str(2, d)));
  const tensorType = [...vint(1, elem), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}
type Attr = { name: string; i?: number; f?: number; ints?: number[] };
function attr(a: Attr): Bytes {
  if (a.ints) return [...str(1, a.name), ...a.ints.flatMap((x) => vint(8, x)), ...vint(20, 7)];
  if (a.f !== undefined) return [...str(1, a.name), ...f32(2, a.f), ...vint(20, 1)];
  return [...str(1, a.name), ...vint(3, a.i!), ...vint(20, 2)];
}
function node(op: string, inputs: string[], outputs: string[], attrs: Attr[] = []): Bytes {
  return [
    ...inputs.flatMap((s) => str(1, s)),
    ...outputs.flatMap((s) => str(2, s)),
    ...str(3, `${op}_${outputs[0]}`),
    ...str(4, op),
    ...attrs.flatMap((a) => bytes(5, attr(a))),
  ];
}

export interface TinyBert {
  readonly vocab: number;
  readonly hidden: number;
  readonly maxPos: number;
  readonly word: Float64Array;
  readonly type: Float64Array;
  readonly pos: Float64Array;
  readonly wq: Float64Array;
  readonly wo: Float64Array;
}

/** Random weights, rounded to float32 so the ONNX file and the reference hold the same numbers. */
export function tinyBertWeights(seed: number, vocab: number, hidden: number, maxPos = 160): TinyBert {
  const rng = new Rng(seed);
  const mk = (n: number, s: number): Float64Array =>
    Float64Array.from({ length: n }, () => Math.fround(rng.normal() * s));
  return {
    vocab,
    hidden,
    maxPos,
    word: mk(vocab * hidden, 0.5),
    type: mk(2 * hidden, 0.5),
    pos: mk(maxPos * hidden, 0.5),
    wq: mk(hidden * hidden, 0.6),
    wo: mk(hidden * hidden, 0.6),
  };
}

/** Writes the model as an ONNX file. `withTypes: false` leaves out the token_type_ids input. */
export function writeTinyBertOnnx(path: string, w: TinyBert, withTypes = true): void {
  const H = w.hidden;
  const inits = [
    tensor("Wword", [w.vocab, H], FLOAT, [...w.word]),
    tensor("Wtype", [2, H], FLOAT, [...w.type]),
    tensor("Wpos", [w.maxPos, H], FLOAT, [...w.pos]),
    tensor("Wq", [H, H], FLOAT, [...w.wq]),
    tensor("Wo", [H, H], FLOAT, [...w.wo]),
    tensor("one_idx", [], INT64, [1]),
    tensor("zero", [], INT64, [0]),
    tensor("step", [], INT64, [1]),
    tensor("axes1", [1], INT64, [1]),
    tensor("onef", [], FLOAT, [1]),
    tensor("big", [], FLOAT, [10000]),
  ];
  const nodes = [
    node("Gather", ["Wword", "input_ids"], ["e_word"], [{ name: "axis", i: 0 }]),
    node("Shape", ["input_ids"], ["shape"]),
    node("Gather", ["shape", "one_idx"], ["seq"], [{ name: "axis", i: 0 }]),
    node("Range", ["zero", "seq", "step"], ["positions"]),
    node("Gather", ["Wpos", "positions"], ["e_pos"], [{ name: "axis", i: 0 }]),
    node("Add", ["e_word", "e_pos"], ["e_wp"]),
    ...(withTypes
      ? [
          node("Gather", ["Wtype", "token_type_ids"], ["e_type"], [{ name: "axis", i: 0 }]),
          node("Add", ["e_wp", "e_type"], ["emb"]),
        ]
      : [node("Identity", ["e_wp"], ["emb"])]),
    node("MatMul", ["emb", "Wq"], ["q"]),
    node("Tanh", ["q"], ["h"]),
    node("Transpose", ["h"], ["hT"], [{ name: "perm", ints: [0, 2, 1] }]),
    node("MatMul", ["h", "hT"], ["scores"]),
    node("Cast", ["attention_mask"], ["maskf"], [{ name: "to", i: FLOAT }]),
    node("Unsqueeze", ["maskf", "axes1"], ["mask3"]),
    node("Sub", ["mask3", "onef"], ["mneg"]),
    node("Mul", ["mneg", "big"], ["bias"]),
    node("Add", ["scores", "bias"], ["scores_m"]),
    node("Softmax", ["scores_m"], ["att"], [{ name: "axis", i: -1 }]),
    node("MatMul", ["att", "h"], ["ctx"]),
    node("MatMul", ["ctx", "Wo"], ["o"]),
    node("Tanh", ["o"], ["ot"]),
    node("Add", ["ot", "emb"], ["last_hidden_state"]),
  ];
  const inputs = [
    valueInfo("input_ids", INT64, ["batch", "seq"]),
    valueInfo("attention_mask", INT64, ["batch", "seq"]),
    ...(withTypes ? [valueInfo("token_type_ids", INT64, ["batch", "seq"])] : []),
  ];
  const graph = [
    ...nodes.flatMap((n) => bytes(1, n)),
    ...str(2, "tiny_bert"),
    ...inits.flatMap((t) => bytes(5, t)),
    ...inputs.flatMap((v) => bytes(11, v)),
    ...bytes(12, valueInfo("last_hidden_state", FLOAT, ["batch", "seq", H])),
  ];
  const model = [
    ...vint(1, 8),
    ...str(2, "qmtl-test"),
    ...bytes(7, graph),
    ...bytes(8, [...str(1, ""), ...vint(2, 13)]),
  ];
  writeFileSync(path, Uint8Array.from(model));
}

/** The same graph in float64 for one text's real tokens (no padding): [len, H]. */
export function tinyBertReference(
  w: TinyBert,
  ids: readonly number[],
  types: readonly number[],
): Float64Array[] {
  const H = w.hidden,
    n = ids.length;
  const emb = ids.map((id, j) =>
    Float64Array.from(
      { length: H },
      (_, k) => w.word[id * H + k]! + w.type[types[j]! * H + k]! + w.pos[j * H + k]!,
    ),
  );
  const mm = (x: Float64Array, W: Float64Array): Float64Array =>
    Float64Array.from({ length: H }, (_, c) => x.reduce((s, v, r) => s + v * W[r * H + c]!, 0));
  const h = emb.map((e) => mm(e, w.wq).map(Math.tanh));
  return h.map((hi, i) => {
    const s = h.map((hj) => hi.reduce((a, v, k) => a + v * hj[k]!, 0));
    const m = Math.max(...s);
    const ex = s.map((v) => Math.exp(v - m));
    const z = ex.reduce((a, b) => a + b, 0);
    const ctx = new Float64Array(H);
    h.forEach((hj, j) => {
      for (let k = 0; k < H; k++) ctx[k] += (ex[j]! / z) * hj[k]!;
    });
    return mm(ctx, w.wo).map((v, k) => Math.tanh(v) + emb[i]![k]!);
  });
}
