import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "../core/errors.ts";
import { defaultMustardDir } from "../data/data-paths.ts";
import { featureMatrix, type FeatureMatrix } from "../data/feature-matrix.ts";
import { asInt, asObject, asString, asStringArray, member } from "../data/json-fields.ts";
import { readJsonFile } from "../data/read-json-file.ts";
import type { ProgressFn, SentenceEmbedder } from "./sentence-embedder.ts";
import { wordTokens } from "./word-tokenizer.ts";

/**
 * Mean-pooled GloVe (840B, 300-d) over the MUStARD vocabulary subset in
 * data/mustard/glove_subset (1,970 words; see its PROVENANCE). A text's vector
 * is the mean of the vectors of its tokens that the subset covers; a text
 * with no covered token gets the zero vector (and is counted as such).
 */

/** Bump when the tokenizer changes, so cached features are recomputed. */
const WORD_TOKENIZER_VERSION = "ptb-1";

export interface TextEmbedding {
  readonly vector: Float64Array;
  readonly tokens: number;
  readonly covered: number;
}

export interface GloveCoverage {
  readonly tokens: number;
  readonly covered: number;
  /** Texts none of whose tokens are covered (embedded as zero vectors). */
  readonly uncoveredTexts: number;
}

export class GloveEmbedder implements SentenceEmbedder {
  readonly backbone = "glove" as const;
  private readonly index: Map<string, number>;

  constructor(
    readonly words: readonly string[],
    private readonly vectors: Float32Array,
    readonly dim: number,
    readonly modelId: string,
  ) {
    this.index = new Map(words.map((w, i) => [w, i]));
  }

  /** The stored vector of `word` (already lowercase), or undefined. */
  vectorOf(word: string): Float32Array | undefined {
    const i = this.index.get(word);
    return i === undefined ? undefined : this.vectors.subarray(i * this.dim, (i + 1) * this.dim);
  }

  embedText(text: string): TextEmbedding {
    const tokens = wordTokens(text);
    const vector = new Float64Array(this.dim);
    let covered = 0;
    for (const t of tokens) {
      const v = this.vectorOf(t);
      if (!v) continue;
      covered++;
      for (let k = 0; k < this.dim; k++) vector[k] = (vector[k] as number) + (v[k] as number);
    }
    if (covered > 0) for (let k = 0; k < this.dim; k++) vector[k] = (vector[k] as number) / covered;
    return { vector, tokens: tokens.length, covered };
  }

  async embed(texts: readonly string[], onProgress?: ProgressFn): Promise<FeatureMatrix> {
    const out = featureMatrix(texts.length, this.dim);
    texts.forEach((t, i) => out.data.set(this.embedText(t).vector, i * this.dim));
    onProgress?.(texts.length, texts.length);
    return out;
  }

  coverage(texts: readonly string[]): GloveCoverage {
    let tokens = 0;
    let covered = 0;
    let uncoveredTexts = 0;
    for (const t of texts) {
      const e = this.embedText(t);
      tokens += e.tokens;
      covered += e.covered;
      if (e.covered === 0) uncoveredTexts++;
    }
    return { tokens, covered, uncoveredTexts };
  }

  dispose(): void {
    // Plain arrays; nothing to free.
  }
}

export function defaultGloveDir(): string {
  return join(defaultMustardDir(), "glove_subset");
}

/** Loads and validates `<dir>/vocab.json` + `<dir>/vectors.f32`. */
export function loadGlove(dir: string = defaultGloveDir()): GloveEmbedder {
  const vocabPath = join(dir, "vocab.json");
  const vecPath = join(dir, "vectors.f32");
  const meta = asObject(vocabPath, readJsonFile(vocabPath, "GloVe subset vocabulary"));
  const dim = asInt(`${vocabPath} dim`, member(vocabPath, meta, "dim"), 1);
  const count = asInt(`${vocabPath} count`, member(vocabPath, meta, "count"), 1);
  const dtype = asString(`${vocabPath} dtype`, member(vocabPath, meta, "dtype"));
  const order = asString(`${vocabPath} byteorder`, member(vocabPath, meta, "byteorder"));
  if (dtype !== "float32") throw new ValidationError(`${vocabPath} dtype`, '"float32"', dtype);
  if (order !== "little") throw new ValidationError(`${vocabPath} byteorder`, '"little"', order);
  const words = asStringArray(`${vocabPath} words`, member(vocabPath, meta, "words"));
  if (words.length !== count)
    throw new ValidationError(`${vocabPath} words`, `${count} words (meta count)`, words);
  const seen = new Set<string>();
  words.forEach((w, i) => {
    if (seen.has(w)) throw new ValidationError(`${vocabPath} words[${i}]`, "a word not listed before", w);
    seen.add(w);
  });

  let bytes: Buffer;
  try {
    bytes = readFileSync(vecPath);
  } catch (e) {
    throw new ValidationError(
      vecPath,
      "a readable float32 vector file",
      e instanceof Error ? e.message : String(e),
    );
  }
  if (bytes.length !== count * dim * 4) {
    throw new ValidationError(
      vecPath,
      `${count * dim * 4} bytes (${count} x ${dim} float32)`,
      `${bytes.length} bytes`,
    );
  }
  const vectors = new Float32Array(count * dim);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < vectors.length; i++) {
    const x = view.getFloat32(4 * i, true);
    if (!Number.isFinite(x))
      throw new ValidationError(
        `${vecPath} word ${JSON.stringify(words[Math.floor(i / dim)])} component ${i % dim}`,
        "a finite number",
        x,
      );
    vectors[i] = x;
  }
  const sha = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
  return new GloveEmbedder(words, vectors, dim, `glove-840B-subset:${sha}:${WORD_TOKENIZER_VERSION}`);
}
