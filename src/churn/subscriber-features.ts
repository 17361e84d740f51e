import { DataError } from '../data/errors.js';
import type { CallRecord, Subscriber, TimestampInput } from '../data/records.js';
import type { FeatureSpec } from './feature-row.js';
import { featureWindow, subscriberFeatureRow } from './feature-window.js';

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
  const window = featureWindow(subscribers, options, context);
  const { asOf, months, bounds, windowStart, indexOf } = window;
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

  return subscribers.map((subscriber, i) =>
    subscriberFeatureRow(
      subscriber,
      {
        voiceMinutes: minutes.subarray(i * months, (i + 1) * months),
        sms: sms.subarray(i * months, (i + 1) * months),
        dataMb: dataMb.subarray(i * months, (i + 1) * months),
        spend: spend.subarray(i * months, (i + 1) * months),
        outgoingMinutes: outgoingMinutes[i]!,
        internationalMinutes: internationalMinutes[i]!,
        events: events[i]!,
        roamingEvents: roamingEvents[i]!,
        nightEvents: nightEvents[i]!,
        lastActivity: lastActivity[i]!,
        distinctContacts: contacts[i]!.size,
        activeDays: days[i]!.size,
      },
      window,
    ),
  );
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
