/**
 * Customer segmentation: k-means (k-means++, best of n runs, Hamerly's bounds, worker threads for
 * large inputs), mini-batch k-means for millions of rows or streams, feature scaling, choosing k,
 * cluster-validity scores and segment profiles.
 *
 * @packageDocumentation
 */
export { adjustedRandIndex } from './adjusted-rand-index.js';
export { calinskiHarabaszScore } from './calinski-harabasz-score.js';
export { daviesBouldinScore } from './davies-bouldin-score.js';
export type { EvaluateKOptions, KEvaluation } from './evaluate-k.js';
export { evaluateK } from './evaluate-k.js';
export type { FeatureScaler, FitScalerOptions, ScalingMethod } from './feature-scaler.js';
export { applyScaler, fitScaler, invertScaler } from './feature-scaler.js';
export type { IterationEvent, KMeansInit, KMeansOptions, KMeansResult, KMeansRun } from './kmeans.js';
export { kmeans } from './kmeans.js';
export type { MiniBatchKMeansOptions, MiniBatchKMeansResult } from './mini-batch-kmeans.js';
export { miniBatchKMeans } from './mini-batch-kmeans.js';
export type { FeatureProfile, ProfileSegmentsOptions, SegmentProfile } from './profile-segments.js';
export { profileSegments } from './profile-segments.js';
export type { SegmentModel } from './segment-model.js';
export { predictSegment } from './segment-model.js';
export type { SilhouetteOptions } from './silhouette-score.js';
export { silhouetteScore } from './silhouette-score.js';
export type { KSuggestion, SuggestKOptions } from './suggest-k.js';
export { suggestK } from './suggest-k.js';
export type { UsageFeatureName, UsageFeatures, UsageFeaturesOptions } from './usage-features.js';
export { heavyTailedUsageFeatures, usageFeatureNames, usageFeatures } from './usage-features.js';
