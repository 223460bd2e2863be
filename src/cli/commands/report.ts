import { resolve } from "node:path";
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.ts";
import { readRunMarker, RUN_MARKER } from "../../experiments/run-folder.ts";
import { writeHtmlReport } from "../../experiments/report/html.ts";

export function registerReport(program: Command): void {
  program
    .command("report")
    .argument(
      "<folder>",
      "a run folder (results.json), a sweep folder (sweep.json) or a parameter study (param-study.json)",
    )
    .description("write one self-contained HTML report (plus Markdown and SVG/PNG figures) into the folder")
    .action(async (folder: string) => {
      // the report's files go into the folder: only into one qmtl wrote (a run, a sweep, a study)
      if (readRunMarker(resolve(folder)) === null) {
        throw new ValidationError(
          folder,
          `a folder qmtl wrote (a run, sweep or study folder with ${RUN_MARKER}); qmtl writes reports only there`,
        );
      }
      const r = await writeHtmlReport(resolve(folder));
      console.log(`${r.kind} report: ${r.html} (${r.charts} figures)`);
      for (const f of r.files.slice(1)) console.log(`  ${f}`);
    });
}
