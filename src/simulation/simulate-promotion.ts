import { DataError, OptionError } from '../data/errors.js';
import { createRng, deriveSeed } from '../data/random.js';
import type { CallRecord, Subscriber } from '../data/records.js';
import { isEligible } from './apply-promotions.js';
import type { EncodedCalls } from './encode-calls.js';
import { encodeCalls } from './encode-calls.js';
import type { Promotion } from './promotion.js';
import type { RateCallsOptions } from './rate-calls.js';
import {
  billCycleWithBreakdown,
  type DetailedBillCycle,
  type Invoice,
  type InvoiceBreakdown,
} from './run-bill-cycle.js';
import type { TariffPlan } from './tariff-plan.js';

/** Input of {@link simulatePromotion}. */
export interface SimulatePromotionInput extends RateCallsOptions {
  readonly calls: readonly CallRecord[] | EncodedCalls;
  readonly subscribers: readonly Subscriber[];
  readonly plans: readonly TariffPlan[];
  readonly promotion: Promotion;
  /**
   * The observed bill cycle (`YYYY-MM`). Every simulated cycle replays its usage and invoices as they
   * were (no seasonality, growth or month-to-month noise in usage): the spread of the results comes
   * from take-up and churn draws only.
   */
  readonly period: string;
  /** Simulated cycles. @defaultValue 6 */
  readonly cycles?: number;
  /** Mean take-up among eligible customers who save something, 0..1. @defaultValue 0.3 */
  readonly uptake?: number;
  /**
   * `true`: a customer's take-up probability is `uptake x saving / mean saving` (capped at 1), so
   * customers who gain more take it more and those who gain nothing never do; `false`: `uptake`
   * for every eligible customer. @defaultValue true
   */
  readonly uptakeBySaving?: boolean;
  /**
   * Extra usage per unit of relative usage price cut (0.5: a 20% cut brings 10% more usage), the same
   * for every customer; each customer's cut comes from their own two ratings (see
   * {@link simulatePromotion}). Negative: usage falls when the price is cut (or rises when tiered
   * pricing raises it). @defaultValue 0
   */
  readonly usageElasticity?: number;
  /** Each subscriber's churn probability per cycle, 0..1 (e.g. a churn model's scorer). @defaultValue () => 0 */
  readonly churnProbability?: (subscriber: Subscriber) => number;
  /** Share by which taking the promotion cuts a customer's churn probability while it runs, 0..1. @defaultValue 0 */
  readonly retentionEffect?: number;
  /** Cost of the campaign in minor units, set against the net effect for the break-even uptake. @defaultValue 0 */
  readonly campaignCost?: number;
  /** Monte-Carlo runs. @defaultValue 200 */
  readonly runs?: number;
  /** @defaultValue 0 */
  readonly seed?: number;
}

/** One group of {@link PromotionSimulation.bySegment} or {@link PromotionSimulation.byPlan}. */
export interface SimulationGroup {
  readonly key: string;
  readonly subscribers: number;
  readonly eligible: number;
  /** Mean net effect over the runs (= `netInterval.mean`). */
  readonly net: number;
  readonly netInterval: SimulationInterval;
}

/** One row of {@link PromotionSimulation.bridge}. */
export interface BridgeRow {
  readonly component: string;
  /** `revenue`: minor units, the rows sum to the invoice totals; `memo`: allowance units. */
  readonly kind: 'revenue' | 'memo';
  readonly baseline: number;
  readonly promoted: number;
  readonly change: number;
}

/** Mean and 90% interval (5th and 95th percentiles) over the runs. */
export interface SimulationInterval {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
}

/** Result of {@link simulatePromotion}. Money is minor units. */
export interface PromotionSimulation {
  readonly kind: 'promotion-simulation';
  readonly promotionId: string;
  readonly period: string;
  readonly runs: number;
  readonly cycles: number;
  readonly seed: number;
  /** Revenue per simulated cycle (1-based). */
  readonly perCycle: readonly {
    readonly cycle: number;
    readonly baseline: SimulationInterval;
    readonly promoted: SimulationInterval;
    readonly net: SimulationInterval;
  }[];
  /** Over all cycles; `net` is before the campaign cost. */
  readonly total: {
    readonly baseline: SimulationInterval;
    readonly promoted: SimulationInterval;
    readonly net: SimulationInterval;
  };
  /** `net = dilution + uplift + retention` in every run. */
  readonly effects: {
    readonly dilution: SimulationInterval;
    readonly uplift: SimulationInterval;
    readonly retention: SimulationInterval;
  };
  /**
   * Net effect over all cycles by subscriber attribute `segment` (`unknown` when absent), sorted by
   * key: `net` is its mean over the runs, `netInterval` its mean and 90% interval.
   */
  readonly bySegment: readonly SimulationGroup[];
  /** As {@link PromotionSimulation.bySegment}, by plan. */
  readonly byPlan: readonly SimulationGroup[];
  /**
   * The observed cycle billed without and with the promotion for every eligible customer (one
   * cycle, everyone taking it), by pricing component. Rows of kind `revenue` sum exactly to the
   * eligible customers' invoice totals: `fees`; `usage <service> <band>` (every measured unit at its
   * rate, before allowances and increments; a call counts in its start band); `allowance burn` (the
   * measured units allowances covered, at their rates, negative); `connection fees and minimum
   * charges`; `roaming surcharges`; `rounding and increments` (units added by billing increments and
   * the rounding of calls or lines: the rest of the usage lines); `discounts` (invoice-level promotion
   * components); `tax`. The `memo` row `allowance units drawn` counts units, not money. Each money
   * row is rounded half-up per invoice; `rounding and increments` takes what that leaves.
   */
  readonly bridge: readonly BridgeRow[];
  /** Eligible customers' invoice change if they take it (negative = better off). */
  readonly customers: {
    readonly eligible: number;
    readonly betterOff: number;
    readonly worseOff: number;
    readonly unchanged: number;
    readonly deltas: readonly {
      readonly subscriberId: string;
      readonly baseline: number;
      readonly promoted: number;
      readonly delta: number;
    }[];
  };
  /** Least uptake (0..1) at which the expected net effect covers `campaignCost`; `null` when full uptake does not. */
  readonly breakEvenUptake: number | null;
}

function quantile(sorted: Float64Array, p: number): number {
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

function interval(values: Float64Array): SimulationInterval {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of values) sum += value;
  return { mean: sum / values.length, low: quantile(sorted, 0.05), high: quantile(sorted, 0.95) };
}

function requireNumber(name: string, value: number, min: number, max: number, integer = false): number {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new OptionError(
      'simulatePromotion',
      name,
      `must be ${integer ? 'an integer' : 'a number'} in ${min}..${max}, received ${value}`,
    );
  }
  return value;
}

/** Bridge components of one invoice, in bridge order (usage by band sorted). */
function bridgeComponents(invoice: Invoice, breakdown: InvoiceBreakdown): [string, number][] {
  let fees = 0;
  let discounts = 0;
  for (const line of invoice.lines) {
    if (line.kind === 'fee') fees += line.amount;
    else if (line.kind === 'discount') discounts += line.amount;
  }
  return [
    ['fees', fees],
    ...[...breakdown.usageByBand].map(([key, amount]): [string, number] => [`usage ${key}`, amount]),
    ['allowance burn', breakdown.allowanceBurn],
    ['connection fees and minimum charges', breakdown.connectionAndMinimum],
    ['roaming surcharges', breakdown.roaming],
    ['rounding and increments', breakdown.roundingAndIncrements],
    ['discounts', discounts],
    ['tax', invoice.tax],
  ];
}

const fixedBridgeRank = new Map([
  ['fees', 0],
  ['allowance burn', 2],
  ['connection fees and minimum charges', 3],
  ['roaming surcharges', 4],
  ['rounding and increments', 5],
  ['discounts', 6],
  ['tax', 7],
]);

/**
 * Simulates the revenue of a promotion over `cycles` bill cycles by Monte-Carlo.
 *
 * What is modelled. The observed cycle (`period`) is billed twice, once as it was and once with the
 * promotion for every eligible customer: the only rating; runs never re-rate CDRs. Every simulated
 * cycle replays those two invoices per customer. Each run then draws, per eligible customer whose
 * invoice the promotion changes (an unchanged invoice leaves nothing to take, so an empty promotion
 * reproduces the baseline exactly), whether they take it up (see `uptakeBySaving`), and per customer
 * and cycle whether they churn (probability `churnProbability(subscriber)`, cut by
 * `retentionEffect` for takers while the promotion runs: its `durationCycles` from the first
 * simulated cycle, or all of them); a churner pays nothing from the next cycle on. Baseline and
 * promoted futures share the same random numbers, so their difference is the promotion's effect,
 * split so that `net = dilution + uplift + retention` in every run:
 * - **dilution**: the invoice change of takers who stay in both futures (discount given to customers
 *   who would have paid anyway);
 * - **uplift**: the extra usage of those takers. Each taker's usage price cut is read off their two
 *   ratings: `cut = 1 - promoted usage / baseline usage`, where usage = the usage lines plus the
 *   discounts that re-price usage (`tiered-pricing`, `percent-off`, `bundle-price`; rate overrides
 *   and free units are already in the usage lines; fixed, rebate and group discounts are not usage
 *   price cuts), clamped to -1..1. Their usage grows by `usageElasticity x cut` and is paid at their
 *   promoted average usage price: `uplift = usageElasticity x cut x promoted usage` per cycle (at
 *   least `-promoted usage`). The extra usage is not rated: it draws no allowance, moves no tier and
 *   changes no invoice-level discount;
 * - **retention**: the whole promoted revenue of customers who stay only thanks to the promotion.
 * `bySegment` and `byPlan` give each group's net effect with its 90% interval over the runs.
 *
 * @example
 * const simulation = simulatePromotion({ calls, subscribers, plans, promotion, period: '2024-03', uptake: 0.4,
 *   churnProbability: (subscriber) => (subscriber.contract === 'month-to-month' ? 0.04 : 0.01), retentionEffect: 0.5 });
 * simulation.total.net; // => { mean: -41250.3, low: -48120, high: -35010.5 }
 */
export function simulatePromotion(input: SimulatePromotionInput): PromotionSimulation {
  return simulateWithBaseline(input, undefined);
}

/** {@link simulatePromotion} reusing a baseline bill (with breakdown) of the same input (internal, for the optimiser). */
export function simulateWithBaseline(
  input: SimulatePromotionInput,
  knownBaseline: DetailedBillCycle | undefined,
): PromotionSimulation {
  const cycles = requireNumber('cycles', input.cycles ?? 6, 1, 120, true);
  const uptake = requireNumber('uptake', input.uptake ?? 0.3, 0, 1);
  const elasticity = requireNumber('usageElasticity', input.usageElasticity ?? 0, -10, 10);
  const retentionEffect = requireNumber('retentionEffect', input.retentionEffect ?? 0, 0, 1);
  const campaignCost = requireNumber('campaignCost', input.campaignCost ?? 0, 0, Number.MAX_SAFE_INTEGER);
  const runs = requireNumber('runs', input.runs ?? 200, 1, 100_000, true);
  const seed = input.seed ?? 0;
  if (!Number.isSafeInteger(seed))
    throw new OptionError('simulatePromotion', 'seed', `must be a safe integer, received ${seed}`);
  const bySaving = input.uptakeBySaving ?? true;
  const churnOf = input.churnProbability ?? (() => 0);
  const { promotion } = input;
  const activeCycles = Math.min(cycles, promotion.durationCycles ?? cycles);

  // The only rating: the observed cycle without and with the promotion (timing fields dropped, the
  // simulation runs it from its first cycle).
  const calls =
    'kind' in input.calls && input.calls.kind === 'encoded-calls'
      ? input.calls
      : encodeCalls(input.calls as readonly CallRecord[]);
  const shared = {
    calls,
    subscribers: input.subscribers,
    plans: input.plans,
    period: input.period,
    ...(input.cycleStartDay === undefined ? {} : { cycleStartDay: input.cycleStartDay }),
    ...(input.bandBoundary === undefined ? {} : { bandBoundary: input.bandBoundary }),
  };
  const { startPeriod: _start, durationCycles: _duration, ...always } = promotion;
  const baselineBill = knownBaseline ?? billCycleWithBreakdown(shared, true);
  const promotedBill = billCycleWithBreakdown({ ...shared, promotions: [always] }, true);

  const n = input.subscribers.length;
  const baseline = new Float64Array(n);
  const promoted = new Float64Array(n);
  const extra = new Float64Array(n);
  const churn = new Float64Array(n);
  const eligible = new Uint8Array(n);
  const changed = new Uint8Array(n);
  const saving = new Float64Array(n);
  const churnIssues: { row: number; column: string; reason: string }[] = [];
  let savingTotal = 0;
  let savers = 0;
  input.subscribers.forEach((subscriber, s) => {
    const before = baselineBill.bill.invoices[s]!;
    const after = promotedBill.bill.invoices[s]!;
    baseline[s] = before.total;
    promoted[s] = after.total;
    eligible[s] = isEligible(promotion, subscriber) ? 1 : 0;
    changed[s] = eligible[s] === 1 && before.total !== after.total ? 1 : 0;
    const q = churnOf(subscriber);
    if (!(q >= 0 && q <= 1))
      churnIssues.push({ row: s + 1, column: 'churnProbability', reason: `must be in 0..1, received ${q}` });
    churn[s] = q;
    saving[s] = before.total - after.total;
    if (eligible[s] === 1 && saving[s]! > 0) {
      savingTotal += saving[s]!;
      savers += 1;
    }
    const usageBefore = baselineBill.breakdown[s]!.usagePricing;
    const usageAfter = Math.max(0, promotedBill.breakdown[s]!.usagePricing);
    const cut = usageBefore > 0 ? Math.min(1, Math.max(-1, 1 - usageAfter / usageBefore)) : 0;
    extra[s] = Math.max(-usageAfter, elasticity * cut * usageAfter);
  });
  if (churnIssues.length > 0)
    throw new DataError('simulatePromotion (churnProbability)', churnIssues.slice(0, 50));
  const meanSaving = savers > 0 ? savingTotal / savers : 0;
  const takeWeight = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    if (changed[s] === 0) continue;
    takeWeight[s] = bySaving ? (meanSaving > 0 && saving[s]! > 0 ? saving[s]! / meanSaving : 0) : 1;
  }
  const takeProbability = (s: number, scale: number): number => Math.min(1, scale * takeWeight[s]!);

  // Groups for the per-segment and per-plan nets, each tracked per run for its interval.
  const groupIndex = (attribute: (subscriber: Subscriber) => string) => {
    const keys: string[] = [];
    const index = new Map<string, number>();
    const of = new Int32Array(n);
    input.subscribers.forEach((subscriber, s) => {
      const key = attribute(subscriber);
      let g = index.get(key);
      if (g === undefined) {
        g = keys.length;
        keys.push(key);
        index.set(key, g);
      }
      of[s] = g;
    });
    return { keys, of, net: new Float64Array(keys.length * runs) };
  };
  const segments = groupIndex((subscriber) => String(subscriber.segment ?? 'unknown'));
  const planGroups = groupIndex((subscriber) => String(subscriber.planId));

  const cycleBaseline = Array.from({ length: cycles }, () => new Float64Array(runs));
  const cyclePromoted = Array.from({ length: cycles }, () => new Float64Array(runs));
  const dilution = new Float64Array(runs);
  const uplift = new Float64Array(runs);
  const retention = new Float64Array(runs);
  for (let run = 0; run < runs; run++) {
    const rng = createRng(deriveSeed(seed, 'simulatePromotion', run));
    for (let s = 0; s < n; s++) {
      const takes = eligible[s] === 1 && rng.uniform() < takeProbability(s, uptake);
      let aliveBaseline = true;
      let alivePromoted = true;
      let net = 0;
      const q = churn[s]!;
      for (let cycle = 0; cycle < cycles; cycle++) {
        // Churn in the promoted future implies churn in the baseline one (same draw, lower or equal threshold).
        if (!alivePromoted) break;
        const active = takes && cycle < activeCycles;
        const promotedRevenue = active ? promoted[s]! + extra[s]! : baseline[s]!;
        if (aliveBaseline) cycleBaseline[cycle]![run]! += baseline[s]!;
        cyclePromoted[cycle]![run]! += promotedRevenue;
        if (aliveBaseline && active) {
          dilution[run]! += promoted[s]! - baseline[s]!;
          uplift[run]! += extra[s]!;
        } else if (!aliveBaseline) retention[run]! += promotedRevenue;
        net += promotedRevenue - (aliveBaseline ? baseline[s]! : 0);
        const draw = rng.uniform();
        if (draw < q) aliveBaseline = false;
        if (draw < (active ? q * (1 - retentionEffect) : q)) alivePromoted = false;
      }
      if (net !== 0) {
        segments.net[segments.of[s]! * runs + run]! += net;
        planGroups.net[planGroups.of[s]! * runs + run]! += net;
      }
    }
  }

  const totalBaseline = new Float64Array(runs);
  const totalPromoted = new Float64Array(runs);
  for (let cycle = 0; cycle < cycles; cycle++) {
    for (let run = 0; run < runs; run++) {
      totalBaseline[run]! += cycleBaseline[cycle]![run]!;
      totalPromoted[run]! += cyclePromoted[cycle]![run]!;
    }
  }
  const difference = (a: Float64Array, b: Float64Array): Float64Array =>
    a.map((value, index) => value - b[index]!);

  const groups = (grouping: ReturnType<typeof groupIndex>): SimulationGroup[] => {
    const counts = grouping.keys.map(() => ({ subscribers: 0, eligible: 0 }));
    for (let s = 0; s < n; s++) {
      const row = counts[grouping.of[s]!]!;
      row.subscribers += 1;
      row.eligible += eligible[s]!;
    }
    return grouping.keys
      .map((key, g) => {
        const netInterval = interval(grouping.net.subarray(g * runs, (g + 1) * runs));
        return { key, ...counts[g]!, net: netInterval.mean, netInterval };
      })
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  };

  const bridge = new Map<string, BridgeRow & { baseline: number; promoted: number }>();
  const addBridge = (invoice: Invoice, breakdown: InvoiceBreakdown, field: 'baseline' | 'promoted'): void => {
    for (const [component, amount] of bridgeComponents(invoice, breakdown)) {
      let row = bridge.get(component);
      if (row === undefined) {
        row = { component, kind: 'revenue', baseline: 0, promoted: 0, change: 0 };
        bridge.set(component, row);
      }
      row[field] += amount;
    }
  };
  const allowanceUnits = { baseline: 0, promoted: 0 };
  const deltas: { subscriberId: string; baseline: number; promoted: number; delta: number }[] = [];
  let betterOff = 0;
  let worseOff = 0;
  input.subscribers.forEach((subscriber, s) => {
    if (eligible[s] === 0) return;
    addBridge(baselineBill.bill.invoices[s]!, baselineBill.breakdown[s]!, 'baseline');
    addBridge(promotedBill.bill.invoices[s]!, promotedBill.breakdown[s]!, 'promoted');
    for (const line of baselineBill.bill.invoices[s]!.lines)
      if (line.kind === 'allowance') allowanceUnits.baseline += line.quantity;
    for (const line of promotedBill.bill.invoices[s]!.lines)
      if (line.kind === 'allowance') allowanceUnits.promoted += line.quantity;
    const delta = promoted[s]! - baseline[s]!;
    if (delta < 0) betterOff += 1;
    if (delta > 0) worseOff += 1;
    deltas.push({
      subscriberId: subscriber.subscriberId,
      baseline: baseline[s]!,
      promoted: promoted[s]!,
      delta,
    });
  });
  const rank = (component: string): number => fixedBridgeRank.get(component) ?? 1;
  const bridgeRows: BridgeRow[] = [...bridge.values()]
    .sort(
      (a, b) =>
        rank(a.component) - rank(b.component) ||
        (a.component < b.component ? -1 : a.component > b.component ? 1 : 0),
    )
    .map((row) => ({ ...row, change: row.promoted - row.baseline }));
  bridgeRows.push({
    component: 'allowance units drawn',
    kind: 'memo',
    baseline: allowanceUnits.baseline,
    promoted: allowanceUnits.promoted,
    change: allowanceUnits.promoted - allowanceUnits.baseline,
  });

  // Expected net of each customer if they take it, in closed form (survival over the cycles), so the
  // break-even uptake is exact for the model rather than noisy.
  const takerValue = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    if (changed[s] === 0) continue;
    const q = churn[s]!;
    let survivalBaseline = 1;
    let survivalPromoted = 1;
    let value = 0;
    for (let cycle = 0; cycle < cycles; cycle++) {
      const active = cycle < activeCycles;
      const revenue = active ? promoted[s]! + extra[s]! : baseline[s]!;
      value += survivalPromoted * revenue - survivalBaseline * baseline[s]!;
      survivalBaseline *= 1 - q;
      survivalPromoted *= 1 - (active ? q * (1 - retentionEffect) : q);
    }
    takerValue[s] = value;
  }
  const expectedNet = (scale: number): number => {
    let sum = 0;
    for (let s = 0; s < n; s++) if (changed[s] === 1) sum += takeProbability(s, scale) * takerValue[s]!;
    return sum - campaignCost;
  };
  let breakEvenUptake: number | null = null;
  if (expectedNet(1) < 0) breakEvenUptake = null;
  else if (expectedNet(0) >= 0) breakEvenUptake = 0;
  else {
    let low = 0;
    let high = 1;
    for (let step = 0; step < 50; step++) {
      const middle = (low + high) / 2;
      if (expectedNet(middle) >= 0) high = middle;
      else low = middle;
    }
    breakEvenUptake = high;
  }

  return {
    kind: 'promotion-simulation',
    promotionId: promotion.promotionId,
    period: input.period,
    runs,
    cycles,
    seed,
    perCycle: cycleBaseline.map((values, cycle) => ({
      cycle: cycle + 1,
      baseline: interval(values),
      promoted: interval(cyclePromoted[cycle]!),
      net: interval(difference(cyclePromoted[cycle]!, values)),
    })),
    total: {
      baseline: interval(totalBaseline),
      promoted: interval(totalPromoted),
      net: interval(difference(totalPromoted, totalBaseline)),
    },
    effects: { dilution: interval(dilution), uplift: interval(uplift), retention: interval(retention) },
    bySegment: groups(segments),
    byPlan: groups(planGroups),
    bridge: bridgeRows,
    customers: {
      eligible: deltas.length,
      betterOff,
      worseOff,
      unchanged: deltas.length - betterOff - worseOff,
      deltas,
    },
    breakEvenUptake,
  };
}
