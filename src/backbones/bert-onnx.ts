import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationError, requireInt } from "../core/errors.ts";
import { featureMatrix, type FeatureMatrix } from "../data/feature-matrix.ts";
import { loadOnnxModel, type OnnxModel, type OnnxTensorIn } from "./onnx-session.ts";
import type { ProgressFn, SentenceEmbedder } from "./sentence-embedder.ts";
import { loadWordPieceVocab, type WordPieceTokenizer } from "./wordpiece.ts";

/**
 * The paper's text backbone for users who have it: a BERT-family encoder
 * exported to ONNX (`<dir>/model.onnx`, e.g. bert-base-uncased through
 * `optimum-cli export onnx`), tokenised with its WordPiece `<dir>/vocab.txt`
 * (max length 128, truncation), frozen, and pooled over real tokens: masked
 * mean, masked max (the paper's Eq. 21 pools this way, over BiLSTM states),
 * or the [CLS] state. Inputs `input_ids`, `attention_mask` and, when the graph
 * has it, `token_type_ids` (int64); output `last_hidden_state` (or the first
 * output) of shape [batch, tokens, hidden]. Each text is encoded on its own
 * (`[CLS] text [SEP]`): pair tasks combine the two pooled vectors (Eq. 22).
 * Batches hold texts of similar length, padded to the longest in the batch;
 * pooling ignores padding, so the result equals padding to 128 up to float
 * rounding (checked in the tests).
 */

export type BertPooling = "mean" | "max" | "cls";
export const BERT_POOLINGS: readonly BertPooling[] = ["mean", "max", "cls"];

export interface BertOnnxOptions {
  readonly pooling?: BertPooling;
  readonly maxLength?: number;
  /** texts per forward pass (default 16) */
  readonly batchSize?: number;
  /** onnxruntime intra-op threads (default: onnxruntime's choice) */
  readonly threads?: number;
}

export class BertOnnxEmbedder implements SentenceEmbedder {
  readonly backbone = "bert-onnx" as const;
  readonly backendName = "onnxruntime-cpu";

  constructor(
    private readonly model: OnnxModel,
    readonly tokenizer: WordPieceTokenizer,
    readonly dim: number,
    readonly modelId: string,
    readonly pooling: BertPooling,
    readonly maxLength: number,
    private readonly batchSize: number,
    private readonly output: string,
  ) {}

  async embed(texts: readonly string[], onProgress?: ProgressFn): Promise<FeatureMatrix> {
    const out = featureMatrix(texts.length, this.dim);
    const enc = texts.map((t) => this.tokenizer.encode(t, null, this.maxLength));
    const order = texts.map((_, i) => i).sort((a, b) => enc[a]!.length - enc[b]!.length || a - b);
    for (let s = 0; s < order.length; s += this.batchSize) {
      const batch = order.slice(s, s + this.batchSize);
      const rows = await this.pooled(batch.map((i) => enc[i]!));
      batch.forEach((i, k) => out.data.set(rows.subarray(k * this.dim, (k + 1) * this.dim), i * this.dim));
      onProgress?.(Math.min(texts.length, s + batch.length), texts.length);
    }
    return out;
  }

  /** Pooled hidden states of encoded texts, one batch padded to its longest text. */
  async pooled(
    batch: readonly { ids: Int32Array; typeIds: Int32Array; mask: Int32Array; length: number }[],
  ): Promise<Float64Array> {
    const b = batch.length;
    const width = Math.max(...batch.map((e) => e.length));
    const ids = new BigInt64Array(b * width),
      types = new BigInt64Array(b * width),
      mask = new BigInt64Array(b * width);
    batch.forEach((e, r) => {
      for (let j = 0; j < e.length; j++) {
        ids[r * width + j] = BigInt(e.ids[j]!);
        types[r * width + j] = BigInt(e.typeIds[j]!);
        mask[r * width + j] = 1n;
      }
    });
    const dims = [b, width];
    const feeds: Record<string, OnnxTensorIn> = {
      input_ids: { type: "int64", data: ids, dims },
      attention_mask: { type: "int64", data: mask, dims },
    };
    if (this.model.inputNames.includes("token_type_ids"))
      feeds["token_type_ids"] = { type: "int64", data: types, dims };
    const res = (await this.model.run(feeds, [this.output]))[this.output]!;
    if (res.dims.length !== 3 || res.dims[0] !== b || res.dims[1] !== width || res.dims[2] !== this.dim) {
      throw new ValidationError(
        `${this.model.path} ${this.output}`,
        `shape [${b}, ${width}, ${this.dim}]`,
        `[${res.dims.join(", ")}]`,
      );
    }
    return poolHidden(
      res.data,
      b,
      width,
      this.dim,
      batch.map((e) => e.length),
      this.pooling,
    );
  }

  dispose(): void {
    void this.model.close();
  }
}

/**
 * Pools [b, width, h] hidden states over each row's first `lengths[r]`
 * tokens (the real ones): mean, elementwise max, or token 0 ([CLS]).
 */
export function poolHidden(
  h: Float32Array,
  b: number,
  width: number,
  dim: number,
  lengths: readonly number[],
  pooling: BertPooling,
): Float64Array {
  const out = new Float64Array(b * dim);
  for (let r = 0; r < b; r++) {
    const len = lengths[r]!;
    const o = out.subarray(r * dim, (r + 1) * dim);
    if (pooling === "cls") {
      for (let k = 0; k < dim; k++) o[k] = h[r * width * dim + k]!;
      continue;
    }
    if (pooling === "max") o.fill(-Infinity);
    for (let j = 0; j < len; j++) {
      const base = (r * width + j) * dim;
      for (let k = 0; k < dim; k++) {
        const x = h[base + k]!;
        if (pooling === "mean") o[k] += x;
        else if (x > o[k]!) o[k] = x;
      }
    }
    if (pooling === "mean") for (let k = 0; k < dim; k++) o[k] /= len;
  }
  return out;
}

/** Loads `<dir>/model.onnx` and `<dir>/vocab.txt`; finds the hidden size with one tiny run. */
export async function loadBertOnnx(dir: string, options: BertOnnxOptions = {}): Promise<BertOnnxEmbedder> {
  const pooling = options.pooling ?? "mean";
  if (!BERT_POOLINGS.includes(pooling))
    throw new ValidationError("pooling", BERT_POOLINGS.join(", "), pooling);
  const maxLength = options.maxLength ?? 128;
  requireInt("maxLength", maxLength, 2, 4096);
  const batchSize = options.batchSize ?? 16;
  requireInt("batchSize", batchSize, 1);
  const modelPath = join(dir, "model.onnx"),
    vocabPath = join(dir, "vocab.txt");
  for (const p of [modelPath, vocabPath])
    if (!existsSync(p))
      throw new ValidationError(p, "a BERT-family ONNX folder with model.onnx and vocab.txt", "missing");
  const tokenizer = loadWordPieceVocab(vocabPath);
  const model = await loadOnnxModel(
    modelPath,
    options.threads !== undefined ? { threads: options.threads } : {},
  );
  for (const need of ["input_ids", "attention_mask"]) {
    if (!model.inputNames.includes(need))
      throw new ValidationError(
        `${modelPath} inputs`,
        `an input named ${need} (BERT export)`,
        model.inputNames.join(", "),
      );
  }
  const output = model.outputNames.includes("last_hidden_state")
    ? "last_hidden_state"
    : model.outputNames[0]!;
  const probe = tokenizer.encode("", null, maxLength);
  const res = await model.run(
    {
      input_ids: {
        type: "int64",
        data: BigInt64Array.from(probe.ids, (x) => BigInt(x)),
        dims: [1, probe.length],
      },
      attention_mask: {
        type: "int64",
        data: BigInt64Array.from(probe.mask, (x) => BigInt(x)),
        dims: [1, probe.length],
      },
      ...(model.inputNames.includes("token_type_ids") && {
        token_type_ids: {
          type: "int64" as const,
          data: new BigInt64Array(probe.length),
          dims: [1, probe.length],
        },
      }),
    },
    [output],
  );
  const d = res[output]!.dims;
  if (d.length !== 3 || !(d[2]! > 0))
    throw new ValidationError(
      `${modelPath} ${output}`,
      "hidden states of shape [batch, tokens, hidden]",
      `[${d.join(", ")}]`,
    );
  const modelId = bertModelId(model.sha256, tokenizer.vocabSha256, pooling, maxLength);
  return new BertOnnxEmbedder(model, tokenizer, d[2]!, modelId, pooling, maxLength, batchSize, output);
}

function bertModelId(modelSha: string, vocabSha: string, pooling: BertPooling, maxLength: number): string {
  return `bert-onnx:model-sha256:${modelSha.slice(0, 16)}:vocab-sha256:${vocabSha.slice(0, 16)}:${pooling}:${maxLength}`;
}

/** The model id loadBertOnnx would report, from the files' bytes alone (no onnxruntime). */
export function bertOnnxModelId(dir: string, pooling: BertPooling, maxLength: number): string {
  const sha = (p: string): string => {
    try {
      return createHash("sha256").update(readFileSync(p)).digest("hex");
    } catch (e) {
      throw new ValidationError(
        p,
        "a BERT-family ONNX folder with model.onnx and vocab.txt",
        e instanceof Error ? e.message : String(e),
      );
    }
  };
  return bertModelId(sha(join(dir, "model.onnx")), sha(join(dir, "vocab.txt")), pooling, maxLength);
}
