import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time of every thread of this process (Linux: /proc/self/task/<tid>/schedstat,
 * nanoseconds on a CPU), so that a threaded call can be costed per thread even
 * when other jobs take the cores away: with the calling thread's and the
 * busiest worker's CPU time per call, max(caller, worker) is the wall time the
 * call would take on two free cores (plus wake-ups). Empty where /proc is missing.
 * The kernel updates a running thread's figure at scheduler ticks, so measure
 * many calls (>= ~0.1 s) at a time.
 */
export function threadCpuNs(): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync("/proc/self/task");
  } catch {
    return out;
  }
  for (const t of tids) {
    try {
      out.set(Number(t), Number(readFileSync(`/proc/self/task/${t}/schedstat`, "utf8").split(" ")[0]));
    } catch {
      /* thread ended */
    }
  }
  return out;
}

/** Per-call CPU microseconds of the calling thread (tid = pid) and of the busiest other thread over n calls of fn. */
export function cpuPerCall(fn: () => void, n: number): { callerUs: number; workerUs: number } {
  const a = threadCpuNs();
  for (let i = 0; i < n; i++) fn();
  const b = threadCpuNs();
  let caller = 0,
    worker = 0;
  for (const [tid, v] of b) {
    const d = (v - (a.get(tid) ?? v)) / 1e3 / n;
    if (tid === process.pid) caller = d;
    else worker = Math.max(worker, d);
  }
  return { callerUs: caller, workerUs: worker };
}
