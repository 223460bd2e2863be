import { ValidationError, requireInt } from "../core/errors.ts";
import { checkNorm, checkPauliWord, checkStateShape } from "./pauli-ops.ts";
import type { Rng } from "../core/rng.ts";
import type { PauliWord } from "../circuits/pauli.ts";
import { groupQubitWise } from "../circuits/pauli.ts";
import type { StateVector } from "./state.ts";
import { cloneState, wireStride } from "./state.ts";
import { apply1q } from "./kernels.ts";

/** Finite-shot estimates of Pauli expectation values. */
export interface ShotEstimate {
  /** estimated <P> per observable */
  readonly means: Float64Array;
  /** standard error per observable: sqrt((1 - mean^2) / (shots - 1)), the sample std of +-1 outcomes over sqrt(shots) */
  readonly stderr: Float64Array;
  /** number of qubit-wise-commuting measurement settings used */
  readonly settings: number;
  readonly shotsPerSetting: number;
}

const S2 = Math.SQRT1_2;
const isList = (x: unknown): boolean => Array.isArray(x);

/**
 * Measures `words` with `shots` shots per measurement setting: the words are
 * grouped into qubit-wise-commuting settings, each setting rotates its wires
 * into the Z basis (H for X; S^dag then H for Y), draws `shots` basis states
 * from the Born distribution with the seeded `rng`, and each word's estimate
 * is the mean of its +-1 parities.
 */
/** Most shots per setting (each shot is a binary search; 1e8 take minutes). */
export const MAX_SHOTS = 100_000_000;

/** Estimates the expectation of each Pauli word from `shots` seeded samples per qubit-wise-commuting measurement setting. */
export function sampleExpectations(
  psi: StateVector,
  words: readonly PauliWord[],
  shots: number,
  rng: Rng,
): ShotEstimate {
  requireInt("shots", shots, 1, MAX_SHOTS);
  checkStateShape(psi);
  if (!isList(words) || words.length === 0)
    throw new ValidationError("words", "at least one Pauli word to measure", words);
  words.forEach((w, i) => checkPauliWord(w, psi.n, `words[${i}]`));
  const groups = groupQubitWise(words);
  const means = new Float64Array(words.length);
  const stderr = new Float64Array(words.length);
  for (const g of groups) {
    const s = cloneState(psi);
    for (const [wire, p] of g.basis) {
      if (p === "X") apply1q(s, wire, S2, 0, S2, 0, S2, 0, -S2, 0);
      else if (p === "Y") apply1q(s, wire, S2, 0, 0, -S2, S2, 0, 0, S2); // H S^dag
    }
    const cdf = new Float64Array(s.re.length);
    let acc = 0;
    for (let x = 0; x < cdf.length; x++) {
      acc += s.re[x]! * s.re[x]! + s.im[x]! * s.im[x]!;
      cdf[x] = acc;
    }
    checkNorm(acc);
    const masks = g.members.map((i) => words[i]!.factors.reduce((m, f) => m | wireStride(psi.n, f.wire), 0));
    const sums = new Float64Array(g.members.length);
    for (let k = 0; k < shots; k++) {
      const x = searchCdf(cdf, rng.uniform() * acc);
      for (let j = 0; j < masks.length; j++) sums[j]! += parity(x & masks[j]!) ? -1 : 1;
    }
    g.members.forEach((i, j) => {
      const m = sums[j]! / shots;
      means[i] = m;
      stderr[i] = shots > 1 ? Math.sqrt(Math.max(0, 1 - m * m) / (shots - 1)) : 1;
    });
  }
  return { means, stderr, settings: groups.length, shotsPerSetting: shots };
}

function searchCdf(cdf: Float64Array, u: number): number {
  let lo = 0,
    hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}
