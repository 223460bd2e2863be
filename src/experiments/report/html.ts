/**
 * `qmtl report <folder>`: one self-contained report.html (plus Markdown and
 * the figures as SVG and PNG) for a run folder (results.json), a sweep folder
 * (sweep.json; merged again from its cells) or a parameter study
 * (param-study.json). Every file is written atomically.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../core/atomic-file.ts";
import { ValidationError } from "../../core/errors.ts";
import { readExperimentResults } from "./results-types.ts";
import { renderRunHtml } from "./html-run.ts";
import { renderParamHtml, renderSweepHtml, type PageBundle } from "./html-sweep.ts";
import { readSweepRecord, SWEEP_FILE } from "../sweep/sweep-dir.ts";
import { writeSweepResults } from "../sweep/merge.ts";
import type { ParamStudy } from "../sweep/param-study.ts";

export type ReportKind = "run" | "sweep" | "params";

export interface WrittenReport {
  kind: ReportKind;
  html: string;
  files: string[];
  charts: number;
}

function write(dir: string, files: string[], name: string, data: string | Uint8Array): void {
  const p = join(dir, name);
  writeFileAtomic(p, data);
  files.push(p);
}

function writeBundle(dir: string, b: PageBundle, mdName: string): string[] {
  const files: string[] = [];
  write(dir, files, "report.html", b.html);
  write(dir, files, mdName, b.markdown);
  for (const f of b.figures) {
    write(dir, files, `${f.name}.svg`, f.svg);
    write(dir, files, `${f.name}.png`, f.png);
  }
  return files;
}

/** Writes the report of `dir` and returns what it wrote (report.html first). */
export async function writeHtmlReport(dir: string): Promise<WrittenReport> {
  if (existsSync(join(dir, SWEEP_FILE))) {
    const merged = writeSweepResults(dir, readSweepRecord(dir));
    if (merged.cells.length === 0)
      throw new ValidationError(
        dir,
        "a sweep with at least one finished cell",
        `none of ${merged.missing.length}`,
      );
    const b = await renderSweepHtml(merged);
    const files = writeBundle(dir, b, "report.md");
    return { kind: "sweep", html: files[0]!, files, charts: b.figures.length };
  }
  if (existsSync(join(dir, "param-study.json"))) {
    const p = JSON.parse(readFileSync(join(dir, "param-study.json"), "utf8")) as ParamStudy;
    if (p.kind !== "qmtl-param-study")
      throw new ValidationError(join(dir, "param-study.json"), "a qmtl parameter study", p.kind);
    const b = await renderParamHtml(p);
    const files = writeBundle(dir, b, "report.md");
    return { kind: "params", html: files[0]!, files, charts: b.figures.length };
  }
  if (existsSync(join(dir, "results.json"))) {
    const r = readExperimentResults(join(dir, "results.json"));
    const { html, report } = await renderRunHtml(r);
    const files = writeBundle(dir, { html, markdown: report.markdown, figures: report.figures }, "report.md");
    return { kind: "run", html: files[0]!, files, charts: report.figures.length };
  }
  throw new ValidationError(
    dir,
    `a run folder (results.json), a sweep folder (${SWEEP_FILE}) or a parameter study (param-study.json)`,
  );
}
