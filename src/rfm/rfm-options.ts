import { OptionError } from '../data/errors.js';
import type { TimestampInput } from '../data/records.js';
import { timestampOption } from '../data/timestamp.js';
import type { IntervalClosure } from './score-by-value.js';
import type { SegmentPreset, SegmentRule } from './segment-schemes.js';

export type { IntervalClosure } from './score-by-value.js';

/**
 * How values become scores 1..bins:
 * - `'quantile'`: breakpoints at the `k / bins` quantiles of the customers' values (R's default
 *   type 7). Bins are closed on the right: a value equal to a breakpoint takes the lower bin, so
 *   equal values always share a score; a value repeated across a quantile leaves a score empty
 *   (reported in `collapsedBins`).
 * - `'rank'`: equal-size groups by rank, ties broken by ascending customer id, exactly as SQL
 *   `NTILE(bins) OVER (ORDER BY value, customer_id)` (recency ordered descending). Every score is
 *   used (given at least `bins` customers) but equal values can get different scores.
 * - `'fixed'`: the caller's `breakpoints` (e.g. those of an earlier run, so scores stay comparable
 *   month to month).
 * - `'rfmPackage'`: the rule of R's `rfm` package (`rfm_table_order`): breakpoints at the type-7
 *   quantiles plus one, bins closed on the left. For whole-number values this places a value equal
 *   to a whole quantile in the lower bin, like `'quantile'`, but a value just above a fractional
 *   quantile (e.g. 297 against 296.4) also stays in the lower bin.
 *
 * @example
 * const scoring: RfmScoring = 'rank';
 */
export type RfmScoring = 'quantile' | 'rank' | 'fixed' | 'rfmPackage';

/**
 * What frequency counts: payment events, distinct UTC days with an event, or distinct UTC calendar
 * months with an event.
 *
 * @example
 * const frequency: FrequencyMeasure = 'activeMonths';
 */
export type FrequencyMeasure = 'events' | 'activeDays' | 'activeMonths';

/**
 * What monetary value is: the customer's total amount, or the mean amount per event.
 *
 * @example
 * const monetary: MonetaryMeasure = 'mean';
 */
export type MonetaryMeasure = 'sum' | 'mean';

/**
 * The breakpoints that turn values into scores: for each measure `bins - 1` non-decreasing cut
 * points on the value scale (recency in days, frequency, monetary). A value's bin is 1 plus the
 * number of cut points below it (`closed: 'right'`) or at or below it (`closed: 'left'`). F and M
 * scores are the bin; the R score is `bins + 1 - bin` (fewer days since the last payment is better).
 *
 * @example
 * const breakpoints: RfmBreakpoints = {
 *   recency: [30, 60, 90, 180], frequency: [1, 2, 4, 8], monetary: [10, 50, 100, 500], closed: 'right',
 * };
 */
export interface RfmBreakpoints {
  readonly recency: readonly number[];
  readonly frequency: readonly number[];
  readonly monetary: readonly number[];
  /**
   * Which side of each bin is closed.
   * @defaultValue 'right'
   */
  readonly closed?: IntervalClosure | undefined;
}

/** Options of {@link rfm} and {@link rfmFromCalls}. */
export interface RfmOptions {
  /**
   * The analysis date. Recency is the number of whole UTC days from the day of the customer's last
   * event to the day of `asOf`; events on a later day than `asOf` are an error.
   * @defaultValue the day after the latest event (so the most recent customers have recency 1)
   */
  readonly asOf?: TimestampInput | undefined;
  /**
   * Number of scores per measure, an integer in 2..9 (cells stay three digits).
   * @defaultValue 5, or `breakpoints` length + 1 when breakpoints are given
   */
  readonly bins?: number | undefined;
  /**
   * How values become scores; see {@link RfmScoring}.
   * @defaultValue 'quantile', or 'fixed' when `breakpoints` are given
   */
  readonly scoring?: RfmScoring | undefined;
  /**
   * Breakpoints for `scoring: 'fixed'`, typically `result.breakpoints` of an earlier run.
   * @defaultValue none
   */
  readonly breakpoints?: RfmBreakpoints | undefined;
  /**
   * What frequency counts.
   * @defaultValue 'events' for {@link rfm}, 'activeDays' for {@link rfmFromCalls}
   */
  readonly frequency?: FrequencyMeasure | undefined;
  /**
   * What monetary value is.
   * @defaultValue 'sum'
   */
  readonly monetary?: MonetaryMeasure | undefined;
  /**
   * The segment scheme: a preset name or rules `{ name, r, f, m? }` (first match wins).
   * @defaultValue 'default' ({@link defaultSegments}, a complete partition: nobody is left in `otherSegment`)
   */
  readonly segments?: SegmentPreset | readonly SegmentRule[] | undefined;
  /**
   * The segment of customers no rule matches.
   * @defaultValue 'Other'
   */
  readonly otherSegment?: string | undefined;
  /**
   * Threads adding up the per-customer totals, the calling one included. With 2 (or more: one
   * worker is all this step uses), a worker thread adds up while the calling thread reads the
   * events and packs their ids; the call stays synchronous and the result is the same to the bit.
   * The worker is used when every id is at most 15 digits, 10 characters of `0-9 A-Z a-z -` or 8
   * ASCII characters (MSISDNs, IMSIs, account codes); otherwise the calling thread does all the work.
   * @defaultValue 2 from 4,194,304 events on when the machine has two or more cores, else 1
   */
  readonly threads?: number | undefined;
}

/** Breakpoints after checks. @internal */
export interface CheckedBreakpoints {
  readonly recency: readonly number[];
  readonly frequency: readonly number[];
  readonly monetary: readonly number[];
  readonly closed: IntervalClosure;
}

/** Options after defaults and checks. @internal */
export interface ResolvedRfmOptions {
  readonly asOf: number | undefined;
  readonly bins: number;
  readonly scoring: RfmScoring;
  readonly breakpoints: CheckedBreakpoints | undefined;
  readonly frequency: FrequencyMeasure;
  readonly monetary: MonetaryMeasure;
  readonly segments: SegmentPreset | readonly SegmentRule[] | undefined;
  readonly otherSegment: string;
  /** `undefined`: chosen by the number of events. */
  readonly threads: number | undefined;
}

function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  fallback: T,
  option: string,
  context: string,
): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new OptionError(
    context,
    option,
    `must be one of ${allowed.map((name) => `'${name}'`).join(', ')}, received ${JSON.stringify(value)}`,
  );
}

function checkCuts(value: unknown, measure: string, bins: number | undefined, context: string): number[] {
  const where = `breakpoints.${measure}`;
  if (!Array.isArray(value) || value.length === 0) {
    throw new OptionError(context, 'breakpoints', `${where} must be a non-empty array of numbers`);
  }
  value.forEach((cut, index) => {
    if (typeof cut !== 'number' || !Number.isFinite(cut)) {
      throw new OptionError(
        context,
        'breakpoints',
        `${where}[${index}] must be a finite number, received ${JSON.stringify(cut)}`,
      );
    }
    if (index > 0 && cut < value[index - 1]) {
      throw new OptionError(
        context,
        'breakpoints',
        `${where} must be non-decreasing, but [${index}] = ${cut} < ${value[index - 1]}`,
      );
    }
  });
  if (bins !== undefined && value.length !== bins - 1) {
    throw new OptionError(
      context,
      'breakpoints',
      `${where} must hold bins - 1 = ${bins - 1} cut points, received ${value.length}`,
    );
  }
  return [...(value as number[])];
}

/** Applies defaults and checks every option, naming the bad one. @internal */
export function resolveRfmOptions(
  options: RfmOptions,
  defaultFrequency: FrequencyMeasure,
  context: string,
): ResolvedRfmOptions {
  if (typeof options !== 'object' || options === null) {
    throw new OptionError(context, 'options', 'must be an object');
  }
  let asOf: number | undefined;
  if (options.asOf !== undefined) {
    asOf = timestampOption(options.asOf, context, 'asOf');
  }
  if (
    options.bins !== undefined &&
    (!Number.isInteger(options.bins) || options.bins < 2 || options.bins > 9)
  ) {
    throw new OptionError(
      context,
      'bins',
      `must be an integer in 2..9, received ${JSON.stringify(options.bins)}`,
    );
  }
  const given = options.breakpoints;
  const scoring = oneOf<RfmScoring>(
    options.scoring,
    ['quantile', 'rank', 'fixed', 'rfmPackage'],
    given === undefined ? 'quantile' : 'fixed',
    'scoring',
    context,
  );
  let breakpoints: CheckedBreakpoints | undefined;
  if (given !== undefined) {
    if (scoring !== 'fixed') {
      throw new OptionError(
        context,
        'breakpoints',
        `are only used with scoring 'fixed', but scoring is '${scoring}'`,
      );
    }
    if (typeof given !== 'object' || given === null) {
      throw new OptionError(
        context,
        'breakpoints',
        'must be an object { recency, frequency, monetary, closed? }',
      );
    }
    const recency = checkCuts(given.recency, 'recency', options.bins, context);
    const frequency = checkCuts(given.frequency, 'frequency', recency.length + 1, context);
    const monetary = checkCuts(given.monetary, 'monetary', recency.length + 1, context);
    if (recency.length + 1 > 9) {
      throw new OptionError(
        context,
        'breakpoints',
        `allow at most 9 bins (8 cut points), received ${recency.length}`,
      );
    }
    const closed = oneOf<IntervalClosure>(
      given.closed,
      ['right', 'left'],
      'right',
      'breakpoints.closed',
      context,
    );
    breakpoints = { recency, frequency, monetary, closed };
  } else if (scoring === 'fixed') {
    throw new OptionError(
      context,
      'breakpoints',
      "are required with scoring 'fixed' (pass result.breakpoints of an earlier run)",
    );
  }
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new OptionError(
      context,
      'threads',
      `must be a whole number of at least 1, received ${JSON.stringify(options.threads)}`,
    );
  }
  const otherSegment = options.otherSegment ?? 'Other';
  if (typeof otherSegment !== 'string' || otherSegment === '') {
    throw new OptionError(
      context,
      'otherSegment',
      `must be a non-empty string, received ${JSON.stringify(otherSegment)}`,
    );
  }
  return {
    asOf,
    bins: breakpoints === undefined ? (options.bins ?? 5) : breakpoints.recency.length + 1,
    scoring,
    breakpoints,
    frequency: oneOf<FrequencyMeasure>(
      options.frequency,
      ['events', 'activeDays', 'activeMonths'],
      defaultFrequency,
      'frequency',
      context,
    ),
    monetary: oneOf<MonetaryMeasure>(options.monetary, ['sum', 'mean'], 'sum', 'monetary', context),
    segments: options.segments,
    otherSegment,
    threads: options.threads,
  };
}
