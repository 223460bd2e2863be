import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractImageFeatures } from "../../src/backbones/image-features.ts";
import { chexpertPreprocess } from "../../src/backbones/image-preprocess.ts";
import { mobilenetV2Spec } from "../../src/backbones/onnx-cnn.ts";
import { repoRoot } from "../../src/data/data-paths.ts";

const FIX = join(repoRoot(), "test", "fixtures", "chexpert", "CheXpert-v1.0-small");
const spec = mobilenetV2Spec(chexpertPreprocess(224));

/** the fixture's first 12 images (the real radiograph first) */
function fixtureImages(root = FIX): string[] {
  const csv = readFileSync(join(FIX, "valid.csv"), "utf8").trim().split("\n").slice(1, 13);
  return csv.map((l) => join(root, "..", l.split(",")[0]!));
}

describe("image feature extraction", () => {
  it("two workers (pinned processes) give bit-identical features to one thread, then the cache serves them", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "qmtl-feat-"));
    const paths = fixtureImages();
    const seen: number[] = [];
    const one = await extractImageFeatures(paths, spec, {
      jobs: 1,
      cacheDir,
      chunk: 5,
      refresh: true,
      onProgress: (s, d) => {
        if (s === "image features") seen.push(d);
      },
    });
    expect(one.features.rows).toBe(12);
    expect(one.features.cols).toBe(1280);
    expect(one.computed).toBe(12);
    expect(seen[seen.length - 1]).toBe(12);
    const two = await extractImageFeatures(paths, spec, {
      jobs: 2,
      cacheDir: mkdtempSync(join(tmpdir(), "qmtl-feat-")),
      chunk: 5,
      batch: 3,
    });
    expect(two.computed).toBe(12);
    expect(Array.from(two.features.data)).toEqual(Array.from(one.features.data));
    const again = await extractImageFeatures(paths, spec, { jobs: 2, cacheDir, chunk: 5 });
    expect(again.fromCache).toBe(12);
    expect(again.computed).toBe(0);
    expect(Array.from(again.features.data)).toEqual(Array.from(one.features.data));
    // a damaged cache file is reported and recomputed
    const f = readdirSync(cacheDir).filter((n) => n.endsWith(".qfc"))[0]!;
    writeFileSync(join(cacheDir, f), "junk");
    const warnings: string[] = [];
    const fixed = await extractImageFeatures(paths, spec, {
      jobs: 1,
      cacheDir,
      chunk: 5,
      warn: (m) => warnings.push(m),
    });
    expect(warnings.length).toBe(1);
    expect(fixed.computed).toBe(5);
    expect(Array.from(fixed.features.data)).toEqual(Array.from(one.features.data));
  });

  it("a missing or corrupt image stops with its path, or is skipped and counted with skipBad", async () => {
    const root = mkdtempSync(join(tmpdir(), "qmtl-cx-"));
    cpSync(FIX, join(root, "CheXpert-v1.0-small"), { recursive: true });
    const paths = fixtureImages(join(root, "CheXpert-v1.0-small"));
    rmSync(paths[3]!);
    writeFileSync(paths[7]!, readFileSync(paths[0]!).subarray(0, 2000));
    const cacheDir = mkdtempSync(join(tmpdir(), "qmtl-feat-"));
    await expect(extractImageFeatures(paths, spec, { jobs: 1, cacheDir })).rejects.toThrow(
      new RegExp(`image ${paths[3]!}: file not found \\(use --skip-bad-images`),
    );
    const onlyCorrupt = paths.filter((_, i) => i !== 3);
    for (const jobs of [1, 2]) {
      await expect(extractImageFeatures(onlyCorrupt, spec, { jobs, cacheDir })).rejects.toThrow(
        /not a decodable image.*--skip-bad-images/,
      );
    }
    const r = await extractImageFeatures(paths, spec, { jobs: 2, cacheDir, skipBad: true, chunk: 4 });
    expect(r.skipped.map((s) => s.index)).toEqual([3, 7]);
    expect(r.skipped[0]!.reason).toBe("file not found");
    expect(r.kept).toEqual([0, 1, 2, 4, 5, 6, 8, 9, 10, 11]);
    expect(r.features.rows).toBe(10);
  });
});
