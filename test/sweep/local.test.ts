/**
 * A real local sweep: four cells of a shortened MUStARD run (1 epoch, small
 * user features) run as child processes; merged results; finished cells are
 * skipped on the next run; a failed or killed cell (its folder without
 * results.json) is re-run and the merged results come out the same.
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { comparable, qmtl, readMerged, sweepWorkdir, writeFourCellSweep } from "./helpers.ts";

describe("qmtl sweep (local)", () => {
  it("runs every cell in its own run folder, merges, skips finished cells and re-runs unfinished ones", () => {
    const dir = sweepWorkdir("sweep-local");
    const cfg = writeFourCellSweep(dir, "four");
    const first = qmtl(dir, ["sweep", cfg, "--out", "out", "--jobs", "2"]);
    expect(first.code, first.stderr).toBe(0);
    const sweepDir = join(dir, "out", "four");
    const ids = ["head-classical_fold-0", "head-classical_fold-1", "head-qmtl_fold-0", "head-qmtl_fold-1"];
    expect(readdirSync(join(sweepDir, "cells")).sort()).toEqual(ids);
    // non-TTY progress: plain lines with counts
    expect(first.stderr).toMatch(/done head-\S+ in [\d.]+ s \(done \d\/4, running \d, failed 0, ETA/);
    const m = readMerged(sweepDir);
    expect(m.cells.map((c) => c.id).sort()).toEqual(ids);
    expect(m.missing).toEqual([]);
    expect(m.groups.map((g) => g.labels)).toEqual([{ head: "classical" }, { head: "qmtl" }]);
    // a group pools its folds: n = 2 runs, mean of the two cells' values
    const g = m.groups.find((x) => x.labels["head"] === "qmtl")!;
    const acc = g.summary["qmtl"]!["sarcasm"]!["accuracy"]!;
    const cellAcc = m.cells
      .filter((c) => c.labels["head"] === "qmtl")
      .map((c) => c.runs[0]!.test["sarcasm"]!["accuracy"]!);
    expect(acc.n).toBe(2);
    expect(acc.mean).toBeCloseTo((cellAcc[0]! + cellAcc[1]!) / 2, 12);
    expect(acc.std).toBeCloseTo(Math.abs(cellAcc[0]! - cellAcc[1]!) / Math.SQRT2, 12);
    // no absolute path in the merged results or in any cell's results
    const text = readFileSync(join(sweepDir, "sweep-results.json"), "utf8");
    expect(text).not.toContain(dir);
    for (const id of ids)
      expect(readFileSync(join(sweepDir, "cells", id, "results.json"), "utf8")).not.toContain(dir);

    // re-running: nothing to do
    const again = qmtl(dir, ["sweep", cfg, "--out", "out"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("4 done earlier, running 0");

    // a killed cell: its run folder is there, results.json is not
    const killed = join(sweepDir, "cells", "head-qmtl_fold-1");
    rmSync(join(killed, "results.json"));
    const resumed = qmtl(dir, ["sweep", cfg, "--out", "out"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain("3 done earlier, running 1");
    expect(resumed.stderr).toContain("done head-qmtl_fold-1");
    expect(comparable(readMerged(sweepDir))).toEqual(comparable(m));
  });

  it("reports a failing cell, finishes the others, exits non-zero, and re-runs only the failed cell once fixed", () => {
    const dir = sweepWorkdir("sweep-fail");
    const cfg = join(dir, "f.yaml");
    // the second feature file does not exist yet: that cell fails at load time
    writeFileSync(
      cfg,
      [
        "suite: mustard",
        "name: f",
        "base: { epochs: 1, heads: [classical] }",
        "axes:",
        "  - { name: feat, field: features, values: [feat.json, later.json], labels: [a, b] }",
      ].join("\n"),
    );
    const r = qmtl(dir, ["sweep", cfg, "--out", "out", "--jobs", "1"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED feat-b: exit code \d+/);
    expect(r.stderr).toContain("1 cell(s) failed (feat-b)");
    expect(existsSync(join(dir, "out", "f", "cells", "feat-a", "results.json"))).toBe(true);
    expect(readMerged(join(dir, "out", "f")).missing).toEqual(["feat-b"]);
    writeFileSync(join(dir, "later.json"), readFileSync(join(dir, "feat.json")));
    const fixed = qmtl(dir, ["sweep", cfg, "--out", "out", "--jobs", "1"]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain("1 done earlier, running 1");
    expect(readMerged(join(dir, "out", "f")).missing).toEqual([]);
  });

  it("a study cuts its cells by the selected folds (one fold: one cell per setting), or by seeds without folds", () => {
    const dir = sweepWorkdir("sweep-study");
    const depth = qmtl(dir, [
      "sweep",
      "--study",
      "depth",
      "--set",
      "epochs=1",
      "--set",
      "folds=[0]",
      "--out",
      "out",
      "--dry-run",
    ]);
    expect(depth.code, depth.stderr).toBe(0);
    expect(depth.stdout).toContain("5 cells valid");
    expect(depth.stdout).toContain("L-2_Lh-1_fold-0");
    const indep = qmtl(dir, [
      "sweep",
      "--study",
      "entanglement",
      "--quick",
      "--set",
      "split=speaker-independent",
      "--out",
      "out",
      "--dry-run",
    ]);
    expect(indep.code, indep.stderr).toBe(0);
    expect(indep.stdout).toContain("encoder-product_seed-2");
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("rejects an unknown axis field before creating anything", () => {
    const dir = sweepWorkdir("sweep-bad");
    const cfg = join(dir, "bad.yaml");
    writeFileSync(
      cfg,
      "suite: mustard\nname: bad\naxes:\n  - { name: x, field: qmtl.depth, values: [1, 2] }\n",
    );
    const r = qmtl(dir, ["sweep", cfg, "--out", "out"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown: qmtl.depth");
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});
