import { DataError, OptionError } from '../data/errors.js';
import type { Subscriber } from '../data/records.js';
import { timestampOption, toEpochMilliseconds } from '../data/timestamp.js';
import type { SubscriberFeatureRow, SubscriberFeaturesOptions } from './subscriber-features.js';

// What `subscriberFeatures` and the engine's push-down share: the month windows, the subscriber
// index, and the assembly of a row from per-subscriber usage totals, so both give the same rows
// whichever side summed the CDRs. Internal to the package.

const dayMs = 86_400_000;

/** The month windows before `asOf`: `bounds[k]` = asOf − k calendar months, `bounds[months]` the start. */
export interface FeatureWindow {
  readonly asOf: number;
  readonly months: number;
  readonly bounds: readonly number[];
  readonly windowStart: number;
  /** Subscriber id → position in `subscribers`. */
  readonly indexOf: ReadonlyMap<string, number>;
}

/** Per-subscriber usage totals inside the window (per-month series have `months` entries, month 1 first). */
export interface SubscriberUsageTotals {
  readonly voiceMinutes: ArrayLike<number>;
  readonly sms: ArrayLike<number>;
  readonly dataMb: ArrayLike<number>;
  readonly spend: ArrayLike<number>;
  readonly outgoingMinutes: number;
  readonly internationalMinutes: number;
  readonly events: number;
  readonly roamingEvents: number;
  readonly nightEvents: number;
  /** Epoch ms of the latest event; not finite when there was none. */
  readonly lastActivity: number;
  readonly distinctContacts: number;
  readonly activeDays: number;
}

function addUtcMonths(ms: number, months: number): number {
  const date = new Date(ms);
  return Date.UTC(
    date.getUTCFullYear(),
    date.getUTCMonth() + months,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
}

/** Checks the options and the subscriber ids (errors name `context`) and lays out the windows. */
export function featureWindow(
  subscribers: readonly Subscriber[],
  options: SubscriberFeaturesOptions,
  context: string,
): FeatureWindow {
  if (options?.asOf === undefined)
    throw new OptionError(context, 'asOf', 'is required (the date the features describe)');
  const asOf = timestampOption(options.asOf, context, 'asOf');
  const months = options.months ?? 3;
  if (!Number.isInteger(months) || months < 1 || months > 120)
    throw new OptionError(context, 'months', `must be an integer in 1..120, received ${months}`);
  const bounds = Array.from({ length: months + 1 }, (_, k) => addUtcMonths(asOf, -k));
  const indexOf = new Map<string, number>();
  subscribers.forEach((subscriber, i) => {
    if (typeof subscriber.subscriberId !== 'string' || subscriber.subscriberId === '') {
      throw new DataError(context, [{ row: i + 1, column: 'subscriberId', reason: 'missing subscriber id' }]);
    }
    indexOf.set(subscriber.subscriberId, i);
  });
  return { asOf, months, bounds, windowStart: bounds[months]!, indexOf };
}

/** Least-squares slope over the months (oldest to newest) divided by (mean + 1). */
function relativeTrend(perMonth: ArrayLike<number>): number {
  const m = perMonth.length;
  if (m < 2) return 0;
  let mean = 0;
  for (let k = 0; k < m; k++) mean += perMonth[k]!;
  mean /= m;
  const centre = (m - 1) / 2;
  let covariance = 0;
  let variance = 0;
  for (let k = 0; k < m; k++) {
    const t = m - 1 - k - centre;
    covariance += t * (perMonth[k]! - mean);
    variance += t * t;
  }
  return covariance / variance / (mean + 1);
}

function attributeNumber(subscriber: Subscriber, key: string): number | null {
  const value = subscriber[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

function attributeText(subscriber: Subscriber, key: string): string | null {
  const value = subscriber[key];
  return value === undefined || value === null || value === '' ? null : String(value);
}

/** One feature row from a subscriber's attributes and usage totals. */
export function subscriberFeatureRow(
  subscriber: Subscriber,
  totals: SubscriberUsageTotals,
  window: FeatureWindow,
): SubscriberFeatureRow {
  const { asOf, months, windowStart } = window;
  const row: Record<string, string | number | null> = { subscriberId: subscriber.subscriberId };
  row.planId = attributeText(subscriber, 'planId');
  row.contract = attributeText(subscriber, 'contract');
  row.region = attributeText(subscriber, 'region');
  const activation = subscriber.activationDate;
  const activationMs =
    activation === undefined || typeof activation === 'boolean'
      ? Number.NaN
      : toEpochMilliseconds(activation);
  row.tenureMonths = Number.isFinite(activationMs)
    ? Math.max(0, (asOf - activationMs) / (30.44 * dayMs))
    : attributeNumber(subscriber, 'tenureMonths');
  row.complaints = attributeNumber(subscriber, 'complaints');
  row.arrearsDays = attributeNumber(subscriber, 'arrearsDays');
  const series = {
    voiceMinutes: totals.voiceMinutes,
    sms: totals.sms,
    dataMb: totals.dataMb,
    spend: totals.spend,
  } as const;
  for (const [name, perMonth] of Object.entries(series)) {
    let sum = 0;
    for (let k = 0; k < months; k++) {
      row[`${name}Month${k + 1}`] = perMonth[k]!;
      sum += perMonth[k]!;
    }
    row[name] = sum / months;
    row[`${name}Trend`] = relativeTrend(perMonth);
  }
  row.internationalShare =
    totals.outgoingMinutes > 0 ? totals.internationalMinutes / totals.outgoingMinutes : 0;
  row.roamingShare = totals.events > 0 ? totals.roamingEvents / totals.events : 0;
  row.nightShare = totals.events > 0 ? totals.nightEvents / totals.events : 0;
  row.distinctContacts = totals.distinctContacts;
  row.activeDays = totals.activeDays;
  row.daysSinceLastActivity = Number.isFinite(totals.lastActivity)
    ? (asOf - totals.lastActivity) / dayMs
    : (asOf - windowStart) / dayMs;
  return row;
}
