/**
 * One batch of images through decode, preprocessing and the CNN: what a
 * worker thread (or the calling thread, with one job) does. Each image is
 * decoded on its own; one that fails is reported by index with its reason
 * and left out of the CNN batch, so a bad file never reaches the backbone.
 */
import { ImageError, preprocessImage, readImageFile } from "./image-preprocess.ts";
import type { CnnBackbone } from "./onnx-cnn.ts";

export interface BatchItem {
  readonly path: string;
  readonly flip: boolean;
}

export interface BatchResult {
  /** features of the images that decoded, in batch order (rows of `dim`) */
  readonly data: Float32Array;
  readonly dim: number;
  /** per item: null when it decoded, else why not */
  readonly errors: (string | null)[];
}

export async function runImageBatch(
  backbone: CnnBackbone,
  items: readonly BatchItem[],
): Promise<BatchResult> {
  const s = backbone.spec.preprocess.size;
  const per = 3 * s * s;
  const input = new Float32Array(items.length * per);
  const errors: (string | null)[] = [];
  let good = 0;
  for (const it of items) {
    try {
      const bytes = await readImageFile(it.path);
      await preprocessImage(it.path, bytes, backbone.spec.preprocess, it.flip, input, good * per);
      errors.push(null);
      good++;
    } catch (e) {
      if (!(e instanceof ImageError)) throw e;
      errors.push(e.message);
    }
  }
  if (good === 0) return { data: new Float32Array(0), dim: 0, errors };
  const { data, dim } = await backbone.embed(input.subarray(0, good * per), good);
  return { data, dim, errors };
}
