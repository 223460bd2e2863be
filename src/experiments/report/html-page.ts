/**
 * The self-contained HTML page of `qmtl report`: inline CSS, figures as inline
 * SVG (pre-rendered by vega, so the page runs no script and fetches nothing),
 * tables, and a claims table. Helpers shared by the run, sweep and parameter
 * pages.
 */
import type { MeanStdValue } from "./results-types.ts";
import { fmtMeanStd } from "./style.ts";

export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A table: header cells and rows of already-escaped HTML cells (use `esc` on text). */
export function htmlTable(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string>>,
  cls = "",
): string {
  const th = header.map((h) => `<th>${h}</th>`).join("");
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table${cls ? ` class="${cls}"` : ""}><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}

export function meanStdCell(v: MeanStdValue | undefined): string {
  return v === undefined ? "–" : esc(fmtMeanStd(v));
}

/** A figure: the inline SVG and a caption; `data-chart` lets tests count charts. */
export function figure(name: string, svg: string, caption: string): string {
  const body = svg.replace(/^<\?xml[^>]*>\s*/, "");
  return `<figure class="chart" data-chart="${esc(name)}">${body}<figcaption>${esc(caption)}</figcaption></figure>`;
}

export interface Claim {
  /** what the paper says */
  claim: string;
  /** where the paper says it */
  source: string;
  /** what this run measured, one sentence with the numbers */
  measured: string;
  /** supported, not supported, or not testable with this run */
  verdict: "supported" | "not supported" | "not testable";
}

export function claimsTable(claims: readonly Claim[]): string {
  if (claims.length === 0) return "<p>No paper claim applies to this run.</p>";
  const badge = (v: Claim["verdict"]): string =>
    `<span class="verdict ${v.replace(" ", "-")}">${esc(v)}</span>`;
  return htmlTable(
    ["Paper's claim", "Source", "This run", "Verdict"],
    claims.map((c) => [esc(c.claim), esc(c.source), esc(c.measured), badge(c.verdict)]),
    "claims",
  );
}

export interface Section {
  id: string;
  title: string;
  html: string;
}

const CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 64px; background: white; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 20px; margin: 36px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 8px; }
p.sub { color: #555; margin: 0 0 16px; }
nav { font-size: 14px; margin: 8px 0 20px; }
nav a { margin-right: 14px; color: #2f5f98; text-decoration: none; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13.5px; }
th, td { border: 1px solid #ddd; padding: 4px 9px; text-align: right; vertical-align: top; }
th { background: #f1f3f6; font-weight: 600; }
td:first-child, th:first-child { text-align: left; }
table.claims td, table.kv td, table.claims th, table.kv th { text-align: left; }
table.claims td:nth-child(3) { max-width: 520px; }
td.best { font-weight: 700; }
.verdict { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12.5px; font-weight: 600; white-space: nowrap; }
.verdict.supported { background: #dff3e0; color: #1d6b26; }
.verdict.not-supported { background: #fbe1e1; color: #9b1c1c; }
.verdict.not-testable { background: #eee; color: #555; }
figure.chart { margin: 12px 0 24px; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: #555; margin-top: 4px; }
ul { padding-left: 22px; } li { margin: 3px 0; }
code { background: #f3f3f3; padding: 0 3px; border-radius: 3px; font-size: 90%; }
footer { margin-top: 40px; font-size: 12px; color: #777; }
`;

/** The whole page. */
export function htmlPage(title: string, subtitle: string, sections: readonly Section[]): string {
  const nav = sections.map((s) => `<a href="#${esc(s.id)}">${esc(s.title)}</a>`).join("");
  const body = sections
    .map((s) => `<section id="${esc(s.id)}">\n<h2>${esc(s.title)}</h2>\n${s.html}\n</section>`)
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${esc(title)}</h1>
<p class="sub">${esc(subtitle)}</p>
<nav>${nav}</nav>
${body}
<footer>Written by <code>qmtl report</code>. Self-contained: figures are inline SVG, nothing is fetched.</footer>
</main>
</body>
</html>
`;
}

export function list(items: readonly string[]): string {
  return items.length === 0 ? "<p>None.</p>" : `<ul>${items.map((s) => `<li>${esc(s)}</li>`).join("")}</ul>`;
}

/** Key-value table of a config object, nested keys dotted. */
export function configTable(obj: Record<string, unknown>): string {
  const rows: string[][] = [];
  const walk = (o: Record<string, unknown>, prefix: string): void => {
    for (const [k, v] of Object.entries(o)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v !== null && typeof v === "object" && !Array.isArray(v)) walk(v as Record<string, unknown>, key);
      else rows.push([`<code>${esc(key)}</code>`, esc(JSON.stringify(v))]);
    }
  };
  walk(obj, "");
  return htmlTable(["Field", "Value"], rows, "kv");
}
