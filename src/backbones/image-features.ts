/**
 * Frozen-CNN features of a list of image files, computed once and cached.
 *
 * 1. Every file is read and hashed (sha256 of its bytes); a missing file is
 *    an ImageError naming it, or with `skipBad` is skipped and reported.
 * 2. The readable images are taken in chunks (256 by default); a chunk's
 *    cache key is (backbone name, model sha256 + feature tensor,
 *    preprocessing, the chunk's image hashes), so a rerun, or a run on an
 *    overlapping subset in the same order, finds its features on disk, and an
 *    interrupted extraction keeps the chunks it finished.
 * 3. A missing chunk runs through the runner: worker processes (default, one
 *    ONNX session each, pinned one per CPU, decoding the next batch while the
 *    CNN runs; image-pool.ts) or one session with intra-op threads. A file that does
 *    not decode is an ImageError, or is skipped with `skipBad` (its chunk is
 *    then not cached: it is decoded again next time and reported again).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { ValidationError, requireInt } from "../core/errors.ts";
import { featureMatrix, type FeatureMatrix } from "../data/feature-matrix.ts";
import {
  featureCachePath,
  readFeatureCache,
  writeFeatureCache,
  type FeatureCacheKey,
} from "./feature-cache.ts";
import { ImageError, preprocessId, sha256Hex } from "./image-preprocess.ts";
import { localRunner, poolRunner, type ImageRunner } from "./image-pool.ts";
import type { CnnBackboneSpec } from "./onnx-cnn.ts";
import { warnToStderr, type Warn } from "./warn.ts";

export interface ExtractOptions {
  /** threads for decoding + the CNN (>= 1) */
  readonly jobs: number;
  /**
   * "workers" (default): `jobs` worker processes, one session each, pinned one per CPU (one pinned
   * process for jobs = 1: 12-34 % faster than decoding and running the CNN in this process, unpinned);
   * "intra-op": one session in this process, `jobs` intra-op threads
   */
  readonly mode?: "workers" | "intra-op";
  /** "workers" mode: pin each worker process to the least busy CPU left (default) or "none" (image-pool.ts) */
  readonly pin?: "least-busy" | "none";
  readonly cacheDir: string;
  /** skip (and report) missing or undecodable images instead of failing */
  readonly skipBad?: boolean;
  /** images per CNN call (default 8) */
  readonly batch?: number;
  /** images per cache file (default 256) */
  readonly chunk?: number;
  /** ignore cached features and recompute */
  readonly refresh?: boolean;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
  readonly warn?: Warn;
}

export interface SkippedImage {
  readonly index: number;
  readonly path: string;
  readonly reason: string;
}

export interface ExtractResult {
  /** one row per kept image, in input order */
  readonly features: FeatureMatrix;
  /** indices (into the input paths) of the rows of `features` */
  readonly kept: readonly number[];
  readonly skipped: readonly SkippedImage[];
  /** sha256 of every kept image's bytes, in `kept` order */
  readonly imageHashes: readonly string[];
  readonly fromCache: number;
  readonly computed: number;
  readonly modelSha256: string;
}

async function hashAll(paths: readonly string[], onDone: (k: number) => void): Promise<(string | Error)[]> {
  const out: (string | Error)[] = new Array<string | Error>(paths.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      const p = paths[i]!;
      try {
        out[i] = sha256Hex(await readFile(p));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        out[i] = new ImageError(
          p,
          code === "ENOENT" ? "file not found" : `cannot read (${code ?? String(e)})`,
        );
      }
      onDone(1);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return out;
}

export async function extractImageFeatures(
  paths: readonly string[],
  spec: CnnBackboneSpec,
  opts: ExtractOptions,
): Promise<ExtractResult> {
  requireInt("features.jobs", opts.jobs, 1, 256);
  const batch = opts.batch ?? 8;
  const chunk = opts.chunk ?? 256;
  requireInt("features.batch", batch, 1, 4096);
  requireInt("features.chunk", chunk, 1, 1 << 20);
  if (paths.length === 0) throw new ValidationError("features.paths", "at least one image");
  if (!existsSync(spec.modelPath))
    throw new ValidationError("backbone.model", "an existing ONNX file", spec.modelPath);
  const warn = opts.warn ?? warnToStderr;
  const progress = opts.onProgress ?? (() => undefined);
  const skipped: SkippedImage[] = [];
  const bad = (index: number, path: string, reason: string): void => {
    if (!opts.skipBad) throw new ImageError(path, `${reason} (use --skip-bad-images to skip such files)`);
    skipped.push({ index, path, reason });
  };

  let hashed = 0;
  const hashes = await hashAll(paths, (k) => {
    hashed += k;
    progress("hashing images", hashed, paths.length);
  });
  const readable: number[] = [];
  hashes.forEach((h, i) => {
    if (h instanceof ImageError) bad(i, paths[i]!, h.message.replace(`image ${paths[i]!}: `, ""));
    else if (h instanceof Error) throw h;
    else readable.push(i);
  });

  const modelSha256 = sha256Hex(await readFile(spec.modelPath));
  const recipe = preprocessId(spec.preprocess, false);
  let runner: ImageRunner | null = null;
  const getRunner = async (): Promise<ImageRunner> => {
    if (runner) return runner;
    const mode = opts.mode ?? "workers";
    runner =
      mode === "workers"
        ? await poolRunner(spec, {
            jobs: opts.jobs,
            cacheDir: opts.cacheDir,
            batch,
            ...(opts.pin !== undefined ? { pin: opts.pin } : {}),
          })
        : await localRunner(spec, {
            threads: mode === "intra-op" ? opts.jobs : 1,
            cacheDir: opts.cacheDir,
            batch,
          });
    return runner;
  };

  const rows: { index: number; hash: string; data: Float64Array }[] = [];
  let dim = 0,
    fromCache = 0,
    computed = 0,
    done = 0;
  try {
    for (let c = 0; c < readable.length; c += chunk) {
      const idx = readable.slice(c, c + chunk);
      const key: FeatureCacheKey = {
        backbone: spec.name,
        modelId: `${modelSha256}:${spec.featureTensor}`,
        recipe,
        texts: idx.map((i) => hashes[i] as string),
      };
      const cachePath = featureCachePath(opts.cacheDir, key);
      if (!opts.refresh && existsSync(cachePath)) {
        const got = readFeatureCache(cachePath, key);
        if (got.ok && got.matrix.rows === idx.length && (dim === 0 || got.matrix.cols === dim)) {
          dim = got.matrix.cols;
          idx.forEach((i, r) =>
            rows.push({
              index: i,
              hash: hashes[i] as string,
              data: got.matrix.data.slice(r * dim, (r + 1) * dim),
            }),
          );
          fromCache += idx.length;
          done += idx.length;
          progress("image features", done, readable.length);
          continue;
        }
        warn(`feature cache ${cachePath} is unusable (${got.ok ? "wrong shape" : got.reason}); recomputing`);
      }
      const run = await (
        await getRunner()
      ).run(
        idx.map((i) => ({ path: paths[i]!, flip: false })),
        (k) => {
          done += k;
          progress("image features", done, readable.length);
        },
      );
      if (run.dim > 0) {
        if (dim !== 0 && run.dim !== dim)
          throw new ValidationError(
            `backbone ${spec.name}`,
            `${dim} features per image in every chunk`,
            run.dim,
          );
        dim = run.dim;
      }
      let r = 0;
      const good: number[] = [];
      idx.forEach((i, k) => {
        const err = run.errors[k];
        if (err !== null && err !== undefined) {
          bad(i, paths[i]!, err.replace(`image ${paths[i]!}: `, ""));
          return;
        }
        rows.push({
          index: i,
          hash: hashes[i] as string,
          data: Float64Array.from(run.data.subarray(r * dim, (r + 1) * dim)),
        });
        good.push(i);
        r++;
      });
      computed += good.length;
      if (good.length === idx.length && dim > 0) {
        const m = featureMatrix(idx.length, dim);
        rows.slice(rows.length - idx.length).forEach((row, k) => m.data.set(row.data, k * dim));
        writeFeatureCache(cachePath, key, m);
      }
    }
  } finally {
    if (runner !== null) await (runner as ImageRunner).close();
  }
  if (rows.length === 0)
    throw new ValidationError("images", "at least one decodable image", `none of ${paths.length}`);
  const features = featureMatrix(rows.length, dim);
  rows.forEach((row, k) => features.data.set(row.data, k * dim));
  skipped.sort((a, b) => a.index - b.index);
  return {
    features,
    kept: rows.map((r) => r.index),
    skipped,
    imageHashes: rows.map((r) => r.hash),
    fromCache,
    computed,
    modelSha256,
  };
}
