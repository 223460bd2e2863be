import { join, resolve } from "node:path";
import type { Command } from "commander";
import { writeFileAtomic, writeJsonAtomic } from "../../core/atomic-file.ts";
import { ValidationError } from "../../core/errors.ts";
import { loadDevice } from "../../devices/index.ts";
import { findSuite } from "../../datasets/index.ts";
import {
  runNoiseStudy,
  validateDepolarizingLevels,
  type NoiseStudyResult,
} from "../../experiments/noise-study.ts";
import { applyRunFolder, planRunFolder } from "../../experiments/run-folder.ts";
import { loadTrainedCell, runSuiteName } from "../../experiments/trained-cell.ts";
import { renderSvg } from "../../experiments/report/figures.ts";
import { svgToPng } from "../../experiments/report/fonts.ts";
import { flagValue, folderNameFlag, intFlag } from "../flags.ts";

interface NoiseOpts {
  cell?: string;
  p: string;
  devices: string;
  mitigation: boolean;
  shots?: string;
  seed: string;
  name: string;
  fresh?: boolean;
  json?: boolean;
}

/** The trained run's suite, or an error naming the folder. */
export function suiteOfRun(runDir: string) {
  const name = runSuiteName(runDir);
  const suite = findSuite(name);
  if (!suite) throw new ValidationError(runDir, "a run of a suite this qmtl knows", name);
  return suite;
}

export function registerNoise(program: Command): void {
  program
    .command("noise")
    .argument("<run>", "a run folder written by qmtl run (e.g. runs/mustard)")
    .description(
      "evaluate a trained QMTL head under depolarizing and calibrated device noise, exactly (paper Sec. 6.3, Fig. 10/11)",
    )
    .option("--cell <head:split:seed>", "the trained cell (default: the first finished QMTL cell)")
    .option(
      "--p <list>",
      "depolarizing levels p1 = p2 = p, Aer's convention (1 - p) rho + p I/2^n",
      "0.01,0.05,0.1,0.2",
    )
    .option(
      "--devices <list>",
      "calibrated device models (ibm_boston, ibm_fez, ibm_marrakesh, ibm_torino)",
      "ibm_boston,ibm_fez",
    )
    .option("--no-mitigation", "skip readout-error mitigation and zero-noise extrapolation")
    .option(
      "--shots <n>",
      "also estimate every condition from this many seeded shots per measurement setting",
    )
    .option("--seed <n>", "seed of the shot draws", "0")
    .option("--name <name>", "output folder inside the run folder", "noise")
    .option("--fresh", "replace an earlier noise study of the same name")
    .option("--json", "print the results as JSON")
    .addHelpText(
      "after",
      "\nExample:\n  npm start && npx qmtl noise runs/mustard --p 0.01,0.05,0.1,0.2 --devices ibm_boston,ibm_fez",
    )
    .action(async (run: string, o: NoiseOpts) => {
      const runDir = resolve(run);
      const ps = flagValue("--p", "list", o.p) as string[];
      const levels = ps.map((x) => {
        const v = Number(x);
        if (!Number.isFinite(v)) throw new ValidationError("--p", "numbers", x);
        return v;
      });
      validateDepolarizingLevels(levels);
      const devices = flagValue("--devices", "list", o.devices) as string[];
      for (const d of devices) loadDevice(d);
      const shots = o.shots !== undefined ? intFlag("--shots", o.shots, 2, 1e7) : undefined;
      const seed = intFlag("--seed", o.seed, 0);
      const name = flagValue("--name", "string", o.name) as string;
      folderNameFlag("--name", name);
      const suite = suiteOfRun(runDir);
      const outDir = join(runDir, name);
      const options = {
        cell: o.cell ?? null,
        depolarizing: levels,
        devices,
        mitigation: o.mitigation,
        shots: shots ?? null,
        seed,
      };
      planRunFolder(outDir, { kind: "noise", mode: o.fresh ? "fresh" : "new", config: options });
      const cell = await loadTrainedCell(suite, runDir, o.cell !== undefined ? { cell: o.cell } : {});
      if (!cell.model.qmtlLayout)
        throw new ValidationError(
          "--cell",
          "a cell of a QMTL head (the noise study simulates its circuit)",
          cell.cell,
        );
      console.error(
        `noise study of ${cell.cell} (${cell.test.n} test samples, Q = ${cell.model.qmtlLayout.Q})`,
      );
      const result = runNoiseStudy(cell.model, cell.test, cell.tasks, {
        depolarizing: levels,
        devices,
        mitigation: o.mitigation,
        seed,
        metrics: cell.metrics,
        ...(shots !== undefined ? { shots } : {}),
        log: (line) => console.error(`  ${line}`),
      });
      applyRunFolder(
        planRunFolder(outDir, { kind: "noise", mode: o.fresh ? "fresh" : "new", config: options }),
      );
      const { figure, ...rest } = result;
      writeJsonAtomic(join(outDir, "results.json"), { suite: suite.name, cell: cell.cell, ...rest });
      const svg = await renderSvg(figure);
      writeFileAtomic(join(outDir, "fig-noise.svg"), svg);
      writeFileAtomic(join(outDir, "fig-noise.png"), svgToPng(svg));
      writeFileAtomic(join(outDir, "report.md"), noiseMarkdown(result, cell.cell, suite.title));
      if (o.json) console.log(JSON.stringify({ cell: cell.cell, ...rest }, null, 2));
      else console.log(noiseTable(result) + `\nreport: ${join(outDir, "report.md")}`);
    });
}

function primary(m: Record<string, number> | undefined): string {
  if (!m) return "-";
  return m["accuracy"] !== undefined
    ? `${m["accuracy"].toFixed(3)} / ${(m["f1"] ?? NaN).toFixed(3)}`
    : `${(m["pearson"] ?? NaN).toFixed(3)} (r)`;
}

function noiseTable(r: NoiseStudyResult): string {
  const tasks = Object.keys(r.conditions[0]!.metrics);
  const head = ["condition", "mitigation", ...tasks.map((t) => `${t} acc / F1`)];
  const rows = r.conditions.map((c) => [c.id, c.mitigation, ...tasks.map((t) => primary(c.metrics[t]))]);
  return [head, ["---", "---", ...tasks.map(() => "---:")], ...rows]
    .map((row) => `| ${row.join(" | ")} |`)
    .join("\n");
}

function noiseMarkdown(r: NoiseStudyResult, cell: string, title: string): string {
  return `# Noise study: ${title}, cell ${cell}

Exact noisy simulation of the trained QMTL head (Q = ${r.qubits}) on its ${r.nTest} test samples: noise-free,
depolarizing after every gate with p1 = p2 = p (Qiskit Aer's convention, E(rho) = (1 - p) rho + p Tr(rho) I / 2^n;
PennyLane's one-qubit DepolarizingChannel(p') has p' = 3p/4), and the calibrated device models (per-gate thermal
relaxation and depolarizing fitted to the calibration, readout errors), with readout-error mitigation and
zero-noise extrapolation where marked. Test accuracy / F1 per task (primary metric for regression tasks):

${noiseTable(r)}

![accuracy and F1 by condition](fig-noise.svg)

Mean absolute deviation of the noisy expectation values from the ideal ones, per task, and the share of it each
mitigation recovers, are in results.json (outputError, gapRecovered).
`;
}
