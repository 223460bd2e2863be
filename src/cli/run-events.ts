/**
 * What `qmtl run` prints while it runs: progress bars and one line per finished cell on a terminal
 * (progressEvents), plain lines for a child process whose parent prefixes them (plainChildLog).
 */
import type { ExperimentEvent } from "../experiments/engine.ts";
import type { BaseConfig } from "../experiments/suite.ts";
import type { makeProgress } from "./progress.ts";

function selectionTask(cfg: BaseConfig): string | undefined {
  const sel = (cfg as unknown as { selection?: { task?: unknown } }).selection;
  return typeof sel?.task === "string" ? sel.task : undefined;
}

export function progressEvents(
  progress: ReturnType<typeof makeProgress>,
  cfg: BaseConfig,
): (e: ExperimentEvent) => void {
  let stage = "";
  const task = selectionTask(cfg);
  return (e) => {
    switch (e.type) {
      case "stage":
        progress.log(e.message);
        break;
      case "progress":
        if (e.stage !== stage) {
          progress.start(e.stage, e.total);
          stage = e.stage;
        }
        progress.update(e.done);
        if (e.done === e.total) {
          progress.stop();
          stage = "";
        }
        break;
      case "run-start":
        progress.start(
          `[${e.index}/${e.total}] ${e.head} fold ${e.fold} seed ${e.seed}${e.resumed ? " (resumed)" : ""}`,
          cfg.epochs,
        );
        break;
      case "train":
        if (e.event.type === "epoch")
          progress.update(
            e.event.epoch,
            `loss ${e.event.trainLoss.toFixed(4)} val ${fmt(e.event.valScore ?? undefined)}`,
          );
        break;
      case "run-done": {
        progress.stop();
        progress.log(
          `[${e.index}/${e.total}] ${cellLine(e.result, task)}${e.cached ? " (done earlier)" : ""}`,
        );
        break;
      }
    }
  };
}

function cellLine(
  r: {
    head: string;
    fold: number;
    seed: number;
    bestEpoch: number;
    seconds: number;
    test: Record<string, Record<string, number>>;
  },
  task: string | undefined,
): string {
  const t = task ?? Object.keys(r.test)[0]!;
  const s = r.test[t];
  const metric =
    s?.["accuracy"] !== undefined
      ? `acc ${fmt(s["accuracy"])} f1 ${fmt(s["f1"])}`
      : `spearman ${fmt(s?.["spearman"])}`;
  return `${r.head} fold ${r.fold} seed ${r.seed}: test ${t} ${metric} (best epoch ${r.bestEpoch}, ${r.seconds.toFixed(1)} s)`;
}

/** A child's log: a plain line every 10 epochs and per finished cell (the parent prefixes the job). */
export function plainChildLog(e: ExperimentEvent): void {
  if (
    e.type === "train" &&
    e.event.type === "epoch" &&
    (e.event.epoch % 10 === 0 || e.event.epoch === e.event.epochs)
  ) {
    console.log(
      `${e.head} fold ${e.fold} seed ${e.seed} epoch ${e.event.epoch}/${e.event.epochs} loss ${e.event.trainLoss.toFixed(4)} val ${fmt(e.event.valScore ?? undefined)}`,
    );
  } else if (e.type === "run-done") {
    console.log(`${cellLine(e.result, undefined)}${e.cached ? " (done earlier)" : ""}`);
  } else if (e.type === "run-start" && e.resumed) {
    console.log(`${e.head} fold ${e.fold} seed ${e.seed} (resumed)`);
  }
}

function fmt(v: number | undefined): string {
  return v === undefined ? "-" : v.toFixed(3);
}
