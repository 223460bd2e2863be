/**
 * Image decoding and CNN preprocessing with sharp (libvips): decode JPEG/PNG,
 * optionally to grayscale (then replicated to three channels, as CheXpert
 * pipelines do for ImageNet CNNs), resize, optionally mirror left-right, and
 * normalise each channel with ImageNet mean and std into a float32 CHW
 * tensor. A missing, truncated or non-image file raises an ImageError that
 * names the path; nothing reaches the backbone half-decoded.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import sharp, { type OutputInfo } from "sharp";
import { QmtlError, ValidationError, requireInt } from "../core/errors.ts";

/** A file that could not be read or decoded as an image. */
export class ImageError extends QmtlError {
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`image ${path}: ${reason}`);
    this.name = "ImageError";
    this.path = path;
  }
}

export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

export interface ImagePreprocess {
  /** side of the square network input (224 for MobileNetV2 and DenseNet-121 exports at 224) */
  readonly size: number;
  /**
   * "stretch": resize to size x size ignoring aspect (torchvision Resize((s, s)), what CheXpert
   * pipelines do); "crop": resize the short side to `resizeTo`, then take the centre size x size
   * (the ImageNet evaluation recipe: 256 then 224).
   */
  readonly resize: "stretch" | "crop";
  /** short side before the centre crop ("crop" only) */
  readonly resizeTo?: number;
  /** decode to one gray channel and replicate it to three (CheXpert) or keep RGB */
  readonly grayscale: boolean;
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

/** The CheXpert recipe at a network input of `size`: grayscale -> 3 channels, stretch, ImageNet mean/std. */
export function chexpertPreprocess(size: number): ImagePreprocess {
  return { size, resize: "stretch", grayscale: true, mean: [...IMAGENET_MEAN], std: [...IMAGENET_STD] };
}

/** The ImageNet evaluation recipe: RGB, short side 256 (scaled with size), centre crop, mean/std. */
export function imagenetPreprocess(size = 224): ImagePreprocess {
  return {
    size,
    resize: "crop",
    resizeTo: Math.round((size * 256) / 224),
    grayscale: false,
    mean: [...IMAGENET_MEAN],
    std: [...IMAGENET_STD],
  };
}

export function checkPreprocess(p: ImagePreprocess): void {
  requireInt("preprocess.size", p.size, 8, 4096);
  if (p.resize !== "stretch" && p.resize !== "crop")
    throw new ValidationError("preprocess.resize", '"stretch" or "crop"', p.resize);
  if (p.resize === "crop") requireInt("preprocess.resizeTo", p.resizeTo ?? Number.NaN, p.size, 8192);
  for (let c = 0; c < 3; c++) {
    if (!Number.isFinite(p.mean[c]))
      throw new ValidationError(`preprocess.mean[${c}]`, "a finite number", p.mean[c]);
    if (!(p.std[c]! > 0) || !Number.isFinite(p.std[c]))
      throw new ValidationError(`preprocess.std[${c}]`, "a finite number > 0", p.std[c]);
  }
}

/** A stable text for cache keys: every setting that changes the tensor, plus the decoder. */
export function preprocessId(p: ImagePreprocess, flip: boolean): string {
  return JSON.stringify({ ...p, flip, decoder: `sharp ${sharp.versions.sharp} vips ${sharp.versions.vips}` });
}

function readError(path: string, e: unknown): ImageError {
  const code = (e as NodeJS.ErrnoException).code;
  return new ImageError(path, code === "ENOENT" ? "file not found" : `cannot read (${code ?? String(e)})`);
}

/** Reads a file, with an ImageError naming it when it is missing or unreadable. */
export async function readImageFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw readError(path, e);
  }
}

/** readImageFile without the event loop (a worker reads a batch's files at once, then decodes them). */
export function readImageFileSync(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw readError(path, e);
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Decodes and preprocesses one image into `out` (3 * size * size floats, CHW) at `offset`. */
export async function preprocessImage(
  path: string,
  bytes: Uint8Array,
  p: ImagePreprocess,
  flip: boolean,
  out: Float32Array,
  offset = 0,
): Promise<void> {
  const s = p.size;
  if (offset < 0 || offset + 3 * s * s > out.length)
    throw new ValidationError(
      "preprocessImage.out",
      `room for 3 x ${s} x ${s} floats at ${offset}`,
      `length ${out.length}`,
    );
  let raw: { data: Buffer; info: OutputInfo };
  try {
    // failOn "truncated": a cut-off JPEG or PNG is an error, not a gray-padded picture
    let img = sharp(bytes, { failOn: "truncated", limitInputPixels: 20000 * 20000 });
    img = p.grayscale ? img.grayscale() : img.removeAlpha().toColourspace("srgb");
    if (p.resize === "stretch") img = img.resize(s, s, { fit: "fill" });
    else img = img.resize(p.resizeTo, p.resizeTo, { fit: "outside" });
    raw = await img.raw().toBuffer({ resolveWithObject: true });
    if (p.resize === "crop") {
      const { width, height } = raw.info;
      const left = Math.floor((width - s) / 2),
        top = Math.floor((height - s) / 2);
      img = sharp(raw.data, { raw: { width, height, channels: raw.info.channels } }).extract({
        left,
        top,
        width: s,
        height: s,
      });
      raw = await img.raw().toBuffer({ resolveWithObject: true });
    }
  } catch (e) {
    throw new ImageError(path, `not a decodable image (${e instanceof Error ? e.message : String(e)})`);
  }
  const { width, height, channels } = raw.info;
  const want = p.grayscale ? 1 : 3;
  if (width !== s || height !== s || channels !== want) {
    throw new ImageError(path, `decoded to ${width}x${height}x${channels}, expected ${s}x${s}x${want}`);
  }
  const hw = s * s;
  const d = raw.data;
  const ch = p.grayscale ? 1 : 3;
  for (let c = 0; c < 3; c++) {
    const m = p.mean[c]!,
      sd = p.std[c]!;
    const base = offset + c * hw;
    const src = p.grayscale ? 0 : c;
    for (let y = 0; y < s; y++) {
      for (let x = 0; x < s; x++) {
        // a horizontal flip reads each row right to left
        const v = d[(y * s + (flip ? s - 1 - x : x)) * ch + src]! / 255;
        out[base + y * s + x] = (v - m) / sd;
      }
    }
  }
}
