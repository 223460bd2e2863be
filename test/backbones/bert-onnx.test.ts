import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.ts";
import { loadOnnxModel, type OnnxModel } from "../../src/backbones/onnx-session.ts";
import { loadBertOnnx, poolHidden, type BertOnnxEmbedder } from "../../src/backbones/bert-onnx.ts";
import { defaultBertVocabPath, loadWordPieceVocab } from "../../src/backbones/wordpiece.ts";
import { tinyBertReference, tinyBertWeights, writeTinyBertOnnx } from "./tiny-bert-onnx.ts";

const dir = mkdtempSync(join(tmpdir(), "qmtl-bert-"));
const W = tinyBertWeights(7, 30522, 8);
const tok = loadWordPieceVocab();
const TEXTS = [
  "Hello, world!",
  "The quick brown fox jumps over the lazy dog.",
  "naïve café",
  "",
  "unaffable",
];

function refPooled(text: string, pooling: "mean" | "max" | "cls"): Float64Array {
  const e = tok.encode(text, null, 128);
  const hs = tinyBertReference(W, Array.from(e.ids), Array.from(e.typeIds));
  const out = new Float64Array(W.hidden);
  if (pooling === "cls") return hs[0]!;
  if (pooling === "max") out.fill(-Infinity);
  for (const h of hs)
    for (let k = 0; k < W.hidden; k++)
      out[k] = pooling === "mean" ? out[k]! + h[k]! / hs.length : Math.max(out[k]!, h[k]!);
  return out;
}

describe("onnx-session over a generated tiny BERT-shaped model", () => {
  let m: OnnxModel;
  beforeAll(async () => {
    writeTinyBertOnnx(join(dir, "model.onnx"), W);
    copyFileSync(defaultBertVocabPath(), join(dir, "vocab.txt"));
    m = await loadOnnxModel(join(dir, "model.onnx"), { threads: 1 });
  });
  afterAll(async () => {
    await m.close();
  });

  it("reports inputs, outputs and the file's sha256", () => {
    expect(m.inputNames).toEqual(["input_ids", "attention_mask", "token_type_ids"]);
    expect(m.outputNames).toEqual(["last_hidden_state"]);
    expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("runs the graph as the float64 reference computes it (1e-4)", async () => {
    const e = tok.encode("Hello, world!", "A second text.", 128);
    const n = e.length;
    const big = (a: Int32Array): BigInt64Array => BigInt64Array.from(a, (x) => BigInt(x));
    const out = await m.run(
      {
        input_ids: { type: "int64", data: big(e.ids), dims: [1, n] },
        attention_mask: { type: "int64", data: big(e.mask), dims: [1, n] },
        token_type_ids: { type: "int64", data: big(e.typeIds), dims: [1, n] },
      },
      ["last_hidden_state"],
    );
    expect(out["last_hidden_state"]!.dims).toEqual([1, n, 8]);
    const ref = tinyBertReference(W, Array.from(e.ids), Array.from(e.typeIds));
    let maxErr = 0;
    ref.forEach((h, j) =>
      h.forEach((v, k) => {
        maxErr = Math.max(maxErr, Math.abs(v - out["last_hidden_state"]!.data[j * 8 + k]!));
      }),
    );
    expect(maxErr).toBeLessThan(1e-4);
  });

  it("rejects bad feeds by name", async () => {
    await expect(
      m.run({ nope: { type: "int64", data: new BigInt64Array(1), dims: [1, 1] } }, []),
    ).rejects.toThrow(ValidationError);
    await expect(
      m.run({ input_ids: { type: "int64", data: new BigInt64Array(3), dims: [1, 2] } }, []),
    ).rejects.toThrow(/2 values/);
    await expect(
      m.run({ input_ids: { type: "float32", data: new BigInt64Array(2), dims: [1, 2] } }, []),
    ).rejects.toThrow(/type float32/);
    await expect(m.run({}, ["logits"])).rejects.toThrow(/last_hidden_state/);
  });

  it("refuses a missing file, a folder, a text file and an LFS pointer with a ValidationError", async () => {
    const lfs = join(dir, "lfs.onnx");
    writeFileSync(lfs, "version https://git-lfs.github.com/spec/v1\noid sha256:0123\nsize 440000000\n");
    const tiny = join(dir, "tiny.onnx");
    writeFileSync(tiny, "x");
    for (const p of [join(dir, "absent.onnx"), dir, lfs, tiny])
      await expect(loadOnnxModel(p)).rejects.toThrow(ValidationError);
  });
});

describe("the BERT ONNX sentence encoder (WordPiece + masked pooling)", () => {
  const encs: Partial<Record<"mean" | "max" | "cls", BertOnnxEmbedder>> = {};
  beforeAll(async () => {
    for (const p of ["mean", "max", "cls"] as const)
      encs[p] = await loadBertOnnx(dir, { pooling: p, batchSize: 2, threads: 1 });
  });
  afterAll(() => {
    for (const e of Object.values(encs)) e.dispose();
  });

  it("finds the hidden size and names model, vocab, pooling and length in its id", () => {
    expect(encs.mean!.dim).toBe(8);
    expect(encs.mean!.modelId).toMatch(
      /^bert-onnx:model-sha256:[0-9a-f]{16}:vocab-sha256:07eced375cec144d:mean:128$/,
    );
  });

  it.each(["mean", "max", "cls"] as const)(
    "%s pooling equals the float64 reference, with or without padding in the batch",
    async (p) => {
      const got = await encs[p]!.embed(TEXTS);
      TEXTS.forEach((t, i) => {
        const ref = refPooled(t, p);
        for (let k = 0; k < 8; k++) expect(Math.abs(got.data[i * 8 + k]! - ref[k]!)).toBeLessThan(1e-4);
      });
      // batches of 2 sorted by length pair texts of different lengths, so most rows carry padding
      const alone = await encs[p]!.embed([TEXTS[0]!]);
      for (let k = 0; k < 8; k++) expect(Math.abs(alone.data[k]! - got.data[k]!)).toBeLessThan(1e-5);
    },
  );

  it("masked pooling ignores padding rows (poolHidden)", () => {
    // 1 row, width 3, dim 2; only the first 2 tokens are real
    const h = Float32Array.from([1, -2, 3, 4, 100, 100]);
    expect(Array.from(poolHidden(h, 1, 3, 2, [2], "mean"))).toEqual([2, 1]);
    expect(Array.from(poolHidden(h, 1, 3, 2, [2], "max"))).toEqual([3, 4]);
    expect(Array.from(poolHidden(h, 1, 3, 2, [2], "cls"))).toEqual([1, -2]);
  });

  it("truncates to maxLength 128 like the tokenizer", async () => {
    const long = Array.from({ length: 300 }, (_, i) => `word${i % 7}`).join(" ");
    const short = await loadBertOnnx(dir, { pooling: "mean", maxLength: 16, threads: 1 });
    const a = await short.embed([long]);
    const e = tok.encode(long, null, 16);
    const ref = tinyBertReference(W, Array.from(e.ids), Array.from(e.typeIds));
    const mean = Array.from({ length: 8 }, (_, k) => ref.reduce((s, h) => s + h[k]!, 0) / ref.length);
    mean.forEach((v, k) => expect(Math.abs(a.data[k]! - v)).toBeLessThan(1e-4));
    short.dispose();
  });

  it("works for a graph without token_type_ids, and refuses a folder without vocab.txt", async () => {
    const d2 = mkdtempSync(join(tmpdir(), "qmtl-bert2-"));
    writeTinyBertOnnx(join(d2, "model.onnx"), W, false);
    await expect(loadBertOnnx(d2)).rejects.toThrow(/vocab\.txt/);
    copyFileSync(defaultBertVocabPath(), join(d2, "vocab.txt"));
    const enc = await loadBertOnnx(d2, { pooling: "cls", threads: 1 });
    const got = await enc.embed(["Hello, world!"]);
    // this graph adds no token-type embedding: the reference without it
    const e = tok.encode("Hello, world!", null, 128);
    const ref = tinyBertReference(
      { ...W, type: new Float64Array(W.type.length) },
      Array.from(e.ids),
      Array.from(e.typeIds),
    )[0]!;
    for (let k = 0; k < 8; k++) expect(Math.abs(got.data[k]! - ref[k]!)).toBeLessThan(1e-4);
    enc.dispose();
    await expect(loadBertOnnx(d2, { pooling: "sum" as never })).rejects.toThrow(ValidationError);
  });
});
