import type { FeatureMatrix } from "../data/feature-matrix.ts";

/** Called after each batch: `done` of `total` texts embedded. */
export type ProgressFn = (done: number, total: number) => void;

export type BackboneName = "use" | "glove" | "bert-onnx";

/** A frozen text encoder: one fixed-size vector per text. */
export interface SentenceEmbedder {
  readonly backbone: BackboneName;
  /** Names the weights and the tokenizer; part of every cache key. */
  readonly modelId: string;
  readonly dim: number;
  /** One row per text, in order. */
  embed(texts: readonly string[], onProgress?: ProgressFn): Promise<FeatureMatrix>;
  /** Frees model memory; the embedder is unusable afterwards. */
  dispose(): void;
}
