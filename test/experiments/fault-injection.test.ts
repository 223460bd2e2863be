/**
 * Fault injection through the real CLI: a run is killed (SIGKILL, no cleanup)
 * at deterministic points several times in a row: while the text backbone
 * embeds, in the middle of a cell, between two of a finished cell's files,
 * and right after a cell finished. Each time it is resumed; the final results
 * must equal an uninterrupted run's bit for bit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { QMTL_BIN, REPO_ROOT } from "../cli/run-cli.ts";

let tmp: string;

function cli(
  args: string[],
  cacheDir: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [QMTL_BIN, ...args], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, QMTL_CACHE_DIR: cacheDir, NO_COLOR: "1" },
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on("data", (b: Buffer) => {
      out += b.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 240_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      res({ code, signal, out });
    });
  });
}

const BASE = [
  "run",
  "mustard",
  "--backbone",
  "glove",
  "--heads",
  "qmtl,classical",
  "--folds",
  "0,1",
  "--epochs",
  "3",
  "--jobs",
  "1",
];

interface Results {
  runs: Array<{
    head: string;
    fold: number;
    seed: number;
    bestEpoch: number;
    valScore: number;
    test: unknown;
  }>;
  summary: unknown;
}
const readResults = (dir: string): Results =>
  JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Results;
const comparable = (r: Results) => ({
  runs: r.runs.map((x) => ({ ...x, seconds: undefined, simSeconds: undefined })),
  summary: r.summary,
});

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "qmtl-faults-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("killed again and again, resumed each time", () => {
  it("reaches the uninterrupted run's results bit for bit", async () => {
    const cache = join(tmp, "cache");
    const out = join(tmp, "runs");
    const steps: Array<[string, string[]]> = [
      ["during embedding", ["--kill-at", "progress:1"]],
      ["in the middle of the second cell", ["--resume", "--kill-at", "epoch:5"]],
      ["between two files of a finished cell", ["--resume", "--kill-at", "write:2"]],
      ["right after a cell finished", ["--resume", "--kill-at", "cell:1"]],
    ];
    for (const [when, extra] of steps) {
      const r = await cli([...BASE, "--name", "k", "--out", out, ...extra], cache);
      expect(r.signal, `${when}: ${r.out}`).toBe("SIGKILL");
    }
    expect(existsSync(join(out, "k", "results.json"))).toBe(false);
    const last = await cli([...BASE, "--name", "k", "--out", out, "--resume"], cache);
    expect(last.code, last.out).toBe(0);

    const clean = await cli([...BASE, "--name", "clean", "--out", out], cache);
    expect(clean.code, clean.out).toBe(0);
    expect(comparable(readResults(join(out, "k")))).toEqual(comparable(readResults(join(out, "clean"))));
  });
});
