import type { DenseMatrix } from '../data/dense-matrix.js';
import { DataError } from '../data/errors.js';
import type { CallRecord } from '../data/records.js';

/** The columns of {@link usageFeatures}, in order. */
export const usageFeatureNames = [
  'voiceOutPerDay',
  'voiceInPerDay',
  'voiceMinutesPerDay',
  'meanCallMinutes',
  'nationalShare',
  'internationalShare',
  'roamingShare',
  'smsPerDay',
  'dataSessionsPerDay',
  'dataMbPerDay',
  'nightShare',
] as const;
export type UsageFeatureName = (typeof usageFeatureNames)[number];

/** Columns whose distribution is heavy-tailed (counts, minutes, megabytes): log1p them before scaling. */
export const heavyTailedUsageFeatures: readonly UsageFeatureName[] = [
  'voiceOutPerDay',
  'voiceInPerDay',
  'voiceMinutesPerDay',
  'meanCallMinutes',
  'smsPerDay',
  'dataSessionsPerDay',
  'dataMbPerDay',
];

/** Options of {@link usageFeatures}. */
export interface UsageFeaturesOptions {
  /**
   * The subscribers to build rows for, in this order; subscribers without any record get a row of
   * zeros. @defaultValue every subscriber in `calls`, in order of first appearance
   */
  readonly subscriberIds?: readonly string[] | undefined;
}

/** Per-subscriber usage features, one row per subscriber. */
export interface UsageFeatures {
  readonly subscriberIds: string[];
  readonly featureNames: readonly UsageFeatureName[];
  /** One row per subscriber, columns in {@link usageFeatureNames} order. */
  readonly matrix: DenseMatrix;
  /** Distinct UTC days with at least one record, per subscriber. */
  readonly activeDays: Int32Array;
}

const dayMs = 86_400_000;
const column = Object.fromEntries(usageFeatureNames.map((name, index) => [name, index])) as Record<
  UsageFeatureName,
  number
>;

/**
 * Turns call detail records into one row of usage features per subscriber, normalised per active day
 * so that subscribers who joined or left mid-period compare with the rest: outgoing and incoming
 * voice calls, voice minutes, mean call length, national / international share of outgoing calls,
 * roaming share of all events, SMS, data sessions and megabytes, and the share of events at night
 * (22:00-06:00 UTC). Counts, minutes and megabytes are heavy-tailed ({@link heavyTailedUsageFeatures}):
 * pass them to `fitScaler`'s `log1p`.
 *
 * @example
 * const { calls } = generateOperator({ subscribers: 500, seed: 1 });
 * const features = usageFeatures(calls);
 * features.matrix.rows; // => subscribers with at least one record
 */
export function usageFeatures(
  calls: readonly CallRecord[],
  options: UsageFeaturesOptions = {},
): UsageFeatures {
  const index = new Map<string, number>();
  const ids: string[] = [];
  const fixed = options.subscriberIds !== undefined;
  for (const id of options.subscriberIds ?? []) {
    if (!index.has(id)) {
      index.set(id, ids.length);
      ids.push(id);
    }
  }
  if (!fixed) {
    for (const call of calls) {
      if (!index.has(call.subscriberId)) {
        index.set(call.subscriberId, ids.length);
        ids.push(call.subscriberId);
      }
    }
  }
  const n = ids.length;
  const cols = usageFeatureNames.length;
  // Raw totals per subscriber: voice out, voice in, voice seconds, voice calls, national out,
  // international out, roaming events, sms, data sessions, data MB, night events, all events.
  const totals = new Float64Array(n * 12);
  const days = new Map<number, Set<number>>();
  calls.forEach((call, position) => {
    const row = index.get(call.subscriberId);
    if (row === undefined) return;
    if (!Number.isFinite(call.start)) {
      throw new DataError('usageFeatures', [
        { row: position + 1, column: 'start', reason: `not a finite timestamp: ${String(call.start)}` },
      ]);
    }
    const t = row * 12;
    const day = Math.floor(call.start / dayMs);
    let seen = days.get(row);
    if (seen === undefined) {
      seen = new Set();
      days.set(row, seen);
    }
    seen.add(day);
    const hour = Math.floor((call.start - day * dayMs) / 3_600_000);
    if (call.service === 'voice') {
      const seconds = call.durationSec ?? 0;
      if (call.direction === 'in') totals[t + 1]! += 1;
      else {
        totals[t]! += 1;
        if (call.destination === 'national') totals[t + 4]! += 1;
        else if (call.destination === 'international') totals[t + 5]! += 1;
      }
      totals[t + 2]! += seconds;
      totals[t + 3]! += 1;
    } else if (call.service === 'sms') {
      totals[t + 7]! += 1;
    } else if (call.service === 'data') {
      totals[t + 8]! += 1;
      totals[t + 9]! += call.volumeMb ?? 0;
    }
    if (call.destination === 'roaming') totals[t + 6]! += 1;
    if (hour >= 22 || hour < 6) totals[t + 10]! += 1;
    totals[t + 11]! += 1;
  });
  const data = new Float64Array(n * cols);
  const activeDays = new Int32Array(n);
  for (let row = 0; row < n; row++) {
    const t = row * 12;
    const active = days.get(row)?.size ?? 0;
    activeDays[row] = active;
    const perDay = (value: number): number => (active === 0 ? 0 : value / active);
    const share = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);
    const out = row * cols;
    data[out + column.voiceOutPerDay] = perDay(totals[t]!);
    data[out + column.voiceInPerDay] = perDay(totals[t + 1]!);
    data[out + column.voiceMinutesPerDay] = perDay(totals[t + 2]! / 60);
    data[out + column.meanCallMinutes] = share(totals[t + 2]! / 60, totals[t + 3]!);
    data[out + column.nationalShare] = share(totals[t + 4]!, totals[t]!);
    data[out + column.internationalShare] = share(totals[t + 5]!, totals[t]!);
    data[out + column.roamingShare] = share(totals[t + 6]!, totals[t + 11]!);
    data[out + column.smsPerDay] = perDay(totals[t + 7]!);
    data[out + column.dataSessionsPerDay] = perDay(totals[t + 8]!);
    data[out + column.dataMbPerDay] = perDay(totals[t + 9]!);
    data[out + column.nightShare] = share(totals[t + 10]!, totals[t + 11]!);
  }
  return { subscriberIds: ids, featureNames: usageFeatureNames, matrix: { data, rows: n, cols }, activeDays };
}
