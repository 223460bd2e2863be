import { ValidationError } from "./errors.ts";

/**
 * Seeded pseudo-random generator (xoshiro128**, seeded through splitmix32).
 * Every random choice in qmtl comes from one of these: same seed, same stream.
 * `fork(label)` derives an independent stream, so adding a consumer of
 * randomness in one place does not shift the numbers drawn elsewhere.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;
  readonly seed: number;

  constructor(seed: number) {
    if (typeof seed !== "number" || !Number.isFinite(seed))
      throw new ValidationError("Rng seed", "a finite number", seed);
    this.seed = seed;
    let x = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    // High bits of a seed beyond 32 bits still matter.
    const hi = Math.floor(seed / 4294967296) >>> 0;
    this.s0 = next() ^ hi;
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform double in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box-Muller, caching the second value). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** In-place Fisher-Yates shuffle; returns the array. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = xs[i] as T;
      xs[i] = xs[j] as T;
      xs[j] = tmp;
    }
    return xs;
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** The generator's full state, for checkpoints: restoring it continues the same stream. */
  getState(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.spare === null ? Number.NaN : this.spare];
  }

  setState(state: readonly number[]): void {
    if (
      state.length !== 5 ||
      state.slice(0, 4).some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)
    ) {
      throw new ValidationError(
        "Rng state",
        "4 unsigned 32-bit integers and a spare normal",
        JSON.stringify(state),
      );
    }
    [this.s0, this.s1, this.s2, this.s3] = state as [number, number, number, number];
    const spare = state[4]!;
    this.spare = Number.isNaN(spare) ? null : spare;
  }

  /** An independent stream derived from this generator's seed and a label. */
  fork(label: string | number): Rng {
    let h = 2166136261 >>> 0;
    const text = `${this.seed}/${label}`;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
    return new Rng(h);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
