import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultGloveDir, loadGlove } from "../../src/backbones/glove.ts";
import { wordTokens } from "../../src/backbones/word-tokenizer.ts";

/** The stored vector of `word`, read straight from the files (not through the loader). */
function storedVector(word: string): Float32Array {
  const dir = defaultGloveDir();
  const meta = JSON.parse(readFileSync(join(dir, "vocab.json"), "utf8")) as { words: string[]; dim: number };
  const i = meta.words.indexOf(word);
  if (i < 0) throw new Error(`${word} not in the subset`);
  const bytes = readFileSync(join(dir, "vectors.f32"));
  const copy = bytes.buffer.slice(
    bytes.byteOffset + i * meta.dim * 4,
    bytes.byteOffset + (i + 1) * meta.dim * 4,
  );
  return new Float32Array(copy);
}

describe("word tokenizer", () => {
  it("lowercases and splits clitics and punctuation the Treebank way", () => {
    expect(
      wordTokens("I don't know, it's gonna be O'Brien's \u201cthing\u201d... can't won't 'cause"),
    ).toEqual([
      "i",
      "do",
      "n't",
      "know",
      ",",
      "it",
      "'s",
      "gon",
      "na",
      "be",
      "o'brien",
      "'s",
      "\u201c",
      "thing",
      "\u201d",
      "...",
      "ca",
      "n't",
      "wo",
      "n't",
      "'cause",
    ]);
    expect(wordTokens("It\u2019s 3:30!")).toEqual(["it", "'s", "3", ":", "30", "!"]);
    expect(wordTokens("   ")).toEqual([]);
  });
});

describe("GloVe subset", () => {
  const glove = loadGlove();

  it("has 1970 words of 300 dims", () => {
    expect(glove.words).toHaveLength(1970);
    expect(glove.dim).toBe(300);
    expect(glove.modelId).toMatch(/^glove-840B-subset:cc8ea994d3c12874:ptb-1$/);
  });

  it("mean-pools the stored vectors of the covered tokens, skipping the others", () => {
    const e = glove.embedText("Sheldon, you're  ABLE! zxqv");
    const covered = ["sheldon", ",", "you", "'re", "able", "!"];
    expect(e.tokens).toBe(7);
    expect(e.covered).toBe(6);
    expect(glove.vectorOf("zxqv")).toBeUndefined();
    const vs = covered.map(storedVector);
    for (let k = 0; k < 300; k++) {
      const mean = vs.reduce((s, v) => s + (v[k] as number), 0) / vs.length;
      expect(e.vector[k]).toBeCloseTo(mean, 12);
    }
  });

  it("gives the zero vector when no token is covered, and counts it", () => {
    const e = glove.embedText("zxqv qqqq");
    expect(e.covered).toBe(0);
    expect(e.vector.every((x) => x === 0)).toBe(true);
    expect(glove.coverage(["zxqv", "the cat"]).uncoveredTexts).toBe(1);
  });

  it("embeds a batch row by row", async () => {
    const m = await glove.embed(["the", "zxqv"]);
    expect([m.rows, m.cols]).toEqual([2, 300]);
    expect([...m.data.subarray(0, 300)]).toEqual([...storedVector("the")]);
  });

  it("rejects a vectors file of the wrong size", () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-glove-"));
    copyFileSync(join(defaultGloveDir(), "vocab.json"), join(dir, "vocab.json"));
    writeFileSync(join(dir, "vectors.f32"), new Uint8Array(1000));
    expect(() => loadGlove(dir)).toThrow(
      /vectors\.f32: expected 2364000 bytes \(1970 x 300 float32\), got "1000 bytes"/,
    );
  });
});
