/** A chain of modules; children are named "0", "1", ... as in torch.nn.Sequential. */
import { ValidationError } from "../core/errors.ts";
import { BaseModule } from "./base-module.ts";
import type { ForwardContext, Module } from "./module.ts";

export class Sequential extends BaseModule {
  readonly inSize: number;
  readonly outSize: number;
  readonly layers: readonly Module[];
  private batch: number | null = null;

  constructor(layers: readonly Module[]) {
    super();
    if (layers.length === 0) throw new ValidationError("Sequential.layers", "at least one module", layers);
    for (let i = 1; i < layers.length; i++) {
      const prev = layers[i - 1] as Module;
      const cur = layers[i] as Module;
      if (prev.outSize !== cur.inSize) {
        throw new ValidationError(
          `Sequential.layers[${i}].inSize`,
          `${prev.outSize} (the outSize of layers[${i - 1}])`,
          cur.inSize,
        );
      }
    }
    this.layers = [...layers];
    this.layers.forEach((m, i) => this.registerChild(String(i), m));
    this.inSize = (layers[0] as Module).inSize;
    this.outSize = (layers[layers.length - 1] as Module).outSize;
  }

  forward(x: Float64Array, batch: number, ctx: ForwardContext): Float64Array {
    this.checkInput(x, batch);
    let h = x;
    for (const m of this.layers) h = m.forward(h, batch, ctx);
    this.batch = batch;
    return h;
  }

  backward(gradOut: Float64Array, needInputGrad = true): Float64Array {
    this.checkGradOut(gradOut, this.batch);
    let g = gradOut;
    for (let i = this.layers.length - 1; i >= 0; i--)
      g = (this.layers[i] as Module).backward(g, i > 0 || needInputGrad);
    return g;
  }
}
