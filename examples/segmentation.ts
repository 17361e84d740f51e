/**
 * Customer segmentation on the synthetic operator: usage features from the CDRs, log1p + standard
 * scaling, choosing k, k-means, segment profiles, and the adjusted Rand index against the planted
 * segments.
 *
 *   node --import tsx examples/segmentation.ts
 */
import { generateOperator } from 'telco-analytics/data';
import {
  adjustedRandIndex,
  applyScaler,
  evaluateK,
  fitScaler,
  heavyTailedUsageFeatures,
  kmeans,
  predictSegment,
  profileSegments,
  suggestK,
  usageFeatures,
} from 'telco-analytics/segmentation';

const operator = generateOperator({ subscribers: 2000, months: 3, seed: 7 });
// Fraud lines behave like their fraud pattern, not like a customer segment: leave them out.
const customers = operator.truth.filter((row) => row.fraud === null);
const features = usageFeatures(operator.calls, { subscriberIds: customers.map((row) => row.subscriberId) });

// Usage is heavy-tailed: a few subscribers use a hundred times the median. Without log1p they would
// dominate the squared distances and get segments of their own.
const scaler = fitScaler(features.matrix, 'standard', {
  log1p: heavyTailedUsageFeatures,
  featureNames: features.featureNames,
});
const scaled = applyScaler(scaler, features.matrix);

const table = evaluateK(scaled, { kMin: 2, kMax: 8, seed: 42 });
console.table(
  table.map((row) => ({
    k: row.k,
    inertia: Math.round(row.inertia),
    silhouette: row.silhouette.toFixed(3),
    calinskiHarabasz: row.calinskiHarabasz.toFixed(0),
    daviesBouldin: row.daviesBouldin.toFixed(3),
  })),
);
const suggestion = suggestK(table);
console.log(suggestion.explanation);

const result = kmeans(scaled, { k: suggestion.suggested, seed: 42 });
for (const profile of profileSegments(features.matrix, result.labels, { features: features.featureNames })) {
  console.log(
    `segment ${profile.segment}: ${profile.size} subscribers (${(profile.share * 100).toFixed(1)}%) - ${profile.description}`,
  );
}

const ari = adjustedRandIndex(
  customers.map((row) => row.segment),
  result.labels,
);
console.log(`adjusted Rand index against the planted segments: ${ari.toFixed(3)}`);

// The model is plain JSON; with the scaler inside it predicts from raw features.
const model = JSON.parse(JSON.stringify({ ...result.model, scaler }));
console.log(
  'first five predicted from raw rows:',
  Array.from(predictSegment(model, features.matrix)).slice(0, 5),
);
