import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.ts";
import { parseMustardConfig, readConfigFile, HEAD_IDS } from "../../experiments/config-schema.ts";
import { mustardCells, runMustard, runMustardCells, type MustardEvent } from "../../experiments/mustard.ts";
import { cellDone } from "../../experiments/cross-validate.ts";
import { loadMustardInputs } from "../../experiments/mustard-data.ts";
import { writeJsonAtomic } from "../../core/atomic-file.ts";
import { availableParallelism } from "node:os";
import { Option } from "commander";
import { assignCells, parentWatch, runChildren } from "../jobs.ts";
import { writeReport } from "../../experiments/report/write-report.ts";
import { makeProgress } from "../progress.ts";

interface RunOptions {
  config?: string; name?: string; out?: string; epochs?: string; folds?: string; seeds?: string; heads?: string;
  backbone?: string; features?: string; split?: string; resume?: boolean; fresh?: boolean; jobs?: string; threads?: string; cells?: string;
}

const list = (s: string): string[] => s.split(",").map((x) => x.trim()).filter((x) => x.length > 0);
const nums = (flag: string, s: string): number[] => list(s).map((x) => {
  const n = Number(x);
  if (!Number.isInteger(n)) throw new ValidationError(flag, "a comma-separated list of integers", s);
  return n;
});

export function registerRun(program: Command): void {
  program
    .command("run")
    .argument("<experiment>", "the experiment to run: mustard")
    .description("run an experiment end to end (train, evaluate, report) into runs/<name>/")
    .option("--config <file>", "YAML or JSON experiment config (validated; command-line flags override it)")
    .option("--name <name>", "run name: the output goes to <out>/<name> (default from config: mustard)")
    .option("--out <dir>", "parent folder of run folders", "runs")
    .option("--epochs <n>", "training epochs (paper: 50)")
    .option("--folds <list>", "comma-separated fold indices 0-4 (paper: all five)")
    .option("--seeds <list>", "comma-separated seeds (default: 0)")
    .option("--heads <list>", `comma-separated heads: ${HEAD_IDS.join(", ")}`)
    .option("--backbone <name>", "text backbone for the features: use (default) or glove")
    .option("--features <file>", "user-supplied features (.npy, .npz or .json) instead of a text backbone")
    .option("--split <name>", "speaker-dependent (default, the official 5 folds) or speaker-independent")
    .option("--resume", "continue an interrupted run in the same folder (finished folds are kept)")
    .option("--fresh", "delete an existing run folder of the same name first")
    .option("--jobs <n>", "processes running cells in parallel (default: one per core)")
    .option("--threads <n>", "threads splitting each simulator batch, per process (default 1; for runs of fewer cells than cores)")
    .addOption(new Option("--cells <list>", "internal: run only these head:fold:seed cells").hideHelp())
    .action(async (experiment: string, o: RunOptions) => {
      if (experiment !== "mustard") throw new ValidationError("experiment", `one of: mustard`, experiment);
      const raw: Record<string, unknown> = o.config ? { ...(readConfigFile(o.config) as Record<string, unknown>) } : {};
      if (o.name) raw["name"] = o.name;
      if (o.epochs) raw["epochs"] = Number(o.epochs);
      if (o.folds) raw["folds"] = nums("--folds", o.folds);
      if (o.seeds) raw["seeds"] = nums("--seeds", o.seeds);
      if (o.heads) raw["heads"] = list(o.heads);
      if (o.backbone) raw["backbone"] = o.backbone;
      if (o.features) raw["features"] = resolve(o.features);
      if (o.split) raw["split"] = o.split;
      if (o.threads) raw["threads"] = Number(o.threads);
      const cfg = parseMustardConfig(raw, o.config ?? "config");
      const runDir = resolve(o.out ?? "runs", cfg.name);
      const startedAt = Date.now();
      if (o.cells) {
        // a child of a parallel run: the parent prepared the folder and the features
        const checkParent = parentWatch();
        await runMustardCells(cfg, runDir, list(o.cells), (e) => { checkParent(); plainChildLog(e); });
        return;
      }
      prepareRunDir(runDir, cfg, o);
      const progress = makeProgress();
      let embedding = false;
      const onEvent = (e: MustardEvent): void => {
        switch (e.type) {
          case "stage": progress.log(e.message); break;
          case "features":
            if (!embedding) { progress.start("embedding texts (once; cached in .cache/)", e.total); embedding = true; }
            progress.update(e.done);
            if (e.done === e.total) progress.stop();
            break;
          case "run-start":
            progress.start(`[${e.index}/${e.total}] ${e.head} fold ${e.fold} seed ${e.seed}${e.resumed ? " (resumed)" : ""}`, cfg.epochs);
            break;
          case "train":
            if (e.event.type === "epoch") progress.update(e.event.epoch, `loss ${e.event.trainLoss.toFixed(4)} val ${e.event.valScore.toFixed(3)}`);
            break;
          case "run-done": {
            progress.stop();
            const r = e.result;
            const s = r.test[cfg.selection.task];
            progress.log(`[${e.index}/${e.total}] ${r.head} fold ${r.fold} seed ${r.seed}${e.cached ? " (done earlier)" : ""}: test ${cfg.selection.task} acc ${fmt(s?.["accuracy"])} f1 ${fmt(s?.["f1"])} (best epoch ${r.bestEpoch}, ${r.seconds.toFixed(1)} s)`);
            break;
          }
        }
      };
      const requested = o.jobs ? Number(o.jobs) : availableParallelism();
      if (!Number.isInteger(requested) || requested < 1) throw new ValidationError("--jobs", "an integer >= 1", o.jobs);
      const cells = mustardCells(cfg).filter((c) => !cellDone(runDir, c));
      const jobs = Math.min(cells.length, requested);
      if (jobs > 1) {
        // features once (cached) before the children start, then one process per job
        await loadMustardInputs(cfg, (done, total) => onEvent({ type: "features", done, total }));
        progress.stop();
        writeJsonAtomic(join(runDir, "config.json"), cfg);
        const groups = assignCells(cells, jobs);
        progress.log(`running ${cells.length} unfinished cells in ${groups.length} processes`);
        const args = ["run", "mustard", "--config", join(runDir, "config.json"), "--out", resolve(o.out ?? "runs"), "--resume"];
        await runChildren(args, groups, (line) => progress.log(line));
      } else if (cells.length > 0 && cfg.threads === 1 && availableParallelism() > 1) {
        progress.log(`one process runs the ${cells.length} unfinished cell${cells.length === 1 ? "" : "s"}; --threads ${availableParallelism()} would split each simulator batch over ${availableParallelism()} threads`);
      }
      const results = await runMustard(cfg, runDir, onEvent, { startedAt });
      progress.stop();
      const { files } = await writeReport(runDir, results);
      console.log(`\nreport: ${join(runDir, "report.md")}`);
      for (const f of files) console.log(`  ${f}`);
      console.log(`total ${results.timing.totalSeconds.toFixed(1)} s, simulator ${results.timing.simSeconds.toFixed(1)} s`);
    });
}

/** A child's log: a plain line every 10 epochs and per finished cell (the parent prefixes the job). */
function plainChildLog(e: MustardEvent): void {
  if (e.type === "train" && e.event.type === "epoch" && (e.event.epoch % 10 === 0 || e.event.epoch === e.event.epochs)) {
    console.log(`${e.head} fold ${e.fold} seed ${e.seed} epoch ${e.event.epoch}/${e.event.epochs} loss ${e.event.trainLoss.toFixed(4)} val ${e.event.valScore.toFixed(3)}`);
  } else if (e.type === "run-done") {
    const s = e.result.test["sarcasm"];
    console.log(`${e.result.head} fold ${e.result.fold} seed ${e.result.seed}${e.cached ? " (done earlier)" : ""}: test sarcasm acc ${fmt(s?.["accuracy"])} f1 ${fmt(s?.["f1"])} (best epoch ${e.result.bestEpoch}, ${e.result.seconds.toFixed(1)} s)`);
  } else if (e.type === "run-start" && e.resumed) {
    console.log(`${e.head} fold ${e.fold} seed ${e.seed} (resumed)`);
  }
}

function fmt(v: number | undefined): string {
  return v === undefined ? "-" : v.toFixed(3);
}

/** A run folder is reused only with --resume (and the same config), or wiped with --fresh. */
function prepareRunDir(runDir: string, cfg: unknown, o: RunOptions): void {
  const cfgPath = join(runDir, "config.json");
  if (!existsSync(runDir)) return;
  if (o.fresh) { rmSync(runDir, { recursive: true, force: true }); return; }
  if (!existsSync(cfgPath)) return;
  if (!o.resume) {
    throw new ValidationError("--resume", `a choice for the existing run folder ${runDir}: pass --resume to continue it or --fresh to start over`);
  }
  const old = JSON.parse(readFileSync(cfgPath, "utf8")) as Record<string, unknown>;
  const now = cfg as Record<string, unknown>;
  const diff = Object.keys({ ...old, ...now }).filter((k) => JSON.stringify(old[k]) !== JSON.stringify(now[k]));
  if (diff.length > 0) {
    throw new ValidationError("--resume", `the same config as the run being resumed (differs in: ${diff.join(", ")}); use another --name or --fresh`);
  }
}
