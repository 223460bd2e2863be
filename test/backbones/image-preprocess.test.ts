import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import {
  IMAGENET_MEAN,
  IMAGENET_STD,
  ImageError,
  chexpertPreprocess,
  preprocessImage,
  readImageFile,
} from "../../src/backbones/image-preprocess.ts";
import { repoRoot } from "../../src/data/data-paths.ts";

const REAL = join(repoRoot(), "test", "fixtures", "chexpert", "real.jpg");

/** an 8 x 8 gray PNG whose left half is 0 and right half 255 (lossless) */
async function halfPng(): Promise<Buffer> {
  const px = Buffer.alloc(64);
  for (let y = 0; y < 8; y++) for (let x = 4; x < 8; x++) px[y * 8 + x] = 255;
  return sharp(px, { raw: { width: 8, height: 8, channels: 1 } })
    .png()
    .toBuffer();
}

describe("image preprocessing", () => {
  it("gray -> 3 channels with ImageNet mean/std per channel, exactly, at the image's own size", async () => {
    const p = chexpertPreprocess(8);
    const out = new Float32Array(3 * 64);
    await preprocessImage("half.png", await halfPng(), p, false, out);
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) {
          const v = x < 4 ? 0 : 1;
          expect(out[c * 64 + y * 8 + x]).toBeCloseTo((v - IMAGENET_MEAN[c]) / IMAGENET_STD[c], 6);
        }
    }
  });

  it("mirrors left-right when asked", async () => {
    const out = new Float32Array(3 * 64);
    await preprocessImage("half.png", await halfPng(), chexpertPreprocess(8), true, out);
    expect(out[0]).toBeCloseTo((1 - IMAGENET_MEAN[0]) / IMAGENET_STD[0], 6);
    expect(out[7]).toBeCloseTo((0 - IMAGENET_MEAN[0]) / IMAGENET_STD[0], 6);
  });

  it("resizes the real 320 x 320 radiograph to the network input, identical in all three channels", async () => {
    const out = new Float32Array(3 * 224 * 224);
    await preprocessImage(REAL, readFileSync(REAL), chexpertPreprocess(224), false, out);
    const hw = 224 * 224;
    for (let i = 0; i < hw; i += 997) {
      const g0 = out[i]! * IMAGENET_STD[0] + IMAGENET_MEAN[0];
      const g2 = out[2 * hw + i]! * IMAGENET_STD[2] + IMAGENET_MEAN[2];
      expect(g0).toBeCloseTo(g2, 5);
      expect(g0).toBeGreaterThanOrEqual(0);
      expect(g0).toBeLessThanOrEqual(1);
    }
  });

  it("a missing, truncated or non-image file is an ImageError naming the path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-img-"));
    await expect(readImageFile(join(dir, "none.jpg"))).rejects.toThrow(
      new RegExp(`image ${dir}/none.jpg: file not found`),
    );
    const bytes = readFileSync(REAL);
    const cut = join(dir, "cut.jpg");
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const out = new Float32Array(3 * 224 * 224);
    const err = await preprocessImage(cut, readFileSync(cut), chexpertPreprocess(224), false, out).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ImageError);
    expect((err as ImageError).message).toMatch(new RegExp(`^image ${cut}: not a decodable image`));
    const txt = join(dir, "notes.jpg");
    writeFileSync(txt, "not an image at all");
    await expect(
      preprocessImage(txt, readFileSync(txt), chexpertPreprocess(224), false, out),
    ).rejects.toThrow(/notes\.jpg: not a decodable image/);
  });
});
