/** Evaluation metrics (sklearn/scipy definitions, NaN-free degenerate cases). */
export {
  accuracy,
  confusionMatrix,
  precisionRecallF1,
  matthewsCorrcoef,
  type Average,
  type PrfOptions,
  type PrfScores,
} from "./metrics-classification.ts";
export { pearson, spearman, averageRanks } from "./metrics-correlation.ts";
export { argmaxRows, binaryFromLogits, dropMissing } from "./metrics-predictions.ts";
export {
  CHEXPERT_UNCERTAIN,
  CHEXPERT_NEGATIVE,
  CHEXPERT_POSITIVE,
  chexpertPositiveFromProbs,
  chexpertPositiveFromLogits,
  chexpertBinary,
  chexpertTaskScores,
  type ChexpertBinary,
  type ChexpertScores,
} from "./metrics-chexpert.ts";
export { macroAverage } from "./metrics-aggregate.ts";
