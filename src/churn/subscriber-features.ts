import { DataError, OptionError } from '../data/errors.js';
import type { CallRecord, Subscriber, TimestampInput } from '../data/records.js';
import { timestampOption, toEpochMilliseconds } from '../data/timestamp.js';
import type { FeatureSpec } from './feature-row.js';

/** Options of {@link subscriberFeatures}. */
export interface SubscriberFeaturesOptions {
  /** The moment the features describe: only usage strictly before it counts. Required. */
  readonly asOf: TimestampInput;
  /** Number of calendar-month windows before `asOf` (month 1 is the most recent). @defaultValue 3 */
  readonly months?: number;
}

/**
 * One subscriber's features: subscriber attributes, usage per month window (`voiceMinutesMonth1` is
 * the month just before `asOf`), monthly averages, trends, shares and recency. Every value is a
 * number, a string or `null` (attribute absent), so rows go straight into `encodeFeatures`.
 */
export type SubscriberFeatureRow = Readonly<Record<string, string | number | null>>;

const dayMs = 86_400_000;

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

/** Least-squares slope over the months (oldest to newest) relative to the monthly mean + 1: the relative change per month. */
function relativeTrend(perMonth: Float64Array): number {
  const m = perMonth.length;
  if (m < 2) return 0;
  let mean = 0;
  for (let k = 0; k < m; k++) mean += perMonth[k]!;
  mean /= m;
  const centre = (m - 1) / 2;
  let covariance = 0;
  let variance = 0;
  // perMonth[0] is the most recent month: its time position is m - 1.
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

/**
 * Builds one feature row per subscriber from raw CDRs, as of `asOf`, over `months` calendar-month
 * windows before it ([asOf − k months, asOf − k + 1 months), month 1 the most recent):
 *
 * - per month: `voiceMinutesMonthK` (in and out), `smsMonthK` (outgoing), `dataMbMonthK`, `spendMonthK` (charges);
 * - monthly averages `voiceMinutes`, `sms`, `dataMb`, `spend` and their trends `voiceMinutesTrend`, ...:
 *   the least-squares slope over the months divided by (monthly mean + 1), so −0.3 means usage falling
 *   by about 30% of its level per month;
 * - `internationalShare` (share of outgoing voice minutes to international numbers), `roamingShare`
 *   and `nightShare` (22:00–06:00 UTC) of all events, `distinctContacts` (distinct called numbers),
 *   `daysSinceLastActivity` (the window length when there was none), `activeDays`;
 * - attributes: `planId`, `contract`, `region`, `tenureMonths` (at `asOf` when the subscriber has an
 *   `activationDate`, else as given), `complaints` and `arrearsDays` where present (`null` otherwise).
 *
 * Calls of subscribers not in `subscribers` are ignored; calls at or after `asOf` never count.
 * {@link subscriberFeatureSpec} lists encoding specs for these columns.
 *
 * @example
 * const operator = generateOperator({ subscribers: 500, months: 4, seed: 1 });
 * const rows = subscriberFeatures(operator.calls, operator.subscribers, { asOf: '2024-04-01' });
 * rows[0]!.voiceMinutesMonth1; // minutes in March 2024
 */
export function subscriberFeatures(
  calls: readonly CallRecord[],
  subscribers: readonly Subscriber[],
  options: SubscriberFeaturesOptions,
): SubscriberFeatureRow[] {
  const context = 'subscriberFeatures';
  if (options?.asOf === undefined)
    throw new OptionError(context, 'asOf', 'is required (the date the features describe)');
  const asOf = timestampOption(options.asOf, context, 'asOf');
  const months = options.months ?? 3;
  if (!Number.isInteger(months) || months < 1 || months > 120)
    throw new OptionError(context, 'months', `must be an integer in 1..120, received ${months}`);
  const bounds = Array.from({ length: months + 1 }, (_, k) => addUtcMonths(asOf, -k));
  const windowStart = bounds[months]!;

  const indexOf = new Map<string, number>();
  subscribers.forEach((subscriber, i) => {
    if (typeof subscriber.subscriberId !== 'string' || subscriber.subscriberId === '') {
      throw new DataError(context, [{ row: i + 1, column: 'subscriberId', reason: 'missing subscriber id' }]);
    }
    indexOf.set(subscriber.subscriberId, i);
  });
  const n = subscribers.length;
  const minutes = new Float64Array(n * months);
  const sms = new Float64Array(n * months);
  const dataMb = new Float64Array(n * months);
  const spend = new Float64Array(n * months);
  const outgoingMinutes = new Float64Array(n);
  const internationalMinutes = new Float64Array(n);
  const events = new Float64Array(n);
  const roamingEvents = new Float64Array(n);
  const nightEvents = new Float64Array(n);
  const lastActivity = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const contacts: Set<string>[] = Array.from({ length: n }, () => new Set());
  const days: Set<number>[] = Array.from({ length: n }, () => new Set());

  calls.forEach((call, row) => {
    const start = call.start;
    if (typeof start !== 'number' || !Number.isFinite(start)) {
      throw new DataError(context, [
        { row: row + 1, column: 'start', reason: `not epoch milliseconds: ${String(start)}` },
      ]);
    }
    if (start >= asOf || start < windowStart) return;
    const i = indexOf.get(call.subscriberId);
    if (i === undefined) return;
    let month = 0;
    while (start < bounds[month + 1]!) month++;
    const cell = i * months + month;
    if (call.service === 'voice') {
      const callMinutes = (call.durationSec ?? 0) / 60;
      minutes[cell]! += callMinutes;
      if (call.direction !== 'in') {
        outgoingMinutes[i]! += callMinutes;
        if (call.destination === 'international') internationalMinutes[i]! += callMinutes;
      }
    } else if (call.service === 'sms') {
      if (call.direction !== 'in') sms[cell]!++;
    } else if (call.service === 'data') {
      dataMb[cell]! += call.volumeMb ?? 0;
    }
    spend[cell]! += call.charge ?? 0;
    events[i]!++;
    if (call.destination === 'roaming') roamingEvents[i]!++;
    const hour = new Date(start).getUTCHours();
    if (hour >= 22 || hour < 6) nightEvents[i]!++;
    if (start > lastActivity[i]!) lastActivity[i] = start;
    if (call.calledNumber !== undefined && call.direction !== 'in') contacts[i]!.add(call.calledNumber);
    days[i]!.add(Math.floor(start / dayMs));
  });

  const windowDays = (asOf - windowStart) / dayMs;
  return subscribers.map((subscriber, i) => {
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
    const series = { voiceMinutes: minutes, sms, dataMb, spend } as const;
    for (const [name, values] of Object.entries(series)) {
      const perMonth = values.subarray(i * months, (i + 1) * months);
      let sum = 0;
      for (let k = 0; k < months; k++) {
        row[`${name}Month${k + 1}`] = perMonth[k]!;
        sum += perMonth[k]!;
      }
      row[name] = sum / months;
      row[`${name}Trend`] = relativeTrend(perMonth);
    }
    row.internationalShare = outgoingMinutes[i]! > 0 ? internationalMinutes[i]! / outgoingMinutes[i]! : 0;
    row.roamingShare = events[i]! > 0 ? roamingEvents[i]! / events[i]! : 0;
    row.nightShare = events[i]! > 0 ? nightEvents[i]! / events[i]! : 0;
    row.distinctContacts = contacts[i]!.size;
    row.activeDays = days[i]!.size;
    row.daysSinceLastActivity = Number.isFinite(lastActivity[i]!)
      ? (asOf - lastActivity[i]!) / dayMs
      : windowDays;
    return row;
  });
}

/** Options of {@link subscriberFeatureSpec}. */
export interface SubscriberFeatureSpecOptions {
  /** The `months` given to {@link subscriberFeatures}. @defaultValue 3 */
  readonly months?: number;
  /** Include every month's volumes, not only the averages and trends. @defaultValue false */
  readonly perMonth?: boolean;
}

/**
 * Encoding specs for the columns of {@link subscriberFeatures}: usage volumes `log1p` and
 * standardised, shares and trends standardised, plan and contract categorical (`unseen: 'reference'`,
 * so a plan launched after training scores as the reference plan), complaints and arrears imputed
 * when absent. Attributes that are `null` for every subscriber should be left out by the caller.
 *
 * @example
 * const spec = subscriberFeatureSpec({ months: 3 });
 * spec.find((feature) => feature.name === 'contract'); // => { name: 'contract', type: 'categorical', ... }
 */
export function subscriberFeatureSpec(options: SubscriberFeatureSpecOptions = {}): FeatureSpec[] {
  const months = options.months ?? 3;
  const volumes = ['voiceMinutes', 'sms', 'dataMb', 'spend'];
  const spec: FeatureSpec[] = [
    { name: 'planId', type: 'categorical', unseen: 'reference', missing: 'impute' },
    { name: 'contract', type: 'categorical', unseen: 'reference', missing: 'impute' },
    { name: 'tenureMonths', type: 'numeric', transform: 'log1p', standardise: true, missing: 'impute' },
    { name: 'complaints', type: 'numeric', standardise: true, missing: 'impute' },
    { name: 'arrearsDays', type: 'numeric', transform: 'log1p', standardise: true, missing: 'impute' },
  ];
  for (const name of volumes) {
    spec.push({ name, type: 'numeric', transform: 'log1p', standardise: true });
    spec.push({ name: `${name}Trend`, type: 'numeric', standardise: true });
    if (options.perMonth ?? false) {
      for (let k = 1; k <= months; k++)
        spec.push({ name: `${name}Month${k}`, type: 'numeric', transform: 'log1p', standardise: true });
    }
  }
  for (const name of ['internationalShare', 'roamingShare', 'nightShare'])
    spec.push({ name, type: 'numeric', standardise: true });
  spec.push({ name: 'distinctContacts', type: 'numeric', transform: 'log1p', standardise: true });
  spec.push({ name: 'activeDays', type: 'numeric', standardise: true });
  spec.push({ name: 'daysSinceLastActivity', type: 'numeric', transform: 'log1p', standardise: true });
  return spec;
}
