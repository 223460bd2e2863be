/**
 * Every file in examples/ runs to completion (exit 0) as a user runs it, with
 * `import ... from "qmtl"` resolved to this checkout (tsx, tsconfig paths).
 * Each example checks its own result and throws when it is wrong (accuracy
 * floors, reloaded logits, the exported circuit against the model, the affine
 * readout against the plain one), so a wrong number fails here.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../cli/run-cli.ts";

const TSX = join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const examples = readdirSync(join(REPO_ROOT, "examples"))
  .filter((f) => /\.(mjs|js|ts)$/.test(f))
  .sort();

describe("examples/", () => {
  it("has the examples the docs name", () => {
    expect(examples).toEqual(
      expect.arrayContaining([
        "byo-csv.mjs",
        "regression-affine.mjs",
        "export-qasm.mjs",
        "readme-quickstart.mjs",
      ]),
    );
  });
  for (const file of examples) {
    it(`${file} runs and its checks pass`, () => {
      const r = spawnSync(process.execPath, [TSX, join("examples", file)], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        timeout: 120_000,
      });
      expect(
        r.status,
        `${file} exited ${r.status}:\n${r.stdout.slice(-1500)}\n${r.stderr.slice(-3000)}`,
      ).toBe(0);
      expect(r.stdout.trim().length).toBeGreaterThan(0);
    });
  }
});
