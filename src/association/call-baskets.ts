import { DataError, OptionError } from '../data/errors.js';
import type { CallRecord, Subscriber } from '../data/records.js';

/**
 * How calls are grouped into baskets: one per subscriber over the whole input, one per
 * subscriber and calendar month (UTC), or one per subscriber and UTC day.
 */
export type BasketGrouping = 'subscriber' | 'subscriber-month' | 'subscriber-day';

/** What one basket's calls add up to: the input of an itemiser. Counts are numbers of CDRs. */
export interface BasketUsage {
  readonly subscriberId: string;
  /** `null` by subscriber, `YYYY-MM` by subscriber-month, `YYYY-MM-DD` by subscriber-day. */
  readonly period: string | null;
  /** Days the basket covers, the denominator of per-30-day rates (see {@link CallBasketsOptions.days}). */
  readonly days: number;
  /** The subscriber's record when `subscribers` were given and hold this id, else `null`. */
  readonly subscriber: Subscriber | null;
  readonly voiceOut: number;
  readonly voiceIn: number;
  readonly voiceSeconds: number;
  /** Voice calls (made or received) starting in the night hours. */
  readonly nightVoice: number;
  readonly internationalVoiceOut: number;
  readonly premiumVoiceOut: number;
  /** Voice calls (made or received) with destination `roaming`. */
  readonly roamingVoice: number;
  readonly smsOut: number;
  readonly smsIn: number;
  readonly internationalSmsOut: number;
  readonly dataSessions: number;
  readonly dataMb: number;
  readonly roamingDataSessions: number;
  readonly mms: number;
  /** Events of services other than voice, sms, data and mms. */
  readonly otherEvents: number;
}

/** The thresholds of {@link callItems}. */
export interface CallItemThresholds {
  /** `voice:night` from this share of voice calls (made or received) in the night hours. @defaultValue 0.3 */
  readonly nightVoiceShare: number;
  /** First night hour, UTC. @defaultValue 22 */
  readonly nightStartHour: number;
  /** First hour after the night, UTC. @defaultValue 6 */
  readonly nightEndHour: number;
  /** `voice:international` from this share of outgoing calls to international destinations. @defaultValue 0.2 */
  readonly internationalVoiceShare: number;
  /** `sms:international` from this share of sent SMS to international destinations. @defaultValue 0.2 */
  readonly internationalSmsShare: number;
  /** `sms:heavy` from this many SMS (sent and received) per 30 days. @defaultValue 60 */
  readonly heavySmsPer30Days: number;
  /** `data:heavy` from this many megabytes per 30 days. @defaultValue 2000 */
  readonly heavyDataMbPer30Days: number;
}

/** The default thresholds of {@link callItems}. */
export const defaultCallItemThresholds: CallItemThresholds = Object.freeze({
  nightVoiceShare: 0.3,
  nightStartHour: 22,
  nightEndHour: 6,
  internationalVoiceShare: 0.2,
  internationalSmsShare: 0.2,
  heavySmsPer30Days: 60,
  heavyDataMbPer30Days: 2000,
});

/**
 * The default itemiser: turns one basket's usage into items.
 *
 * | item | when |
 * |---|---|
 * | `voice:international` | ≥ 20% of outgoing voice calls go to `international` destinations |
 * | `voice:roaming` | at least one voice call (made or received) while `roaming` |
 * | `voice:night` | ≥ 30% of voice calls (made or received) start 22:00-06:00 UTC |
 * | `voice:premium` | at least one outgoing call to a `premium` destination |
 * | `sms` | at least one SMS sent |
 * | `sms:heavy` | ≥ 60 SMS sent and received per 30 days |
 * | `sms:international` | ≥ 20% of sent SMS go to `international` destinations |
 * | `data` | at least one data session |
 * | `data:heavy` | ≥ 2,000 MB per 30 days |
 * | `data:roaming` | at least one data session while `roaming` |
 * | `mms` | at least one MMS |
 *
 * Pass `thresholds` to move any threshold. To extend the default, call it from your own itemiser.
 *
 * @example
 * callItems(usage); // for a heavy data user who calls at night: ['data', 'data:heavy', 'sms', 'voice:night']
 * const itemize = (usage: BasketUsage) => [...callItems(usage), ...(usage.otherEvents > 0 ? ['other'] : [])];
 */
export function callItems(usage: BasketUsage, thresholds: Partial<CallItemThresholds> = {}): string[] {
  const limits = resolveThresholds(thresholds);
  const items: string[] = [];
  const perThirtyDays = 30 / usage.days;
  const voice = usage.voiceOut + usage.voiceIn;
  if (usage.voiceOut > 0 && usage.internationalVoiceOut / usage.voiceOut >= limits.internationalVoiceShare) {
    items.push('voice:international');
  }
  if (usage.roamingVoice > 0) items.push('voice:roaming');
  if (voice > 0 && usage.nightVoice / voice >= limits.nightVoiceShare) items.push('voice:night');
  if (usage.premiumVoiceOut > 0) items.push('voice:premium');
  if (usage.smsOut > 0) items.push('sms');
  if ((usage.smsOut + usage.smsIn) * perThirtyDays >= limits.heavySmsPer30Days) items.push('sms:heavy');
  if (usage.smsOut > 0 && usage.internationalSmsOut / usage.smsOut >= limits.internationalSmsShare) {
    items.push('sms:international');
  }
  if (usage.dataSessions > 0) items.push('data');
  if (usage.dataMb * perThirtyDays >= limits.heavyDataMbPer30Days) items.push('data:heavy');
  if (usage.roamingDataSessions > 0) items.push('data:roaming');
  if (usage.mms > 0) items.push('mms');
  return items;
}

const thresholdCache = new WeakMap<object, CallItemThresholds>();

function resolveThresholds(thresholds: Partial<CallItemThresholds>): CallItemThresholds {
  const cached = thresholdCache.get(thresholds);
  if (cached !== undefined) return cached;
  const resolved = { ...defaultCallItemThresholds };
  for (const [key, value] of Object.entries(thresholds)) {
    if (value === undefined) continue;
    if (!(key in defaultCallItemThresholds)) {
      throw new OptionError(
        'callItems',
        `thresholds.${key}`,
        `is not a threshold; use one of ${Object.keys(defaultCallItemThresholds).join(', ')}`,
      );
    }
    const isHour = key === 'nightStartHour' || key === 'nightEndHour';
    const isShare = key.endsWith('Share');
    const valid =
      typeof value === 'number' &&
      (isHour
        ? Number.isInteger(value) && value >= 0 && value <= 23
        : isShare
          ? value > 0 && value <= 1
          : Number.isFinite(value) && value > 0);
    if (!valid) {
      const domain = isHour
        ? 'an integer hour in 0..23'
        : isShare
          ? 'a share in (0, 1]'
          : 'a positive number';
      throw new OptionError('callItems', `thresholds.${key}`, `must be ${domain}, received ${String(value)}`);
    }
    (resolved as Record<string, number>)[key] = value;
  }
  const frozen = Object.freeze(resolved);
  thresholdCache.set(thresholds, frozen);
  return frozen;
}

/** Options of {@link callBaskets}. */
export interface CallBasketsOptions {
  /** One basket per subscriber, per subscriber-month or per subscriber-day. @defaultValue 'subscriber' */
  readonly by?: BasketGrouping | undefined;
  /**
   * Turns a basket's usage into items, replacing {@link callItems} (call it inside to extend it).
   * @defaultValue `callItems` with `thresholds`
   */
  readonly itemize?: ((usage: BasketUsage) => readonly string[]) | undefined;
  /** Thresholds of the default itemiser. @defaultValue {@link defaultCallItemThresholds} */
  readonly thresholds?: Partial<CallItemThresholds> | undefined;
  /** Subscribers whose attributes become items (`plan:POST-M`, `region:North`, `age:18-24`). @defaultValue none */
  readonly subscribers?: Iterable<Subscriber> | undefined;
  /**
   * Attributes of `subscribers` turned into `prefix:value` items; `planId` becomes `plan`,
   * `ageBand` becomes `age`, others keep their name. @defaultValue ['planId', 'region', 'ageBand']
   */
  readonly subscriberAttributes?: readonly string[] | undefined;
  /**
   * Days a `subscriber` basket covers, for per-30-day thresholds. @defaultValue the days from the
   * first to the last call of the input (UTC, inclusive)
   */
  readonly days?: number | undefined;
}

/** One basket: whose, when, and its items (sorted, without duplicates). */
export interface CallBasket {
  readonly subscriberId: string;
  readonly period: string | null;
  readonly items: readonly string[];
}

interface Accumulator {
  subscriberId: string;
  periodKey: number;
  voiceOut: number;
  voiceIn: number;
  voiceSeconds: number;
  nightVoice: number;
  internationalVoiceOut: number;
  premiumVoiceOut: number;
  roamingVoice: number;
  smsOut: number;
  smsIn: number;
  internationalSmsOut: number;
  dataSessions: number;
  dataMb: number;
  roamingDataSessions: number;
  mms: number;
  otherEvents: number;
}

const dayMs = 86_400_000;
const context = 'callBaskets';
const attributePrefixes: Readonly<Record<string, string>> = { planId: 'plan', ageBand: 'age' };

/**
 * The order of baskets: by subscriber id, then period (code-unit order). Shared with the engine's
 * push-down. @internal
 */
export function compareBaskets(a: CallBasket, b: CallBasket): number {
  if (a.subscriberId !== b.subscriberId) return a.subscriberId < b.subscriberId ? -1 : 1;
  const periodA = a.period ?? '';
  const periodB = b.period ?? '';
  return periodA < periodB ? -1 : periodA > periodB ? 1 : 0;
}

/**
 * The sorted items of one basket: `itemize(usage)` (checked to be non-empty strings) plus the
 * subscriber's attributes as `prefix:value`. Shared with the engine's push-down. @internal
 */
export function basketItems(
  usage: BasketUsage,
  itemize: (usage: BasketUsage) => Iterable<string>,
  attributes: readonly string[],
  subscriberId: string,
  context: string,
): string[] {
  const items = new Set<string>();
  for (const item of itemize(usage)) {
    if (typeof item !== 'string' || item.length === 0) {
      throw new OptionError(
        context,
        'itemize',
        `must return non-empty strings, returned ${typeof item === 'string' ? 'an empty string' : typeof item} for subscriber '${subscriberId}'`,
      );
    }
    items.add(item);
  }
  const subscriber = usage.subscriber;
  if (subscriber !== null) {
    for (const attribute of attributes) {
      const value = subscriber[attribute];
      if (value !== undefined && value !== '')
        items.add(`${attributePrefixes[attribute] ?? attribute}:${String(value)}`);
    }
  }
  return [...items].sort();
}

function monthKey(day: number): number {
  const date = new Date(day * dayMs);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

function formatMonth(key: number): string {
  return `${String(Math.floor(key / 12)).padStart(4, '0')}-${String((key % 12) + 1).padStart(2, '0')}`;
}

function daysInMonth(key: number): number {
  return Math.round(
    (Date.UTC(Math.floor(key / 12), (key % 12) + 1, 1) - Date.UTC(Math.floor(key / 12), key % 12, 1)) / dayMs,
  );
}

function callError(row: number, column: string, reason: string): DataError {
  return new DataError(context, [{ row, column, reason }]);
}

/**
 * Groups call detail records into baskets of usage items — the transactions of "which usage
 * behaviours occur together" — for {@link fpGrowth}. Each basket's calls are summed into a
 * {@link BasketUsage} and itemised by {@link callItems} (thresholds in its table) or `itemize`;
 * subscriber attributes are added as items when `subscribers` are given (a subscriber without
 * calls gets no basket). Baskets come sorted by subscriber, then period; a basket may be empty.
 *
 * @throws {@link DataError} naming the row (1-based) and column of a call without a subscriber id,
 * a finite `start` or a service.
 * @example
 * const operator = generateOperator({ subscribers: 1000, seed: 7 });
 * const baskets = callBaskets(operator.calls, { subscribers: operator.subscribers });
 * baskets[0];
 * // => { subscriberId: 'S0000001', period: null, items: ['age:25-34', 'data', 'plan:POST-M', 'region:Capital',
 * //      'sms', 'sms:international', 'voice:international'] }
 * fpGrowth(baskets.map((basket) => basket.items), { minSupport: 0.05 });
 */
export function callBaskets(calls: Iterable<CallRecord>, options: CallBasketsOptions = {}): CallBasket[] {
  const by = options.by ?? 'subscriber';
  if (by !== 'subscriber' && by !== 'subscriber-month' && by !== 'subscriber-day') {
    throw new OptionError(
      context,
      'by',
      `must be 'subscriber', 'subscriber-month' or 'subscriber-day', received '${String(by)}'`,
    );
  }
  if (options.itemize !== undefined && typeof options.itemize !== 'function') {
    throw new OptionError(context, 'itemize', 'must be a function of a BasketUsage returning item names');
  }
  const thresholds = resolveThresholds(options.thresholds ?? {});
  const itemize = options.itemize ?? ((usage: BasketUsage) => callItems(usage, thresholds));
  if (options.days !== undefined && !(Number.isFinite(options.days) && options.days > 0)) {
    throw new OptionError(context, 'days', `must be a positive number, received ${String(options.days)}`);
  }
  const attributes = options.subscriberAttributes ?? ['planId', 'region', 'ageBand'];
  const subscribers = new Map<string, Subscriber>();
  for (const subscriber of options.subscribers ?? []) subscribers.set(subscriber.subscriberId, subscriber);
  const nightStart = thresholds.nightStartHour;
  const nightEnd = thresholds.nightEndHour;
  const isNight = (hour: number): boolean =>
    nightStart <= nightEnd ? hour >= nightStart && hour < nightEnd : hour >= nightStart || hour < nightEnd;

  const baskets = new Map<string, Accumulator>();
  const monthOfDay = new Map<number, number>();
  let firstDay = Number.POSITIVE_INFINITY;
  let lastDay = Number.NEGATIVE_INFINITY;
  let row = 0;
  for (const call of calls) {
    row++;
    if (typeof call !== 'object' || call === null)
      throw callError(row, 'subscriberId', 'expected a call record object');
    const { subscriberId, start, service } = call;
    if (typeof subscriberId !== 'string' || subscriberId.length === 0) {
      throw callError(row, 'subscriberId', `expected a non-empty string, received ${String(subscriberId)}`);
    }
    if (typeof start !== 'number' || !Number.isFinite(start)) {
      throw callError(row, 'start', `expected epoch milliseconds, received ${String(start)}`);
    }
    if (typeof service !== 'string')
      throw callError(row, 'service', `expected a string, received ${String(service)}`);
    const day = Math.floor(start / dayMs);
    if (day < firstDay) firstDay = day;
    if (day > lastDay) lastDay = day;
    let periodKey = 0;
    if (by === 'subscriber-day') periodKey = day;
    else if (by === 'subscriber-month') {
      let month = monthOfDay.get(day);
      if (month === undefined) {
        month = monthKey(day);
        monthOfDay.set(day, month);
      }
      periodKey = month;
    }
    const key = by === 'subscriber' ? subscriberId : `${subscriberId}\u0000${periodKey}`;
    let basket = baskets.get(key);
    if (basket === undefined) {
      basket = {
        subscriberId,
        periodKey,
        voiceOut: 0,
        voiceIn: 0,
        voiceSeconds: 0,
        nightVoice: 0,
        internationalVoiceOut: 0,
        premiumVoiceOut: 0,
        roamingVoice: 0,
        smsOut: 0,
        smsIn: 0,
        internationalSmsOut: 0,
        dataSessions: 0,
        dataMb: 0,
        roamingDataSessions: 0,
        mms: 0,
        otherEvents: 0,
      };
      baskets.set(key, basket);
    }
    const outgoing = call.direction !== 'in';
    const destination = call.destination;
    if (service === 'voice') {
      if (outgoing) {
        basket.voiceOut++;
        if (destination === 'international') basket.internationalVoiceOut++;
        else if (destination === 'premium') basket.premiumVoiceOut++;
      } else basket.voiceIn++;
      if (destination === 'roaming') basket.roamingVoice++;
      basket.voiceSeconds += call.durationSec ?? 0;
      if (isNight(Math.floor((start - day * dayMs) / 3_600_000))) basket.nightVoice++;
    } else if (service === 'sms') {
      if (outgoing) {
        basket.smsOut++;
        if (destination === 'international') basket.internationalSmsOut++;
      } else basket.smsIn++;
    } else if (service === 'data') {
      basket.dataSessions++;
      basket.dataMb += call.volumeMb ?? 0;
      if (destination === 'roaming') basket.roamingDataSessions++;
    } else if (service === 'mms') basket.mms++;
    else basket.otherEvents++;
  }

  const windowDays = options.days ?? (row === 0 ? 1 : lastDay - firstDay + 1);
  const result: CallBasket[] = [];
  for (const basket of baskets.values()) {
    const period =
      by === 'subscriber'
        ? null
        : by === 'subscriber-month'
          ? formatMonth(basket.periodKey)
          : new Date(basket.periodKey * dayMs).toISOString().slice(0, 10);
    const days =
      by === 'subscriber' ? windowDays : by === 'subscriber-month' ? daysInMonth(basket.periodKey) : 1;
    const { periodKey: _periodKey, ...counts } = basket;
    const subscriber = subscribers.get(basket.subscriberId) ?? null;
    const usage: BasketUsage = { ...counts, period, days, subscriber };
    const items = basketItems(usage, itemize, attributes, basket.subscriberId, context);
    result.push({ subscriberId: basket.subscriberId, period, items });
  }
  return result.sort(compareBaskets);
}
