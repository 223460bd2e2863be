/** Relative links and anchors of README.md and docs/ resolve (scripts/check-links.ts). */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { anchorsOf, brokenLinks, slug } from "../../scripts/check-links.ts";

describe("links in the docs", () => {
  it("every relative link and anchor of README.md and docs/*.md resolves", () => {
    expect(brokenLinks()).toEqual([]);
  });

  it("finds a broken file, a broken anchor, and accepts headings and <a id>", () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-links-"));
    try {
      writeFileSync(join(dir, "a.md"), "# Title\n\n## Reading the report\n\n<a id=\"x\"></a>\n");
      writeFileSync(join(dir, "b.md"), "[ok](a.md#reading-the-report) [ok](a.md#x) [bad](a.md#nope) [bad](c.md) [web](https://e.x)\n"
        + "```\n[in code](missing.md)\n```\n");
      const bad = brokenLinks([join(dir, "b.md")]);
      expect(bad).toHaveLength(2);
      expect(bad[0]).toMatch(/a\.md#nope/);
      expect(bad[1]).toMatch(/c\.md \(no such file\)/);
      expect(slug("`qmtl run custom`: your own data")).toBe("qmtl-run-custom-your-own-data");
      expect(anchorsOf("## A\n## A\n").has("a-1")).toBe(true);
      expect(anchorsOf("## Engine (`src/sim`)\n```\n# not a heading\n```\n").has("engine-srcsim")).toBe(true);
      expect(anchorsOf("```\n# not a heading\n```\n").has("not-a-heading")).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
