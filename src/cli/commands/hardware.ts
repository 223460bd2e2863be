import { join, resolve } from "node:path";
import type { Command } from "commander";
import { writeFileAtomic, writeJsonAtomic } from "../../core/atomic-file.ts";
import { ValidationError } from "../../core/errors.ts";
import { Rng } from "../../core/rng.ts";
import { loadDevice } from "../../devices/index.ts";
import { headOfModel, runHardwareStudy, type StudyMode } from "../../experiments/hardware-study.ts";
import { runNoiseStudy } from "../../experiments/noise-study.ts";
import { applyRunFolder, planRunFolder } from "../../experiments/run-folder.ts";
import { loadTrainedCell } from "../../experiments/trained-cell.ts";
import { RuntimeClient } from "../../hardware/runtime/client.ts";
import { resolveCredentials } from "../../hardware/runtime/credentials.ts";
import { subset } from "../../training/dataset.ts";
import { flagValue, folderNameFlag, intFlag } from "../flags.ts";
import { suiteOfRun } from "./noise.ts";
import {
  emulationLines,
  emulationReport,
  emulationSummary,
  type EmulationSummary,
} from "./hardware-emulation.ts";

interface HwOpts {
  backend: string;
  dryRun?: boolean;
  emulate?: boolean;
  submit?: boolean;
  cell?: string;
  limit?: string;
  shots?: string;
  primitive: string;
  name?: string;
  fresh?: boolean;
  baseUrl?: string;
  json?: boolean;
  trajectories?: string;
  method?: string;
  seed?: string;
  logical?: boolean;
}

export function registerHardware(program: Command): void {
  program
    .command("hardware")
    .argument("<run>", "a run folder written by qmtl run (e.g. runs/mustard)")
    .description(
      "evaluate a trained QMTL head on an IBM Quantum device: transpile to its native gates, then --dry-run, --emulate or --submit (paper Sec. 7, Fig. 11)",
    )
    .requiredOption(
      "--backend <name>",
      "the device (ibm_boston, ibm_fez, ibm_marrakesh, ibm_torino: shipped calibrations)",
    )
    .option("--dry-run", "write the exact request bodies, the ISA circuit and a cost estimate; send nothing")
    .option(
      "--emulate",
      "predict the device run: the transpiled circuit under the device's calibrated noise (gate errors, T1/T2 relaxation, readout)",
    )
    .option(
      "--method <name>",
      "emulate: auto (density matrix up to 10 active qubits, else trajectories), density or trajectories",
    )
    .option("--trajectories <n>", "emulate: Monte-Carlo trajectories per sample (default 200)")
    .option("--seed <n>", "emulate: seed of the trajectories (default 0)")
    .option(
      "--no-logical",
      "emulate: skip the noise layer's logical-chain device model and its mitigation (on by default)",
    )
    .option(
      "--submit",
      "send the job to IBM Quantum (API key from QISKIT_IBM_TOKEN or ~/.qiskit/qiskit-ibm.json)",
    )
    .option("--cell <head:split:seed>", "the trained cell (default: the first finished QMTL cell)")
    .option("--limit <n>", "evaluate the first n test samples only (device time costs money)")
    .option("--shots <n>", "shots per measurement setting and sample")
    .option("--primitive <name>", "estimator or sampler", "estimator")
    .option("--name <name>", "output folder inside the run folder (default hardware-<mode>-<backend>)")
    .option("--fresh", "replace an earlier output folder of the same name")
    .option("--base-url <url>", "the Runtime API's base URL (default IBM's)")
    .option("--json", "print the results as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  qmtl hardware runs/mustard --backend ibm_fez --dry-run --limit 8\n  qmtl hardware runs/mustard --backend ibm_boston --emulate --limit 32 --json",
    )
    .action(async (run: string, o: HwOpts) => {
      const modes = [o.dryRun && "dry-run", o.emulate && "emulate", o.submit && "submit"].filter(
        Boolean,
      ) as StudyMode[];
      if (modes.length !== 1)
        throw new ValidationError(
          "--dry-run/--emulate/--submit",
          "exactly one of them",
          modes.length === 0 ? "none" : modes.join(" and "),
        );
      const mode = modes[0]!;
      const backend = loadDevice(flagValue("--backend", "string", o.backend) as string).name;
      if (o.primitive !== "estimator" && o.primitive !== "sampler")
        throw new ValidationError("--primitive", "estimator or sampler", o.primitive);
      const limit = o.limit !== undefined ? intFlag("--limit", o.limit, 1) : undefined;
      const shots = o.shots !== undefined ? intFlag("--shots", o.shots, 1, 1e7) : undefined;
      if (mode !== "emulate")
        for (const [f, v] of [
          ["--method", o.method],
          ["--trajectories", o.trajectories],
          ["--seed", o.seed],
        ] as const)
          if (v !== undefined) throw new ValidationError(f, "only with --emulate", v);
      if (mode === "emulate" && shots !== undefined)
        throw new ValidationError(
          "--shots",
          "no --shots with --emulate (it returns expectation values)",
          shots,
        );
      const method = o.method !== undefined ? (flagValue("--method", "string", o.method) as string) : "auto";
      if (method !== "auto" && method !== "density" && method !== "trajectories")
        throw new ValidationError("--method", "auto, density or trajectories", method);
      const trajectories =
        o.trajectories !== undefined ? intFlag("--trajectories", o.trajectories, 2, 1e6) : undefined;
      const seed = o.seed !== undefined ? intFlag("--seed", o.seed, 0, 2 ** 32 - 1) : 0;
      const name =
        o.name !== undefined
          ? (flagValue("--name", "string", o.name) as string)
          : `hardware-${mode}-${backend}`;
      folderNameFlag("--name", name);
      const credentials = mode === "submit" ? resolveCredentials() : null; // before any work: a missing key is a usage error
      const runDir = resolve(run);
      const suite = suiteOfRun(runDir);
      const outDir = join(runDir, name);
      const record = {
        mode,
        backend,
        cell: o.cell ?? null,
        limit: limit ?? null,
        shots: shots ?? null,
        primitive: o.primitive,
        ...(mode === "emulate" ? { method, trajectories: trajectories ?? null, seed } : {}),
      };
      planRunFolder(outDir, { kind: "hardware", mode: o.fresh ? "fresh" : "new", config: record });
      const cell = await loadTrainedCell(suite, runDir, o.cell !== undefined ? { cell: o.cell } : {});
      const test =
        limit !== undefined && limit < cell.test.n
          ? subset(
              cell.test,
              Array.from({ length: limit }, (_, i) => i),
            )
          : cell.test;
      applyRunFolder(
        planRunFolder(outDir, { kind: "hardware", mode: o.fresh ? "fresh" : "new", config: record }),
      );
      const { layout, weights } = headOfModel(cell.model);
      const z = cell.model.projection.forward(test.features.slice(), test.n, {
        training: false,
        rng: new Rng(0),
      });
      const study = await runHardwareStudy(
        { layout, weights, inputs: z, batch: test.n },
        {
          mode,
          backend,
          primitive: o.primitive,
          ...(mode === "dry-run" ? { outDir } : {}),
          seed,
          emulation: { method, ...(trajectories !== undefined ? { trajectories } : {}) },
          ...(shots !== undefined ? { shots } : {}),
          ...(credentials
            ? { client: new RuntimeClient({ credentials, ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}) }) }
            : {}),
        },
      );
      const summary: Record<string, unknown> = {
        suite: suite.name,
        cell: cell.cell,
        mode,
        backend,
        samples: test.n,
        transpile: study.transpile,
        cost: study.cost,
        device: study.device,
        note: study.note,
        ...(study.jobId ? { jobId: study.jobId } : {}),
      };
      if (mode === "emulate") {
        summary["emulation"] = emulationSummary(study, cell, test, layout);
        writeFileAtomic(join(outDir, "report.md"), emulationReport(summary));
        if (o.logical !== false) {
          // context: the noise layer's device model of the LOGICAL circuit on the device's best chain of
          // qubits (exact, structured), with readout mitigation and ZNE; not the transpiled circuit
          const noise = runNoiseStudy(cell.model, test, cell.tasks, {
            depolarizing: [],
            devices: [backend],
            mitigation: true,
            metrics: cell.metrics,
          });
          summary["conditions"] = noise.conditions;
        }
      }
      writeJsonAtomic(join(outDir, "results.json"), summary);
      if (o.json) console.log(JSON.stringify(summary, null, 2));
      else {
        const t = study.transpile;
        console.log(
          `${backend}: ${t.before.twoQubit} -> ${t.after.twoQubit} two-qubit gates (${t.swaps} SWAPs), depth ${t.before.depth} -> ${t.after.depth}, estimated fidelity ${t.estimatedFidelity.toFixed(3)}`,
        );
        console.log(
          `cost: ${study.cost.circuits} circuit(s), ${study.cost.settings} measurement settings, ${study.cost.totalShots} shots`,
        );
        const em = summary["emulation"] as EmulationSummary | undefined;
        if (em) for (const line of emulationLines(em)) console.log(line);
        for (const c of (summary["conditions"] as
          | Array<{ id: string; mitigation: string; metrics: Record<string, Record<string, number>> }>
          | undefined) ?? []) {
          console.log(
            `${c.id} [${c.mitigation}]: ${Object.entries(c.metrics)
              .map(([k, m]) => `${k} acc ${(m["accuracy"] ?? NaN).toFixed(3)}`)
              .join(", ")}`,
          );
        }
        console.log(`written: ${outDir}`);
      }
    });
}
