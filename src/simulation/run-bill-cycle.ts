import { DataError, type DataIssue, OptionError } from '../data/errors.js';
import type { CallRecord, Subscriber } from '../data/records.js';
import {
  compileVariant,
  type InvoiceCall,
  invoiceAdjustments,
  isEligible,
  isRatingComponent,
  promotionRunsIn,
  type RatingComponent,
} from './apply-promotions.js';
import {
  applyIncrement,
  type CompiledTariff,
  compileTariff,
  roundExact,
  roundHalfUp,
} from './compile-tariff.js';
import { type EncodedCalls, encodeCalls } from './encode-calls.js';
import type { Promotion } from './promotion.js';
import { cycleStartDate, type RateCallsOptions, resolveRateOptions } from './rate-calls.js';
import { rateEncoded } from './rate-engine.js';
import type { TariffPlan } from './tariff-plan.js';
import { validatePromotion } from './validate-promotion.js';

/** Input of {@link runBillCycle}. */
export interface BillCycleInput extends RateCallsOptions {
  /** CDRs of (at least) the period; calls of other cycles are ignored. */
  readonly calls: readonly CallRecord[] | EncodedCalls;
  /** One invoice per subscriber; `planId` must name one of `plans`. */
  readonly subscribers: readonly Subscriber[];
  readonly plans: readonly TariffPlan[];
  /** `YYYY-MM`: the bill cycle that starts on `cycleStartDay` of that month. */
  readonly period: string;
  /**
   * Promotions to apply to eligible subscribers in this cycle (see {@link Promotion} for the order
   * in which components apply). @defaultValue []
   */
  readonly promotions?: readonly Promotion[];
}

/** One invoice line. `amount` is minor units (negative for discounts). */
export interface InvoiceLine {
  readonly kind: 'fee' | 'usage' | 'allowance' | 'discount' | 'tax';
  readonly description: string;
  readonly service?: string;
  readonly direction?: 'out' | 'in';
  readonly zone?: string;
  /** Measured usage units (usage lines), units drawn (allowance lines), 1 (fee), the taxed base (tax). */
  readonly quantity: number;
  /** Units charged after increments (usage lines). */
  readonly chargedUnits?: number;
  readonly amount: number;
}

/** A subscriber's invoice for the period: `subtotal` = the sum of the lines before tax, `total` = all lines. */
export interface Invoice {
  readonly subscriberId: string;
  readonly planId: string;
  readonly currency: string;
  readonly lines: readonly InvoiceLine[];
  readonly subtotal: number;
  readonly tax: number;
  readonly total: number;
}

/** Revenue of the period under one key (minor units); `invoices` counts the invoices with an amount under the key. */
export interface RevenueTotal {
  readonly key: string;
  readonly invoices: number;
  readonly fees: number;
  readonly usage: number;
  readonly discounts: number;
  readonly tax: number;
  readonly total: number;
}

/** Result of {@link runBillCycle}. */
export interface BillCycle {
  readonly kind: 'bill-cycle';
  readonly period: string;
  /** First day of the cycle, `YYYY-MM-DD` (local). */
  readonly periodStart: string;
  /** First day after the cycle. */
  readonly periodEnd: string;
  readonly invoices: readonly Invoice[];
  readonly totals: {
    readonly revenue: RevenueTotal;
    readonly byPlan: readonly RevenueTotal[];
    /** Usage revenue by service (fees, discounts and tax are not split by service). */
    readonly byService: readonly RevenueTotal[];
    readonly byZone: readonly RevenueTotal[];
  };
}

interface UsageAccumulator {
  units: number;
  chargedUnits: number;
  amount: number;
  exact: number;
}

function emptyTotal(key: string): { -readonly [K in keyof RevenueTotal]: RevenueTotal[K] } {
  return { key, invoices: 0, fees: 0, usage: 0, discounts: 0, tax: 0, total: 0 };
}

/** Parses `YYYY-MM` into a cycle number (year * 12 + month0). */
export function parsePeriod(context: string, period: string): number {
  const match = /^(\d{4})-(\d{2})$/.exec(typeof period === 'string' ? period : '');
  const month = match === null ? Number.NaN : Number(match[2]);
  if (match === null || month < 1 || month > 12)
    throw new OptionError(context, 'period', `must be a month 'YYYY-MM', received '${String(period)}'`);
  return Number(match[1]) * 12 + month - 1;
}

/**
 * Bills one cycle: rates the calls under each subscriber's plan ({@link rateCalls} rules) and writes
 * one invoice per subscriber, with lines in this order: the monthly fee; usage by service, direction
 * and zone (quantity = measured units, amount = the sum of the calls' rounded charges, or under
 * `rounding.scope: 'line'` the exact sum rounded once); allowance usage (units drawn, amount 0);
 * discounts of the promotions the subscriber is eligible for in this cycle (rate overrides and free
 * units change the usage lines themselves; see {@link Promotion} for the order); tax on the
 * subtotal (rounded by the plan's mode). The lines sum exactly to `total`, and the period totals to
 * the sum of the invoices. Every subscriber listed gets an invoice (the fee is not prorated). Errors
 * name the subscriber row whose plan is unknown and the call row whose subscriber is not listed.
 *
 * @example
 * const bill = runBillCycle({ calls, subscribers, plans, period: '2024-05' });
 * bill.invoices[0]; // => { subscriberId: 'S1', planId: 'POST-S', lines: [...], subtotal: 1716, tax: 0, total: 1716, ... }
 */
export function runBillCycle(input: BillCycleInput): BillCycle {
  return billCycleWithBreakdown(input, false).bill;
}

/**
 * How each invoice's usage amount decomposes by pricing component (internal, for the simulation's
 * revenue bridge). Minor units, each part rounded half-up from its exact sum per invoice, so that
 * `sum(usageByBand) + allowanceBurn + connectionAndMinimum + roaming + roundingAndIncrements` is the
 * invoice's usage lines exactly:
 * - `usageByBand`: every measured unit (before allowances and increments) at its rate, by
 *   `service band` (a call counts in its start band at the start band's rate);
 * - `allowanceBurn` (<= 0): the measured units the allowances covered, at their rates;
 * - `connectionAndMinimum`: connection fees and minimum-charge top-ups of calls with a charged part;
 * - `roaming`: roaming surcharges;
 * - `roundingAndIncrements`: the rest: units added by billing increments (and by allowance draws
 *   rounded to increments), rounding of each call or line, and under `bandBoundary: 'split'` the
 *   price difference of the later bands of a call.
 * `usagePricing` is the usage lines plus the discounts that re-price usage (`tiered-pricing`,
 * `percent-off`, `bundle-price`): what the customer pays for usage, for the usage price cut.
 */
export interface InvoiceBreakdown {
  readonly usageByBand: ReadonlyMap<string, number>;
  readonly allowanceBurn: number;
  readonly connectionAndMinimum: number;
  readonly roaming: number;
  readonly roundingAndIncrements: number;
  readonly usagePricing: number;
}

/** A bill run with the breakdown of its invoices (internal). */
export interface DetailedBillCycle {
  readonly bill: BillCycle;
  /** In invoice order; empty unless asked for. */
  readonly breakdown: readonly InvoiceBreakdown[];
}

interface BreakdownAccumulator {
  /** Exact numerators by `service band` name. */
  readonly byBand: Map<string, number>;
  burn: number;
  connection: number;
  roaming: number;
}

const usagePricingTypes: ReadonlySet<string> = new Set(['tiered-pricing', 'percent-off', 'bundle-price']);

/** {@link runBillCycle}, and with `withBreakdown` the pricing components of every invoice (internal). */
export function billCycleWithBreakdown(input: BillCycleInput, withBreakdown: boolean): DetailedBillCycle {
  const context = 'runBillCycle';
  const resolved = resolveRateOptions(context, input);
  const period = parsePeriod(context, input.period);
  if (!Array.isArray(input.plans) || input.plans.length === 0)
    throw new OptionError(context, 'plans', 'must list at least one tariff plan');
  const compiled: CompiledTariff[] = input.plans.map((plan) => compileTariff(plan));
  const planIndex = new Map<string, number>();
  input.plans.forEach((plan, index) => {
    if (planIndex.has(plan.planId))
      throw new OptionError(context, 'plans', `plan '${plan.planId}' is listed twice`);
    planIndex.set(plan.planId, index);
  });
  const subscriberPlan = new Map<string, number>();
  const subscriberIssues: DataIssue[] = [];
  input.subscribers.forEach((subscriber, row) => {
    if (subscriberPlan.has(subscriber.subscriberId)) {
      subscriberIssues.push({
        row: row + 1,
        column: 'subscriberId',
        reason: `'${subscriber.subscriberId}' is listed twice`,
      });
    }
    const index = subscriber.planId === undefined ? undefined : planIndex.get(subscriber.planId);
    if (index === undefined) {
      subscriberIssues.push({
        row: row + 1,
        column: 'planId',
        reason: `'${String(subscriber.planId)}' is not one of the plans (${[...planIndex.keys()].join(', ')})`,
      });
    } else subscriberPlan.set(subscriber.subscriberId, index);
  });
  if (subscriberIssues.length > 0)
    throw new DataError(`${context} (subscribers)`, subscriberIssues.slice(0, 50));

  // Subscribers with the same plan and the same rating-level promotions share one compiled variant.
  const promotions = (input.promotions ?? [])
    .map((promotion) => validatePromotion(promotion, input.plans))
    .filter((promotion) => promotionRunsIn(promotion, period));
  const variants: CompiledTariff[] = [...compiled];
  const variantOf = new Map<string, number>();
  const subscriberVariant = new Map<string, number>();
  const subscriberPromotions = new Map<string, Promotion[]>();
  const accountMembers = new Map<string, number>();
  const accountKey = (promotion: Promotion, subscriber: Subscriber): string | undefined => {
    const group = promotion.components.find((component) => component.type === 'group-discount');
    if (group === undefined || group.type !== 'group-discount') return undefined;
    const account = subscriber[group.accountAttribute ?? 'accountId'];
    return account === undefined ? undefined : `${promotion.promotionId}|${String(account)}`;
  };
  for (const subscriber of input.subscribers) {
    const eligible = promotions.filter((promotion) => isEligible(promotion, subscriber));
    if (eligible.length === 0) continue;
    subscriberPromotions.set(subscriber.subscriberId, eligible);
    for (const promotion of eligible) {
      const key = accountKey(promotion, subscriber);
      if (key !== undefined) accountMembers.set(key, (accountMembers.get(key) ?? 0) + 1);
    }
    const rating: RatingComponent[] = [];
    for (const type of ['rate-override', 'free-units'] as const) {
      for (const promotion of eligible)
        for (const component of promotion.components)
          if (isRatingComponent(component) && component.type === type) rating.push(component);
    }
    if (rating.length === 0) continue;
    const base = subscriberPlan.get(subscriber.subscriberId)!;
    const signature = `${base}|${eligible.map((promotion) => promotion.promotionId).join('|')}`;
    let variant = variantOf.get(signature);
    if (variant === undefined) {
      variant = variants.length;
      variants.push(
        compileVariant(compiled[base]!, rating, eligible.map((promotion) => promotion.promotionId).join('+')),
      );
      variantOf.set(signature, variant);
    }
    subscriberVariant.set(subscriber.subscriberId, variant);
  }

  const encoded =
    'kind' in input.calls && input.calls.kind === 'encoded-calls'
      ? input.calls
      : encodeCalls(input.calls as readonly CallRecord[]);
  const planOfSubscriber = new Int32Array(encoded.subscriberIds.length);
  const unknownSubscribers: DataIssue[] = [];
  encoded.subscriberIds.forEach((id, index) => {
    const plan = subscriberVariant.get(id) ?? subscriberPlan.get(id);
    planOfSubscriber[index] = plan ?? -1;
  });
  for (let i = 0; i < encoded.count && unknownSubscribers.length < 50; i++) {
    if (planOfSubscriber[encoded.subscriber[i]!]! < 0) {
      unknownSubscribers.push({
        row: i + 1,
        column: 'subscriberId',
        reason: `'${encoded.subscriberIds[encoded.subscriber[i]!]}' is not in subscribers`,
      });
    }
  }
  if (unknownSubscribers.length > 0) throw new DataError(`${context} (calls)`, unknownSubscribers);
  const rated = rateEncoded(encoded, variants, planOfSubscriber, {
    ...resolved,
    context: `${context} (calls)`,
  });

  // Usage of the period per subscriber: line key = (plan service * 2 + direction) * zones + zone.
  // Calls are grouped by subscriber first (a counting sort), then summed in scratch arrays, so the
  // per-call work touches typed arrays only.
  const serviceMaps = variants.map((variant) =>
    encoded.serviceNames.map((name) => variant.serviceNames.indexOf(name)),
  );
  const zoneMaps = variants.map((variant) =>
    encoded.zoneNames.map((name) => variant.zoneNames.indexOf(name)),
  );
  const subscriberCount = encoded.subscriberIds.length;
  const callSubscriber = encoded.subscriber;
  const callService = encoded.service;
  const callZone = encoded.zone;
  const callDirection = encoded.direction;
  const {
    cycle: callCycle,
    rate: callRate,
    units: callUnits,
    chargedUnits: callCharged,
    charge: callCharge,
    exactCharge: callExact,
    allowance: callAllowance,
    allowanceUnits: callAllowanceUnits,
    band: callBand,
  } = rated;
  const offsets = new Int32Array(subscriberCount + 1);
  for (let i = 0; i < encoded.count; i++) {
    if (callCycle[i] === period && callRate[i]! >= 0) offsets[callSubscriber[i]! + 1]! += 1;
  }
  for (let s = 0; s < subscriberCount; s++) offsets[s + 1]! += offsets[s]!;
  const members = new Int32Array(offsets[subscriberCount]!);
  const cursor = offsets.slice(0, subscriberCount);
  for (let i = 0; i < encoded.count; i++) {
    if (callCycle[i] === period && callRate[i]! >= 0) members[cursor[callSubscriber[i]!]!++] = i;
  }
  const slotCount = Math.max(
    ...variants.map((variant) => variant.serviceNames.length * 2 * variant.zoneCount),
  );
  const scratch = new Float64Array(slotCount * 4);
  const slotSeen = new Uint8Array(slotCount);
  const allowanceScratch = new Float64Array(
    Math.max(1, ...variants.map((variant) => variant.allowanceAmount.length)),
  );
  const usage = new Map<string, Map<number, UsageAccumulator>>();
  const allowanceUse = new Map<string, Map<number, number>>();
  const promotedCalls = new Map<string, InvoiceCall[]>();
  const accumulators = new Map<string, BreakdownAccumulator>();
  // Per-subscriber sums by plan service x band, flushed into names once per subscriber.
  const bandSlots = withBreakdown
    ? Math.max(...variants.map((variant) => variant.serviceNames.length * variant.bandCount))
    : 0;
  const bandScratch = new Float64Array(bandSlots);
  const bandSeen = new Uint8Array(bandSlots);
  const bandTouched: number[] = [];
  for (let s = 0; s < subscriberCount; s++) {
    const from = offsets[s]!;
    const to = offsets[s + 1]!;
    if (from === to) continue;
    const id = encoded.subscriberIds[s]!;
    const variantIndex = planOfSubscriber[s]!;
    const plan = variants[variantIndex]!;
    const serviceMap = serviceMaps[variantIndex]!;
    const zoneMap = zoneMaps[variantIndex]!;
    // Only invoice-level components look at single calls.
    const promoted =
      subscriberPromotions
        .get(id)
        ?.some((promotion) => promotion.components.some((component) => !isRatingComponent(component))) ??
      false;
    const invoiceCalls: InvoiceCall[] = [];
    const touched: number[] = [];
    const accumulator: BreakdownAccumulator | undefined = withBreakdown
      ? { byBand: new Map(), burn: 0, connection: 0, roaming: 0 }
      : undefined;
    if (accumulator !== undefined) accumulators.set(id, accumulator);
    for (let k = from; k < to; k++) {
      const i = members[k]!;
      const service = serviceMap[callService[i]!]!;
      const zone = zoneMap[callZone[i]!]!;
      const key = (service * 2 + callDirection[i]!) * plan.zoneCount + zone;
      if (slotSeen[key] === 0) {
        slotSeen[key] = 1;
        touched.push(key);
      }
      scratch[key * 4]! += callUnits[i]!;
      scratch[key * 4 + 1]! += callCharged[i]!;
      scratch[key * 4 + 2]! += callCharge[i]!;
      scratch[key * 4 + 3]! += callExact[i]!;
      const allowance = callAllowance[i]!;
      if (allowance >= 0) allowanceScratch[allowance]! += callAllowanceUnits[i]!;
      if (accumulator !== undefined) {
        // Exact numerators over the plan's denominator; rounded once per invoice.
        const rate = callRate[i]!;
        const multiplier = plan.multiplier[rate]!;
        const quantity = callUnits[i]!;
        const charged = callCharged[i]!;
        const bandSlot = service * plan.bandCount + callBand[i]!;
        if (bandSeen[bandSlot] === 0) {
          bandSeen[bandSlot] = 1;
          bandTouched.push(bandSlot);
        }
        bandScratch[bandSlot]! += quantity * multiplier;
        accumulator.burn -= Math.min(quantity, callAllowanceUnits[i]!) * multiplier;
        if (charged > 0) {
          const priced = charged * multiplier;
          accumulator.connection += Math.max(plan.minimum[rate]!, priced + plan.connection[rate]!) - priced;
        }
        if (plan.roamingZone[zone] === 1 && quantity > 0) {
          const billable = applyIncrement(quantity, plan.first[rate]!, plan.next[rate]!);
          accumulator.roaming += billable * plan.surcharge[service * 2 + callDirection[i]!]!;
        }
      }
      if (promoted) {
        invoiceCalls.push({
          service: plan.serviceNames[service]!,
          direction: callDirection[i] === 1 ? 'in' : 'out',
          zone: plan.zoneNames[zone]!,
          band: plan.bandNames[callBand[i]!]!,
          chargedUnits: callCharged[i]!,
          charge: callCharge[i]!,
          exactCharge: callExact[i]!,
        });
      }
    }
    if (accumulator !== undefined) {
      for (const slot of bandTouched) {
        const band = slot % plan.bandCount;
        const name = `${plan.serviceNames[(slot - band) / plan.bandCount]!} ${plan.bandNames[band]!}`;
        accumulator.byBand.set(name, (accumulator.byBand.get(name) ?? 0) + bandScratch[slot]!);
        bandScratch[slot] = 0;
        bandSeen[slot] = 0;
      }
      bandTouched.length = 0;
    }
    const lines = new Map<number, UsageAccumulator>();
    for (const key of touched.sort((a, b) => a - b)) {
      lines.set(key, {
        units: scratch[key * 4]!,
        chargedUnits: scratch[key * 4 + 1]!,
        amount: scratch[key * 4 + 2]!,
        exact: scratch[key * 4 + 3]!,
      });
      scratch.fill(0, key * 4, key * 4 + 4);
      slotSeen[key] = 0;
    }
    usage.set(id, lines);
    const drawn = new Map<number, number>();
    for (let allowance = 0; allowance < allowanceScratch.length; allowance++) {
      if (allowanceScratch[allowance]! > 0) drawn.set(allowance, allowanceScratch[allowance]!);
    }
    allowanceScratch.fill(0);
    if (drawn.size > 0) allowanceUse.set(id, drawn);
    if (promoted) promotedCalls.set(id, invoiceCalls);
  }

  const revenue = emptyTotal('all');
  const byPlan = new Map<string, ReturnType<typeof emptyTotal>>();
  const byService = new Map<string, ReturnType<typeof emptyTotal>>();
  const byZone = new Map<string, ReturnType<typeof emptyTotal>>();
  const invoices: Invoice[] = [];
  const breakdown: InvoiceBreakdown[] = [];
  for (const subscriber of input.subscribers) {
    const index = subscriberPlan.get(subscriber.subscriberId)!;
    const plan = variants[subscriberVariant.get(subscriber.subscriberId) ?? index]!;
    const source = input.plans[index]!;
    const lines: InvoiceLine[] = [
      {
        kind: 'fee',
        description: `monthly fee ${source.name ?? source.planId}`,
        quantity: 1,
        amount: plan.monthlyFee,
      },
    ];
    let usageTotal = 0;
    const subscriberUsage = usage.get(subscriber.subscriberId);
    const touched: { service: string; zone: string; amount: number }[] = [];
    for (const key of [...(subscriberUsage?.keys() ?? [])].sort((a, b) => a - b)) {
      const line = subscriberUsage!.get(key)!;
      const zone = key % plan.zoneCount;
      const serviceDirection = (key - zone) / plan.zoneCount;
      const direction = serviceDirection % 2 === 1 ? 'in' : 'out';
      const service = plan.serviceNames[(serviceDirection - (serviceDirection % 2)) / 2]!;
      const zoneName = plan.zoneNames[zone]!;
      const amount = plan.lineScope ? roundExact(line.exact, plan.denominator, plan.roundMode) : line.amount;
      usageTotal += amount;
      touched.push({ service, zone: zoneName, amount });
      lines.push({
        kind: 'usage',
        description: `${service} ${direction} ${zoneName}`,
        service,
        direction,
        zone: zoneName,
        quantity: line.units,
        chargedUnits: line.chargedUnits,
        amount,
      });
    }
    const drawn = allowanceUse.get(subscriber.subscriberId);
    for (const allowance of [...(drawn?.keys() ?? [])].sort((a, b) => a - b)) {
      lines.push({
        kind: 'allowance',
        description: `allowance ${plan.allowanceIds[allowance]}`,
        quantity: drawn!.get(allowance)!,
        amount: 0,
      });
    }
    let discounts = 0;
    let usagePricingDiscounts = 0;
    const eligible = subscriberPromotions.get(subscriber.subscriberId);
    if (eligible !== undefined) {
      const usageOf = (selected: readonly InvoiceCall[]): number => {
        if (!plan.lineScope) return selected.reduce((sum, call) => sum + call.charge, 0);
        const byLine = new Map<string, number>();
        for (const call of selected) {
          const key = `${call.service}|${call.direction}|${call.zone}`;
          byLine.set(key, (byLine.get(key) ?? 0) + call.exactCharge);
        }
        let sum = 0;
        for (const exact of byLine.values()) sum += roundExact(exact, plan.denominator, plan.roundMode);
        return sum;
      };
      const applicable = eligible.map((promotion) => {
        const key = accountKey(promotion, subscriber);
        const group = promotion.components.find((component) => component.type === 'group-discount');
        const minimum = group !== undefined && group.type === 'group-discount' ? (group.minMembers ?? 2) : 2;
        return { promotion, groupQualifies: key !== undefined && (accountMembers.get(key) ?? 0) >= minimum };
      });
      for (const adjustment of invoiceAdjustments(
        applicable,
        promotedCalls.get(subscriber.subscriberId) ?? [],
        plan.monthlyFee,
        usageTotal,
        plan,
        usageOf,
      )) {
        lines.push({
          kind: 'discount',
          description: adjustment.description,
          quantity: 1,
          amount: adjustment.amount,
        });
        discounts += adjustment.amount;
        if (usagePricingTypes.has(adjustment.type)) usagePricingDiscounts += adjustment.amount;
      }
    }
    const subtotal = plan.monthlyFee + usageTotal + discounts;
    const tax = roundExact(subtotal * plan.taxBasisPoints, 10_000, plan.roundMode);
    if (plan.taxBasisPoints > 0)
      lines.push({
        kind: 'tax',
        description: `tax ${plan.taxBasisPoints / 100}%`,
        quantity: subtotal,
        amount: tax,
      });
    const total = subtotal + tax;
    if (withBreakdown) {
      const accumulator = accumulators.get(subscriber.subscriberId);
      const part = (numerator: number): number => roundExact(numerator, plan.denominator, roundHalfUp);
      const usageByBand = new Map<string, number>();
      let parts = 0;
      for (const key of [...(accumulator?.byBand.keys() ?? [])].sort()) {
        const amount = part(accumulator!.byBand.get(key)!);
        usageByBand.set(key, amount);
        parts += amount;
      }
      const allowanceBurn = accumulator === undefined ? 0 : part(accumulator.burn);
      const connectionAndMinimum = accumulator === undefined ? 0 : part(accumulator.connection);
      const roaming = accumulator === undefined ? 0 : part(accumulator.roaming);
      parts += allowanceBurn + connectionAndMinimum + roaming;
      breakdown.push({
        usageByBand,
        allowanceBurn,
        connectionAndMinimum,
        roaming,
        roundingAndIncrements: usageTotal - parts,
        usagePricing: usageTotal + usagePricingDiscounts,
      });
    }
    invoices.push({
      subscriberId: subscriber.subscriberId,
      planId: source.planId,
      currency: source.currency ?? 'EUR',
      lines,
      subtotal,
      tax,
      total,
    });

    let planTotal = byPlan.get(source.planId);
    if (planTotal === undefined) {
      planTotal = emptyTotal(source.planId);
      byPlan.set(source.planId, planTotal);
    }
    for (const target of [revenue, planTotal]) {
      target.invoices += 1;
      target.fees += plan.monthlyFee;
      target.usage += usageTotal;
      target.discounts += discounts;
      target.tax += tax;
      target.total += total;
    }
    const counted = new Set<ReturnType<typeof emptyTotal>>();
    for (const { service, zone, amount } of touched) {
      for (const [map, key] of [
        [byService, service],
        [byZone, zone],
      ] as const) {
        let target = map.get(key);
        if (target === undefined) {
          target = emptyTotal(key);
          map.set(key, target);
        }
        target.usage += amount;
        target.total += amount;
        if (!counted.has(target)) {
          counted.add(target);
          target.invoices += 1;
        }
      }
    }
  }
  const sorted = (map: Map<string, RevenueTotal>): RevenueTotal[] =>
    [...map.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const bill: BillCycle = {
    kind: 'bill-cycle',
    period: input.period,
    periodStart: cycleStartDate(period, resolved.cycleStartDay),
    periodEnd: cycleStartDate(period + 1, resolved.cycleStartDay),
    invoices,
    totals: { revenue, byPlan: sorted(byPlan), byService: sorted(byService), byZone: sorted(byZone) },
  };
  return { bill, breakdown };
}
