/**
 * Every fenced code block of README.md and docs/*.md runs, page by page, in
 * order, in one fresh folder per page (so a block may use the files an earlier
 * block of the page wrote):
 * - js/mjs/ts: a module importing "qmtl" (written under test/docs/.blocks so the
 *   package alias resolves, imported with the page's folder as the working directory);
 * - bash/sh: the lines that are `qmtl ...` / `npx qmtl ...` commands, through the
 *   built launcher (bin/qmtl.js; `npm test` builds first), each must exit 0; other
 *   lines (npm install, cd) are the reader's and do not run;
 * - yaml/json: parsed; a tasks file (top-level `tasks:`) is checked by the custom suite's schema;
 * - anything else must be marked `<!-- qmtl-docs: skip (why) -->`.
 * Directives (skip, write, args, first, cwd): scripts/docs-blocks.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { commandFor, extractBlocks, qmtlLines, type DocBlock } from "../../scripts/docs-blocks.ts";
import { docFiles } from "../../scripts/check-links.ts";
import { tasksFileSchema } from "../../src/datasets/custom/tasks-file.ts";
import { REPO_ROOT, QMTL_BIN } from "../cli/run-cli.ts";

const BLOCKS_DIR = join(REPO_ROOT, "test", "docs", ".blocks");
const RUNNABLE = new Set(["js", "mjs", "javascript", "ts", "typescript", "bash", "sh", "shell", "yaml", "yml", "json"]);
const pages = docFiles().filter((f) => !f.includes(`${join("docs", "decisions")}/`));
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

async function runBlock(b: DocBlock, pageDir: string, index: number): Promise<void> {
  const cwd = b.cwdRepo ? REPO_ROOT : pageDir;
  if (b.write) {
    writeFileSync(join(cwd, b.write), b.code);
    return;
  }
  switch (b.lang) {
    case "js": case "mjs": case "javascript": case "ts": case "typescript": {
      mkdirSync(BLOCKS_DIR, { recursive: true });
      const ext = b.lang.startsWith("t") ? "ts" : "mjs";
      const file = join(BLOCKS_DIR, `${basename(b.file, ".md")}-${index}-line${b.line}.${ext}`);
      writeFileSync(file, b.code);
      const before = process.cwd();
      process.chdir(cwd);
      try {
        await import(pathToFileURL(file).href);
      } finally {
        process.chdir(before);
      }
      return;
    }
    case "bash": case "sh": case "shell": {
      const lines = qmtlLines(b.code).slice(0, b.first ?? Infinity);
      for (const line of lines) {
        const cmd = commandFor(line, QMTL_BIN, b.args);
        const r = spawnSync("bash", ["-c", cmd], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 120_000 });
        if (r.status !== 0) throw new Error(`\`${line.trim()}\` exited ${r.status}:\n${r.stderr.slice(-2000)}`);
      }
      return;
    }
    case "yaml": case "yml": case "json": {
      const v: unknown = b.lang === "json" ? JSON.parse(b.code) : parseYaml(b.code);
      if (v !== null && typeof v === "object" && "tasks" in v && "split" in v) tasksFileSchema.parse(v);
      return;
    }
    default:
      throw new Error(`a \`${b.lang || "plain"}\` block: mark it <!-- qmtl-docs: skip (why) --> or make it runnable`);
  }
}

describe("the docs' code blocks run", () => {
  it("the launcher is built (npm run build)", () => {
    expect(existsSync(join(REPO_ROOT, "dist", "cli", "main.js")), "dist/ is missing: run `npm run build`").toBe(true);
  });
  for (const page of pages) {
    const blocks = extractBlocks(readFileSync(page, "utf8"), relative(REPO_ROOT, page));
    const run = blocks.filter((b) => !b.skip);
    if (run.length === 0) continue;
    it(`${relative(REPO_ROOT, page)}: ${run.length} of ${blocks.length} blocks`, async () => {
      const pageDir = mkdtempSync(join(tmpdir(), "qmtl-docs-"));
      dirs.push(pageDir);
      for (const [k, b] of blocks.entries()) {
        if (b.skip) continue;
        if (!RUNNABLE.has(b.lang) && !b.write) throw new Error(`${b.file}:${b.line}: a \`${b.lang || "plain"}\` block: mark it <!-- qmtl-docs: skip (why) -->`);
        try {
          await runBlock(b, pageDir, k);
        } catch (e) {
          throw new Error(`${b.file}:${b.line} (${b.lang} block): ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    });
  }

  it("finds the blocks and honours the directives", () => {
    const md = "<!-- qmtl-docs: args --epochs 1 (short) -->\n```bash\nnpx qmtl run custom --data t.csv # a table\nnpm i\n```\n\n<!-- qmtl-docs: skip (python) -->\n```python\nx\n```\n";
    const [a, b] = extractBlocks(md, "x.md");
    expect(a!.args).toBe("--epochs 1");
    expect(qmtlLines(a!.code)).toHaveLength(1);
    expect(commandFor(qmtlLines(a!.code)[0]!, "/q.js")).toBe('node "/q.js" run custom --data t.csv');
    expect(commandFor(qmtlLines(a!.code)[0]!, "/q.js", a!.args)).toMatch(/--epochs 1$/);
    expect(b!.skip).toBe("python");
  });
});
