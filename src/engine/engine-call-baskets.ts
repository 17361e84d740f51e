import {
  type BasketUsage,
  basketItems,
  type CallBasket,
  type CallBasketsOptions,
  callItems,
  compareBaskets,
  defaultCallItemThresholds,
} from '../association/call-baskets.js';
import { OptionError } from '../data/errors.js';
import type { Subscriber } from '../data/records.js';
import { type CallTable, relationOf } from './call-table.js';
import { countWhereSql, dayNumberSql, hourSql, monthNumberSql, sumWhereSql } from './dialect-expressions.js';
import { integerLiteral } from './sql-text.js';

const dayMs = 86_400_000;
const context = 'engineCallBaskets';

function formatMonth(key: number): string {
  return `${String(Math.floor(key / 12)).padStart(4, '0')}-${String((key % 12) + 1).padStart(2, '0')}`;
}

function daysInMonth(key: number): number {
  return Math.round(
    (Date.UTC(Math.floor(key / 12), (key % 12) + 1, 1) - Date.UTC(Math.floor(key / 12), key % 12, 1)) / dayMs,
  );
}

const counters = [
  'voiceOut',
  'voiceIn',
  'voiceSeconds',
  'nightVoice',
  'internationalVoiceOut',
  'premiumVoiceOut',
  'roamingVoice',
  'smsOut',
  'smsIn',
  'internationalSmsOut',
  'dataSessions',
  'dataMb',
  'roamingDataSessions',
  'mms',
  'otherEvents',
] as const;

/**
 * {@link callBaskets} of `telco-analytics/association` with the per-basket usage summed in the
 * engine: one grouped query returns each (subscriber, period)'s {@link BasketUsage} counters, and
 * the baskets are itemised in process by the same itemiser and subscriber attributes, so the
 * result equals `callBaskets(calls, options)` on the same CDRs: baskets sorted by subscriber, then
 * period, ready for `fpGrowth`.
 *
 * @throws {@link OptionError} for an invalid `by`, `days`, threshold or `itemize`.
 * @example
 * const baskets = await engineCallBaskets(calls, { by: 'subscriber-month', subscribers });
 * fpGrowth(baskets.map((basket) => basket.items), { minSupport: 0.05 });
 */
export async function engineCallBaskets(
  calls: CallTable,
  options: CallBasketsOptions = {},
): Promise<CallBasket[]> {
  const relation = relationOf(calls, context);
  const by = options.by ?? 'subscriber';
  if (by !== 'subscriber' && by !== 'subscriber-month' && by !== 'subscriber-day') {
    throw new OptionError(
      context,
      'by',
      `must be 'subscriber', 'subscriber-month' or 'subscriber-day', received '${String(by)}'`,
    );
  }
  if (options.itemize !== undefined && typeof options.itemize !== 'function')
    throw new OptionError(context, 'itemize', 'must be a function of a BasketUsage returning item names');
  const given = options.thresholds ?? {};
  const itemize = options.itemize ?? ((usage: BasketUsage) => callItems(usage, given));
  // callItems checks the thresholds (and throws naming the bad one) before any query runs.
  const probe: BasketUsage = {
    subscriberId: '',
    period: null,
    days: 1,
    subscriber: null,
    ...Object.fromEntries(counters.map((name) => [name, 0])),
  } as BasketUsage;
  callItems(probe, given);
  const thresholds = { ...defaultCallItemThresholds };
  for (const [key, value] of Object.entries(given))
    if (value !== undefined) (thresholds as Record<string, number>)[key] = value;
  if (options.days !== undefined && !(Number.isFinite(options.days) && options.days > 0))
    throw new OptionError(context, 'days', `must be a positive number, received ${String(options.days)}`);
  const attributes = options.subscriberAttributes ?? ['planId', 'region', 'ageBand'];
  const subscribers = new Map<string, Subscriber>();
  for (const subscriber of options.subscribers ?? []) subscribers.set(subscriber.subscriberId, subscriber);

  const { dialect, field } = relation;
  const start = field.start;
  const text = (name: 'service' | 'direction' | 'destination'): string => `coalesce(${field[name]}, '')`;
  const service = (name: string): string => `${text('service')} = '${name}'`;
  const outgoing = `${text('direction')} <> 'in'`;
  const incoming = `${text('direction')} = 'in'`;
  const to = (zone: string): string => `${text('destination')} = '${zone}'`;
  const hour = hourSql(dialect, start);
  const nightStart = integerLiteral(thresholds.nightStartHour, context, 'thresholds.nightStartHour');
  const nightEnd = integerLiteral(thresholds.nightEndHour, context, 'thresholds.nightEndHour');
  const night =
    thresholds.nightStartHour <= thresholds.nightEndHour
      ? `(${hour} >= ${nightStart} AND ${hour} < ${nightEnd})`
      : `(${hour} >= ${nightStart} OR ${hour} < ${nightEnd})`;
  const sums: Record<(typeof counters)[number], string> = {
    voiceOut: countWhereSql(dialect, `${service('voice')} AND ${outgoing}`),
    voiceIn: countWhereSql(dialect, `${service('voice')} AND ${incoming}`),
    voiceSeconds: sumWhereSql(dialect, field.durationSec, service('voice')),
    nightVoice: countWhereSql(dialect, `${service('voice')} AND ${night}`),
    internationalVoiceOut: countWhereSql(
      dialect,
      `${service('voice')} AND ${outgoing} AND ${to('international')}`,
    ),
    premiumVoiceOut: countWhereSql(dialect, `${service('voice')} AND ${outgoing} AND ${to('premium')}`),
    roamingVoice: countWhereSql(dialect, `${service('voice')} AND ${to('roaming')}`),
    smsOut: countWhereSql(dialect, `${service('sms')} AND ${outgoing}`),
    smsIn: countWhereSql(dialect, `${service('sms')} AND ${incoming}`),
    internationalSmsOut: countWhereSql(
      dialect,
      `${service('sms')} AND ${outgoing} AND ${to('international')}`,
    ),
    dataSessions: countWhereSql(dialect, service('data')),
    dataMb: sumWhereSql(dialect, field.volumeMb, service('data')),
    roamingDataSessions: countWhereSql(dialect, `${service('data')} AND ${to('roaming')}`),
    mms: countWhereSql(dialect, service('mms')),
    otherEvents: countWhereSql(dialect, `${text('service')} NOT IN ('voice', 'sms', 'data', 'mms')`),
  };
  const period =
    by === 'subscriber-month'
      ? monthNumberSql(dialect, start)
      : by === 'subscriber-day'
        ? dayNumberSql(dialect, start)
        : undefined;
  const columns = [`${field.subscriberId} AS subscriber_id`];
  if (period !== undefined) columns.push(`${period} AS period_key`);
  for (const name of counters) columns.push(`${sums[name]} AS ${name}`);
  const groupBy = period === undefined ? field.subscriberId : `${field.subscriberId}, ${period}`;
  const rows = await relation.driver.query(
    `SELECT ${columns.join(', ')} FROM ${relation.from} GROUP BY ${groupBy}`,
  );

  let windowDays = options.days;
  if (windowDays === undefined && by === 'subscriber') {
    const [span] = await relation.driver.query(
      `SELECT min(${dayNumberSql(dialect, start)}) AS first_day, max(${dayNumberSql(dialect, start)}) AS last_day FROM ${relation.from}`,
    );
    windowDays = rows.length === 0 ? 1 : Number(span?.last_day) - Number(span?.first_day) + 1;
  }
  const result: CallBasket[] = [];
  for (const row of rows) {
    const subscriberId = String(row.subscriber_id);
    const key = Number(row.period_key ?? 0);
    const monthKey = key + 1970 * 12;
    const periodText =
      by === 'subscriber'
        ? null
        : by === 'subscriber-month'
          ? formatMonth(monthKey)
          : new Date(key * dayMs).toISOString().slice(0, 10);
    const days = by === 'subscriber' ? windowDays! : by === 'subscriber-month' ? daysInMonth(monthKey) : 1;
    const subscriber = subscribers.get(subscriberId) ?? null;
    const usage = { subscriberId, period: periodText, days, subscriber } as Record<string, unknown>;
    for (const name of counters) usage[name] = Number(row[name] ?? 0);
    const items = basketItems(usage as unknown as BasketUsage, itemize, attributes, subscriberId, context);
    result.push({ subscriberId, period: periodText, items });
  }
  return result.sort(compareBaskets);
}
