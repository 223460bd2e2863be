/**
 * Noise as an axis of evaluation in a sweep: the noise axis is validated
 * before anything runs; a shortened noise sweep (1 epoch, small features, two
 * folds) trains its cells, evaluates each under p = 0, p = 0.05 and
 * ibm_boston, and merges; p = 0 equals the training run's own (noiseless)
 * test metrics to 1e-12; p = 0.05 and the device equal `qmtl noise` on the
 * same checkpoint; finished evaluation cells are skipped, a removed one is
 * re-run and the merged results come out the same.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.ts";
import { checkNoiseSweep, noiseAxisSchema, noiseConditions } from "../../src/experiments/sweep/noise-axis.ts";
import { comparableNoise, qmtl, readMerged, sweepWorkdir, writeNoiseSweep } from "./helpers.ts";

const axis = (raw: unknown) => noiseAxisSchema.parse(raw);

/** Every metric of `b` present in `a` equals it to `tol`. */
function expectMetricsClose(
  a: Record<string, Record<string, number>>,
  b: Record<string, Record<string, number>>,
  tol: number,
  what: string,
): void {
  let compared = 0;
  for (const [task, ms] of Object.entries(b))
    for (const [k, v] of Object.entries(ms)) {
      const x = a[task]?.[k];
      if (x === undefined) continue;
      expect(Math.abs(x - v), `${what} ${task}.${k}: ${x} vs ${v}`).toBeLessThanOrEqual(tol);
      compared++;
    }
  expect(compared, what).toBeGreaterThan(10);
}

describe("noise axis validation", () => {
  it("labels conditions, adds shot variants, and names a bad level, device or shot count", () => {
    const c = noiseConditions(axis({ levels: [0.01, 0], devices: ["fez"], shots: [100] }));
    expect(c.map((x) => x.label)).toEqual([
      "p0.01",
      "p0",
      "ibm_fez",
      "p0.01-100shots",
      "p0-100shots",
      "ibm_fez-100shots",
    ]);
    expect(c[2]).toMatchObject({ kind: "device", device: "ibm_fez" });
    const bad = (raw: unknown, re: RegExp) => {
      expect(() => noiseConditions(axis(raw))).toThrow(ValidationError);
      expect(() => noiseConditions(axis(raw))).toThrow(re);
    };
    bad({ levels: [0.1, 1.5] }, /noise\.levels\[1\].*\[0, 16\/15\].*1\.5/);
    bad({ levels: [-0.01] }, /noise\.levels\[0\]/);
    bad({ levels: [0.1, 0.1] }, /distinct levels/);
    bad({ devices: ["ibm_boston", "ibm_nowhere"] }, /noise\.devices\[1\].*ibm_boston, ibm_fez.*ibm_nowhere/);
    bad({}, /at least one/);
    expect(() => axis({ levels: [0.1], shots: [1] })).toThrow();
    expect(() => axis({ levels: [0.1], depolarizing: [0.1] })).toThrow(/depolarizing/);
  });

  it("needs a QMTL head in every cell and no axis already named noise", () => {
    const cells = [
      { id: "head-qmtl", config: { heads: ["qmtl", "classical"] } },
      { id: "head-classical", config: { heads: ["classical"] } },
    ];
    expect(() => checkNoiseSweep(axis({ levels: [0.1] }), cells, ["head"])).toThrow(
      /cell head-classical.*qmtl/,
    );
    expect(() => checkNoiseSweep(axis({ levels: [0.1] }), cells.slice(0, 1), ["noise"])).toThrow(
      /named noise/,
    );
    expect(checkNoiseSweep(undefined, cells, ["head"])).toEqual([]);
  });

  it("qmtl sweep rejects a bad noise axis before any folder is created, naming it", () => {
    const dir = sweepWorkdir("noise-bad");
    const cfg = join(dir, "bad.yaml");
    writeFileSync(
      cfg,
      [
        "suite: mustard",
        "name: bad",
        "base: { features: feat.json, epochs: 1, heads: [qmtl] }",
        "axes: [{ name: fold, field: folds, values: [[0]] }]",
        "noise: { levels: [0.01], devices: [ibm_boston, ibm_atlantis] }",
      ].join("\n"),
    );
    const r = qmtl(dir, ["sweep", cfg, "--out", "out"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/noise\.devices\[1\].*ibm_atlantis/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});

describe("qmtl sweep with a noise axis (local)", () => {
  it("trains, evaluates every cell under each condition, merges, equals qmtl noise, and resumes", () => {
    const dir = sweepWorkdir("noise-local");
    const cfg = writeNoiseSweep(dir, "ns");
    const first = qmtl(dir, ["sweep", cfg, "--out", "out", "--jobs", "2"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("noise evaluation: 6 cells, 0 done earlier, running 6");
    const sweepDir = join(dir, "out", "ns");
    const m = readMerged(sweepDir);
    expect(m.noise).not.toBeNull();
    const noise = m.noise!;
    expect(noise.missing).toEqual([]);
    expect(noise.cells.map((c) => c.id).sort()).toEqual(
      [
        "fold-0~ibm_boston",
        "fold-0~p0",
        "fold-0~p0.05",
        "fold-1~ibm_boston",
        "fold-1~p0",
        "fold-1~p0.05",
      ].sort(),
    );
    expect(noise.groups.map((g) => g.labels)).toEqual([
      { noise: "p0" },
      { noise: "p0.05" },
      { noise: "ibm_boston" },
    ]);
    // p = 0 through the noisy simulator equals the training run's own test evaluation, per run
    for (const c of noise.cells.filter((x) => x.label === "p0")) {
      const trained = m.cells.find((x) => x.id === c.cell)!.runs[0]!;
      expect(c.runs).toHaveLength(1);
      expectMetricsClose(c.runs[0]!.test, trained.test, 1e-12, `${c.id} vs ${c.cell}`);
      for (const e of Object.values(c.runs[0]!.outputError)) expect(e).toBeLessThan(1e-12);
    }
    // and the pooled p = 0 group equals the pooled training group
    const p0 = noise.groups.find((g) => g.labels["noise"] === "p0")!.summary["qmtl"]!;
    for (const [task, ms] of Object.entries(m.groups[0]!.summary["qmtl"]!))
      for (const [k, v] of Object.entries(ms)) {
        expect(Math.abs(p0[task]![k]!.mean - v.mean), `${task}.${k}`).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(p0[task]![k]!.std - v.std), `${task}.${k} std`).toBeLessThanOrEqual(1e-12);
      }
    // p > 0 and the device model equal qmtl noise on the same checkpoint
    const direct = qmtl(dir, [
      "noise",
      join(sweepDir, "cells", "fold-1"),
      "--p",
      "0.05",
      "--devices",
      "ibm_boston",
      "--no-mitigation",
      "--name",
      "check",
      "--json",
    ]);
    expect(direct.code, direct.stderr).toBe(0);
    const conds = (JSON.parse(direct.stdout) as { conditions: Array<{ id: string; metrics: never }> })
      .conditions;
    const at = (label: string) => noise.cells.find((c) => c.id === `fold-1~${label}`)!.runs[0]!.test;
    expectMetricsClose(
      at("p0.05"),
      conds.find((c) => c.id === "depolarizing p=0.05")!.metrics,
      1e-12,
      "p=0.05",
    );
    expectMetricsClose(
      at("ibm_boston"),
      conds.find((c) => c.id === "ibm_boston")!.metrics,
      1e-12,
      "ibm_boston",
    );
    // noise moves the outputs
    expect(
      Object.values(noise.cells.find((c) => c.id === "fold-1~p0.05")!.runs[0]!.outputError)[0],
    ).toBeGreaterThan(1e-3);
    expect(readFileSync(join(sweepDir, "sweep-results.json"), "utf8")).not.toContain(dir);

    // resume: everything done; a removed evaluation is re-run alone and the merge is unchanged
    const again = qmtl(dir, ["sweep", cfg, "--out", "out"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("2 done earlier, running 0");
    expect(again.stdout).toContain("noise evaluation: 6 cells, 6 done earlier, running 0");
    rmSync(join(sweepDir, "noise", "fold-0", "p0.05.json"));
    const resumed = qmtl(dir, ["sweep", cfg, "--out", "out"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain("noise evaluation: 6 cells, 5 done earlier, running 1");
    expect(resumed.stderr).toContain("done fold-0~p0.05");
    expect(comparableNoise(readMerged(sweepDir))).toEqual(comparableNoise(m));
  }, 600_000);
});
