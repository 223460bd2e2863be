/**
 * expect(actual).toBeAllclose(expected, { rtol, atol }): numpy's allclose
 * (|a - e| <= atol + rtol |e| elementwise, same length), and on failure the
 * worst index with its expected and actual values and how many entries fail.
 * Registered for every test file by vitest.config.ts (setupFiles).
 */
import { expect } from "vitest";

export interface AllcloseOptions {
  readonly rtol?: number;
  readonly atol?: number;
}

function toArray(x: unknown): number[] | null {
  if (Array.isArray(x)) return x as number[];
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return Array.from(x as unknown as ArrayLike<number>);
  return null;
}

expect.extend({
  toBeAllclose(received: unknown, expected: unknown, opts: AllcloseOptions = {}) {
    const rtol = opts.rtol ?? 1e-10,
      atol = opts.atol ?? 0;
    const a = toArray(received),
      e = toArray(expected);
    if (a === null || e === null)
      return { pass: false, message: () => "toBeAllclose: expected two arrays or typed arrays" };
    if (a.length !== e.length)
      return { pass: false, message: () => `toBeAllclose: length ${a.length}, expected ${e.length}` };
    let worst = -1,
      worstExcess = -Infinity,
      failing = 0;
    for (let i = 0; i < a.length; i++) {
      const tol = atol + rtol * Math.abs(e[i]!);
      const diff = Math.abs(a[i]! - e[i]!);
      const bad = !(diff <= tol) && !(Number.isNaN(a[i]) && Number.isNaN(e[i]));
      if (bad) failing++;
      const excess = Number.isNaN(diff) ? Infinity : diff - tol;
      if (bad && excess > worstExcess) {
        worstExcess = excess;
        worst = i;
      }
    }
    const pass = failing === 0;
    return {
      pass,
      message: () =>
        pass
          ? `expected arrays not to be allclose (rtol ${rtol}, atol ${atol})`
          : `${failing} of ${a.length} entries differ beyond atol ${atol} + rtol ${rtol} |expected|; worst at index ${worst}: expected ${e[worst]}, got ${a[worst]} (difference ${Math.abs(a[worst]! - e[worst]!)})`,
    };
  },
});

declare module "vitest" {
  interface Assertion<T> {
    toBeAllclose(expected: ArrayLike<number> | readonly number[], opts?: AllcloseOptions): T;
  }
  interface AsymmetricMatchersContaining {
    toBeAllclose(expected: ArrayLike<number> | readonly number[], opts?: AllcloseOptions): void;
  }
}
