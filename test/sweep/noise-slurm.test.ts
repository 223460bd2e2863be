/**
 * A sweep with a noise axis on the one-node localhost Slurm cluster
 * (scripts/ci-slurm.sh): `--slurm` submits the training cells as one job
 * array and the evaluation cells as a second array that starts after it
 * (--dependency=afterany); the merged results equal a local run of the same
 * sweep, the noise part included. Skipped, with a message, when no cluster
 * answers (sinfo missing or no controller).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SlurmJob } from "../../src/experiments/sweep/slurm.ts";
import {
  comparable,
  comparableNoise,
  qmtl,
  qmtlAsync,
  readMerged,
  sweepWorkdir,
  writeNoiseSweep,
} from "./helpers.ts";

const cluster = spawnSync("sinfo", ["-h", "-o", "%t"], { encoding: "utf8" });
const hasCluster = cluster.status === 0 && /idle|mix|alloc/.test(cluster.stdout);
if (!hasCluster)
  console.warn(
    "test/sweep/noise-slurm.test.ts skipped: no Slurm cluster answers (scripts/ci-slurm.sh starts a one-node one)",
  );

async function waitForJobs(jobIds: readonly string[], timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const r = spawnSync("squeue", ["-h", "-r", "-j", jobIds.join(","), "-o", "%i %T"], { encoding: "utf8" });
    if (r.stdout.trim() === "") return;
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error(`jobs ${jobIds.join(",")} still queued after ${timeoutMs} ms`);
}

describe.skipIf(!hasCluster)("qmtl sweep --slurm with a noise axis (one-node cluster on localhost)", () => {
  it("training array, then the evaluation array after it; merged results equal a local run", async () => {
    const dir = sweepWorkdir("noise-slurm");
    const cfg = writeNoiseSweep(dir, "ns");
    const [local, submitted] = await Promise.all([
      qmtlAsync(dir, ["sweep", cfg, "--name", "ns-local", "--out", "out", "--jobs", "1"]),
      qmtlAsync(dir, ["sweep", cfg, "--name", "ns-slurm", "--out", "out", "--slurm"]),
    ]);
    expect(local.code, local.stderr).toBe(0);
    expect(submitted.code, submitted.stderr).toBe(0);
    expect(submitted.stdout).toMatch(/submitted job \d+: 2 array task\(s\)/);
    expect(submitted.stdout).toMatch(/submitted noise evaluation job \d+: 6 array task\(s\)/);
    const slurmDir = join(dir, "out", "ns-slurm");
    const jobs = JSON.parse(readFileSync(join(slurmDir, "slurm", "jobs.json"), "utf8")) as SlurmJob[];
    expect(jobs.map((j) => j.kind)).toEqual(["train", "noise"]);
    const script = readFileSync(join(slurmDir, "slurm", "submit-2.sh"), "utf8");
    expect(script).toContain(`#SBATCH --dependency=afterany:${jobs[0]!.jobId}`);
    expect(script).toContain("sweep-eval");
    await waitForJobs(
      jobs.map((j) => j.jobId),
      500_000,
    );
    const status = qmtl(dir, ["sweep", slurmDir, "--status"]);
    expect(status.stdout).toContain("8/8 done");
    const collected = qmtl(dir, ["sweep", slurmDir, "--collect"]);
    expect(collected.code, collected.stderr).toBe(0);
    const a = readMerged(join(dir, "out", "ns-local")),
      b = readMerged(slurmDir);
    expect(b.noise!.cells).toHaveLength(6);
    expect(comparable(b)).toEqual(comparable(a));
    expect(comparableNoise(b)).toEqual(comparableNoise(a));
    expect(readFileSync(join(slurmDir, "sweep-results.json"), "utf8")).not.toContain(dir);
  }, 600_000);
});
