/** Constructors and helpers for parameters and buffers. */
import { ValidationError } from "../core/errors.ts";
import type { Param, StateBuffer } from "./module.ts";

/** Number of entries of a row-major shape (the empty shape is a scalar: 1). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function checkShape(field: string, shape: readonly number[]): number {
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!Number.isInteger(d) || d < 0)
      throw new ValidationError(`${field}.shape[${i}]`, "a non-negative integer", d);
  }
  return shapeSize(shape);
}

/** A parameter of the given shape, zero-filled or copied from `init`. */
export function makeParam(name: string, shape: readonly number[], init?: ArrayLike<number>): Param {
  const n = checkShape(name, shape);
  const value = new Float64Array(n);
  if (init !== undefined) {
    if (init.length !== n) throw new ValidationError(`${name}.init`, `length ${n}`, `length ${init.length}`);
    value.set(init);
  }
  return { name, shape: [...shape], value, grad: new Float64Array(n), hasGrad: false };
}

/** A buffer of the given shape, zero-filled or copied from `init`. */
export function makeBuffer(name: string, shape: readonly number[], init?: ArrayLike<number>): StateBuffer {
  const n = checkShape(name, shape);
  const value = new Float64Array(n);
  if (init !== undefined) {
    if (init.length !== n) throw new ValidationError(`${name}.init`, `length ${n}`, `length ${init.length}`);
    value.set(init);
  }
  return { name, shape: [...shape], value };
}

/** Total number of trainable scalars (what the paper's parameter counts count). */
export function countParams(params: readonly Param[]): number {
  let n = 0;
  for (const p of params) n += p.value.length;
  return n;
}

/** Zeroes gradients and clears `hasGrad` (PyTorch's zero_grad(set_to_none=True)). */
export function zeroGrads(params: readonly Param[]): void {
  for (const p of params) {
    p.grad.fill(0);
    p.hasGrad = false;
  }
}
