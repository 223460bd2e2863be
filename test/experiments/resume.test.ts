/**
 * Crash and resume through the real CLI: a child process running
 * `node bin/qmtl.js run mustard ...` is SIGKILLed in the middle of a cell,
 * every file it leaves must be intact, `--resume` must finish the run, and the
 * finished run must equal an uninterrupted run of the same config exactly
 * (test metrics, best epochs, selected weights, optimiser and RNG state).
 * Also the run-folder rules: a finished run resumed trains nothing; an
 * existing folder needs --resume or --fresh; --resume refuses a changed config.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExperimentResults } from "../../src/experiments/report/results-types.ts";
import { writeMustardFeatures } from "../helpers/mustard-features.ts";
import {
  corruptJsonFiles,
  describeResult,
  listFiles,
  mtimes,
  readJson,
  runCli,
  sleep,
  startCli,
  waitFor,
  type CliResult,
} from "../cli/run-cli.ts";

const EPOCHS = 5;
const HEADS = ["qmtl", "classical"] as const;
const FOLDS = [0, 1] as const;
const CELLS = FOLDS.flatMap((f) => HEADS.map((h) => `${h}/fold-${f}-seed-0`));
/** the cell the run is killed in: the second fold's QMTL cell, so fold 0 is finished and fold 1 half done */
const VICTIM = "qmtl/fold-1-seed-0";

let tmp: string;
let features: string;

const args = (out: string, ...extra: string[]): string[] => [
  "run",
  "mustard",
  "--features",
  features,
  "--epochs",
  String(EPOCHS),
  "--folds",
  FOLDS.join(","),
  "--heads",
  HEADS.join(","),
  "--name",
  "resume",
  "--out",
  out,
  ...extra,
];
/** the kill-and-resume checks assume cells run in order: one process */
const seqArgs = (out: string, ...extra: string[]): string[] => args(out, "--jobs", "1", ...extra);

interface Checkpoint {
  epoch: number;
  history: Array<Record<string, unknown>>;
  [k: string]: unknown;
}

/** Reads a checkpoint if it is there (it is written atomically, so it either parses or is absent). */
function checkpointEpoch(path: string): number | null {
  if (!existsSync(path)) return null;
  return readJson<Checkpoint>(path).epoch;
}

/** What must be identical between a resumed and an uninterrupted run (wall-clock timings excluded). */
function comparable(runDir: string) {
  const results = readJson<ExperimentResults>(join(runDir, "results.json"));
  const noTime = (h: Record<string, unknown>) => {
    const { seconds: _s, simSeconds: _t, phases: _p, ...rest } = h;
    return rest;
  };
  const cells = Object.fromEntries(
    CELLS.map((c) => {
      const dir = join(runDir, "runs", c);
      const ckpt = readJson<Checkpoint>(join(dir, "checkpoint.json"));
      return [
        c,
        {
          bestModel: readJson<unknown>(join(dir, "best-model.json")),
          history: readJson<Array<Record<string, unknown>>>(join(dir, "history.json")).map(noTime),
          checkpoint: { ...ckpt, history: ckpt.history.map(noTime) },
        },
      ];
    }),
  );
  return {
    runs: results.runs.map((r) => ({
      head: r.head,
      fold: r.fold,
      seed: r.seed,
      bestEpoch: r.bestEpoch,
      valScore: r.valScore,
      test: r.test,
    })),
    summary: results.summary,
    baselines: results.baselines,
    cells,
  };
}

const expectOk = (r: CliResult): void => {
  expect(r.code, describeResult(r)).toBe(0);
};

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "qmtl-resume-"));
  features = writeMustardFeatures({ dir: tmp });
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe("killing a real CLI run and resuming it", () => {
  const outA = (): string => join(tmp, "a");
  const runA = (): string => join(outA(), "resume");

  it("SIGKILL mid-cell leaves intact files; --resume finishes; the results equal an uninterrupted run's exactly", async () => {
    // the uninterrupted reference runs beside the interrupted one
    const outB = join(tmp, "b");
    const reference = startCli(seqArgs(outB));
    // a deterministic kill point: the process SIGKILLs itself at the victim's third epoch
    // (epochs of the two finished fold-0 cells come first), no polling race
    // (checkpoints after every epoch, so the victim's file holds a known epoch; by default writes are
    // spaced by their cost, and test/experiments/fault-injection.test.ts resumes from those)
    const a = startCli(seqArgs(outA(), "--kill-at", `epoch:${2 * EPOCHS + 3}`, "--checkpoint-every-epoch"));
    try {
      const victim = join(runA(), "runs", VICTIM, "checkpoint.json");
      const dead = await a.done;
      expect(dead.signal, describeResult(dead)).toBe("SIGKILL");
      expect(await waitFor(() => !a.groupAlive(), 5000), "every process of the killed run is gone").toBe(
        true,
      );

      // what the crash left: every JSON intact, fold 0 finished, the victim mid-way, no results
      expect(corruptJsonFiles(runA())).toEqual([]);
      expect(existsSync(join(runA(), "results.json"))).toBe(false);
      for (const c of CELLS.slice(0, 2))
        expect(existsSync(join(runA(), "runs", c, "result.json")), c).toBe(true);
      expect(existsSync(join(runA(), "runs", VICTIM, "result.json"))).toBe(false);
      const epochAtDeath = checkpointEpoch(victim)!;
      expect(epochAtDeath).toBeGreaterThanOrEqual(2);
      expect(epochAtDeath).toBeLessThan(EPOCHS);
      expect(readJson<Checkpoint>(victim).history.map((h) => h.epoch)).toEqual(
        Array.from({ length: epochAtDeath }, (_, i) => i + 1),
      );
      const fold0Before = mtimes(join(runA(), "runs"));

      // resume to completion
      const resumed = await runCli(seqArgs(outA(), "--resume"));
      expectOk(resumed);
      expect(resumed.stderr).toMatch(/qmtl fold 1 seed 0 \(resumed\)/);
      expect(resumed.stderr.match(/\(done earlier\)/g) ?? []).toHaveLength(2);
      // the resumed cell trains only the epochs that were missing
      const progressEpochs = [
        ...resumed.stderr.matchAll(new RegExp(`qmtl fold 1 seed 0 \\(resumed\\) (\\d+)/${EPOCHS} `, "g")),
      ].map((m) => Number(m[1]));
      expect(progressEpochs.length).toBeGreaterThan(0);
      expect(Math.min(...progressEpochs)).toBeGreaterThan(epochAtDeath);
      // the finished cells of fold 0 were not touched
      const fold0After = mtimes(join(runA(), "runs"));
      for (const c of CELLS.slice(0, 2)) {
        for (const f of ["result.json", "best-model.json", "history.json", "checkpoint.json"]) {
          expect(fold0After[`${c}/${f}`], `${c}/${f}`).toBe(fold0Before[`${c}/${f}`]);
        }
      }
      const history = readJson<Array<{ epoch: number }>>(join(runA(), "runs", VICTIM, "history.json"));
      expect(history.map((h) => h.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
      expect(corruptJsonFiles(runA())).toEqual([]);

      const ref = await reference.done;
      expectOk(ref);
      const A = comparable(runA());
      const B = comparable(join(outB, "resume"));
      expect(A.runs).toHaveLength(CELLS.length);
      expect(A.runs).toEqual(B.runs);
      expect(A.summary).toEqual(B.summary);
      expect(A.baselines).toEqual(B.baselines);
      for (const c of CELLS) expect(A.cells[c], c).toEqual(B.cells[c]);
      expect(existsSync(join(runA(), "report.md"))).toBe(true);
    } finally {
      a.killGroup();
      reference.killGroup();
    }
  });

  it("rerunning the finished run with --resume trains nothing and gives the same results", async () => {
    const before = readJson<ExperimentResults>(join(runA(), "results.json"));
    const cellTimes = mtimes(join(runA(), "runs"));
    const r = await runCli(args(outA(), "--resume"));
    expectOk(r);
    expect(r.stderr.match(/\(done earlier\)/g) ?? [], r.stderr).toHaveLength(CELLS.length);
    expect(r.stderr, "no training progress").not.toMatch(new RegExp(`\\(resumed\\)|\\d+/${EPOCHS} loss`));
    expect(mtimes(join(runA(), "runs")), "no cell file rewritten").toEqual(cellTimes);
    const after = readJson<ExperimentResults>(join(runA(), "results.json"));
    expect(after.runs).toEqual(before.runs);
    expect(after.summary).toEqual(before.summary);
    expect(after.timing.totalSeconds, "finishes fast").toBeLessThan(5);
  });

  it("an existing run folder without --resume or --fresh is refused, naming --resume", async () => {
    const times = mtimes(runA());
    const r = await runCli(args(outA()));
    expect(r.code, describeResult(r)).not.toBe(0);
    expect(r.code, describeResult(r)).not.toBeNull();
    expect(r.stderr).toContain("--resume");
    expect(r.stderr).toContain("--fresh");
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(mtimes(runA()), "the folder is left alone").toEqual(times);
  });

  it("--resume with a changed config is refused, naming the differing field", async () => {
    const times = mtimes(runA());
    const r = await runCli(args(outA(), "--resume", "--epochs", "7"));
    expect(r.code, describeResult(r)).not.toBe(0);
    expect(r.code, describeResult(r)).not.toBeNull();
    expect(r.stderr).toMatch(/differs in: epochs\b/);
    expect(r.stderr).not.toContain("heads");
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(mtimes(runA()), "the folder is left alone").toEqual(times);
  });

  it("--fresh wipes the folder and starts over with the new config", async () => {
    const r = await runCli([
      "run",
      "mustard",
      "--features",
      features,
      "--epochs",
      "1",
      "--folds",
      "0",
      "--heads",
      "classical",
      "--name",
      "resume",
      "--out",
      outA(),
      "--fresh",
    ]);
    expectOk(r);
    expect(
      listFiles(join(runA(), "runs")).filter((f) => f.startsWith("qmtl/")),
      "old cells removed",
    ).toEqual([]);
    const results = readJson<ExperimentResults>(join(runA(), "results.json"));
    expect(results.runs.map((x) => `${x.head}/${x.fold}`)).toEqual(["classical/0"]);
    expect(readJson<{ epochs: number }>(join(runA(), "config.json")).epochs).toBe(1);
  });
});

describe("killing only the launcher process", () => {
  /** what was seen 2.5 s after the launcher was SIGKILLed, once the run was under way */
  let observed: { stillRunning: boolean; changed: boolean } | null = null;

  it("setup: start a run, wait for its first checkpoint, SIGKILL the qmtl process alone, watch", async () => {
    const out = join(tmp, "launcher");
    const p = startCli(args(out));
    try {
      const ckpt = join(out, "resume", "runs", "qmtl", "fold-0-seed-0", "checkpoint.json");
      await waitFor(() => checkpointEpoch(ckpt) !== null || p.child.exitCode !== null, 60_000);
      if (checkpointEpoch(ckpt) === null) {
        p.killGroup();
        throw new Error(`the run did not get going:\n${describeResult(await p.done)}`);
      }
      p.child.kill("SIGKILL");
      await p.exited;
      // give a dying process tree a moment, then see whether anything is still at work
      await waitFor(() => !p.groupAlive(), 1000);
      const before = JSON.stringify(mtimes(join(out, "resume")));
      await sleep(2500);
      observed = {
        stillRunning: p.groupAlive(),
        changed: JSON.stringify(mtimes(join(out, "resume"))) !== before,
      };
    } finally {
      p.killGroup();
    }
  });

  // bin/qmtl.js runs the built CLI in its own process (no tsx grandchild), so killing it stops the run
  it("SIGKILL of the qmtl process stops the whole run", () => {
    expect(observed).toEqual({ stillRunning: false, changed: false });
  });
});
