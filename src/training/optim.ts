/** Optimizers (PyTorch semantics) and gradient clipping. */
export type { LrHolder, Optimizer } from "./optim-types.ts";
export { Adam, AdamW, type AdamOptions, type AdamState, type AdamParamState } from "./optim-adam.ts";
export { clipGradNorm } from "./optim-clip.ts";
