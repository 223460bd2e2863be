/**
 * `qmtl run glue` end to end through the real CLI (node bin/qmtl.js, the built package), shortened:
 * the nine-task fixtures in the official layout, the default USE-lite backbone embedding on a worker
 * thread into a fresh per-sentence cache, a few updates, one seed. Then a kill-and-resume: a run
 * SIGKILLed mid-cell and resumed with --resume equals an uninterrupted run exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExperimentResults } from "../../../src/experiments/report/results-types.ts";
import {
  corruptJsonFiles,
  describeResult,
  readJson,
  runCli,
  sleep,
  startCli,
  type CliResult,
} from "../../cli/run-cli.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "glue", "glue_data");
let tmp: string;
const savedCache = process.env["QMTL_CACHE_DIR"];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "qmtl-glue-cli-"));
  // the children inherit it: a fresh cache, so the first run really embeds
  process.env["QMTL_CACHE_DIR"] = join(tmp, "cache");
});
afterAll(() => {
  if (savedCache === undefined) delete process.env["QMTL_CACHE_DIR"];
  else process.env["QMTL_CACHE_DIR"] = savedCache;
  rmSync(tmp, { recursive: true, force: true });
});

const expectOk = (r: CliResult): void => {
  expect(r.code, describeResult(r)).toBe(0);
};

describe("qmtl run glue (shortened) through the CLI", () => {
  const base = (name: string, heads = "classical,qmtl,hqnn-4"): string[] => [
    "run",
    "glue",
    "--data",
    FIXTURES,
    "--epochs",
    "2",
    "--seeds",
    "0",
    "--heads",
    heads,
    "--validate-every",
    "updates:3",
    "--jobs",
    "1",
    "--name",
    name,
    "--out",
    join(tmp, "runs"),
  ];

  it("embeds, trains the heads on all nine fixture tasks, and writes results and report", async () => {
    const r = await runCli(base("e2e"), 300_000);
    expectOk(r);
    expect(r.stderr + r.stdout).toMatch(/122 distinct, 0 from the cache, 122 embedded on 1 worker/);
    const dir = join(tmp, "runs", "e2e");
    const res = readJson<ExperimentResults>(join(dir, "results.json"));
    expect(res.suite).toBe("glue");
    expect(res.tasks.map((t) => t.name)).toEqual([
      "CoLA",
      "SST-2",
      "MRPC",
      "QQP",
      "STS-B",
      "QNLI",
      "RTE",
      "WNLI",
      "MNLI",
    ]);
    expect(res.heads.map((h) => [h.id, h.qubits])).toEqual([
      ["classical", null],
      ["qmtl", 10],
      ["hqnn-4", 4],
    ]);
    expect(res.setup.featureDim).toBe(2048);
    expect(res.setup.selection).toContain("CoLA mcc");
    expect(res.runs).toHaveLength(3);
    for (const run of res.runs) {
      expect(run.test["STS-B"]!["spearman"]).toBeGreaterThanOrEqual(-1);
      expect(run.test["MNLI"]!["n"]).toBe(5);
      expect(Number.isFinite(run.valScore)).toBe(true);
    }
    expect(res.notes.some((n) => n.includes("too few columns): 2"))).toBe(true);
    expect(res.differences.some((d) => d.includes("Universal Sentence Encoder lite"))).toBe(true);
    expect(existsSync(join(dir, "report.md"))).toBe(true);
    expect(corruptJsonFiles(dir)).toEqual([]);
  });

  it("a second run reuses every sentence vector from the cache", async () => {
    const r = await runCli(base("cached", "classical"), 300_000);
    expectOk(r);
    expect(r.stderr + r.stdout).toMatch(/122 distinct, 122 from the cache, 0 embedded/);
  });
});

describe("killing a GLUE run and resuming it", () => {
  const EPOCHS = 12;
  const cfgPath = (): string => join(tmp, "resume.json");
  const args = (out: string, ...extra: string[]): string[] => [
    "run",
    "glue",
    "--config",
    cfgPath(),
    "--data",
    FIXTURES,
    "--name",
    "resume",
    "--out",
    out,
    "--jobs",
    "1",
    ...extra,
  ];
  const VICTIM = join("runs", "qmtl", "fold-0-seed-0");

  it("SIGKILL mid-cell, then --resume, equals an uninterrupted run", async () => {
    // no early stop, so the cell runs every epoch and can be caught in the middle
    writeFileSync(
      cfgPath(),
      JSON.stringify({
        epochs: EPOCHS,
        seeds: [0],
        heads: ["classical", "qmtl"],
        validateEvery: { updates: 3 },
        earlyStoppingPatience: 1000,
      }),
    );
    const outA = join(tmp, "ra"),
      outB = join(tmp, "rb");
    // the reference first, alone: it also fills the cache for both
    const ref = await runCli(args(outB), 300_000);
    expectOk(ref);
    // checkpoints after every epoch, so one can be caught mid-cell (by default writes are spaced by their cost)
    const a = startCli(args(outA, "--checkpoint-every-epoch"), 300_000);
    try {
      const ckpt = join(outA, "resume", VICTIM, "checkpoint.json");
      let killedAt: number | null = null;
      const deadline = Date.now() + 200_000;
      while (Date.now() < deadline && a.child.exitCode === null) {
        if (existsSync(ckpt)) {
          const e = readJson<{ epoch: number }>(ckpt).epoch;
          if (e >= 2 && e < EPOCHS) {
            a.killGroup();
            killedAt = e;
            break;
          }
        }
        await sleep(10);
      }
      const dead = await a.done;
      expect(killedAt, describeResult(dead)).not.toBeNull();
      expect(dead.signal).toBe("SIGKILL");
      expect(existsSync(join(outA, "resume", "results.json"))).toBe(false);
      expect(corruptJsonFiles(join(outA, "resume"))).toEqual([]);
      const resumed = await runCli(args(outA, "--resume"), 300_000);
      expectOk(resumed);
      expect(resumed.stderr).toMatch(/qmtl fold 0 seed 0 \(resumed\)/);
      const A = readJson<ExperimentResults>(join(outA, "resume", "results.json"));
      const B = readJson<ExperimentResults>(join(outB, "resume", "results.json"));
      const strip = (r: ExperimentResults) =>
        r.runs.map((x) => ({ head: x.head, bestEpoch: x.bestEpoch, valScore: x.valScore, test: x.test }));
      expect(strip(A)).toEqual(strip(B));
      expect(A.summary).toEqual(B.summary);
      expect(readJson(join(outA, "resume", VICTIM, "best-model.json"))).toEqual(
        readJson(join(outB, "resume", VICTIM, "best-model.json")),
      );
    } finally {
      a.killGroup();
    }
  });
});
