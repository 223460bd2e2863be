/** Loss functions: values plus gradients with PyTorch's mean-reduction scaling. */
export { IGNORE_INDEX, type LossResult, logSoftmaxRows, softmaxRows } from "./losses-common.ts";
export { bceWithLogits, sigmoid, type BceOptions } from "./losses-bce.ts";
export { crossEntropy, type CrossEntropyOptions } from "./losses-ce.ts";
export { mse, type MseOptions } from "./losses-mse.ts";
export { focalLoss, type FocalLossOptions } from "./losses-focal.ts";
export { inverseFrequencyWeights, type ClassWeightOptions } from "./losses-class-weights.ts";
export { weightedTaskSum, type WeightedTaskLoss } from "./losses-multitask.ts";
