/**
 * Checks the relative links of README.md and docs/*.md: the file exists, and
 * an anchor (#...) names a heading (GitHub's slugs) or an <a id> of that file.
 *
 *   npx tsx scripts/check-links.ts     # prints broken links, exit 1 if any
 *
 * test/docs/links.test.ts runs the same check.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** GitHub's heading slug: lower case, punctuation dropped, spaces to '-'. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The Markdown without its fenced code blocks (a "# comment" inside one is not a heading). */
function withoutFences(md: string): string {
  return md.replace(/^(```|~~~)[\s\S]*?^\1/gm, "");
}

export function anchorsOf(md: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of withoutFences(md).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const s = slug(m[1]!);
    const n = seen.get(s) ?? 0;
    out.add(n === 0 ? s : `${s}-${n}`);
    seen.set(s, n + 1);
  }
  for (const m of md.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(m[1]!);
  return out;
}

export function docFiles(): string[] {
  const docs = join(ROOT, "docs");
  return [
    join(ROOT, "README.md"),
    ...readdirSync(docs)
      .filter((f) => f.endsWith(".md"))
      .sort()
      .map((f) => join(docs, f)),
    ...readdirSync(join(docs, "decisions"))
      .filter((f) => f.endsWith(".md"))
      .sort()
      .map((f) => join(docs, "decisions", f)),
  ];
}

/** Broken links as "file:line: target (why)". */
export function brokenLinks(files: readonly string[] = docFiles()): string[] {
  const out: string[] = [];
  for (const file of files) {
    const md = readFileSync(file, "utf8");
    const text = md.replace(/^(```|~~~)[\s\S]*?^\1/gm, (m) => m.replace(/[^\n]/g, " "));
    const lines = text.split("\n");
    lines.forEach((line, i) => {
      for (const m of line.replace(/`[^`]*`/g, "").matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = m[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, mailto:, ...
        const [path, anchor] = target.split("#") as [string, string | undefined];
        const abs = path === "" ? file : resolve(dirname(file), decodeURIComponent(path));
        const where = `${relative(ROOT, file)}:${i + 1}: ${target}`;
        if (!existsSync(abs)) {
          out.push(`${where} (no such file)`);
          continue;
        }
        if (anchor !== undefined && anchor !== "") {
          if (statSync(abs).isDirectory() || !abs.endsWith(".md")) {
            out.push(`${where} (an anchor into a non-Markdown target)`);
            continue;
          }
          if (!anchorsOf(readFileSync(abs, "utf8")).has(anchor))
            out.push(`${where} (no heading or <a id> "${anchor}" there)`);
        }
      }
    });
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bad = brokenLinks();
  for (const b of bad) console.error(b);
  console.log(`${bad.length} broken link(s) in ${docFiles().length} files`);
  process.exit(bad.length > 0 ? 1 : 0);
}
