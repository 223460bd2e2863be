/** What schedulers and training loops need from an optimizer. */
import type { Param } from "../../nn/module.ts";

/** Anything with a mutable learning rate (what ReduceLROnPlateau adjusts). */
export interface LrHolder {
  lr: number;
}

export interface Optimizer extends LrHolder {
  readonly params: readonly Param[];
  /** One update of every parameter that has a gradient (`hasGrad`). */
  step(): void;
  /** Zeroes the gradients of the optimised parameters (and clears hasGrad). */
  zeroGrad(): void;
}
