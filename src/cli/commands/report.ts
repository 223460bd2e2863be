import { resolve } from "node:path";
import type { Command } from "commander";
import { writeHtmlReport } from "../../experiments/report/html.ts";

export function registerReport(program: Command): void {
  program
    .command("report")
    .argument("<folder>", "a run folder (results.json), a sweep folder (sweep.json) or a parameter study (param-study.json)")
    .description("write one self-contained HTML report (plus Markdown and SVG/PNG figures) into the folder")
    .action(async (folder: string) => {
      const r = await writeHtmlReport(resolve(folder));
      console.log(`${r.kind} report: ${r.html} (${r.charts} figures)`);
      for (const f of r.files.slice(1)) console.log(`  ${f}`);
    });
}
