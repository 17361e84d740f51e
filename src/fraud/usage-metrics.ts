/**
 * The usage measures a fraud rule can test, computed per subscriber and window occurrence.
 *
 * Voice measures count outgoing (`direction` other than `in`) voice CDRs; `incomingCallCount`
 * counts incoming voice CDRs. Shares and ratios are 0 when their denominator is 0. Night is
 * 22:00-06:00 UTC. Account measures come from the `subscribers` and `payments` options and are
 * unavailable (`null` in evidence, every comparison false) when those are not given.
 */
export const usageMetrics = [
  'eventCount',
  'callCount',
  'incomingCallCount',
  'outgoingMinutes',
  'distinctCalledNumbers',
  'distinctCalledShare',
  'internationalMinutes',
  'premiumMinutes',
  'internationalShare',
  'premiumShare',
  'incomingOutgoingRatio',
  'meanCallSeconds',
  'nightShare',
  'cellCount',
  'spend',
] as const;

/** Measures read from the subscriber record and payments at the end of each window. */
export const accountMetrics = ['arrearsDays', 'unpaidBalance', 'tenureDays', 'daysSinceFirstCall'] as const;

/**
 * Measures that also exist as a z-score against the subscriber's own trailing baseline, named
 * `<metric>ZScore` (for example `callCountZScore`).
 */
export const baselineMetrics = [
  'eventCount',
  'callCount',
  'outgoingMinutes',
  'distinctCalledNumbers',
  'internationalMinutes',
  'premiumMinutes',
  'spend',
] as const;

/** A usage measure. */
export type UsageMetric = (typeof usageMetrics)[number];
/** An account measure. */
export type AccountMetric = (typeof accountMetrics)[number];
/** A measure with a baseline z-score. */
export type BaselineMetric = (typeof baselineMetrics)[number];
/** Every name a rule condition may use. */
export type FraudMetric = UsageMetric | AccountMetric | `${BaselineMetric}ZScore`;

/** Every metric name, in the order of the internal metric vector. */
export const fraudMetrics: readonly FraudMetric[] = [
  ...usageMetrics,
  ...accountMetrics,
  ...baselineMetrics.map((name) => `${name}ZScore` as const),
];

export const metricIndex: ReadonlyMap<string, number> = new Map(
  fraudMetrics.map((name, index) => [name, index]),
);
export const usageMetricCount = usageMetrics.length;
export const accountMetricOffset = usageMetrics.length;
export const zScoreOffset = usageMetrics.length + accountMetrics.length;
/** Position of each baseline metric inside the usage part of the vector. */
export const baselineSourceIndex: readonly number[] = baselineMetrics.map((name) =>
  usageMetrics.indexOf(name),
);
