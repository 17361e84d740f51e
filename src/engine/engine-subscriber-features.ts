import { featureWindow, subscriberFeatureRow } from '../churn/feature-window.js';
import type { SubscriberFeatureRow, SubscriberFeaturesOptions } from '../churn/subscriber-features.js';
import type { Subscriber } from '../data/records.js';
import { type CallTable, relationOf } from './call-table.js';
import {
  countWhereSql,
  dayNumberSql,
  distinctCountSql,
  hourSql,
  sumWhereSql,
} from './dialect-expressions.js';
import { integerLiteral } from './sql-text.js';

const context = 'engineSubscriberFeatures';

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
  const window = featureWindow(subscribers, options, context);
  const { asOf, months, bounds, windowStart, indexOf } = window;
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
  const number = (row: Record<string, unknown> | undefined, key: string): number =>
    row === undefined ? 0 : Number(row[key] ?? 0);
  const perMonth = (row: Record<string, unknown> | undefined, prefix: string): Float64Array =>
    Float64Array.from({ length: months }, (_, k) => number(row, `${prefix}_${k}`));
  return subscribers.map((subscriber, i) => {
    const aggregate = byIndex[i];
    return subscriberFeatureRow(
      subscriber,
      {
        voiceMinutes: perMonth(aggregate, 'voice'),
        sms: perMonth(aggregate, 'sms'),
        dataMb: perMonth(aggregate, 'data'),
        spend: perMonth(aggregate, 'spend'),
        outgoingMinutes: number(aggregate, 'outgoing_minutes'),
        internationalMinutes: number(aggregate, 'international_minutes'),
        events: number(aggregate, 'events'),
        roamingEvents: number(aggregate, 'roaming_events'),
        nightEvents: number(aggregate, 'night_events'),
        lastActivity: aggregate === undefined ? Number.NaN : number(aggregate, 'last_activity'),
        distinctContacts: number(aggregate, 'distinct_contacts'),
        activeDays: number(aggregate, 'active_days'),
      },
      window,
    );
  });
}
