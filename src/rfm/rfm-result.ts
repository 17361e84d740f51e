import type { IntervalClosure, RfmScoring } from './rfm-options.js';
import type { SegmentSummary } from './segment-summary.js';

/**
 * One scored customer.
 *
 * @example
 * const row: RfmRow = {
 *   customerId: 'c1', recencyDays: 3, frequency: 12, monetary: 240, r: 5, f: 4, m: 5,
 *   cell: '545', score: 14, segment: 'Champions',
 * };
 */
export interface RfmRow {
  readonly customerId: string;
  /** Whole UTC days from the day of the last event to the day of `asOf`. */
  readonly recencyDays: number;
  /** The frequency value (events, active days or active months). */
  readonly frequency: number;
  /** The monetary value (total or mean amount). */
  readonly monetary: number;
  /** Recency score, 1..bins, higher = more recent. */
  readonly r: number;
  /** Frequency score, 1..bins, higher = more frequent. */
  readonly f: number;
  /** Monetary score, 1..bins, higher = more spend. */
  readonly m: number;
  /** The three scores as digits, R then F then M (`'545'`). */
  readonly cell: string;
  /** `r + f + m`. */
  readonly score: number;
  readonly segment: string;
}

/**
 * Breakpoints as returned by a run: always with `closed` set. Pass them back as
 * `breakpoints` to score a later period on the same scale.
 *
 * @example
 * const used: UsedBreakpoints = { recency: [30, 60], frequency: [2, 5], monetary: [50, 200], closed: 'right' };
 */
export interface UsedBreakpoints {
  readonly recency: number[];
  readonly frequency: number[];
  readonly monetary: number[];
  readonly closed: IntervalClosure;
}

/**
 * Scores no customer received, per measure: the collapsed bins that ties (or fixed breakpoints)
 * leave empty.
 *
 * @example
 * const collapsed: CollapsedBins = { recency: [], frequency: [2], monetary: [] };
 */
export interface CollapsedBins {
  readonly recency: number[];
  readonly frequency: number[];
  readonly monetary: number[];
}

/**
 * The result of {@link rfm} and {@link rfmFromCalls}.
 *
 * @example
 * const { customers, segments, breakpoints, collapsedBins, asOf } = rfm(payments);
 */
export interface RfmResult {
  /** One row per customer, in order of the customer's first event in the input. */
  readonly customers: RfmRow[];
  /** One row per segment of the scheme, in the scheme's order (see {@link SegmentSummary}). */
  readonly segments: SegmentSummary[];
  /**
   * The breakpoints used. For `'rank'` scoring (which has none) they describe the groups: the
   * largest value in each of the first `bins - 1` bins; reused as `'fixed'` breakpoints they
   * reproduce the groups except where equal values were split between groups.
   */
  readonly breakpoints: UsedBreakpoints;
  /** Scores left empty, per measure. */
  readonly collapsedBins: CollapsedBins;
  /** The analysis date used, epoch milliseconds. */
  readonly asOf: number;
  /** Number of scores per measure. */
  readonly bins: number;
  /** The scoring used. */
  readonly scoring: RfmScoring;
}
