import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.ts";
import { distinctTexts, embedTextsParallel, lengthSortedChunks } from "../../src/backbones/parallel-embed.ts";
import { TextVectorStore } from "../../src/backbones/text-vector-store.ts";
import { loadBertOnnx } from "../../src/backbones/bert-onnx.ts";
import { defaultBertVocabPath } from "../../src/backbones/wordpiece.ts";
import type { EmbedRecipe } from "../../src/backbones/embed-recipe.ts";
import { tinyBertWeights, writeTinyBertOnnx } from "./tiny-bert-onnx.ts";

const modelDir = mkdtempSync(join(tmpdir(), "qmtl-pe-model-"));
const recipe: EmbedRecipe = { kind: "bert-onnx", dir: modelDir, pooling: "mean", maxLength: 128, threads: 1 };
const WORDS = ["alpha", "beta", "gamma", "delta", "river", "stone", "light", "quick", "slow", "green"];
const TEXTS = Array.from({ length: 70 }, (_, i) =>
  Array.from({ length: 1 + ((i * 7) % 13) }, (_, j) => WORDS[(i + 3 * j) % WORDS.length]).join(" "),
);
const ALL = [...TEXTS, ...TEXTS.slice(0, 20), "  ", TEXTS[5]!]; // duplicates and a blank text

describe("the text vector store", () => {
  it("round-trips vectors through shard files and ignores a damaged shard with a warning", () => {
    const cache = mkdtempSync(join(tmpdir(), "qmtl-tv-"));
    const s = TextVectorStore.open("use", "model-A", 3, { cacheDir: cache });
    s.add(["a", "b"], Float32Array.from([1, 2, 3, 4, 5, 6]));
    expect(() => s.add(["c"], Float32Array.from([1, 2]))).toThrow(ValidationError);
    expect(() => s.add(["c"], Float32Array.from([1, Number.NaN, 2]))).toThrow(ValidationError);
    const again = TextVectorStore.open("use", "model-A", 3, { cacheDir: cache });
    expect(Array.from(again.get("b")!)).toEqual([4, 5, 6]);
    expect(again.get("c")).toBeUndefined();
    // another model id is another folder: nothing shared
    expect(TextVectorStore.open("use", "model-B", 3, { cacheDir: cache }).size).toBe(0);
    const shard = join(again.dir, readdirSync(again.dir)[0]!);
    writeFileSync(shard, "QMTLTV01garbage");
    const warnings: string[] = [];
    const broken = TextVectorStore.open("use", "model-A", 3, {
      cacheDir: cache,
      warn: (m) => warnings.push(m),
    });
    expect(broken.size).toBe(0);
    expect(warnings[0]).toMatch(/unusable/);
  });
});

describe("embedding on worker threads", () => {
  beforeAll(() => {
    writeTinyBertOnnx(join(modelDir, "model.onnx"), tinyBertWeights(3, 30522, 8));
    copyFileSync(defaultBertVocabPath(), join(modelDir, "vocab.txt"));
  });

  it("deduplicates and sorts chunks by length, independent of the number of jobs", () => {
    expect(distinctTexts(["b", "a", "b"])).toEqual(["b", "a"]);
    expect(lengthSortedChunks(["ccc", "a", "bb", "d"], 2)).toEqual([
      ["a", "d"],
      ["bb", "ccc"],
    ]);
  });

  it("gives the vectors of an in-process encoder, for 1 and 2 workers alike, and then serves them from the store", async () => {
    const enc = await loadBertOnnx(modelDir, { pooling: "mean", threads: 1 });
    const uniq = distinctTexts(ALL);
    const ref = await enc.embed(uniq);
    enc.dispose();
    for (const jobs of [1, 2]) {
      const cache = mkdtempSync(join(tmpdir(), "qmtl-pe-"));
      const store = TextVectorStore.open("bert-onnx", enc.modelId, 8, { cacheDir: cache });
      const seen: number[] = [];
      const r = await embedTextsParallel(ALL, {
        recipe,
        jobs,
        store,
        chunkSize: 16,
        flushEvery: 32,
        onProgress: (d) => seen.push(d),
      });
      expect([r.unique, r.embedded, r.fromStore]).toEqual([uniq.length, uniq.length, 0]);
      // a fast worker may finish every chunk before a second one has loaded its model
      expect(r.backends.length).toBeGreaterThanOrEqual(1);
      expect(r.backends.length).toBeLessThanOrEqual(jobs);
      expect(seen.at(-1)).toBe(uniq.length);
      uniq.forEach((t, i) => {
        const v = r.vectors.get(t)!;
        for (let k = 0; k < 8; k++) expect(Math.abs(v[k]! - ref.data[i * 8 + k]!)).toBeLessThan(1e-5);
      });
      // flushed in several shards while running; a second call embeds nothing
      expect(readdirSync(store.dir).length).toBeGreaterThan(1);
      const reopened = TextVectorStore.open("bert-onnx", enc.modelId, 8, { cacheDir: cache });
      const again = await embedTextsParallel(ALL, { recipe, jobs, store: reopened });
      expect([again.embedded, again.fromStore]).toEqual([0, uniq.length]);
      expect(Array.from(again.vectors.get(TEXTS[3]!)!)).toEqual(Array.from(r.vectors.get(TEXTS[3]!)!));
    }
  }, 60_000);

  it("embeds only what the store lacks", async () => {
    const cache = mkdtempSync(join(tmpdir(), "qmtl-pe-"));
    const store = TextVectorStore.open("bert-onnx", "tiny", 8, { cacheDir: cache });
    await embedTextsParallel(TEXTS.slice(0, 30), { recipe, jobs: 1, store });
    const r = await embedTextsParallel(TEXTS, { recipe, jobs: 2, store });
    expect(r.fromStore).toBe(distinctTexts(TEXTS.slice(0, 30)).length);
    expect(r.embedded).toBe(distinctTexts(TEXTS).length - r.fromStore);
  }, 60_000);

  it("fails with the worker's error for a model it cannot load, and checks jobs", async () => {
    const cache = mkdtempSync(join(tmpdir(), "qmtl-pe-"));
    const store = TextVectorStore.open("bert-onnx", "x", 8, { cacheDir: cache });
    await expect(
      embedTextsParallel(["a"], { recipe: { ...recipe, dir: join(modelDir, "nope") }, jobs: 1, store }),
    ).rejects.toThrow(/model\.onnx/);
    await expect(embedTextsParallel(["a"], { recipe, jobs: 0, store })).rejects.toThrow(ValidationError);
  }, 60_000);
});
