/**
 * Writes an experiment's report into its run folder: report.md plus the two
 * figures (the paper's Fig. 4 and Fig. 7 for this run) as SVG and PNG. Every
 * file is written atomically; the input is validated first, so a results
 * object read back from disk with a missing field fails with that field's name.
 */
import { join } from "node:path";
import { writeFileAtomic } from "../../core/atomic-file.ts";
import { parseExperimentResults, type ExperimentResults } from "./results-types.ts";
import { metricsSpec, paramsSpec, renderSvg } from "./figures.ts";
import { svgToPng } from "./fonts.ts";
import { buildMarkdown, FIGURE_FILES } from "./markdown.ts";

export interface RenderedFigure {
  /** file name without extension, e.g. "fig-metrics" */
  name: string;
  svg: string;
  png: Uint8Array;
}

export interface RenderedReport {
  markdown: string;
  figures: RenderedFigure[];
}

/** Builds the report in memory (validates `results` first). */
export async function renderReport(results: ExperimentResults): Promise<RenderedReport> {
  const r = parseExperimentResults(results);
  const figures: RenderedFigure[] = [];
  for (const [name, spec] of [
    ["fig-metrics", metricsSpec(r)],
    ["fig-params", paramsSpec(r)],
  ] as const) {
    const svg = await renderSvg(spec);
    figures.push({ name, svg, png: svgToPng(svg) });
  }
  return { markdown: buildMarkdown(r), figures };
}

/**
 * Writes report.md, fig-metrics.svg/.png and fig-params.svg/.png into runDir
 * (created if needed) and returns the paths written, report.md first.
 */
export async function writeReport(runDir: string, results: ExperimentResults): Promise<{ files: string[] }> {
  const { markdown, figures } = await renderReport(results);
  const files: string[] = [];
  const write = (name: string, data: string | Uint8Array): void => {
    const path = join(runDir, name);
    writeFileAtomic(path, data);
    files.push(path);
  };
  write("report.md", markdown);
  for (const f of figures) {
    write(`${f.name}.svg`, f.svg);
    write(`${f.name}.png`, f.png);
  }
  return { files };
}

export { FIGURE_FILES };
