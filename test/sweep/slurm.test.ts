/**
 * Slurm for real, on the one-node localhost cluster that scripts/ci-slurm.sh
 * sets up (and .ci/run calls): the shortened depth study submitted as a job
 * array gives the same merged results as the same study run locally; an
 * array task cancelled with scancel leaves its cell unfinished, the next
 * submit runs exactly that cell, and the merged results then equal a local run.
 * Skipped, with a message, only when `sinfo` is not installed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { comparable, qmtl, qmtlAsync, readMerged, sweepWorkdir, writeFourCellSweep } from "./helpers.ts";
import type { SlurmJob } from "../../src/experiments/sweep/slurm.ts";

const hasSlurm = spawnSync("sinfo", ["--version"]).status === 0;
if (!hasSlurm)
  console.warn(
    "test/sweep/slurm.test.ts skipped: sinfo is not installed (scripts/ci-slurm.sh installs and starts a one-node cluster)",
  );

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

async function waitForJobs(jobIds: readonly string[], timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const r = spawnSync("squeue", ["-h", "-r", "-j", jobIds.join(","), "-o", "%i %T"], { encoding: "utf8" });
    if (r.stdout.trim() === "") return;
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error(`jobs ${jobIds.join(",")} still queued after ${timeoutMs} ms`);
}

const jobsOf = (sweepDir: string): SlurmJob[] =>
  JSON.parse(readFileSync(join(sweepDir, "slurm", "jobs.json"), "utf8")) as SlurmJob[];

describe.skipIf(!hasSlurm)("qmtl sweep --slurm (one-node cluster on localhost)", () => {
  it("the shortened depth study gives the same merged results on Slurm as locally", async () => {
    const ready = spawnSync("sinfo", ["-h", "-o", "%t"], { encoding: "utf8" });
    expect(ready.stdout, "the node must be up: run scripts/ci-slurm.sh").toMatch(/idle|mix|alloc/);
    const dir = sweepWorkdir("sweep-slurm");
    const study = [
      "--study",
      "depth",
      "--set",
      "features=feat.json",
      "--set",
      "epochs=1",
      "--set",
      "folds=[0]",
    ];
    const [local, submitted] = await Promise.all([
      qmtlAsync(dir, ["sweep", ...study, "--name", "depth-local", "--out", "out", "--jobs", "1"]),
      qmtlAsync(dir, ["sweep", ...study, "--name", "depth-slurm", "--out", "out", "--slurm"]),
    ]);
    expect(local.code, local.stderr).toBe(0);
    expect(submitted.code, submitted.stderr).toBe(0);
    expect(submitted.stdout).toMatch(/submitted job \d+: 5 array task\(s\)/);
    const slurmDir = join(dir, "out", "depth-slurm");
    const jobs = jobsOf(slurmDir);
    expect(jobs).toHaveLength(1);
    await waitForJobs([jobs[0]!.jobId], 280_000);
    const status = qmtl(dir, ["sweep", slurmDir, "--status"]);
    expect(status.stdout).toContain("5/5 done");
    const collected = qmtl(dir, ["sweep", slurmDir, "--collect"]);
    expect(collected.code, collected.stderr).toBe(0);
    // one log per array task
    for (let i = 0; i < 5; i++)
      expect(existsSync(join(slurmDir, "slurm", "logs", `${jobs[0]!.jobId}_${i}.out`))).toBe(true);
    const a = readMerged(join(dir, "out", "depth-local")),
      b = readMerged(slurmDir);
    expect(b.cells).toHaveLength(5);
    expect(comparable(b)).toEqual(comparable(a));
    expect(readFileSync(join(slurmDir, "sweep-results.json"), "utf8")).not.toContain(dir);
  }, 600_000);

  it("an array task cancelled with scancel is re-run by the next submit", async () => {
    const dir = sweepWorkdir("sweep-scancel");
    // held at submission, so the test can cancel one task before any starts
    const cfg = writeFourCellSweep(
      dir,
      "four",
      'slurm: { cpusPerTask: 1, mem: 1G, time: "00:20:00", extra: [--hold] }',
    );
    const local = qmtlAsync(dir, ["sweep", cfg, "--name", "four-local", "--out", "out", "--jobs", "1"]);
    const first = qmtl(dir, ["sweep", cfg, "--out", "out", "--slurm"]);
    expect(first.code, first.stderr).toBe(0);
    const sweepDir = join(dir, "out", "four");
    const [job] = jobsOf(sweepDir);
    const victim = job!.cells[1]!;
    sh("scancel", [`${job!.jobId}_1`]);
    sh("scontrol", ["release", job!.jobId]);
    await waitForJobs([job!.jobId], 280_000);
    const status = qmtl(dir, ["sweep", cfg, "--out", "out", "--status"]);
    expect(status.stdout).toContain("3/4 done");
    expect(status.stdout).toMatch(new RegExp(`${victim}\\s+(pending|failed)`));
    // the next submit: exactly the cancelled cell
    const second = qmtl(dir, ["sweep", cfg, "--out", "out", "--slurm"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/submitted job \d+: 1 array task\(s\)/);
    const jobs = jobsOf(sweepDir);
    expect(jobs[1]!.cells).toEqual([victim]);
    sh("scontrol", ["release", jobs[1]!.jobId]);
    await waitForJobs([jobs[1]!.jobId], 200_000);
    // a third submit has nothing left to do
    expect(qmtl(dir, ["sweep", cfg, "--out", "out", "--slurm"]).stdout).toContain("nothing to submit");
    expect(qmtl(dir, ["sweep", cfg, "--out", "out", "--collect"]).code).toBe(0);
    const l = await local;
    expect(l.code, l.stderr).toBe(0);
    expect(comparable(readMerged(sweepDir))).toEqual(comparable(readMerged(join(dir, "out", "four-local"))));
  }, 600_000);
});
