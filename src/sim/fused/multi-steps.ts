import { apply2q } from "../kernels.ts";
import { wireStride } from "../state.ts";
import type { MultiStep } from "./schedule.ts";
import { cnotInPlace, czInPlace, swapInPlace } from "./perm-kernels.ts";
import type { Buf } from "./workspace.ts";

/** Dense two-qubit steps' inverses (conjugate transposes), made once per step. */
const daggers = new WeakMap<MultiStep, { re: Float64Array; im: Float64Array }>();

/** The 4x4 of a dense two-qubit step, or of its inverse. */
export function stepMatrix4(
  s: MultiStep & { kind: "fixed2" },
  inverse: boolean,
): { re: Float64Array; im: Float64Array } {
  return inverse ? dagger4(s) : s;
}

function dagger4(s: MultiStep & { kind: "fixed2" }): { re: Float64Array; im: Float64Array } {
  let d = daggers.get(s);
  if (!d) {
    d = { re: new Float64Array(16), im: new Float64Array(16) };
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        d.re[j * 4 + i] = s.re[i * 4 + j]!;
        d.im[j * 4 + i] = -s.im[i * 4 + j]!;
      }
    daggers.set(s, d);
  }
  return d;
}

/** A multi-qubit step (or its inverse) in place; CNOT, CZ and SWAP are their own inverses. */
export function applyMulti(st: Buf, n: number, s: MultiStep, inverse: boolean): void {
  switch (s.kind) {
    case "cnot":
      cnotInPlace(st.re, st.im, wireStride(n, s.control), wireStride(n, s.target));
      break;
    case "cz":
      czInPlace(st.re, st.im, wireStride(n, s.a), wireStride(n, s.b));
      break;
    case "swap":
      swapInPlace(st.re, st.im, wireStride(n, s.a), wireStride(n, s.b));
      break;
    case "fixed2": {
      const m = inverse ? dagger4(s) : s;
      apply2q({ n, re: st.re, im: st.im }, s.a, s.b, m.re, m.im);
      break;
    }
  }
}
