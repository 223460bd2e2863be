/**
 * The contract every layer in qmtl's tiny define-by-layer autodiff follows.
 *
 * Data layout: a batch of B vectors of size n is one Float64Array of length
 * B*n, row-major and batch-major (sample b occupies [b*n, (b+1)*n)).
 *
 * A module caches what it needs from its most recent `forward`; `backward`
 * consumes that cache, returns the gradient with respect to the input and
 * *accumulates* (+=) into its parameters' `grad` arrays, as PyTorch does.
 * One `backward` belongs to the latest `forward`; a module used twice in one
 * graph (weight sharing) needs two instances sharing nothing but parameters.
 * Inputs passed to `forward` must not be mutated before `backward`.
 */
import type { Rng } from "../core/rng.ts";

/** Per-call context: training mode (Dropout, BatchNorm) and the randomness source. */
export interface ForwardContext {
  readonly training: boolean;
  readonly rng: Rng;
}

/**
 * A trainable tensor. `value` and `grad` are updated in place, never replaced,
 * so optimizers and checkpoints can hold on to them. `hasGrad` mirrors
 * PyTorch's `p.grad is not None` after `zero_grad(set_to_none=True)`: a
 * backward pass that reaches the parameter sets it, `zeroGrad` clears it, and
 * optimizers and gradient clipping skip parameters without a gradient.
 */
export interface Param {
  /** Local name inside its module ("weight"); qualified names come from `namedParams`. */
  readonly name: string;
  /** Logical shape, row-major (a Linear weight is [out, in], as in PyTorch). */
  readonly shape: readonly number[];
  readonly value: Float64Array;
  readonly grad: Float64Array;
  hasGrad: boolean;
}

/** Non-trainable state saved in checkpoints (BatchNorm running statistics). */
export interface StateBuffer {
  readonly name: string;
  readonly shape: readonly number[];
  readonly value: Float64Array;
}

export interface Module {
  readonly inSize: number;
  readonly outSize: number;
  /** Every trainable parameter of this module and its children (stable objects). */
  params(): Param[];
  /** Parameters with dotted qualified names ("0.weight"), PyTorch style. */
  namedParams(): Array<[string, Param]>;
  /** Buffers with dotted qualified names ("1.running_mean"). */
  namedBuffers(): Array<[string, StateBuffer]>;
  forward(x: Float64Array, batch: number, ctx: ForwardContext): Float64Array;
  /**
   * Gradient with respect to the input of the last forward. With
   * `needInputGrad` false the caller will not read it (the first layer on
   * frozen features): a module may then skip that work and return an empty
   * array; parameter gradients are accumulated either way.
   */
  backward(gradOut: Float64Array, needInputGrad?: boolean): Float64Array;
  /** Sets every gradient to 0 and `hasGrad` to false. */
  zeroGrad(): void;
}
