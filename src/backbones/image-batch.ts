/**
 * One batch of images through decode, preprocessing and the CNN: what a
 * worker thread (or the calling thread, with one job) does. Each image is
 * decoded on its own; one that fails is reported by index with its reason
 * and left out of the CNN batch, so a bad file never reaches the backbone.
 *
 * The two stages are separate so that a worker can pipeline them: sharp
 * decodes on libuv threads while onnxruntime-node runs the CNN synchronously
 * on the worker's own thread, so the decode of batch k+1 overlaps the CNN of
 * batch k. `decodeImageBatch(..., { parallel: true })` submits every image of
 * the batch to sharp at once (files read synchronously first, so nothing
 * waits for the worker's thread while the CNN holds it); the tensor is the
 * same, value for value, as the one-at-a-time decode.
 */
import {
  ImageError,
  preprocessImage,
  readImageFile,
  readImageFileSync,
  type ImagePreprocess,
} from "./image-preprocess.ts";
import type { CnnBackbone } from "./onnx-cnn.ts";

export interface BatchItem {
  readonly path: string;
  readonly flip: boolean;
}

export interface BatchTiming {
  /** elapsed ms from the batch's first decode to its last (overlaps the CNN when pipelined) */
  readonly decodeMs: number;
  /** elapsed ms in the CNN */
  readonly cnnMs: number;
}

export interface BatchResult {
  /** features of the images that decoded, in batch order (rows of `dim`) */
  readonly data: Float32Array;
  readonly dim: number;
  /** per item: null when it decoded, else why not */
  readonly errors: (string | null)[];
  readonly timing?: BatchTiming;
}

export interface DecodedBatch {
  /** the decodable images' tensors, in batch order: good * 3 * size * size floats */
  readonly input: Float32Array;
  readonly good: number;
  readonly errors: (string | null)[];
  readonly decodeMs: number;
}

function reason(e: unknown): string {
  if (!(e instanceof ImageError)) throw e;
  return e.message;
}

/**
 * Decodes and preprocesses a batch. Serial: one image after another, read
 * asynchronously. Parallel: every file read synchronously, then every decode
 * submitted to sharp at once, each into its own slot, and the failed slots
 * squeezed out afterwards (a plain copy, so the values are those of the
 * serial path); a decode that failed is tried again alone, for its reason.
 */
export async function decodeImageBatch(
  p: ImagePreprocess,
  items: readonly BatchItem[],
  opts: { parallel: boolean } = { parallel: false },
): Promise<DecodedBatch> {
  const t0 = performance.now();
  const per = 3 * p.size * p.size;
  const input = new Float32Array(items.length * per);
  const errors: (string | null)[] = [];
  let good = 0;
  if (!opts.parallel) {
    for (const it of items) {
      try {
        const bytes = await readImageFile(it.path);
        await preprocessImage(it.path, bytes, p, it.flip, input, good * per);
        errors.push(null);
        good++;
      } catch (e) {
        errors.push(reason(e));
      }
    }
  } else {
    const settled = await Promise.all(
      items.map(async (it, k): Promise<string | null> => {
        try {
          const bytes = readImageFileSync(it.path);
          await preprocessImage(it.path, bytes, p, it.flip, input, k * per);
          return null;
        } catch (e) {
          return reason(e);
        }
      }),
    );
    // libvips keeps one error text per process: decodes failing at the same time can lose theirs ("Unknown
    // error"), so a failed decode is tried once more on its own, for its own reason (or, should it now
    // decode, for its tensor: the same bytes through the same code)
    for (let k = 0; k < items.length; k++) {
      if (settled[k] === null || !settled[k]!.includes(": not a decodable image")) continue;
      const it = items[k]!;
      try {
        await preprocessImage(it.path, readImageFileSync(it.path), p, it.flip, input, k * per);
        settled[k] = null;
      } catch (e) {
        settled[k] = reason(e);
      }
    }
    settled.forEach((err, k) => {
      errors.push(err);
      if (err !== null) return;
      if (good !== k) input.copyWithin(good * per, k * per, (k + 1) * per);
      good++;
    });
  }
  return { input: input.subarray(0, good * per), good, errors, decodeMs: performance.now() - t0 };
}

/** The CNN on a decoded batch. */
export async function embedDecoded(backbone: CnnBackbone, d: DecodedBatch): Promise<BatchResult> {
  if (d.good === 0)
    return {
      data: new Float32Array(0),
      dim: 0,
      errors: d.errors,
      timing: { decodeMs: d.decodeMs, cnnMs: 0 },
    };
  const t0 = performance.now();
  const { data, dim } = await backbone.embed(d.input, d.good);
  return { data, dim, errors: d.errors, timing: { decodeMs: d.decodeMs, cnnMs: performance.now() - t0 } };
}

export async function runImageBatch(
  backbone: CnnBackbone,
  items: readonly BatchItem[],
): Promise<BatchResult> {
  return embedDecoded(backbone, await decodeImageBatch(backbone.spec.preprocess, items));
}
