import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatBytes, memoryLimitBytes, requireAllocation } from "../../src/core/limits.ts";
import { FileError } from "../../src/core/errors.ts";
import { writeFileAtomic } from "../../src/core/atomic-file.ts";
import { checkFeatureValues, checkStandardized } from "../../src/data/feature-checks.ts";
import { zeroState } from "../../src/sim/state.ts";
import { expvalPauli, pauliMasks } from "../../src/sim/pauli-ops.ts";
import { parsePauliWord } from "../../src/circuits/pauli.ts";
import { cachedFeatures, featureCachePath } from "../../src/backbones/feature-cache.ts";
import { featureMatrix } from "../../src/data/feature-matrix.ts";
import { Rng } from "../../src/core/rng.ts";
import { buildModel } from "../../src/models/build-model.ts";
import { train, type TrainConfig } from "../../src/training/trainer.ts";
import { loadCheckpoint } from "../../src/training/checkpoint.ts";
import { SYNTH_TASKS, syntheticData } from "../helpers/synthetic.ts";

/** The new checks accept what is valid (the catalogue shows they refuse what is not). */
describe("memory limit", () => {
  it("passes what fits, refuses what does not, and states both sizes", () => {
    expect(() => requireAllocation("x", 1024, 8, "a small array", 2 ** 20)).not.toThrow();
    expect(() => requireAllocation("x", 2 ** 20, 8, "a big array", 2 ** 20)).toThrow(
      "x: expected a size that fits the memory limit of 1.0 MiB (QMTL_MEMORY_LIMIT_GB changes it); a big array would need 8.0 MiB",
    );
    expect(formatBytes(3 * 2 ** 30)).toBe("3.0 GiB");
    expect(memoryLimitBytes()).toBeGreaterThan(2 ** 28);
  });
});

describe("feature checks", () => {
  it("accept an ordinary standardisation, refuse a collapsed column", () => {
    const before = featureMatrix(3, 2, Float64Array.from([1, 10, 2, 20, 3, 30]));
    const z = 1.224744871391589;
    const after = featureMatrix(3, 2, Float64Array.from([-z, -z, 0, 0, z, z]));
    expect(() => checkStandardized("f", before, after)).not.toThrow();
    expect(() => checkFeatureValues("f", before)).not.toThrow();
    const flat = featureMatrix(3, 2, Float64Array.from([-z, 0, 0, 0, z, 0]));
    expect(() => checkStandardized("f", before, flat)).toThrow(/f column 1 \(standardised\)/);
    // a constant column may stay constant
    const constBefore = featureMatrix(2, 1, Float64Array.from([5, 5]));
    expect(() =>
      checkStandardized("f", constBefore, featureMatrix(2, 1, Float64Array.from([0, 0]))),
    ).not.toThrow();
    expect(() => checkFeatureValues("f", featureMatrix(1, 1, Float64Array.of(1e100)))).not.toThrow();
    expect(() => checkFeatureValues("f", featureMatrix(1, 1, Float64Array.of(-1.01e100)))).toThrow(
      /magnitude/,
    );
  });
});

describe("expectation values still come out right", () => {
  it("<Z0> of |0> is 1 and <X0> of |0> is 0, with the norm check in the loop", () => {
    const s = zeroState(3);
    expect(expvalPauli(s, pauliMasks(parsePauliWord("Z0", 3), 3))).toBe(1);
    expect(Math.abs(expvalPauli(s, pauliMasks(parsePauliWord("X0 Y2", 3), 3)))).toBe(0);
  });
});

describe("atomic writes", () => {
  it("write normally, and name the path when they cannot", () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-atomic-"));
    writeFileAtomic(join(dir, "a", "b", "c.txt"), "hello");
    expect(readFileSync(join(dir, "a", "b", "c.txt"), "utf8")).toBe("hello");
    writeFileSync(join(dir, "file"), "x");
    expect(() => writeFileAtomic(join(dir, "file", "c.txt"), "x")).toThrow(FileError);
    expect(() => writeFileAtomic(join(dir, "file", "c.txt"), "x")).toThrow(
      /cannot write .*file\/c\.txt: .*file is a file, not a folder/,
    );
  });
});

describe("feature cache", () => {
  it("stores and reuses features; an unwritable cache warns and returns them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-fc-"));
    const key = { backbone: "b", modelId: "m", recipe: "r", texts: ["a", "b"] };
    let computed = 0;
    const compute = async () => {
      computed++;
      return featureMatrix(2, 1, Float64Array.of(0.5, 1.5));
    };
    const warnings: string[] = [];
    const first = await cachedFeatures(key, compute, { cacheDir: dir, warn: (m) => warnings.push(m) });
    const second = await cachedFeatures(key, compute, { cacheDir: dir, warn: (m) => warnings.push(m) });
    expect([first.fromCache, second.fromCache, computed, warnings.length]).toEqual([false, true, 1, 0]);
    writeFileSync(featureCachePath(dir, key), "damaged");
    const third = await cachedFeatures(key, compute, { cacheDir: dir, warn: (m) => warnings.push(m) });
    expect([third.fromCache, computed, [...third.matrix.data]]).toEqual([false, 2, [0.5, 1.5]]);
    expect(warnings[0]).toMatch(/unusable \(bad magic\); recomputing/);
    const fourth = await cachedFeatures(key, compute, { cacheDir: dir });
    expect(fourth.fromCache).toBe(true); // the damaged entry was rewritten
  });
});

describe("checkpoints and training", () => {
  it("a checkpoint round-trips through its checksum; training stops on a non-finite loss naming epoch and task", () => {
    const base = {
      head: "classical" as const,
      inputDim: 6,
      latentDim: 4,
      tasks: SYNTH_TASKS,
      projection: { hidden: [], activation: "tanh" as const, dropout: 0, batchNorm: false },
    };
    const cfg: TrainConfig = {
      epochs: 1,
      batchSize: 8,
      protocol: { kind: "masked" },
      losses: [
        { kind: "bce", weight: 1 },
        { kind: "ce", weight: 1 },
        { kind: "mse", weight: 1 },
      ],
      optimizer: { kind: "adam", lr: 0.01 },
      selection: { task: "bin", metric: "accuracy" },
    };
    const data = syntheticData(24, 6, 1),
      val = syntheticData(12, 6, 2);
    const p = join(mkdtempSync(join(tmpdir(), "qmtl-ck-")), "ck.json");
    train(buildModel(base, new Rng(1)), data, val, cfg, { seed: 1, checkpointPath: p });
    const c = loadCheckpoint(p)!;
    expect(c.epoch).toBe(1);
    expect("sha256" in c).toBe(false);
    const reg = Float64Array.from(data.labels[2]!, (v, i) => (i === 3 ? 1e200 : v));
    const bad = { ...data, labels: [data.labels[0]!, data.labels[1]!, reg] };
    expect(() => train(buildModel(base, new Rng(1)), bad, val, cfg, { seed: 1 })).toThrow(
      /loss is not finite \(Infinity\) at epoch 1, batch \d+ of 3, task reg/,
    );
  });
});
