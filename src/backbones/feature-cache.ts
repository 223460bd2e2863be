import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../core/atomic-file.ts";
import { repoRoot } from "../data/data-paths.ts";
import { featureMatrix, type FeatureMatrix } from "../data/feature-matrix.ts";
import { checkFeatureValues } from "../data/feature-checks.ts";
import { warnToStderr, type Warn } from "./warn.ts";

/**
 * An on-disk cache for backbone features, so a frozen encoder runs once per
 * (backbone, model, texts). A file is
 *   "QMTLFC01" | header length (u32 LE) | header JSON | raw little-endian data
 * where the header records rows, cols, dtype ("float32" when every value is
 * exactly a float32, else "float64"), the model id, the texts' sha256 and the
 * data's sha256. A file whose magic, header, length or data hash is wrong is
 * reported and recomputed; files are written atomically. A cache that cannot
 * be written (no permission, a file where the folder should be) is a warning
 * and the features are returned all the same; computed features that are not
 * finite are an error, never cached.
 */

export interface FeatureCacheKey {
  readonly backbone: string;
  /** Weights + tokenizer identity (SentenceEmbedder.modelId). */
  readonly modelId: string;
  /** How texts became features (e.g. "utterance|context joined"); part of the hash. */
  readonly recipe: string;
  readonly texts: readonly string[];
}

export interface CachedFeaturesOptions {
  /** Default: defaultCacheDir(). */
  readonly cacheDir?: string;
  /** Ignore an existing file and recompute. */
  readonly refresh?: boolean;
  readonly warn?: Warn;
}

export interface CachedFeatures {
  readonly matrix: FeatureMatrix;
  readonly fromCache: boolean;
  readonly path: string;
}

interface CacheHeader {
  version: 1;
  backbone: string;
  modelId: string;
  recipe: string;
  textsSha256: string;
  rows: number;
  cols: number;
  dtype: "float32" | "float64";
  dataSha256: string;
}

const MAGIC = "QMTLFC01";

/** `$QMTL_CACHE_DIR` if set, else `<repo>/.cache/features`. */
export function defaultCacheDir(): string {
  const env = process.env["QMTL_CACHE_DIR"];
  return env !== undefined && env.length > 0 ? env : join(repoRoot(), ".cache", "features");
}

export function textsSha256(recipe: string, texts: readonly string[]): string {
  return createHash("sha256")
    .update(JSON.stringify([recipe, texts]))
    .digest("hex");
}

/** The cache file for `key` inside `dir`: `<backbone>-<texts sha>-<model sha>.qfc`. */
export function featureCachePath(dir: string, key: FeatureCacheKey): string {
  const model = createHash("sha256").update(key.modelId).digest("hex").slice(0, 12);
  const safe = key.backbone.replace(/[^A-Za-z0-9_.-]/g, "_");
  return join(dir, `${safe}-${textsSha256(key.recipe, key.texts).slice(0, 24)}-${model}.qfc`);
}

/** Returns the cached matrix for `key`, computing and storing it on a miss. */
export async function cachedFeatures(
  key: FeatureCacheKey,
  compute: () => Promise<FeatureMatrix>,
  options: CachedFeaturesOptions = {},
): Promise<CachedFeatures> {
  const path = featureCachePath(options.cacheDir ?? defaultCacheDir(), key);
  const warn = options.warn ?? warnToStderr;
  if (!options.refresh && existsSync(path)) {
    const got = readFeatureCache(path, key);
    if (got.ok) return { matrix: got.matrix, fromCache: true, path };
    warn(`feature cache ${path} is unusable (${got.reason}); recomputing`);
  }
  const matrix = await compute();
  checkFeatureValues(`features computed by ${key.backbone}`, matrix);
  // the features are what the run needs; a cache that cannot be written costs only the next run's time
  try {
    writeFeatureCache(path, key, matrix);
  } catch (e) {
    warn(
      `feature cache ${path} cannot be written (${e instanceof Error ? e.message : String(e)}); going on without caching`,
    );
  }
  return { matrix, fromCache: false, path };
}

export type CacheRead = { ok: true; matrix: FeatureMatrix } | { ok: false; reason: string };

/** Reads and verifies a cache file against `key`. Never throws for a bad file. */
export function readFeatureCache(path: string, key: FeatureCacheKey): CacheRead {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  if (bytes.length < 12 || bytes.subarray(0, 8).toString("latin1") !== MAGIC)
    return { ok: false, reason: "bad magic" };
  const headerLen = bytes.readUInt32LE(8);
  if (12 + headerLen > bytes.length) return { ok: false, reason: "truncated header" };
  let h: CacheHeader;
  try {
    h = JSON.parse(bytes.subarray(12, 12 + headerLen).toString("utf8")) as CacheHeader;
  } catch {
    return { ok: false, reason: "header is not JSON" };
  }
  if (h.version !== 1) return { ok: false, reason: `unknown version ${String(h.version)}` };
  if (h.modelId !== key.modelId) return { ok: false, reason: `model id ${h.modelId} != ${key.modelId}` };
  if (h.textsSha256 !== textsSha256(key.recipe, key.texts))
    return { ok: false, reason: "texts hash mismatch" };
  if (!Number.isInteger(h.rows) || !Number.isInteger(h.cols) || h.rows < 0 || h.cols < 0)
    return { ok: false, reason: "bad shape" };
  const size = h.dtype === "float32" ? 4 : h.dtype === "float64" ? 8 : 0;
  if (size === 0) return { ok: false, reason: `unknown dtype ${String(h.dtype)}` };
  const body = bytes.subarray(12 + headerLen);
  if (body.length !== h.rows * h.cols * size) {
    return { ok: false, reason: `data length ${body.length} != ${h.rows} x ${h.cols} x ${size}` };
  }
  if (createHash("sha256").update(body).digest("hex") !== h.dataSha256)
    return { ok: false, reason: "data hash mismatch" };
  const data = new Float64Array(h.rows * h.cols);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  for (let i = 0; i < data.length; i++) {
    const x = size === 4 ? view.getFloat32(4 * i, true) : view.getFloat64(8 * i, true);
    if (!Number.isFinite(x))
      return { ok: false, reason: `non-finite value at row ${Math.floor(i / h.cols)}` };
    data[i] = x;
  }
  return { ok: true, matrix: featureMatrix(h.rows, h.cols, data) };
}

export function writeFeatureCache(path: string, key: FeatureCacheKey, m: FeatureMatrix): void {
  const f32 = m.data.every((x) => Math.fround(x) === x);
  const size = f32 ? 4 : 8;
  const body = new Uint8Array(m.data.length * size);
  const view = new DataView(body.buffer);
  for (let i = 0; i < m.data.length; i++) {
    if (f32) view.setFloat32(4 * i, m.data[i] as number, true);
    else view.setFloat64(8 * i, m.data[i] as number, true);
  }
  const header: CacheHeader = {
    version: 1,
    backbone: key.backbone,
    modelId: key.modelId,
    recipe: key.recipe,
    textsSha256: textsSha256(key.recipe, key.texts),
    rows: m.rows,
    cols: m.cols,
    dtype: f32 ? "float32" : "float64",
    dataSha256: createHash("sha256").update(body).digest("hex"),
  };
  const head = Buffer.from(JSON.stringify(header), "utf8");
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length, 0);
  writeFileAtomic(path, Buffer.concat([Buffer.from(MAGIC, "latin1"), len, head, body]));
}
