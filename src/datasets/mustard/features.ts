import { concatColumns, type FeatureMatrix } from "../../data/feature-matrix.ts";
import { contextText, type MustardDataset } from "./dataset.ts";
import { cachedFeatures, type FeatureCacheKey } from "../../backbones/feature-cache.ts";
import { loadGlove } from "../../backbones/glove.ts";
import type { BackboneName, ProgressFn, SentenceEmbedder } from "../../backbones/sentence-embedder.ts";
import { useLiteModelId } from "../../backbones/use-lite-files.ts";
import type { UseLiteOptions } from "../../backbones/use-lite.ts";
import { warnToStderr, type Warn } from "../../backbones/warn.ts";

/**
 * The MUStARD text features used in place of the authors' unreleased
 * multimodal ones: for each utterance, [embed(utterance) | embed(context)],
 * where the context is its dialogue lines joined with a single space and
 * embedded as one text (one encoder call, so the transformer sees the whole
 * exchange; USE-lite was trained on paragraph-length inputs too).
 * USE-lite: 512 + 512 = 1024 columns; GloVe: 300 + 300 = 600.
 * Results are cached (feature-cache.ts); a hit does not load any model.
 */

export const TEXT_FEATURE_RECIPE = "mustard:[utterance | context lines joined with a space]/v1";

export interface TextFeatureOptions {
  /** "use" (default) or "glove". */
  readonly backbone?: BackboneName;
  /** Default: defaultCacheDir() ($QMTL_CACHE_DIR or <repo>/.cache/features). */
  readonly cacheDir?: string;
  /** false: neither read nor write the cache. */
  readonly cache?: boolean;
  /** Recompute even if a cache file exists. */
  readonly refresh?: boolean;
  /** Called with (texts embedded, 2 x items). */
  readonly onProgress?: ProgressFn;
  readonly warn?: Warn;
  /** An already-loaded encoder to use instead of loading one (its backbone must match). */
  readonly embedder?: SentenceEmbedder;
  /** Passed to loadUseLite when the USE backbone is loaded here. */
  readonly useLite?: UseLiteOptions;
}

export interface TextFeatures {
  /** [items, 2 * dim]: columns [0, dim) utterance, [dim, 2 dim) context. */
  readonly matrix: FeatureMatrix;
  readonly backbone: BackboneName;
  readonly modelId: string;
  /** Columns per part (utterance, context). */
  readonly partDim: number;
  readonly fromCache: boolean;
  /** The cache file, when the cache is on. */
  readonly cachePath?: string;
}

/** The texts embedded for the dataset: utterances, then contexts, in item order. */
export function mustardTexts(ds: MustardDataset): { utterances: string[]; contexts: string[] } {
  return { utterances: ds.items.map((it) => it.text), contexts: ds.items.map(contextText) };
}

export async function buildMustardTextFeatures(
  ds: MustardDataset,
  options: TextFeatureOptions = {},
): Promise<TextFeatures> {
  const backbone = options.backbone ?? "use";
  if (options.embedder && options.embedder.backbone !== backbone) {
    throw new Error(
      `buildMustardTextFeatures: embedder is "${options.embedder.backbone}" but backbone "${backbone}" was asked for`,
    );
  }
  const warn = options.warn ?? warnToStderr;
  const { utterances, contexts } = mustardTexts(ds);
  const total = utterances.length + contexts.length;
  const glove = backbone === "glove" && !options.embedder ? loadGlove() : undefined;
  const modelId = options.embedder?.modelId ?? glove?.modelId ?? useLiteModelId(options.useLite?.modelDir);

  const compute = async (): Promise<FeatureMatrix> => {
    const enc = options.embedder ?? glove ?? (await loadUse(options.useLite, warn));
    try {
      const u = await enc.embed(utterances, (done) => options.onProgress?.(done, total));
      const c = await enc.embed(contexts, (done) => options.onProgress?.(utterances.length + done, total));
      return concatColumns(u, c);
    } finally {
      if (!options.embedder) enc.dispose();
    }
  };

  if (options.cache === false) {
    const matrix = await compute();
    return { matrix, backbone, modelId, partDim: matrix.cols / 2, fromCache: false };
  }
  const key: FeatureCacheKey = {
    backbone,
    modelId,
    recipe: TEXT_FEATURE_RECIPE,
    texts: [...utterances, ...contexts],
  };
  const cacheOptions = {
    warn,
    ...(options.cacheDir !== undefined && { cacheDir: options.cacheDir }),
    ...(options.refresh !== undefined && { refresh: options.refresh }),
  };
  const got = await cachedFeatures(key, compute, cacheOptions);
  if (got.fromCache) options.onProgress?.(total, total);
  return {
    matrix: got.matrix,
    backbone,
    modelId,
    partDim: got.matrix.cols / 2,
    fromCache: got.fromCache,
    cachePath: got.path,
  };
}

async function loadUse(opts: UseLiteOptions | undefined, warn: Warn): Promise<SentenceEmbedder> {
  // Imported lazily so that GloVe runs and cache hits never load TensorFlow.js.
  const { loadUseLite } = await import("../../backbones/use-lite.ts");
  return loadUseLite({ warn, ...opts });
}
