/**
 * Throughput measurement for shared, noisy machines: every figure is the best
 * of a few timed windows (each at least one call), after a warm-up loop (so
 * that the JIT has optimised the code); a call longer than the window is
 * measured once.
 */
export interface Budget {
  /** seconds of untimed warm-up calls (at least one) */
  readonly warm: number;
  /** seconds per timed window */
  readonly window: number;
  /** timed windows per measurement */
  readonly reps: number;
  /** stop adding windows once a measurement has taken this long (seconds) */
  readonly cap: number;
}

const now = (): number => performance.now() / 1000;

/** Best rate of `fn` in units per second, where one call does `units` units. */
export function bestRate(fn: () => void, units: number, b: Budget): number {
  const t0 = now();
  fn();
  let first = now() - t0;
  while (now() - t0 < b.warm) {
    const t = now();
    fn();
    first = now() - t;
  }
  let best = units / first;
  if (first >= b.window) return best;
  for (let r = 0; r < b.reps && now() - t0 < b.cap; r++) {
    const t = now();
    let n = 0;
    do {
      fn();
      n++;
    } while (now() - t < b.window);
    best = Math.max(best, (n * units) / (now() - t));
  }
  return best;
}
