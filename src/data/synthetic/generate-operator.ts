import { OptionError } from '../errors.js';
import { createRng, deriveSeed } from '../random.js';
import type { CallRecord, Payment, Subscriber, TimestampInput } from '../records.js';
import { formatDate, toEpochMilliseconds } from '../timestamp.js';
import { type OperatorPlan, operatorPlans } from './operator-plans.js';
import { drawSubscriberProfiles, type FraudPattern, fraudPatterns } from './subscriber-profiles.js';
import { generateSubscriberUsage, type PeriodCalendar } from './subscriber-usage.js';
import { type UsageSegmentName, usageSegments } from './usage-segments.js';

/** Options of {@link generateOperator} and {@link streamOperator}. */
export interface GenerateOperatorOptions {
  /** Number of subscribers. @defaultValue 2000 */
  readonly subscribers?: number;
  /** Number of calendar months of usage. @defaultValue 3 */
  readonly months?: number;
  /** Seed of every random draw. @defaultValue 0 */
  readonly seed?: number;
  /** First day of the period: the first of a month, UTC. @defaultValue '2024-01-01' */
  readonly start?: TimestampInput;
  /** Expected share of subscribers who churn during the period. @defaultValue 0.15 */
  readonly churnRate?: number;
  /** Share of subscribers activated during the period (they have no usage before). @defaultValue 0.06 */
  readonly newSubscriberShare?: number;
  /** Share of postpaid subscribers who pay late or not at all. @defaultValue 0.08 */
  readonly badPayerShare?: number;
  /**
   * Share of subscribers in each planted fraud pattern (at least one of each enabled pattern from
   * 200 subscribers up). @defaultValue `{ 'sim-box': 0.003, 'revenue-share': 0.003, subscription: 0.004 }`
   */
  readonly fraud?: Partial<Readonly<Record<FraudPattern, number>>>;
  /** Subscribers per yielded chunk (memory bound of {@link streamOperator}). @defaultValue 1000 */
  readonly chunkSize?: number;
}

/** What the generator planted for one subscriber. */
export interface SubscriberTruth {
  readonly subscriberId: string;
  /** The latent usage segment (fraud subscribers keep the one drawn before fraud replaced their usage). */
  readonly segment: UsageSegmentName;
  readonly fraud: FraudPattern | null;
  /** First day of the fraudulent behaviour, `YYYY-MM-DD`, or `null`. */
  readonly fraudStart: string | null;
  readonly churned: boolean;
  /** Day of the churn (first day without service), `YYYY-MM-DD`, or `null`. */
  readonly churnDate: string | null;
  /** `true` for churners whose usage did not decline beforehand. */
  readonly silentChurner: boolean;
  readonly badPayer: boolean;
}

/** A usage correlation planted on purpose, for association mining to find. */
export interface PlantedAssociation {
  readonly segment: UsageSegmentName;
  readonly items: readonly string[];
  readonly description: string;
}

/** The generator's parameters and the planted structure that does not vary per subscriber. */
export interface OperatorDescription {
  readonly seed: number;
  readonly subscriberCount: number;
  readonly months: number;
  /** First day of the period (`YYYY-MM-DD`). */
  readonly start: string;
  /** First day after the period (`YYYY-MM-DD`): the natural `asOf` of every analysis. */
  readonly end: string;
  readonly churnRate: number;
  readonly fraudShares: Readonly<Record<FraudPattern, number>>;
  readonly plans: readonly OperatorPlan[];
  readonly segments: readonly {
    readonly name: UsageSegmentName;
    readonly share: number;
    readonly description: string;
  }[];
  readonly plantedAssociations: readonly PlantedAssociation[];
}

/** One block of subscribers with all their records. */
export interface OperatorChunk {
  readonly subscribers: Subscriber[];
  /** CDRs of the chunk's subscribers, grouped by subscriber, in time order within each. */
  readonly calls: CallRecord[];
  readonly payments: Payment[];
  readonly truth: SubscriberTruth[];
}

/** A synthetic operator held in memory. */
export interface SyntheticOperator extends OperatorDescription {
  readonly subscribers: Subscriber[];
  readonly calls: CallRecord[];
  readonly payments: Payment[];
  readonly truth: SubscriberTruth[];
}

/** A synthetic operator streamed in chunks: iterate `chunks()` (as often as needed; each pass is identical). */
export interface OperatorStream extends OperatorDescription {
  chunks(): Generator<OperatorChunk, void, undefined>;
}

const plantedAssociations: readonly PlantedAssociation[] = [
  {
    segment: 'business-traveller',
    items: ['voice:roaming', 'data:roaming'],
    description: 'trips abroad: roaming voice and roaming (international) data occur together',
  },
  {
    segment: 'social-texter',
    items: ['voice:night', 'sms:heavy'],
    description: 'late-night voice comes with heavy SMS',
  },
  {
    segment: 'international-caller',
    items: ['voice:international', 'sms:international'],
    description: 'international calls come with international SMS',
  },
];

const defaultFraudShares: Readonly<Record<FraudPattern, number>> = {
  'sim-box': 0.003,
  'revenue-share': 0.003,
  subscription: 0.004,
};

function requireInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new OptionError(
      'generateOperator',
      name,
      `must be an integer in ${min}..${max}, received ${value}`,
    );
  }
  return value;
}

function requireShare(name: string, value: number, max = 1): number {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new OptionError('generateOperator', name, `must be a number in 0..${max}, received ${value}`);
  }
  return value;
}

function buildCalendar(startMs: number, months: number): PeriodCalendar {
  const start = new Date(startMs);
  const monthStartDays = new Int32Array(months + 1);
  for (let month = 0; month <= months; month++) {
    const ms = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + month, 1);
    monthStartDays[month] = Math.round((ms - startMs) / 86_400_000);
  }
  const days = monthStartDays[months]!;
  const monthOfDay = new Int32Array(days);
  const weekendDay = new Uint8Array(days);
  for (let month = 0; month < months; month++) {
    for (let day = monthStartDays[month]!; day < monthStartDays[month + 1]!; day++) monthOfDay[day] = month;
  }
  for (let day = 0; day < days; day++) {
    const weekday = new Date(startMs + day * 86_400_000).getUTCDay();
    weekendDay[day] = weekday === 0 || weekday === 6 ? 1 : 0;
  }
  return { startMs, days, monthStartDays, monthOfDay, weekendDay };
}

/**
 * Streams a seeded synthetic mobile operator — a "digital twin" with ground truth — in chunks of
 * subscribers, so that 100,000 subscribers x 6 months never sit in memory at once.
 *
 * What is drawn, and how (all through {@link createRng}; each subscriber's usage has its own
 * stream derived from the seed and its index, so the chunk size never changes the data):
 * - **Subscribers**: a latent usage segment (shares in `usageSegments`: light user 25%, data
 *   streamer 25%, international caller 20%, business traveller 12%, social texter 18%); a plan by
 *   segment (five plans, two prepaid); contract (prepaid, or 12-month / 24-month / month-to-month in
 *   35/35/30%); region (Capital 30%, North 20%, South 20%, East 15%, West 15%); age band by segment;
 *   tenure: existing lines were activated 1 + Gamma(1.6, 18) months before the period, new lines
 *   (`newSubscriberShare`) on a uniform day of the period.
 * - **Usage**: per stream (voice out/in, SMS out/in, data sessions, MMS) a Poisson number of events
 *   with mean = segment rate x a per-subscriber log-normal factor exp(N(0, 0.3²)) x the sum of daily
 *   activity weights (weekend factor per segment; zero before activation and after churn). Hours
 *   follow a diurnal profile mixed with the segment's night share; call lengths are log-normal
 *   (segment median, sigma 0.9); data volumes log-normal (segment median, sigma 1.0); destinations
 *   by the segment's zone mix; trips abroad (Poisson per month, 2-5 days) make all usage roaming;
 *   called numbers come from a Zipf-weighted circle of contacts.
 * - **Charges** per CDR by the reference rating described in `operator-plans.ts`.
 * - **Churn**: a logistic model of contract flexibility (+1.1), tenure (-0.03 per month, capped at
 *   72), bad payment (+1.2) and segment, its intercept calibrated so the expected churn share is
 *   `churnRate`. A churner's usage declines linearly to 20% over the 30-75 days before the churn day
 *   (uniform between day min(60, period/3) and the end), except for 15% silent churners; complaints
 *   are Poisson(1.4) for churners (0.4 silent) against Poisson(0.15) for others.
 * - **Payments**: postpaid bills (fee + usage) issued on the 1st, due after 14 days, paid 3-20 days
 *   after issue; bad payers pay 25-74 days late or never; prepaid top-ups cover each month's spend.
 *   `arrearsDays` is measured at the end of the period.
 * - **Fraud** (labels in the truth): *SIM-box* — a prepaid line making ~60 short (median 40 s)
 *   outgoing calls a day to always-new national numbers from one cell, 7 days a week, with almost no
 *   incoming calls, for 30-90 days; *revenue-share* (IRSF) — an ordinary line with 1-3 night bursts of
 *   25-64 long (median 15 min) calls to a ring of premium international numbers (+88213...);
 *   *subscription* — a new postpaid line with heavy international/premium voice and data for 20-40
 *   days after activation, never paying.
 *
 * @example
 * const operator = streamOperator({ subscribers: 100_000, months: 6, seed: 42 });
 * for (const chunk of operator.chunks()) {
 *   // chunk.calls: the CDRs of up to 1,000 subscribers
 * }
 */
export function streamOperator(options: GenerateOperatorOptions = {}): OperatorStream {
  const subscribers = requireInteger('subscribers', options.subscribers ?? 2000, 1, 50_000_000);
  const months = requireInteger('months', options.months ?? 3, 1, 120);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed))
    throw new OptionError('generateOperator', 'seed', `must be a safe integer, received ${seed}`);
  const churnRate = requireShare('churnRate', options.churnRate ?? 0.15, 0.95);
  const newSubscriberShare = requireShare('newSubscriberShare', options.newSubscriberShare ?? 0.06);
  const badPayerShare = requireShare('badPayerShare', options.badPayerShare ?? 0.08);
  const chunkSize = requireInteger('chunkSize', options.chunkSize ?? 1000, 1, 10_000_000);
  const fraudShares = { ...defaultFraudShares };
  for (const pattern of fraudPatterns) {
    const share = options.fraud?.[pattern];
    if (share !== undefined) fraudShares[pattern] = requireShare(`fraud.${pattern}`, share, 0.1);
  }
  for (const key of Object.keys(options.fraud ?? {})) {
    if (!(fraudPatterns as readonly string[]).includes(key)) {
      throw new OptionError(
        'generateOperator',
        `fraud.${key}`,
        `is not a fraud pattern; use one of ${fraudPatterns.join(', ')}`,
      );
    }
  }
  const startMs = toEpochMilliseconds(options.start ?? '2024-01-01');
  const startDate = new Date(startMs);
  if (Number.isNaN(startMs) || startMs !== Date.UTC(startDate.getUTCFullYear(), startDate.getUTCMonth(), 1)) {
    throw new OptionError(
      'generateOperator',
      'start',
      `must be the first day of a month at 00:00 UTC, received ${String(options.start)}`,
    );
  }
  const calendar = buildCalendar(startMs, months);

  const description: OperatorDescription = {
    seed,
    subscriberCount: subscribers,
    months,
    start: formatDate(startMs),
    end: formatDate(startMs + calendar.days * 86_400_000),
    churnRate,
    fraudShares,
    plans: operatorPlans,
    segments: usageSegments.map(({ name, share, description: text }) => ({ name, share, description: text })),
    plantedAssociations,
  };

  return {
    ...description,
    *chunks() {
      const profiles = drawSubscriberProfiles(
        { subscribers, days: calendar.days, churnRate, newSubscriberShare, badPayerShare, fraudShares },
        createRng(deriveSeed(seed, 'profiles')),
      );
      for (let from = 0; from < subscribers; from += chunkSize) {
        const chunk: OperatorChunk = { subscribers: [], calls: [], payments: [], truth: [] };
        for (const profile of profiles.slice(from, from + chunkSize)) {
          const output = generateSubscriberUsage(
            profile,
            calendar,
            createRng(deriveSeed(seed, 'usage', profile.index)),
          );
          chunk.subscribers.push(output.subscriber);
          for (const call of output.calls) chunk.calls.push(call);
          for (const payment of output.payments) chunk.payments.push(payment);
          chunk.truth.push({
            subscriberId: profile.subscriberId,
            segment: usageSegments[profile.segment]!.name,
            fraud: profile.fraud,
            fraudStart:
              profile.fraud === null ? null : formatDate(startMs + profile.fraudStartDay * 86_400_000),
            churned: profile.churned,
            churnDate: profile.churned ? formatDate(startMs + profile.lastDayExclusive * 86_400_000) : null,
            silentChurner: profile.silentChurner,
            badPayer: profile.badPayer,
          });
        }
        yield chunk;
      }
    },
  };
}

/**
 * Generates a seeded synthetic mobile operator in memory: subscribers, CDRs, payments, the plans and
 * the ground truth (latent segments, churners and churn dates, planted fraud). See
 * {@link streamOperator} for every distribution and rate, and for sizes that do not fit in memory.
 *
 * @example
 * const operator = generateOperator({ subscribers: 500, months: 3, seed: 42 });
 * operator.subscribers.length; // => 500
 * operator.truth.filter((t) => t.churned).length / 500; // about 0.15
 * operator.calls[0]; // { subscriberId: 'S0000001', start: 1704..., service: 'voice', ... }
 */
export function generateOperator(options: GenerateOperatorOptions = {}): SyntheticOperator {
  const stream = streamOperator(options);
  const subscriberRecords: Subscriber[] = [];
  const calls: CallRecord[] = [];
  const payments: Payment[] = [];
  const truth: SubscriberTruth[] = [];
  for (const chunk of stream.chunks()) {
    subscriberRecords.push(...chunk.subscribers);
    for (const call of chunk.calls) calls.push(call);
    for (const payment of chunk.payments) payments.push(payment);
    truth.push(...chunk.truth);
  }
  const { chunks: _chunks, ...description } = stream;
  return { ...description, subscribers: subscriberRecords, calls, payments, truth };
}
