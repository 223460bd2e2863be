/** Classical layers with exact backward passes, and their checkpoints. */
export type { ForwardContext, Module, Param, StateBuffer } from "./module.ts";
export { makeParam, makeBuffer, countParams, zeroGrads, shapeSize } from "./param.ts";
export { BaseModule } from "./base-module.ts";
export { Linear, type LinearOptions } from "./linear.ts";
export { Tanh } from "./tanh.ts";
export { ReLU } from "./relu.ts";
export { Dropout } from "./dropout.ts";
export { BatchNorm1d, type BatchNormOptions } from "./batch-norm.ts";
export { Affine, type AffineOptions } from "./affine.ts";
export { Sequential } from "./sequential.ts";
export { stateDict, loadStateDict, type StateDict, type LoadStateDictOptions } from "./state-dict.ts";
