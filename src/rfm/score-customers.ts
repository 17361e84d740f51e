import { OptionError, TelcoAnalyticsError } from '../data/errors.js';
import { formatDate } from '../data/timestamp.js';
import { dayMilliseconds } from './calendar-period.js';
import type { CustomerTotals } from './customer-totals.js';
import type { ResolvedRfmOptions } from './rfm-options.js';
import type { CollapsedBins, RfmResult, RfmRow, UsedBreakpoints } from './rfm-result.js';
import { ntileGroups } from './score-by-rank.js';
import { binsByBreakpoints, type IntervalClosure, quantileBreakpoints } from './score-by-value.js';
import { resolveSegments } from './segment-schemes.js';
import { summariseSegments } from './segment-summary.js';

interface MeasureScores {
  /** Score 1..bins per customer (5 best). */
  readonly scores: Uint8Array;
  readonly cuts: number[];
}

/** Largest value in each value-ascending bin, as cut points (for rank scoring, which has none). */
function describeGroups(values: Float64Array, bins: Uint8Array, count: number): number[] {
  const largest = new Float64Array(count + 1).fill(Number.NEGATIVE_INFINITY);
  let smallest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const bin = bins[i]!;
    if (values[i]! > largest[bin]!) largest[bin] = values[i]!;
    if (values[i]! < smallest) smallest = values[i]!;
  }
  const cuts: number[] = [];
  let previous = smallest;
  for (let bin = 1; bin < count; bin++) {
    const cut = Math.max(previous, largest[bin]!);
    cuts.push(cut);
    previous = cut;
  }
  return cuts;
}

function scoreMeasure(
  values: Float64Array,
  reversed: boolean,
  measure: 'recency' | 'frequency' | 'monetary',
  options: ResolvedRfmOptions,
  ids: readonly string[],
  scratch: Float64Array,
): MeasureScores & { readonly closed: IntervalClosure } {
  const { bins } = options;
  if (options.scoring === 'rank') {
    const scores = ntileGroups(values, bins, reversed, ids, scratch);
    const ascending = reversed ? scores.map((score) => bins + 1 - score) : scores;
    return { scores, cuts: describeGroups(values, ascending, bins), closed: 'right' };
  }
  let cuts: number[];
  let closed: IntervalClosure;
  if (options.scoring === 'fixed') {
    const given = options.breakpoints!;
    cuts = [...given[measure]];
    closed = given.closed;
  } else if (options.scoring === 'rfmPackage') {
    cuts = quantileBreakpoints(values, bins, 1, scratch);
    closed = 'left';
  } else {
    cuts = quantileBreakpoints(values, bins, 0, scratch);
    closed = 'right';
  }
  const binned = binsByBreakpoints(values, cuts, closed);
  if (reversed) for (let i = 0; i < binned.length; i++) binned[i] = bins + 1 - binned[i]!;
  return { scores: binned, cuts, closed };
}

function emptyScores(scores: Uint8Array, bins: number): number[] {
  const used = new Uint8Array(bins + 1);
  for (let i = 0; i < scores.length; i++) used[scores[i]!] = 1;
  const empty: number[] = [];
  for (let score = 1; score <= bins; score++) if (used[score] === 0) empty.push(score);
  return empty;
}

/** Scores customers from their totals: the shared core of `rfm` and `rfmFromCalls`. @internal */
export function scoreCustomers(
  totals: CustomerTotals,
  options: ResolvedRfmOptions,
  context: string,
): RfmResult {
  const n = totals.ids.length;
  if (n === 0) throw new TelcoAnalyticsError('EMPTY_INPUT', `${context}: no events to score`);
  const { bins } = options;
  const lookup = resolveSegments(options.segments, options.otherSegment, bins, context);

  const latestDay = Math.floor(totals.latestEvent / dayMilliseconds);
  const asOf = options.asOf ?? (latestDay + 1) * dayMilliseconds;
  const asOfDay = Math.floor(asOf / dayMilliseconds);
  if (latestDay > asOfDay) {
    throw new OptionError(
      context,
      'asOf',
      `is ${formatDate(asOf)}, before the latest event (${formatDate(totals.latestEvent)}); pass a later date or leave the later events out`,
    );
  }
  const recencyDays = new Float64Array(n);
  for (let i = 0; i < n; i++) recencyDays[i] = asOfDay - Math.floor(totals.lastEvent[i]! / dayMilliseconds);
  const frequency = options.frequency === 'events' ? totals.events : (totals.activePeriods ?? totals.events);
  let monetary = totals.revenue;
  if (options.monetary === 'mean') {
    monetary = new Float64Array(n);
    for (let i = 0; i < n; i++) monetary[i] = totals.revenue[i]! / totals.events[i]!;
  }

  const scratch = new Float64Array(n);
  const r = scoreMeasure(recencyDays, true, 'recency', options, totals.ids, scratch);
  const f = scoreMeasure(frequency, false, 'frequency', options, totals.ids, scratch);
  const m = scoreMeasure(monetary, false, 'monetary', options, totals.ids, scratch);

  const cells: string[] = [];
  for (let a = 1; a <= bins; a++)
    for (let b = 1; b <= bins; b++) for (let c = 1; c <= bins; c++) cells.push(`${a}${b}${c}`);
  const segmentOf = new Uint16Array(n);
  const customers: RfmRow[] = new Array(n);
  const square = bins * bins;
  for (let i = 0; i < n; i++) {
    const rs = r.scores[i]!;
    const fs = f.scores[i]!;
    const ms = m.scores[i]!;
    const cell = (rs - 1) * square + (fs - 1) * bins + (ms - 1);
    const segment = lookup.segmentOfCell[cell]!;
    segmentOf[i] = segment;
    customers[i] = {
      customerId: totals.ids[i]!,
      // Whole numbers as int32 so V8 stores them unboxed: a million rows then cost one heap number
      // (monetary) each instead of three.
      recencyDays: recencyDays[i]! | 0,
      frequency: frequency[i]! | 0,
      monetary: monetary[i]!,
      r: rs,
      f: fs,
      m: ms,
      cell: cells[cell]!,
      score: rs + fs + ms,
      segment: lookup.names[segment]!,
    };
  }
  const segments = summariseSegments(lookup.names, {
    segmentOf,
    recencyDays,
    frequency,
    monetary,
    revenue: totals.revenue,
  });
  const breakpoints: UsedBreakpoints = {
    recency: r.cuts,
    frequency: f.cuts,
    monetary: m.cuts,
    closed: r.closed,
  };
  const collapsedBins: CollapsedBins = {
    recency: emptyScores(r.scores, bins),
    frequency: emptyScores(f.scores, bins),
    monetary: emptyScores(m.scores, bins),
  };
  return { customers, segments, breakpoints, collapsedBins, asOf, bins, scoring: options.scoring };
}
