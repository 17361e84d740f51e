/**
 * One segment of an RFM result: its size, its weight in revenue and its customers' mean values.
 * Empty segments of the scheme are listed too (with `null` means) so tables keep the same rows
 * from month to month.
 *
 * @example
 * const row: SegmentSummary = {
 *   segment: 'Champions', customers: 158, customerShare: 0.159, revenue: 120178, revenueShare: 0.258,
 *   meanRecencyDays: 41.2, meanFrequency: 7.81, meanMonetary: 760.6,
 * };
 */
export interface SegmentSummary {
  readonly segment: string;
  /** Number of customers in the segment. */
  readonly customers: number;
  /** `customers` over all customers scored. */
  readonly customerShare: number;
  /** Total amount paid by the segment's customers (whatever the `monetary` measure). */
  readonly revenue: number;
  /** `revenue` over the total (0 when the total is 0). */
  readonly revenueShare: number;
  /** Mean recency in days, `null` for an empty segment. */
  readonly meanRecencyDays: number | null;
  /** Mean frequency (in the chosen frequency measure), `null` for an empty segment. */
  readonly meanFrequency: number | null;
  /** Mean monetary value (in the chosen monetary measure), `null` for an empty segment. */
  readonly meanMonetary: number | null;
}

/** Per-customer values the summary reads. @internal */
export interface SummaryInputs {
  readonly segmentOf: Uint16Array;
  readonly recencyDays: Float64Array;
  readonly frequency: Float64Array;
  readonly monetary: Float64Array;
  readonly revenue: Float64Array;
}

/**
 * Summarises customers by segment, in the scheme's order; the fallback segment (last name) is
 * listed only when some customer fell into it. @internal
 */
export function summariseSegments(names: readonly string[], inputs: SummaryInputs): SegmentSummary[] {
  const segments = names.length;
  const counts = new Float64Array(segments);
  const revenue = new Float64Array(segments);
  const recency = new Float64Array(segments);
  const frequency = new Float64Array(segments);
  const monetary = new Float64Array(segments);
  let totalRevenue = 0;
  const n = inputs.segmentOf.length;
  for (let customer = 0; customer < n; customer++) {
    const segment = inputs.segmentOf[customer]!;
    counts[segment]! += 1;
    revenue[segment]! += inputs.revenue[customer]!;
    recency[segment]! += inputs.recencyDays[customer]!;
    frequency[segment]! += inputs.frequency[customer]!;
    monetary[segment]! += inputs.monetary[customer]!;
    totalRevenue += inputs.revenue[customer]!;
  }
  const rows: SegmentSummary[] = [];
  for (let segment = 0; segment < segments; segment++) {
    const count = counts[segment]!;
    if (segment === segments - 1 && count === 0) continue;
    rows.push({
      segment: names[segment]!,
      customers: count,
      customerShare: n === 0 ? 0 : count / n,
      revenue: revenue[segment]!,
      revenueShare: totalRevenue === 0 ? 0 : revenue[segment]! / totalRevenue,
      meanRecencyDays: count === 0 ? null : recency[segment]! / count,
      meanFrequency: count === 0 ? null : frequency[segment]! / count,
      meanMonetary: count === 0 ? null : monetary[segment]! / count,
    });
  }
  return rows;
}
