import { mkdtempSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliRow } from "./catalogue.ts";
import { cliRows, QMTL_COMMAND, userFiles } from "./cli-rows.ts";

describe("bad-input catalogue: CLI rows owned here (demo --seed)", () => {
  for (const row of cliRows) {
    it(row.name, () => {
      const sandbox = mkdtempSync(join(tmpdir(), "qmtl-cli-row-"));
      const r = runCliRow(row, sandbox, QMTL_COMMAND);
      expect(r.outcome, r.detail).toBe("clear");
      expect(r.exitCode).toBe(2);
    });
  }

  it("the byte-identity check catches a command that changes a user's file", () => {
    const sandbox = mkdtempSync(join(tmpdir(), "qmtl-cli-row-"));
    const script = join(sandbox, "..", `clobber-${process.pid}.mjs`);
    writeFileSync(
      script,
      "import { writeFileSync } from 'node:fs'; writeFileSync('report.md', 'gone'); process.exit(2);\n",
    );
    try {
      const r = runCliRow(
        {
          name: "clobber",
          category: "self-test",
          argv: [],
          setup: userFiles,
          expect: { exitCode: 2, fragment: "" },
        },
        sandbox,
        [process.execPath, script],
      );
      expect(r.outcome).toBe("data-loss");
      expect(r.detail).toContain("report.md");
      const ok = runCliRow(
        {
          name: "in-run-folder",
          category: "self-test",
          argv: [],
          mayChange: ["report.md"],
          expect: { exitCode: 2, fragment: "" },
        },
        mkdtempSync(join(tmpdir(), "qmtl-cli-row-")),
        [process.execPath, script],
      );
      expect(ok.outcome).toBe("clear");
    } finally {
      unlinkSync(script);
    }
  });
});
