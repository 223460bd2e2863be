import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildMustardTextFeatures, mustardTexts } from "../../src/datasets/mustard/features.ts";
import type { SentenceEmbedder } from "../../src/backbones/sentence-embedder.ts";
import { featureMatrix, featureRow, type FeatureMatrix } from "../../src/data/feature-matrix.ts";
import { contextText, loadMustard, parseMustard } from "../../src/datasets/mustard/dataset.ts";
import { rawMustard } from "../fixtures/data/mustard-fixture.ts";

/** A deterministic stand-in encoder: [length, vowel count, 1] per text. */
function fakeEmbedder(): SentenceEmbedder & { calls: number } {
  const e = {
    backbone: "use" as const,
    modelId: "fake-1",
    dim: 3,
    calls: 0,
    async embed(
      texts: readonly string[],
      onProgress?: (d: number, t: number) => void,
    ): Promise<FeatureMatrix> {
      e.calls++;
      const m = featureMatrix(texts.length, 3);
      texts.forEach((t, i) => m.data.set([t.length, (t.match(/[aeiou]/g) ?? []).length, 1], 3 * i));
      onProgress?.(texts.length, texts.length);
      return m;
    },
    dispose() {},
  };
  return e;
}

describe("MUStARD text features", () => {
  const small = parseMustard(rawMustard(5), { expectedCount: 5 });

  it("lays out [utterance | context] per item, context lines joined with a space", async () => {
    const enc = fakeEmbedder();
    const f = await buildMustardTextFeatures(small, { embedder: enc, cache: false });
    expect([f.matrix.rows, f.matrix.cols, f.partDim]).toEqual([5, 6, 3]);
    const it0 = small.items[0];
    expect(featureRow(f.matrix, 0)[0]).toBe(it0?.text.length);
    expect(featureRow(f.matrix, 0)[3]).toBe(it0 && contextText(it0).length);
    expect(mustardTexts(small).contexts[0]).toBe(it0?.context.join(" "));
  });

  it("serves the second build from the cache, without running the encoder, and reports progress", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-tf-"));
    const enc = fakeEmbedder();
    const progress: number[] = [];
    const a = await buildMustardTextFeatures(small, {
      embedder: enc,
      cacheDir: dir,
      onProgress: (d, t) => progress.push(d / t),
    });
    expect(a.fromCache).toBe(false);
    expect(enc.calls).toBe(2);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toContain(0.5);
    const b = await buildMustardTextFeatures(small, {
      embedder: enc,
      cacheDir: dir,
      onProgress: (d, t) => progress.push(d / t),
    });
    expect(b.fromCache).toBe(true);
    expect(enc.calls).toBe(2);
    expect([...b.matrix.data]).toEqual([...a.matrix.data]);
    expect(b.cachePath).toBe(a.cachePath);
  });

  it("refuses an embedder of another backbone", async () => {
    await expect(
      buildMustardTextFeatures(small, { backbone: "glove", embedder: fakeEmbedder(), cache: false }),
    ).rejects.toThrow(/embedder is "use"/);
  });

  it("builds 600-d GloVe features for all 690 items", async () => {
    const f = await buildMustardTextFeatures(loadMustard(), { backbone: "glove", cache: false });
    expect([f.matrix.rows, f.matrix.cols, f.partDim]).toEqual([690, 600, 300]);
    expect(f.modelId).toMatch(/^glove-840B-subset:/);
    expect(f.matrix.data.every(Number.isFinite)).toBe(true);
  });
});
