import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { Command, Option } from "commander";
import { z } from "zod";
import { ValidationError } from "../../core/errors.ts";
import { SUITES } from "../../datasets/index.ts";
import { cellDone } from "../../experiments/cells.ts";
import { parseSuiteConfig, readConfigFile } from "../../experiments/config.ts";
import {
  experimentCells,
  loadExperiment,
  runExperiment,
  type ExperimentEvent,
} from "../../experiments/engine.ts";
import { applyRunFolder, planRunFolder, type RunFolderMode } from "../../experiments/run-folder.ts";
import type { BaseConfig, Suite, SuiteFlag } from "../../experiments/suite.ts";
import { writeReport } from "../../experiments/report/write-report.ts";
import { nextCellFromParent, parentWatch, runChildrenQueue } from "../jobs.ts";
import { makeProgress } from "../progress.ts";
import { plainChildLog, progressEvents } from "../run-events.ts";
import { flagValue, intFlag } from "../flags.ts";

type Opts = Record<string, string | boolean | undefined>;

/** Flags every suite takes, mapped onto the base config fields. */
const GENERIC_FLAGS: readonly SuiteFlag[] = [
  {
    flag: "--name <name>",
    description: "run name: the output goes to <out>/<name> (one path segment)",
    field: "name",
    parse: "string",
  },
  {
    flag: "--epochs <n>",
    description: "training epochs",
    field: "epochs",
    parse: "int",
  },
  {
    flag: "--lr <x>",
    description: "learning rate (small tables often want 0.01-0.05)",
    field: "lr",
    parse: "number",
  },
  {
    flag: "--seeds <list>",
    description: "comma-separated seeds",
    field: "seeds",
    parse: "int-list",
  },
  { flag: "--heads <list>", description: "comma-separated head variants", field: "heads", parse: "list" },
  {
    flag: "--validate-every <interval>",
    description: "how often validation runs: epochs:N or updates:N (early stopping counts validations)",
    field: "validateEvery",
    parse: "interval",
  },
  {
    flag: "--threads <n>",
    description: "threads splitting each simulator batch, per process (for runs of fewer cells than cores)",
    field: "threads",
    parse: "int",
  },
];

/** commander's attribute name of a flag ("--features-key <name>" -> "featuresKey"). */
function attr(flag: string): string {
  return flag
    .split(/[ ,]/)[0]!
    .replace(/^--/, "")
    .replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    const next = o[k];
    o = o[k] =
      next !== null && typeof next === "object" && !Array.isArray(next)
        ? { ...(next as Record<string, unknown>) }
        : {};
  }
  o[keys[keys.length - 1]!] = value;
}

/** The raw config of a run: the config file (if any), then every given flag over it. */
export function rawConfig(suite: Suite<BaseConfig>, o: Opts): Record<string, unknown> {
  const raw: Record<string, unknown> =
    typeof o["config"] === "string" ? { ...readConfigFile(o["config"]) } : {};
  for (const f of [...GENERIC_FLAGS, ...suite.flags]) {
    const v = o[attr(f.flag)];
    if (v === undefined) continue;
    setPath(raw, f.field, flagValue(f.flag.split(" ")[0]!, f.parse, v));
  }
  return raw;
}

export function registerRun(program: Command): void {
  const run = program
    .command("run")
    .description("run an experiment end to end (train, evaluate, report) into <out>/<name>/")
    .addHelpText(
      "after",
      `\nSuites:\n${SUITES.map((s) => `  ${s.name.padEnd(10)} ${s.summary}`).join("\n")}\n\nExamples:\n  qmtl run mustard --epochs 5 --folds 0,1 --heads qmtl,classical --name quick\n  qmtl run mustard --config configs/mustard-paper.yaml\n  qmtl run <suite> --help`,
    );
  for (const suite of SUITES) registerSuite(run, suite);
}

/** The defaults of a suite's top-level config fields, as its zod object schema declares them. */
export function configDefaults(suite: Suite<BaseConfig>): Record<string, unknown> {
  const shape = (suite.schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  return Object.fromEntries(
    Object.entries(shape).map(([k, f]) => [k, f instanceof z.ZodDefault ? f.def.defaultValue : undefined]),
  );
}

/** A generic flag's help with the suite's own default appended ("(default: 0,1,2,3,4)"). */
function withDefault(description: string, value: unknown): string {
  if (value === undefined) return description;
  const text = Array.isArray(value)
    ? value.join(",")
    : value !== null && typeof value === "object"
      ? Object.entries(value)
          .map(([k, v]) => `${k}:${String(v)}`)
          .join(",")
      : String(value);
  return `${description} (default: ${text})`;
}

function registerSuite(run: Command, suite: Suite<BaseConfig>): void {
  const cmd = run
    .command(suite.name)
    .description(`${suite.title}: ${suite.summary}`)
    .option("--config <file>", "YAML or JSON experiment config (validated; flags override it)")
    .option("--out <dir>", "parent folder of run folders", "runs")
    .option("--resume", "continue an interrupted run in the same folder (finished cells are kept)")
    .option("--fresh", "delete an existing qmtl run folder of the same name first")
    .option("--jobs <n>", "processes running cells in parallel (default: one per core)")
    .option("--json", "print the run folder, report files and timing as JSON (stdout)");
  const defaults = configDefaults(suite);
  for (const f of GENERIC_FLAGS) cmd.option(f.flag, withDefault(f.description, defaults[f.field]));
  for (const f of suite.flags) cmd.option(f.flag, f.description);
  cmd.addOption(new Option("--cells <list>", "internal: run only these head:split:seed cells").hideHelp());
  cmd.addOption(
    new Option(
      "--cells-from-parent",
      "internal: take cells one at a time from the parent's queue",
    ).hideHelp(),
  );
  cmd.addOption(
    new Option(
      "--checkpoint-every-epoch",
      "testing: write training checkpoints after every epoch (default: spaced by their cost)",
    ).hideHelp(),
  );
  cmd.addOption(
    new Option(
      "--kill-at <event:n>",
      "testing: SIGKILL this process at the n-th progress|epoch|write|cell event",
    ).hideHelp(),
  );
  cmd.addHelpText(
    "after",
    `\nExamples:\n  qmtl run ${suite.name} --config run.yaml --name mine      # every field: docs/config-reference.md\n  qmtl run ${suite.name} --config run.yaml --epochs 2 --heads ${suite.headIds[0]} --name quick   # flags override the file\n  qmtl run ${suite.name} --config run.yaml --name mine --resume --json`,
  );
  cmd.action(async (o: Opts) => runSuite(suite, o));
}

async function runSuite(suite: Suite<BaseConfig>, o: Opts): Promise<void> {
  // every flag and the whole config are checked before anything is created or deleted
  if (o["resume"] && o["fresh"]) throw new ValidationError("--fresh", "either --resume or --fresh, not both");
  const cfg = parseSuiteConfig(
    suite,
    rawConfig(suite, o),
    typeof o["config"] === "string" ? o["config"] : "config",
  );
  const out = flagValue("--out", "path", o["out"] ?? "runs") as string;
  const runDir = resolve(out, cfg.name);
  const startedAt = Date.now();
  if (o["cellsFromParent"] === true) {
    // a child of a parallel run: load the inputs once, then run the parent's cells one at a time
    const checkParent = parentWatch();
    const loaded = await loadExperiment(suite, cfg, { jobs: 1 });
    for (let cell = await nextCellFromParent(); cell !== null; cell = await nextCellFromParent()) {
      await runExperiment(suite, cfg, runDir, {
        checkpointEveryEpoch: o["checkpointEveryEpoch"] === true,
        cells: [cell],
        loaded,
        onEvent: (e) => {
          checkParent();
          plainChildLog(e);
        },
      });
    }
    process.disconnect?.();
    return;
  }
  if (typeof o["cells"] === "string") {
    // a child of a parallel run: the parent prepared the folder and the features
    const checkParent = parentWatch();
    const cells = flagValue("--cells", "list", o["cells"]) as string[];
    await runExperiment(suite, cfg, runDir, {
      checkpointEveryEpoch: o["checkpointEveryEpoch"] === true,
      cells,
      onEvent: (e) => {
        checkParent();
        plainChildLog(e);
      },
    });
    return;
  }
  const requested = o["jobs"] !== undefined ? intFlag("--jobs", o["jobs"], 1, 256) : availableParallelism();
  const mode: RunFolderMode = o["fresh"] ? "fresh" : o["resume"] ? "resume" : "new";
  planRunFolder(runDir, { kind: suite.name, mode, config: cfg }); // refuses now, before the inputs load

  const progress = makeProgress();
  const onEvent = withKillPoint(progressEvents(progress, cfg), o["killAt"]);
  onEvent({ type: "stage", message: "loading data and features" });
  const loaded = await loadExperiment(suite, cfg, {
    jobs: requested,
    onProgress: (stage, done, total) => onEvent({ type: "progress", stage, done, total }),
    log: (message) => progress.log(message),
  });
  progress.stop();
  applyRunFolder(planRunFolder(runDir, { kind: suite.name, mode, config: cfg }));

  const cells = experimentCells(suite, cfg).filter((c) => !cellDone(runDir, c));
  const jobs = Math.min(cells.length, requested);
  if (jobs > 1) {
    progress.log(`running ${cells.length} unfinished cells in ${jobs} processes`);
    if (jobs * cfg.threads > availableParallelism())
      progress.log(
        `note: ${jobs} processes x ${cfg.threads} threads on ${availableParallelism()} cores; the threads spin while they wait for each other, so more of them than cores slows every cell (--threads 1 with --jobs uses the cores best)`,
      );
    const args = [
      "run",
      suite.name,
      "--config",
      join(runDir, "config.json"),
      "--out",
      resolve(out),
      "--resume",
      ...(o["checkpointEveryEpoch"] === true ? ["--checkpoint-every-epoch"] : []),
    ];
    await runChildrenQueue(args, cells, jobs, (line) => progress.log(line));
  } else if (cells.length > 0 && cfg.threads === 1 && availableParallelism() > 1) {
    progress.log(
      `one process runs the ${cells.length} unfinished cell${cells.length === 1 ? "" : "s"}; --threads ${availableParallelism()} would split each simulator batch over ${availableParallelism()} threads (it pays for statevector heads such as HQNN-13, ~1.7x; little for QMTL heads: docs/simulators.md)`,
    );
  }
  const results = await runExperiment(suite, cfg, runDir, {
    checkpointEveryEpoch: o["checkpointEveryEpoch"] === true,
    onEvent,
    startedAt,
    loaded,
  });
  progress.stop();
  const { files } = await writeReport(runDir, results!);
  if (o["json"]) {
    console.log(
      JSON.stringify(
        {
          runDir,
          report: join(runDir, "report.md"),
          results: join(runDir, "results.json"),
          files,
          timing: results!.timing,
        },
        null,
        2,
      ),
    );
    return;
  }
  console.log(`\nreport: ${join(runDir, "report.md")}`);
  for (const f of files) console.log(`  ${f}`);
  console.log(
    `total ${results!.timing.totalSeconds.toFixed(1)} s, simulator ${results!.timing.simSeconds.toFixed(1)} s`,
  );
}

/**
 * Fault injection for the crash tests: with --kill-at kind:n the process kills
 * itself (SIGKILL, no cleanup) at the n-th event of that kind, a deterministic
 * point instead of a timed kill.
 */
function withKillPoint(
  onEvent: (e: ExperimentEvent) => void,
  spec: string | boolean | undefined,
): (e: ExperimentEvent) => void {
  if (spec === undefined) return onEvent;
  const m = /^(progress|epoch|write|cell):(\d+)$/.exec(String(spec));
  if (!m) throw new ValidationError("--kill-at", "progress|epoch|write|cell followed by :n", spec);
  const kind = m[1]!,
    at = Number(m[2]);
  let seen = 0;
  return (e) => {
    const k =
      e.type === "train"
        ? e.event.type === "epoch"
          ? "epoch"
          : ""
        : e.type === "run-done"
          ? e.cached
            ? ""
            : "cell"
          : e.type;
    if (k === kind && ++seen === at) process.kill(process.pid, "SIGKILL");
    onEvent(e);
  };
}
