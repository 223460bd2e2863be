/**
 * The Slurm job script and the bookkeeping around sbatch/squeue, with a fake
 * scheduler (the real one is exercised by slurm.test.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jobScript, submitSlurm, slurmStatus, type Exec } from "../../src/experiments/sweep/slurm.ts";
import type { SweepRecord } from "../../src/experiments/sweep/sweep-dir.ts";
import { parseSweepConfig } from "../../src/experiments/sweep/sweep-config.ts";

function record(ids: string[]): SweepRecord {
  const config = parseSweepConfig({
    suite: "mustard",
    name: "s",
    axes: [{ name: "fold", field: "folds", values: ids.map((_, i) => [i]) }],
    slurm: {
      partition: "gpu",
      account: "proj",
      cpusPerTask: 2,
      mem: "8G",
      time: "01:30:00",
      extra: ["--qos=short"],
    },
  });
  return {
    kind: "qmtl-sweep",
    suite: "mustard",
    name: "s",
    config,
    base: {},
    cells: ids.map((id, i) => ({
      id,
      grids: [0],
      values: { fold: [i] },
      labels: { fold: String(i) },
      cost: 1,
    })),
  };
}

/** A scheduler that accepts jobs and reports the given array tasks as queued. */
function fakeScheduler(queue: () => string): { exec: Exec; calls: string[][] } {
  const calls: string[][] = [];
  let next = 100;
  const exec: Exec = (cmd, args) => {
    calls.push([cmd, ...args]);
    if (cmd === "sbatch") return { code: 0, stdout: `${next++}\n`, stderr: "" };
    if (cmd === "squeue") return { code: 0, stdout: queue(), stderr: "" };
    return { code: 127, stdout: "", stderr: "unknown" };
  };
  return { exec, calls };
}

describe("Slurm job arrays", () => {
  it("the script: one array task per cell, resources from the config, a log per task, the cell from the task index", () => {
    const s = jobScript({
      name: "s",
      suite: "mustard",
      sweepDir: "/shared/sw/s",
      baseDir: "/home/u/proj",
      node: "/usr/bin/node",
      command: ["/opt/qmtl/bin/qmtl.js"],
      cellsFile: "/shared/sw/s/slurm/submit-1.cells",
      count: 3,
      slurm: record(["a"]).config.slurm,
    });
    for (const line of [
      "#SBATCH --array=0-2",
      "#SBATCH --cpus-per-task=2",
      "#SBATCH --mem=8G",
      "#SBATCH --time=01:30:00",
      "#SBATCH --partition=gpu",
      "#SBATCH --account=proj",
      "#SBATCH --qos=short",
      "#SBATCH --output=/shared/sw/s/slurm/logs/%A_%a.out",
      `CELL="$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" '/shared/sw/s/slurm/submit-1.cells')"`,
      "cd '/home/u/proj'",
      `exec '/usr/bin/node' '/opt/qmtl/bin/qmtl.js' 'run' 'mustard' '--config' "/shared/sw/s/configs/$CELL.json" '--out' '/shared/sw/s/cells' '--name' "$CELL" '--resume' '--jobs' '1'`,
    ])
      expect(s).toContain(line);
  });

  it("submits the unfinished cells, skips done and still-queued ones, and records each array", () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-slurm-fake-"));
    const rec = record(["c0", "c1", "c2", "c3"]);
    // c0 is done
    mkdirSync(join(dir, "cells", "c0"), { recursive: true });
    writeFileSync(
      join(dir, "cells", "c0", "results.json"),
      readFileSync(join(import.meta.dirname, "..", "fixtures", "report", "sample-results.json")),
    );
    let queue = "";
    const { exec, calls } = fakeScheduler(() => queue);
    const first = submitSlurm(dir, rec, { baseDir: dir, command: ["qmtl.js"], exec });
    expect(first.jobId).toBe("100");
    expect(first.cells).toEqual(["c1", "c2", "c3"]);
    expect(readFileSync(join(dir, "slurm", "submit-1.cells"), "utf8")).toBe("c1\nc2\nc3\n");
    expect(calls.find((c) => c[0] === "sbatch")).toEqual([
      "sbatch",
      "--parsable",
      join(dir, "slurm", "submit-1.sh"),
    ]);
    // task 0 (c1) running, task 2 (c3) pending; task 1 (c2) gone (cancelled) and its folder started
    queue = "100_0 RUNNING\n100_2 PENDING\n";
    mkdirSync(join(dir, "cells", "c2"), { recursive: true });
    expect(slurmStatus(dir, rec, exec).map((s) => `${s.id}:${s.state}`)).toEqual([
      "c0:done",
      "c1:running",
      "c2:failed",
      "c3:queued",
    ]);
    const second = submitSlurm(dir, rec, { baseDir: dir, command: ["qmtl.js"], exec });
    expect(second.jobId).toBe("101");
    expect(second.cells).toEqual(["c2"]);
    expect(second.skippedActive).toEqual(["c1", "c3"]);
    const jobs = JSON.parse(readFileSync(join(dir, "slurm", "jobs.json"), "utf8")) as Array<{
      jobId: string;
      cells: string[];
    }>;
    expect(jobs.map((j) => [j.jobId, j.cells])).toEqual([
      ["100", ["c1", "c2", "c3"]],
      ["101", ["c2"]],
    ]);
    // the squeue query names every recorded array
    slurmStatus(dir, rec, exec);
    expect(calls.filter((c) => c[0] === "squeue").pop()).toContain("100,101");
  });

  it("a failed sbatch is an error with its message", () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-slurm-fake-"));
    const exec: Exec = (cmd) =>
      cmd === "sbatch"
        ? { code: 1, stdout: "", stderr: "sbatch: error: invalid partition specified: gpu" }
        : { code: 0, stdout: "", stderr: "" };
    expect(() => submitSlurm(dir, record(["c0"]), { baseDir: dir, command: ["qmtl.js"], exec })).toThrow(
      /invalid partition specified/,
    );
  });
});
