/**
 * Early stopping on a validation score: remembers the best score and the
 * epoch (or check) it came from, counts checks without improvement, and says
 * when that count reaches `patience`. Improvement is strict: mode "max"
 * needs score > best + minDelta, mode "min" score < best - minDelta; the first
 * finite score always improves; NaN never does.
 */
import { ValidationError, requireFinite, requireInt } from "../core/errors.ts";
import type { Mode } from "./optim/plateau.ts";

export interface EarlyStoppingOptions {
  patience: number;
  mode?: Mode;
  minDelta?: number;
}

export interface EarlyStoppingState {
  bestScore: number | null;
  bestEpoch: number | null;
  badChecks: number;
}

export interface EarlyStoppingDecision {
  /** This score is the new best: checkpoint now. */
  improved: boolean;
  /** `patience` checks in a row without improvement: stop training. */
  shouldStop: boolean;
}

export class EarlyStopping {
  readonly patience: number;
  readonly mode: Mode;
  readonly minDelta: number;
  bestScore: number | null = null;
  bestEpoch: number | null = null;
  badChecks = 0;

  constructor(options: EarlyStoppingOptions) {
    this.patience = options.patience;
    this.mode = options.mode ?? "max";
    this.minDelta = options.minDelta ?? 0;
    requireInt("EarlyStopping.patience", this.patience, 1);
    if (this.mode !== "min" && this.mode !== "max")
      throw new ValidationError("EarlyStopping.mode", '"min" or "max"', this.mode);
    if (!(this.minDelta >= 0) || !Number.isFinite(this.minDelta)) {
      throw new ValidationError("EarlyStopping.minDelta", "a finite number >= 0", this.minDelta);
    }
  }

  step(score: number, epoch: number): EarlyStoppingDecision {
    const best = this.bestScore;
    const improved =
      Number.isFinite(score) &&
      (best === null || (this.mode === "max" ? score > best + this.minDelta : score < best - this.minDelta));
    if (improved) {
      this.bestScore = score;
      this.bestEpoch = epoch;
      this.badChecks = 0;
    } else {
      this.badChecks += 1;
    }
    return { improved, shouldStop: this.shouldStop() };
  }

  shouldStop(): boolean {
    return this.badChecks >= this.patience;
  }

  state(): EarlyStoppingState {
    return { bestScore: this.bestScore, bestEpoch: this.bestEpoch, badChecks: this.badChecks };
  }

  loadState(s: EarlyStoppingState): void {
    if (s.bestScore !== null) requireFinite("EarlyStopping.state.bestScore", s.bestScore);
    if (s.bestEpoch !== null) requireFinite("EarlyStopping.state.bestEpoch", s.bestEpoch);
    requireInt("EarlyStopping.state.badChecks", s.badChecks, 0);
    this.bestScore = s.bestScore;
    this.bestEpoch = s.bestEpoch;
    this.badChecks = s.badChecks;
  }
}
