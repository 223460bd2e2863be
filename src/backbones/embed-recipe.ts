import type { SentenceEmbedder } from "./sentence-embedder.ts";
import type { BertPooling } from "./bert-onnx.ts";

/**
 * How a worker builds its own frozen encoder (models cannot be sent between
 * threads): plain, structured-cloneable data naming the backbone and its files.
 */
export type EmbedRecipe =
  | { readonly kind: "use"; readonly modelDir?: string }
  | {
      readonly kind: "bert-onnx";
      /** folder with model.onnx and vocab.txt */
      readonly dir: string;
      readonly pooling: BertPooling;
      readonly maxLength: number;
      /** onnxruntime intra-op threads per worker */
      readonly threads?: number;
    };

/** Builds the encoder a recipe names (in the calling thread). */
export async function buildEmbedder(r: EmbedRecipe): Promise<SentenceEmbedder> {
  if (r.kind === "use") {
    const { loadUseLite } = await import("./use-lite.ts");
    return loadUseLite({ warn: () => {}, ...(r.modelDir !== undefined && { modelDir: r.modelDir }) });
  }
  const { loadBertOnnx } = await import("./bert-onnx.ts");
  return loadBertOnnx(r.dir, {
    pooling: r.pooling,
    maxLength: r.maxLength,
    ...(r.threads !== undefined && { threads: r.threads }),
  });
}
