/**
 * The command line's conventions: --help with examples on every command,
 * --version, exit codes 0/1/2, --json on every command that reports,
 * --quiet/--verbose, and no colour escape codes (whatever NO_COLOR says).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { QMTL_BIN, REPO_ROOT } from "../cli/run-cli.ts";
import { QMTL_VERSION, SUITES } from "qmtl";

function qmtl(args: string[], cwd = REPO_ROOT, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [QMTL_BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const ANSI = /\u001b\[/;
const dir = mkdtempSync(join(tmpdir(), "qmtl-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("qmtl follows command-line conventions", () => {
  const commands = [[], ["params"], ["demo"], ["run"], ...SUITES.map((s) => ["run", s.name]), ["noise"], ["hardware"]];
  for (const c of commands) {
    it(`qmtl ${c.join(" ")} --help: exit 0, examples, no colour`, () => {
      const r = qmtl([...c, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: qmtl/);
      expect(r.stdout, "an Examples section").toMatch(/Examples?:/);
      expect(r.stdout).not.toMatch(ANSI);
    });
  }

  it("--version prints the version; exit codes 2 for usage errors", () => {
    expect(qmtl(["--version"])).toMatchObject({ code: 0, stdout: `${QMTL_VERSION}\n` });
    expect(qmtl(["no-such-command"]).code).toBe(2);
    expect(qmtl(["params", "--no-such-flag"]).code).toBe(2);
    expect(qmtl(["params", "--max-tasks", "zero"]).code).toBe(2);
    const both = qmtl(["--quiet", "--verbose", "params"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--quiet.*not both/);
  });

  it("params and demo print JSON with --json, and the same with NO_COLOR", () => {
    const p = qmtl(["params", "--json", "--max-tasks", "3"]);
    expect(p.code).toBe(0);
    expect(JSON.parse(p.stdout).theorem1.rows).toHaveLength(3);
    const d = qmtl(["demo", "--json"], REPO_ROOT, { NO_COLOR: "1" });
    expect(d.code).toBe(0);
    const rows = JSON.parse(d.stdout) as Array<{ circuit: string; maxAbsDiff: number }>;
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const r of rows) expect(r.maxAbsDiff, r.circuit).toBeLessThan(1e-10);
    expect(d.stdout + d.stderr).not.toMatch(ANSI);
  });

  it("run --quiet --json: nothing on stderr, the run's files as JSON on stdout; a missing file exits 2", () => {
    const rows = ["a,b,y"];
    for (let i = 0; i < 40; i++) rows.push(`${(i % 7) / 7},${(i % 5) / 5},${i % 2 === 0 ? "p" : "q"}`);
    writeFileSync(join(dir, "t.csv"), rows.join("\n") + "\n");
    writeFileSync(join(dir, "tasks.yaml"), "tasks:\n  - { name: y, column: y, kind: binary }\nsplit: { holdout: 0.25 }\n");
    const r = qmtl(["run", "custom", "--data", "t.csv", "--tasks", "tasks.yaml", "--epochs", "1", "--jobs", "1", "--quiet", "--json"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as { report: string; files: string[] };
    expect(out.report).toMatch(/runs[\\/]custom[\\/]report\.md$/);
    const bad = qmtl(["run", "custom", "--data", "missing.csv", "--tasks", "tasks.yaml", "--name", "other", "--quiet"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: .*missing\.csv/m);
  });
});
