import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { openOwnFolder } from "../../experiments/run-folder.ts";
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.ts";
import { writeJsonAtomic } from "../../core/atomic-file.ts";
import { readConfigFile } from "../../experiments/config.ts";
import { findSuite, SUITES } from "../../datasets/index.ts";
import { expandCells, type SweepSuite } from "../../experiments/sweep/cells.ts";
import { loadSweep, setPath, type LoadedSweep } from "../../experiments/sweep/sweep-config.ts";
import {
  cellState,
  prepareSweepDir,
  readSweepRecord,
  SWEEP_FILE,
  type SweepRecord,
} from "../../experiments/sweep/sweep-dir.ts";
import { runLocal, type LocalEvent, type SweepProgress } from "../../experiments/sweep/local.ts";
import { writeSweepResults, type SweepResults } from "../../experiments/sweep/merge.ts";
import { slurmStatus, submitSlurm } from "../../experiments/sweep/slurm.ts";
import { STUDY_NAMES, studySweep, type StudyName } from "../../experiments/sweep/studies.ts";
import { runParamStudy } from "../../experiments/sweep/param-study.ts";
import { checkNoiseSweep } from "../../experiments/sweep/noise-axis.ts";
import { gridsOf } from "../../experiments/sweep/sweep-config.ts";
import { sweepSummaryTable } from "../../experiments/sweep/summary-table.ts";
import { table } from "../format.ts";
import { printNoise, runNoisePhase } from "./sweep-noise.ts";

/** Cells run the same entry as this process (bin/qmtl.js, or src/cli/main.ts under tsx), with its node options. */
const COMMAND = [...process.execArgv, process.argv[1]!];

interface SweepOptions {
  study?: string;
  suite?: string;
  quick?: boolean;
  base?: string;
  set?: string[];
  name?: string;
  out?: string;
  jobs?: string;
  fresh?: boolean;
  slurm?: boolean;
  status?: boolean;
  collect?: boolean;
  dryRun?: boolean;
}

/** A suite of the table, as the sweep sees it. */
function sweepSuite(name: string): SweepSuite {
  const suite = findSuite(name);
  if (suite === undefined)
    throw new ValidationError("suite", `a known suite: ${SUITES.map((x) => x.name).join(", ")}`, name);
  return {
    name: suite.name,
    schema: suite.schema,
    check: (cfg) => suite.check?.(cfg as never),
    splitIndices: (cfg) => suite.splitIndices(cfg as never),
  };
}

/** Cut a study's cells by the suite's folds when its config has a `folds` field, else by seeds. */
function replicateOf(
  suite: SweepSuite,
  base: Record<string, unknown>,
): { field: "folds" | "seeds"; values: number[] } {
  const splits = suite.splitIndices?.(base) ?? [];
  const withFold = { ...base, folds: [splits[0]] };
  const foldsOk =
    splits.length > 0 &&
    suite.schema.safeParse(withFold).success &&
    (() => {
      try {
        suite.check?.(suite.schema.parse(withFold) as Record<string, unknown>);
        return true;
      } catch {
        return false;
      }
    })();
  if (foldsOk) return { field: "folds", values: splits };
  const seeds =
    Array.isArray(base["seeds"]) && base["seeds"].length > 1 ? (base["seeds"] as number[]) : [0, 1, 2, 3, 4];
  return { field: "seeds", values: seeds };
}

/** `--set path=value`: value is JSON when it parses as JSON, else a string. */
function applySets(obj: Record<string, unknown>, sets: readonly string[]): Record<string, unknown> {
  let out = obj;
  for (const s of sets) {
    const eq = s.indexOf("=");
    if (eq <= 0) throw new ValidationError("--set", "path=value, e.g. epochs=2 or folds=[0]", s);
    const text = s.slice(eq + 1);
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      v = text;
    }
    out = setPath(out, s.slice(0, eq), v);
  }
  return out;
}

function loadFromArgs(target: string | undefined, o: SweepOptions): LoadedSweep {
  const sets = o.set ?? [];
  if (o.study !== undefined) {
    if (target !== undefined)
      throw new ValidationError(
        "--study",
        "no config file with a named study (use --base for the base config)",
        target,
      );
    const name = o.study as StudyName;
    if (!(STUDY_NAMES as readonly string[]).includes(name))
      throw new ValidationError("--study", `one of ${STUDY_NAMES.join(", ")}`, o.study);
    const suite = sweepSuite(o.suite ?? "mustard");
    const rawBase = applySets(o.base ? (readConfigFile(o.base) as Record<string, unknown>) : {}, sets);
    const parsed = suite.schema.safeParse(rawBase);
    if (!parsed.success)
      throw new ValidationError(
        "base",
        `a valid ${suite.name} config (${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")})`,
      );
    const base = parsed.data as Record<string, unknown>;
    const cfg = studySweep(name, {
      suite: suite.name,
      base,
      replicate: replicateOf(suite, base),
      quick: o.quick === true,
      pinned: sets.map((x) => x.slice(0, x.indexOf("="))),
    });
    cfg.base = applySets(cfg.base ?? {}, sets);
    if (o.name) cfg.name = o.name;
    return loadSweep(cfg, o.base, readConfigFile);
  }
  if (target === undefined) throw new ValidationError("<config>", "a sweep config file (or --study NAME)");
  const raw = readConfigFile(target) as Record<string, unknown>;
  const withName = o.name ? { ...raw, name: o.name } : raw;
  const sweep = loadSweep(withName, target, readConfigFile);
  return sets.length > 0 ? { ...sweep, base: applySets(sweep.base, sets) } : sweep;
}

function fmtEta(s: number | null): string {
  if (s === null) return "ETA -";
  const m = Math.floor(s / 60);
  return `ETA ${m > 0 ? `${m}m` : ""}${Math.round(s % 60)}s`;
}

function progressLine(p: SweepProgress): string {
  return `done ${p.done}/${p.total}, running ${p.running.length}, failed ${p.failed.length}, ${fmtEta(p.etaSeconds)}`;
}

function printMerged(m: SweepResults): void {
  const t = sweepSummaryTable(m);
  if (t.rows.length > 0) console.log(table(t.header, t.rows));
  const task = m.setup?.selection.split(" ")[1] ?? m.tasks[0]?.name ?? "";
  printNoise(m, task);
  if (m.missing.length > 0)
    console.log(`${m.missing.length} cell(s) without results yet: ${m.missing.join(", ")}`);
}

function statusCommand(sweepDir: string, rec: SweepRecord): void {
  let rows: Array<{ id: string; state: string; task?: string }>;
  try {
    rows = slurmStatus(sweepDir, rec);
  } catch {
    rows = rec.cells.map((c) => ({ id: c.id, state: cellState(sweepDir, c.id) }));
  }
  console.log(
    table(
      ["cell", "state", "slurm task"],
      rows.map((r) => [r.id, r.state, r.task ?? ""]),
    ),
  );
  const count = (s: string): number => rows.filter((r) => r.state === s).length;
  console.log(
    `${rec.name}: ${count("done")}/${rows.length} done, ${count("running")} running, ${count("queued")} queued, ${count("failed") + count("started")} failed or unfinished, ${count("pending")} not started`,
  );
}

export function registerSweep(program: Command): void {
  program
    .command("sweep")
    .argument("[config]", "sweep config (YAML or JSON), or an existing sweep folder for --status/--collect")
    .description(
      "run a grid of experiments (a sweep config or a named study) locally on every core or on Slurm, and merge the results",
    )
    .option("--study <name>", `a named study instead of a config: ${STUDY_NAMES.join(", ")}`)
    .option("--suite <name>", "the suite a study runs on", "mustard")
    .option("--quick", "shortened study: 10 epochs, the first 3 folds")
    .option("--base <file>", "base experiment config of a study")
    .option(
      "--set <path=value>",
      "override a base config field (JSON value; repeatable), e.g. --set epochs=2",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option("--name <name>", "sweep name: the folder <out>/<name>")
    .option("--out <dir>", "parent folder of sweep folders", "runs")
    .option("--jobs <n>", "cells run at once locally (default: one per core)")
    .option("--fresh", "delete the sweep folder first")
    .option("--slurm", "submit the unfinished cells as a Slurm job array instead of running them here")
    .option("--status", "show each cell's state (and its Slurm task)")
    .option("--collect", "merge the finished cells into sweep-results.json")
    .option("--dry-run", "validate and list the cells, run nothing")
    .action(async (target: string | undefined, o: SweepOptions) => {
      if (o.study === "params") {
        const name = o.name ?? "study-params";
        const study = runParamStudy(name, o.quick ? 6 : 12);
        const dir = resolve(o.out ?? "runs", name);
        openOwnFolder(dir, "param-study", { fresh: o.fresh ?? false });
        writeJsonAtomic(join(dir, "param-study.json"), study);
        console.log(
          table(
            ["T", "d", "classical", "QMTL", "HQNN-4", "formula = model"],
            study.scaling.map((p) => [
              p.T,
              p.d,
              p.classical.instantiated,
              p.qmtl.instantiated,
              p.hqnn4.instantiated,
              String(
                p.classical.formula === p.classical.instantiated &&
                  p.qmtl.formula === p.qmtl.instantiated &&
                  p.hqnn4.formula === p.hqnn4.instantiated,
              ),
            ]),
          ),
        );
        console.log(
          `\n${join(dir, "param-study.json")}; formula and instantiated counts ${study.agree ? "agree" : "DISAGREE"}`,
        );
        if (!study.agree) process.exitCode = 1;
        return;
      }
      // an existing sweep folder: status / collect without the config
      if (target !== undefined && existsSync(target) && statSync(target).isDirectory()) {
        const dir = resolve(target);
        const rec = readSweepRecord(dir);
        if (o.collect) printMerged(writeSweepResults(dir, rec));
        else statusCommand(dir, rec);
        return;
      }
      const sweep = loadFromArgs(target, o);
      const suite = sweepSuite(sweep.config.suite);
      const cells = expandCells(sweep, suite);
      const axisNames = gridsOf(sweep.config).flatMap((g) => g.map((a) => a.name));
      const conditions = checkNoiseSweep(sweep.config.noise, cells, axisNames);
      const sweepDir = resolve(o.out ?? "runs", sweep.config.name);
      if (o.dryRun) {
        console.log(
          table(
            ["cell", "cost"],
            cells.map((c) => [c.id, c.cost]),
          ),
        );
        const evals =
          conditions.length > 0
            ? `, each evaluated under ${conditions.length} noise conditions (${conditions.map((c) => c.label).join(", ")})`
            : "";
        console.log(`${cells.length} cells valid${evals}; folder ${sweepDir}`);
        return;
      }
      if (o.status || o.collect) {
        if (!existsSync(join(sweepDir, SWEEP_FILE)))
          throw new ValidationError(sweepDir, "a sweep folder (run or submit the sweep first)");
        const rec = readSweepRecord(sweepDir);
        if (o.collect) printMerged(writeSweepResults(sweepDir, rec));
        else statusCommand(sweepDir, rec);
        return;
      }
      prepareSweepDir(sweepDir, sweep, cells, { fresh: o.fresh === true });
      const rec = readSweepRecord(sweepDir);
      if (o.slurm) {
        const r = submitSlurm(sweepDir, rec, { baseDir: sweep.baseDir, command: COMMAND });
        if (r.jobId === null)
          console.log(
            `nothing to submit: ${rec.cells.length - r.skippedActive.length} done, ${r.skippedActive.length} queued or running`,
          );
        else
          console.log(
            `submitted job ${r.jobId}: ${r.cells.length} array task(s) (${r.script}); ${r.skippedActive.length} still queued or running`,
          );
        if (conditions.length > 0) {
          const n = submitSlurm(sweepDir, rec, { baseDir: sweep.baseDir, command: COMMAND, kind: "noise" });
          console.log(
            n.jobId === null
              ? `noise evaluation: nothing to submit (${n.skippedActive.length} queued or running)`
              : `submitted noise evaluation job ${n.jobId}: ${n.cells.length} array task(s) after the training arrays (${n.script})`,
          );
        }
        return;
      }
      const pending = cells.filter((c) => cellState(sweepDir, c.id) !== "done");
      const jobs = o.jobs ? Number(o.jobs) : availableParallelism();
      if (!Number.isInteger(jobs) || jobs < 1) throw new ValidationError("--jobs", "an integer >= 1", o.jobs);
      console.log(
        `sweep ${sweep.config.name}: ${cells.length} cells, ${cells.length - pending.length} done earlier, running ${pending.length} in ${Math.min(jobs, Math.max(1, pending.length))} process(es); folder ${sweepDir}`,
      );
      const tty = process.stderr.isTTY === true;
      let last: SweepProgress | undefined;
      const timer = tty
        ? setInterval(() => {
            if (last) process.stderr.write(`\r\x1b[K${progressLine(last)}`);
          }, 1000)
        : undefined;
      const onEvent = (e: LocalEvent): void => {
        last = e.progress;
        const head = tty ? "\r\x1b[K" : "";
        if (e.type === "start") {
          if (!tty) console.error(`start ${e.id} (${progressLine(e.progress)})`);
          return;
        }
        if (e.type === "busy") {
          console.error(`${head}skipped ${e.id}: another process is running it (${e.id}.lock)`);
          return;
        }
        if (e.type === "done")
          console.error(`${head}done ${e.id} in ${e.seconds.toFixed(1)} s (${progressLine(e.progress)})`);
        else console.error(`${head}FAILED ${e.id}: ${e.reason} (${progressLine(e.progress)})`);
      };
      const { failed, busy } = await runLocal(pending, {
        suite: suite.name,
        sweepDir,
        baseDir: sweep.baseDir,
        command: COMMAND,
        jobs,
        onEvent,
      });
      const noise = await runNoisePhase(rec, {
        sweepDir,
        baseDir: sweep.baseDir,
        command: COMMAND,
        jobs,
        onEvent,
      });
      failed.push(...noise.failed);
      if (timer) {
        clearInterval(timer);
        process.stderr.write("\r\x1b[K");
      }
      const merged = writeSweepResults(sweepDir, rec);
      printMerged(merged);
      console.log(`\n${join(sweepDir, "sweep-results.json")}; report: qmtl report ${sweepDir}`);
      if (busy.length > 0)
        console.error(`${busy.length} cell(s) were running in another process: ${busy.join(", ")}`);
      if (failed.length > 0) {
        console.error(
          `${failed.length} cell(s) failed (${failed.join(", ")}); run the same command again to retry them`,
        );
        process.exitCode = 1;
      }
    });
}
