/**
 * Churn models: feature building and encoding, logistic regression with its statistics, a neural
 * model (TensorFlow.js, loaded only when a neural model is trained), evaluation, explanations and
 * the early-warning list.
 *
 * @packageDocumentation
 */

export type { ChurnModel, TrainChurnModelOptions } from './churn-model.js';
export { predictChurn, scoreMatrix, trainChurnModel } from './churn-model.js';
export type { ChurnRisk, ChurnRiskListOptions, RiskBand } from './churn-risk-list.js';
export { churnRiskList } from './churn-risk-list.js';
export type { CrossValidateOptions, CrossValidation, FoldResult } from './cross-validate.js';
export { crossValidate } from './cross-validate.js';
export type {
  EncodedBooleanFeature,
  EncodedCategoricalFeature,
  EncodedFeature,
  EncodedFeatures,
  EncodedNumericFeature,
  FeatureEncoder,
} from './encode-features.js';
export { applyEncoder, encodeFeatures } from './encode-features.js';
export type {
  CalibrationBin,
  ClassifierEvaluation,
  ConfusionMatrix,
  DecileRow,
  EvaluateClassifierOptions,
  RetentionEconomics,
  ThresholdChoice,
} from './evaluate-classifier.js';
export { bestThreshold, evaluateClassifier } from './evaluate-classifier.js';
export type { ChurnExplanation, FeatureContribution } from './explain-churn.js';
export { explainChurn } from './explain-churn.js';
export type {
  BooleanFeatureSpec,
  CategoricalFeatureSpec,
  FeatureRow,
  FeatureSpec,
  FeatureValue,
  MissingValuePolicy,
  NumericFeatureSpec,
} from './feature-row.js';
export type { BackendPreference } from './load-tensorflow.js';
export { loadModel, saveModel } from './model-file.js';
export type { NeuralBackend, NeuralEpoch, NeuralLayer, NeuralModel } from './neural-model.js';
export type {
  SubscriberFeatureRow,
  SubscriberFeatureSpecOptions,
  SubscriberFeaturesOptions,
} from './subscriber-features.js';
export { subscriberFeatureSpec, subscriberFeatures } from './subscriber-features.js';
export type { ClassWeightOption } from './target.js';
export type {
  LogisticCoefficient,
  LogisticIteration,
  LogisticModel,
  TrainLogisticOptions,
} from './train-logistic.js';
export { trainLogistic } from './train-logistic.js';
export type { TrainNeuralOptions } from './train-neural.js';
export { trainNeural } from './train-neural.js';
export type { SplitIndices, SplitRows, TrainTestSplitOptions } from './train-test-split.js';
export { trainTestSplit } from './train-test-split.js';
