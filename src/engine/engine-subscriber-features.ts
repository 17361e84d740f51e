import type { SubscriberFeatureRow, SubscriberFeaturesOptions } from '../churn/subscriber-features.js';
import { DataError, OptionError } from '../data/errors.js';
import type { Subscriber } from '../data/records.js';
import { timestampOption, toEpochMilliseconds } from '../data/timestamp.js';
import { type CallTable, relationOf } from './call-table.js';
import {
  countWhereSql,
  dayNumberSql,
  distinctCountSql,
  hourSql,
  sumWhereSql,
} from './dialect-expressions.js';
import { integerLiteral } from './sql-text.js';

const dayMs = 86_400_000;
const context = 'engineSubscriberFeatures';

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

// The row assembly below mirrors `subscriberFeatures` in src/churn line for line (the trend, the
// attributes, the shares); the equality tests in tests/engine hold the two together.
function relativeTrend(perMonth: Float64Array): number {
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

/**
 * {@link subscriberFeatures} of `telco-analytics/churn` with the CDR aggregation pushed down to the
 * engine: one grouped query over the registered calls returns a row per subscriber (per-month
 * volumes, shares, distinct contacts and active days), and the feature rows are assembled in
 * process from those and the subscribers' attributes. The result is the same rows, in the order of
 * `subscribers`, as `subscriberFeatures(calls, subscribers, options)` on the same CDRs (sums of
 * fractional values may differ in the last bits, as the engine adds in another order).
 *
 * @throws {@link OptionError} for a missing `asOf` or `months` outside 1..120;
 * {@link DataError} for a subscriber without an id.
 * @example
 * const engine = await connect({ kind: 'duckdb' });
 * const calls = await engine.registerCalls('cdr/*.parquet');
 * const rows = await engineSubscriberFeatures(calls, operator.subscribers, { asOf: '2024-04-01' });
 * rows[0]!.voiceMinutesMonth1; // minutes in March 2024
 */
export async function engineSubscriberFeatures(
  calls: CallTable,
  subscribers: readonly Subscriber[],
  options: SubscriberFeaturesOptions,
): Promise<SubscriberFeatureRow[]> {
  const relation = relationOf(calls, context);
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

  const { dialect, field } = relation;
  const start = field.start;
  const text = (name: 'service' | 'direction' | 'destination'): string => `coalesce(${field[name]}, '')`;
  const voice = `${text('service')} = 'voice'`;
  const outgoing = `${text('direction')} <> 'in'`;
  const minutes = `${field.durationSec} / 60`;
  const hour = hourSql(dialect, start);
  const columns = [`${field.subscriberId} AS subscriber_id`];
  for (let k = 0; k < months; k++) {
    const inMonth = `${start} >= ${integerLiteral(bounds[k + 1]!, context, 'asOf')} AND ${start} < ${integerLiteral(bounds[k]!, context, 'asOf')}`;
    columns.push(`${sumWhereSql(dialect, minutes, `${voice} AND ${inMonth}`)} AS voice_${k}`);
    columns.push(
      `${countWhereSql(dialect, `${text('service')} = 'sms' AND ${outgoing} AND ${inMonth}`)} AS sms_${k}`,
    );
    columns.push(
      `${sumWhereSql(dialect, field.volumeMb, `${text('service')} = 'data' AND ${inMonth}`)} AS data_${k}`,
    );
    columns.push(`${sumWhereSql(dialect, field.charge, inMonth)} AS spend_${k}`);
  }
  columns.push(`${sumWhereSql(dialect, minutes, `${voice} AND ${outgoing}`)} AS outgoing_minutes`);
  columns.push(
    `${sumWhereSql(dialect, minutes, `${voice} AND ${outgoing} AND ${text('destination')} = 'international'`)} AS international_minutes`,
  );
  columns.push(`${countWhereSql(dialect, '1 = 1')} AS events`);
  columns.push(`${countWhereSql(dialect, `${text('destination')} = 'roaming'`)} AS roaming_events`);
  columns.push(`${countWhereSql(dialect, `(${hour} >= 22 OR ${hour} < 6)`)} AS night_events`);
  columns.push(`max(${start}) AS last_activity`);
  columns.push(`${distinctCountSql(dialect, field.calledNumber, outgoing)} AS distinct_contacts`);
  columns.push(`${distinctCountSql(dialect, dayNumberSql(dialect, start), '1 = 1')} AS active_days`);
  const sql = `SELECT ${columns.join(', ')} FROM ${relation.from} WHERE ${start} >= ${integerLiteral(windowStart, context, 'asOf')} AND ${start} < ${integerLiteral(asOf, context, 'asOf')} GROUP BY ${field.subscriberId}`;
  const aggregates = await relation.driver.query(sql);

  const n = subscribers.length;
  const byIndex: (Record<string, unknown> | undefined)[] = new Array(n);
  for (const row of aggregates) {
    const i = indexOf.get(String(row.subscriber_id));
    if (i !== undefined) byIndex[i] = row;
  }
  const windowDays = (asOf - windowStart) / dayMs;
  const number = (row: Record<string, unknown> | undefined, key: string): number =>
    row === undefined ? 0 : Number(row[key] ?? 0);
  return subscribers.map((subscriber, i) => {
    const aggregate = byIndex[i];
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
    const series = { voiceMinutes: 'voice', sms: 'sms', dataMb: 'data', spend: 'spend' } as const;
    for (const [name, prefix] of Object.entries(series)) {
      const perMonth = new Float64Array(months);
      let sum = 0;
      for (let k = 0; k < months; k++) {
        perMonth[k] = number(aggregate, `${prefix}_${k}`);
        row[`${name}Month${k + 1}`] = perMonth[k]!;
        sum += perMonth[k]!;
      }
      row[name] = sum / months;
      row[`${name}Trend`] = relativeTrend(perMonth);
    }
    const outgoingMinutes = number(aggregate, 'outgoing_minutes');
    const events = number(aggregate, 'events');
    row.internationalShare =
      outgoingMinutes > 0 ? number(aggregate, 'international_minutes') / outgoingMinutes : 0;
    row.roamingShare = events > 0 ? number(aggregate, 'roaming_events') / events : 0;
    row.nightShare = events > 0 ? number(aggregate, 'night_events') / events : 0;
    row.distinctContacts = number(aggregate, 'distinct_contacts');
    row.activeDays = number(aggregate, 'active_days');
    row.daysSinceLastActivity =
      aggregate === undefined ? windowDays : (asOf - number(aggregate, 'last_activity')) / dayMs;
    return row;
  });
}
