import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  cachedFeatures,
  defaultCacheDir,
  featureCachePath,
  readFeatureCache,
  type FeatureCacheKey,
} from "../../src/backbones/feature-cache.ts";
import { repoRoot } from "../../src/data/data-paths.ts";
import { featureMatrix, type FeatureMatrix } from "../../src/data/feature-matrix.ts";

const key: FeatureCacheKey = { backbone: "use", modelId: "m1", recipe: "r", texts: ["a", "b", "c"] };

function matrix(values: number[]): FeatureMatrix {
  return featureMatrix(3, values.length / 3, Float64Array.from(values));
}

function counting(m: FeatureMatrix): { compute: () => Promise<FeatureMatrix>; calls: () => number } {
  let n = 0;
  return {
    compute: async () => {
      n++;
      return m;
    },
    calls: () => n,
  };
}

describe("feature cache", () => {
  const saved = process.env["QMTL_CACHE_DIR"];
  afterEach(() => {
    if (saved === undefined) delete process.env["QMTL_CACHE_DIR"];
    else process.env["QMTL_CACHE_DIR"] = saved;
  });

  it("defaults to <repo>/.cache/features and honours QMTL_CACHE_DIR", () => {
    delete process.env["QMTL_CACHE_DIR"];
    expect(defaultCacheDir()).toBe(join(repoRoot(), ".cache", "features"));
    process.env["QMTL_CACHE_DIR"] = "/tmp/elsewhere";
    expect(defaultCacheDir()).toBe("/tmp/elsewhere");
  });

  it("computes once, then serves float32-exact data from disk bit for bit", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-cache-"));
    const m = matrix([0.5, -1.25, 3, 1 / 1024, 0, 7]);
    const c = counting(m);
    const first = await cachedFeatures(key, c.compute, { cacheDir: dir });
    const second = await cachedFeatures(key, c.compute, { cacheDir: dir });
    expect(first.fromCache).toBe(false);
    expect(second.fromCache).toBe(true);
    expect(c.calls()).toBe(1);
    expect([...second.matrix.data]).toEqual([...m.data]);
    expect(JSON.stringify(readFileSync(second.path).subarray(12, 400).toString("utf8"))).toContain(
      '\\"dtype\\":\\"float32\\"',
    );
  });

  it("keeps float64 when the values need it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-cache-"));
    const m = matrix([0.1, Math.PI, -1 / 3]);
    await cachedFeatures(key, counting(m).compute, { cacheDir: dir });
    const got = readFeatureCache(featureCachePath(dir, key), key);
    expect(got.ok && [...got.matrix.data]).toEqual([...m.data]);
  });

  it("keys files by backbone, texts and model", () => {
    const p = featureCachePath("/d", key);
    expect(p).toMatch(/^\/d\/use-[0-9a-f]{24}-[0-9a-f]{12}\.qfc$/);
    expect(featureCachePath("/d", { ...key, texts: ["a", "b", "d"] })).not.toBe(p);
    expect(featureCachePath("/d", { ...key, modelId: "m2" })).not.toBe(p);
    expect(featureCachePath("/d", { ...key, backbone: "glove" })).not.toBe(p);
  });

  it("detects a corrupt or truncated file, warns and recomputes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-cache-"));
    const m = matrix([1, 2, 3, 4, 5, 6]);
    const c = counting(m);
    const { path } = await cachedFeatures(key, c.compute, { cacheDir: dir });
    const good = readFileSync(path);

    const flipped = Buffer.from(good);
    flipped[flipped.length - 3] ^= 0xff;
    writeFileSync(path, flipped);
    const warnings: string[] = [];
    const again = await cachedFeatures(key, c.compute, { cacheDir: dir, warn: (w) => warnings.push(w) });
    expect(again.fromCache).toBe(false);
    expect(c.calls()).toBe(2);
    expect(warnings[0]).toMatch(/is unusable \(data hash mismatch\); recomputing/);
    expect(readFileSync(path).equals(good)).toBe(true);

    writeFileSync(path, good.subarray(0, good.length - 4));
    await cachedFeatures(key, c.compute, { cacheDir: dir, warn: (w) => warnings.push(w) });
    expect(warnings[1]).toMatch(/data length 20 != 3 x 2 x 4/);

    writeFileSync(path, "garbage");
    await cachedFeatures(key, c.compute, { cacheDir: dir, warn: (w) => warnings.push(w) });
    expect(warnings[2]).toMatch(/bad magic/);
    expect(c.calls()).toBe(4);
  });

  it("refuses a file written for other texts or another model", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-cache-"));
    await cachedFeatures(key, counting(matrix([1, 2, 3])).compute, { cacheDir: dir });
    const p = featureCachePath(dir, key);
    expect(readFeatureCache(p, { ...key, modelId: "other" })).toEqual({
      ok: false,
      reason: "model id m1 != other",
    });
    expect(readFeatureCache(p, { ...key, texts: ["x", "y", "z"] })).toEqual({
      ok: false,
      reason: "texts hash mismatch",
    });
  });
});
