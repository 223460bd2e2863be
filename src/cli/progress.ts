import cliProgress from "cli-progress";
import { verbosity } from "./verbosity.ts";

/**
 * Progress display: a bar with ETA on a terminal, plain lines every few
 * seconds otherwise (CI, logs), so long runs never look stuck. With --quiet
 * nothing; with --verbose every update as a plain line. No colour anywhere
 * (the bar is drawn only on a terminal; NO_COLOR needs nothing turned off).
 */
export interface Progress {
  start(label: string, total: number): void;
  update(done: number, info?: string): void;
  stop(): void;
  log(line: string): void;
}

export function makeProgress(stream: NodeJS.WriteStream = process.stderr, intervalMs = 5000): Progress {
  const v = verbosity();
  if (v === "quiet") return { start() {}, update() {}, stop() {}, log() {} };
  if (v === "verbose") intervalMs = 0;
  if (stream.isTTY && v !== "verbose") {
    const bar = new cliProgress.SingleBar(
      {
        format: "{label} |{bar}| {value}/{total} {info} ETA {eta_formatted}",
        hideCursor: true,
        clearOnComplete: true,
        stream,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let active = false;
    return {
      start(label, total) {
        if (active) bar.stop();
        bar.start(total, 0, { label, info: "" });
        active = true;
      },
      update(done, info = "") {
        if (active) bar.update(done, { info });
      },
      stop() {
        if (active) bar.stop();
        active = false;
      },
      log(line) {
        if (active) {
          bar.stop();
          active = false;
        }
        stream.write(line + "\n");
      },
    };
  }
  let label = "",
    total = 0,
    last = 0,
    t0 = Date.now();
  return {
    start(l, t) {
      label = l;
      total = t;
      last = 0;
      t0 = Date.now();
    },
    update(done, info = "") {
      const now = Date.now();
      if (now - last < intervalMs && done < total) return;
      last = now;
      const rate = done / Math.max(1e-3, (now - t0) / 1000);
      const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
      stream.write(`${label} ${done}/${total} ${info} eta ${eta}s\n`);
    },
    stop() {},
    log(line) {
      stream.write(line + "\n");
    },
  };
}
