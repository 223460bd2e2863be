import type { Rng } from "../core/rng.ts";
import { BaseModule } from "../nn/base-module.ts";
import type { ForwardContext, Param } from "../nn/module.ts";
import { makeParam } from "../nn/param.ts";
import type { DifferentiableExecutor, Tape } from "../sim/executor.ts";

/**
 * A variational circuit as a layer: the input vector of each sample gives its
 * data angles, the layer's weights are the circuit's trainable angles, the
 * output is the circuit's expectation values. The backward pass is the
 * executor's vector-Jacobian product, so it composes with the classical
 * layers into one backward pass. Weights start uniform in [0, 2 pi), as
 * PennyLane's TorchLayer initialises them.
 */
export class CircuitLayer extends BaseModule {
  readonly inSize: number;
  readonly outSize: number;
  readonly weights: Param;
  readonly executor: DifferentiableExecutor;
  private tape: Tape | null = null;
  private batch: number | null = null;
  /** milliseconds spent inside the simulator (forward + backward), for profiling */
  simMs = 0;

  constructor(executor: DifferentiableExecutor, rng: Rng, name = "weights") {
    super();
    this.executor = executor;
    this.inSize = executor.nInputs;
    this.outSize = executor.nOutputs;
    this.weights = this.registerParam(makeParam(name, [executor.nWeights]));
    for (let i = 0; i < executor.nWeights; i++) this.weights.value[i] = rng.range(0, 2 * Math.PI);
  }

  forward(x: Float64Array, batch: number, _ctx: ForwardContext): Float64Array {
    this.checkInput(x, batch);
    const t0 = performance.now();
    this.tape = this.executor.record(x, this.weights.value, batch);
    this.simMs += performance.now() - t0;
    this.batch = batch;
    return this.tape.outputs;
  }

  backward(gradOut: Float64Array): Float64Array {
    this.checkGradOut(gradOut, this.batch);
    const t0 = performance.now();
    const g = this.tape!.backward(gradOut);
    this.simMs += performance.now() - t0;
    const wg = this.weights.grad;
    for (let i = 0; i < wg.length; i++) wg[i]! += g.gradWeights[i]!;
    this.weights.hasGrad = true;
    return g.gradInputs;
  }
}
