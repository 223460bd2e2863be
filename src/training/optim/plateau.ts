/**
 * torch.optim.lr_scheduler.ReduceLROnPlateau for one learning rate:
 *   better(a, best): min/rel a < best (1 - threshold); max/rel a > best (1 + threshold);
 *                    min/abs a < best - threshold;  max/abs a > best + threshold
 *   step(metric): better -> best = metric, bad = 0, else bad += 1;
 *                 during cooldown: cooldown -= 1, bad = 0;
 *                 bad > patience -> lr = max(lr * factor, minLr) if that lowers it by more
 *                 than eps (1e-8); cooldown = cooldownLength; bad = 0.
 * Defaults are torch's (factor 0.1, patience 10, threshold 1e-4 rel, cooldown 0,
 * minLr 0, eps 1e-8). A NaN metric is never better, as in torch.
 */
import { ValidationError, requireFinite, requireInt } from "../../core/errors.ts";
import type { LrHolder } from "./types.ts";

export type Mode = "min" | "max";

export interface PlateauOptions {
  mode?: Mode;
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: "rel" | "abs";
  cooldown?: number;
  minLr?: number;
  eps?: number;
}

/** JSON-safe scheduler state; `best` is null until the first metric. */
export interface PlateauState {
  best: number | null;
  numBadEpochs: number;
  cooldownCounter: number;
  lastEpoch: number;
}

export class ReduceLROnPlateau {
  readonly mode: Mode;
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: "rel" | "abs";
  readonly cooldown: number;
  readonly minLr: number;
  readonly eps: number;
  private readonly target: LrHolder;
  private best: number;
  private numBadEpochs = 0;
  private cooldownCounter = 0;
  private lastEpoch = 0;

  constructor(target: LrHolder, options: PlateauOptions = {}) {
    this.target = target;
    this.mode = options.mode ?? "min";
    this.factor = options.factor ?? 0.1;
    this.patience = options.patience ?? 10;
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = options.thresholdMode ?? "rel";
    this.cooldown = options.cooldown ?? 0;
    this.minLr = options.minLr ?? 0;
    this.eps = options.eps ?? 1e-8;
    if (this.mode !== "min" && this.mode !== "max")
      throw new ValidationError("ReduceLROnPlateau.mode", '"min" or "max"', this.mode);
    if (this.thresholdMode !== "rel" && this.thresholdMode !== "abs") {
      throw new ValidationError("ReduceLROnPlateau.thresholdMode", '"rel" or "abs"', this.thresholdMode);
    }
    if (!(this.factor >= 0 && this.factor < 1))
      throw new ValidationError("ReduceLROnPlateau.factor", "a number in [0, 1)", this.factor);
    requireInt("ReduceLROnPlateau.patience", this.patience, 0);
    requireInt("ReduceLROnPlateau.cooldown", this.cooldown, 0);
    requireFinite("ReduceLROnPlateau.threshold", this.threshold);
    requireFinite("ReduceLROnPlateau.minLr", this.minLr);
    requireFinite("ReduceLROnPlateau.eps", this.eps);
    this.best = this.worst();
  }

  private worst(): number {
    return this.mode === "min" ? Infinity : -Infinity;
  }

  /** Whether `a` improves on the best value seen so far. */
  isBetter(a: number): boolean {
    const best = this.best;
    if (this.mode === "min") {
      return this.thresholdMode === "rel" ? a < best * (1 - this.threshold) : a < best - this.threshold;
    }
    return this.thresholdMode === "rel" ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /** Feeds one validation metric; returns true when the learning rate was reduced. */
  step(metric: number): boolean {
    this.lastEpoch += 1;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      const old = this.target.lr;
      const next = Math.max(old * this.factor, this.minLr);
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
      if (old - next > this.eps) {
        this.target.lr = next;
        return true;
      }
    }
    return false;
  }

  get lr(): number {
    return this.target.lr;
  }

  state(): PlateauState {
    return {
      best: Number.isFinite(this.best) ? this.best : null,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch,
    };
  }

  loadState(s: PlateauState): void {
    if (s.best !== null) requireFinite("ReduceLROnPlateau.state.best", s.best);
    requireInt("ReduceLROnPlateau.state.numBadEpochs", s.numBadEpochs, 0);
    requireInt("ReduceLROnPlateau.state.cooldownCounter", s.cooldownCounter, 0);
    requireInt("ReduceLROnPlateau.state.lastEpoch", s.lastEpoch, 0);
    this.best = s.best ?? this.worst();
    this.numBadEpochs = s.numBadEpochs;
    this.cooldownCounter = s.cooldownCounter;
    this.lastEpoch = s.lastEpoch;
  }
}
