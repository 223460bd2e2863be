/**
 * A base class doing the bookkeeping shared by all layers: registering
 * parameters, buffers and children, qualified names, zeroGrad, and the size
 * checks at the forward/backward boundaries.
 */
import { ValidationError, requireInt } from "../core/errors.ts";
import type { ForwardContext, Module, Param, StateBuffer } from "./module.ts";
import { zeroGrads } from "./param.ts";

export abstract class BaseModule implements Module {
  abstract readonly inSize: number;
  abstract readonly outSize: number;
  private readonly ownParams: Param[] = [];
  private readonly ownBuffers: StateBuffer[] = [];
  private readonly children: Array<[string, Module]> = [];

  protected registerParam(p: Param): Param {
    this.ownParams.push(p);
    return p;
  }

  protected registerBuffer(b: StateBuffer): StateBuffer {
    this.ownBuffers.push(b);
    return b;
  }

  protected registerChild(name: string, m: Module): void {
    this.children.push([name, m]);
  }

  params(): Param[] {
    return this.namedParams().map(([, p]) => p);
  }

  namedParams(): Array<[string, Param]> {
    const out: Array<[string, Param]> = this.ownParams.map((p) => [p.name, p]);
    for (const [childName, child] of this.children) {
      for (const [n, p] of child.namedParams()) out.push([`${childName}.${n}`, p]);
    }
    return out;
  }

  namedBuffers(): Array<[string, StateBuffer]> {
    const out: Array<[string, StateBuffer]> = this.ownBuffers.map((b) => [b.name, b]);
    for (const [childName, child] of this.children) {
      for (const [n, b] of child.namedBuffers()) out.push([`${childName}.${n}`, b]);
    }
    return out;
  }

  zeroGrad(): void {
    zeroGrads(this.params());
  }

  abstract forward(x: Float64Array, batch: number, ctx: ForwardContext): Float64Array;
  abstract backward(gradOut: Float64Array, needInputGrad?: boolean): Float64Array;

  /** Validates a forward input: integer batch >= 0 and length batch*inSize. */
  protected checkInput(x: Float64Array, batch: number): void {
    requireInt(`${this.constructor.name}.forward batch`, batch, 0);
    if (x.length !== batch * this.inSize) {
      throw new ValidationError(
        `${this.constructor.name}.forward x`,
        `length batch*inSize = ${batch}*${this.inSize} = ${batch * this.inSize}`,
        `length ${x.length}`,
      );
    }
  }

  /** Validates a backward input against the batch of the cached forward. */
  protected checkGradOut(gradOut: Float64Array, batch: number | null): number {
    if (batch === null) {
      throw new ValidationError(`${this.constructor.name}.backward`, "a preceding forward call", "none");
    }
    if (gradOut.length !== batch * this.outSize) {
      throw new ValidationError(
        `${this.constructor.name}.backward gradOut`,
        `length batch*outSize = ${batch}*${this.outSize} = ${batch * this.outSize}`,
        `length ${gradOut.length}`,
      );
    }
    return batch;
  }
}

/** Validates a layer width: integer >= 1. */
export function requireSize(field: string, n: number): void {
  requireInt(field, n, 1);
}
