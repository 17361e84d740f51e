import type { CallRecord } from '../../data/index.js';
import {
  evaluateRules,
  type FraudAlert,
  type FraudEvaluationOptions,
  type FraudRule,
  sortAlerts,
} from '../../fraud/index.js';
import { type UsageTrendOptions, type UsageTrendResult, usageTrend } from '../../rfm/index.js';
import { type UsageFeatures, usageFeatures } from '../../segmentation/index.js';
import { concatEncodedCalls, type EncodedCalls, encodeCalls } from '../../simulation/index.js';
import type { ReportCalls } from '../report-calls.js';

// Per-subscriber computations run chunk by chunk over subscriber-partitioned CDRs and are joined:
// with CDRs in memory there is one chunk and each equals the plain in-process call.

/** {@link usageFeatures} for `subscriberIds` (rows in that order; all zero for a subscriber without calls). */
export async function usageFeaturesByChunk(
  calls: ReportCalls,
  subscriberIds: readonly string[],
): Promise<UsageFeatures> {
  const position = new Map(subscriberIds.map((id, index) => [id, index]));
  const found = new Set<string>();
  let data: Float64Array | undefined;
  let cols = 0;
  let featureNames: UsageFeatures['featureNames'] | undefined;
  const activeDays = new Int32Array(subscriberIds.length);
  const place = (features: UsageFeatures): void => {
    cols = features.matrix.cols;
    featureNames = features.featureNames;
    data ??= new Float64Array(subscriberIds.length * cols);
    features.subscriberIds.forEach((id, row) => {
      const at = position.get(id)!;
      data!.set(features.matrix.data.subarray(row * cols, (row + 1) * cols), at * cols);
      activeDays[at] = features.activeDays[row]!;
    });
  };
  for await (const chunk of calls.chunks()) {
    const ids = [...new Set(chunk.map((call) => call.subscriberId))].filter((id) => position.has(id));
    if (ids.length === 0) continue;
    for (const id of ids) found.add(id);
    place(usageFeatures(chunk, { subscriberIds: ids }));
  }
  const silent = subscriberIds.filter((id) => !found.has(id));
  if (silent.length > 0 || data === undefined) place(usageFeatures([], { subscriberIds: silent }));
  return {
    subscriberIds: [...subscriberIds],
    featureNames: featureNames!,
    matrix: { data: data!, rows: subscriberIds.length, cols },
    activeDays,
  };
}

/** {@link usageTrend} of the CDRs; `asOf` must be given so every chunk has the same periods. */
export async function usageTrendByChunk(
  calls: ReportCalls,
  options: UsageTrendOptions & { readonly asOf: number },
): Promise<UsageTrendResult> {
  let result: UsageTrendResult | undefined;
  for await (const chunk of calls.chunks()) {
    const part = usageTrend(chunk, options);
    result = result === undefined ? part : { ...result, customers: [...result.customers, ...part.customers] };
  }
  return result ?? usageTrend([], options);
}

/** The CDRs as {@link EncodedCalls}, encoded chunk by chunk. */
export async function encodedCallsByChunk(calls: ReportCalls): Promise<EncodedCalls> {
  const parts: EncodedCalls[] = [];
  for await (const chunk of calls.chunks()) parts.push(encodeCalls(chunk));
  return parts.length === 0 ? encodeCalls([]) : concatEncodedCalls(parts);
}

/**
 * Rule alerts over every chunk, sorted as `evaluateRules` sorts them, with the subscribers and
 * the number of CDRs the rules saw. Chunks hold every call of their subscribers, so the rules see
 * whole histories.
 */
export async function fraudAlertsByChunk(
  calls: ReportCalls,
  rules: readonly FraudRule[],
  options: FraudEvaluationOptions = {},
): Promise<{ readonly alerts: FraudAlert[]; readonly population: Set<string>; readonly callCount: number }> {
  const alerts: FraudAlert[] = [];
  const population = new Set<string>();
  let callCount = 0;
  for await (const chunk of calls.chunks()) {
    callCount += chunk.length;
    for (const call of chunk as readonly CallRecord[]) population.add(call.subscriberId);
    alerts.push(...evaluateRules(chunk, rules, options));
  }
  return { alerts: sortAlerts(alerts, rules), population, callCount };
}
