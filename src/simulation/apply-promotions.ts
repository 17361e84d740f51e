import type { Subscriber } from '../data/records.js';
import { type CompiledTariff, greatestCommonDivisor, roundExact } from './compile-tariff.js';
import type {
  FreeUnitsComponent,
  Promotion,
  PromotionComponent,
  RateOverrideComponent,
} from './promotion.js';
import { parseIncrement } from './validate-tariff.js';

/** Whether a promotion runs in a cycle (year * 12 + month0). */
export function promotionRunsIn(promotion: Promotion, cycle: number): boolean {
  if (promotion.startPeriod === undefined) return true;
  const [year, month] = promotion.startPeriod.split('-').map(Number) as [number, number];
  const first = year * 12 + month - 1;
  return (
    cycle >= first && (promotion.durationCycles === undefined || cycle < first + promotion.durationCycles)
  );
}

/** Whether a subscriber meets every criterion of a promotion's eligibility. */
export function isEligible(promotion: Promotion, subscriber: Subscriber): boolean {
  const rules = promotion.eligibility;
  if (rules === undefined) return true;
  const within = (list: readonly string[] | undefined, value: unknown): boolean =>
    list === undefined || (typeof value === 'string' && list.includes(value));
  return (
    within(rules.plans, subscriber.planId) &&
    within(rules.regions, subscriber.region) &&
    within(rules.segments, subscriber.segment) &&
    within(rules.riskBands, subscriber.riskBand) &&
    within(rules.subscriberIds, subscriber.subscriberId)
  );
}

export type RatingComponent = RateOverrideComponent | FreeUnitsComponent;

export const isRatingComponent = (component: PromotionComponent): component is RatingComponent =>
  component.type === 'rate-override' || component.type === 'free-units';

/**
 * A plan with rating-level promotion components applied (internal): rate overrides become extra
 * rates patched into the lookup table (amounts move to a common denominator), free units are added
 * to the allowance that covers their zones or form a new one.
 */
export function compileVariant(
  base: CompiledTariff,
  components: readonly RatingComponent[],
  label: string,
): CompiledTariff {
  if (components.length === 0) return base;
  let denominator = base.denominator;
  for (const component of components) {
    if (component.type === 'rate-override') {
      const per = component.per ?? 1;
      denominator = (denominator / greatestCommonDivisor(denominator, per)) * per;
    }
  }
  const scale = denominator / base.denominator;
  const scaled = (values: Float64Array): number[] => Array.from(values, (value) => value * scale);
  const first = Array.from(base.first);
  const next = Array.from(base.next);
  const multiplier = scaled(base.multiplier);
  const connection = scaled(base.connection);
  const minimum = scaled(base.minimum);
  const rateTable = base.rateTable.slice();
  const allowanceTable = base.allowanceTable.slice();
  const allowanceAmount = Array.from(base.allowanceAmount);
  const allowanceIds = [...base.allowanceIds];
  const serviceIndex = new Map(base.serviceNames.map((name, index) => [name, index]));
  const zoneIndex = new Map(base.zoneNames.map((name, index) => [name, index]));
  const bandIndex = new Map(base.bandNames.map((name, index) => [name, index]));
  const everyZone = base.zoneNames.map((_, index) => index);
  const everyBand = base.bandNames.map((_, index) => index);
  for (const component of components) {
    const service = serviceIndex.get(component.service)!;
    const directions =
      component.direction === undefined
        ? component.type === 'free-units'
          ? [0]
          : [0, 1]
        : [component.direction === 'in' ? 1 : 0];
    const zones =
      component.zones === undefined ? everyZone : component.zones.map((zone) => zoneIndex.get(zone)!);
    if (component.type === 'rate-override') {
      const bands =
        component.bands === undefined ? everyBand : component.bands.map((band) => bandIndex.get(band)!);
      const replacement = new Map<number, number>();
      const increment = component.increment === undefined ? undefined : parseIncrement(component.increment)!;
      for (const direction of directions) {
        for (const zone of zones) {
          for (const band of bands) {
            const cell = ((service * 2 + direction) * base.zoneCount + zone) * base.bandCount + band;
            const old = rateTable[cell]!;
            if (old < 0) continue;
            let fresh = replacement.get(old);
            if (fresh === undefined) {
              fresh = first.length;
              replacement.set(old, fresh);
              first.push(increment?.first ?? first[old]!);
              next.push(increment?.next ?? next[old]!);
              multiplier.push((component.price * denominator) / (component.per ?? 1));
              connection.push(connection[old]!);
              minimum.push(minimum[old]!);
            }
            rateTable[cell] = fresh;
          }
        }
      }
    } else {
      const key = service * 2 + directions[0]!;
      const existing = zones
        .map((zone) => allowanceTable[key * base.zoneCount + zone]!)
        .find((index) => index >= 0);
      if (existing !== undefined) allowanceAmount[existing]! += component.amount;
      else {
        const fresh = allowanceAmount.length;
        allowanceAmount.push(component.amount);
        allowanceIds.push(`${label}:free-${component.service}`);
        for (const zone of zones) allowanceTable[key * base.zoneCount + zone] = fresh;
      }
    }
  }
  return {
    ...base,
    denominator,
    first: new Float64Array(first),
    next: new Float64Array(next),
    multiplier: new Float64Array(multiplier),
    connection: new Float64Array(connection),
    minimum: new Float64Array(minimum),
    surcharge: new Float64Array(scaled(base.surcharge)),
    rateTable,
    allowanceTable,
    allowanceAmount: new Float64Array(allowanceAmount),
    allowanceIds,
  };
}

/** One rated call as the invoice stage sees it (internal). */
export interface InvoiceCall {
  readonly service: string;
  readonly direction: 'out' | 'in';
  readonly zone: string;
  readonly band: string;
  readonly chargedUnits: number;
  readonly charge: number;
  readonly exactCharge: number;
}

/** An invoice-level adjustment: a discount line (negative, or positive for tiered pricing). */
export interface Adjustment {
  readonly description: string;
  readonly amount: number;
  /** The component that made it. */
  readonly type: PromotionComponent['type'];
}

interface Selector {
  readonly service?: string;
  readonly direction?: 'out' | 'in';
  readonly zones?: readonly string[];
  readonly bands?: readonly string[];
}

const matches = (selector: Selector, call: InvoiceCall): boolean =>
  (selector.service === undefined || selector.service === call.service) &&
  (selector.direction === undefined || selector.direction === call.direction) &&
  (selector.zones === undefined || selector.zones.includes(call.zone)) &&
  (selector.bands === undefined || selector.bands.includes(call.band));

const basisPoints = (percent: number): number => Math.round(percent * 100);

const stageOrder: readonly PromotionComponent['type'][] = [
  'tiered-pricing',
  'percent-off',
  'bundle-price',
  'spend-rebate',
  'fixed-discount',
  'group-discount',
];

/**
 * Invoice-level adjustments of one subscriber's cycle (internal), in the documented stage order.
 * `usageOf(calls)` is the usage amount of a set of calls as the invoice would show it (per-call or
 * per-line rounding). Discounts are capped so the running subtotal never goes below zero.
 */
export function invoiceAdjustments(
  promotions: readonly { readonly promotion: Promotion; readonly groupQualifies: boolean }[],
  calls: readonly InvoiceCall[],
  fee: number,
  usage: number,
  plan: CompiledTariff,
  usageOf: (calls: readonly InvoiceCall[]) => number,
): Adjustment[] {
  const adjustments: Adjustment[] = [];
  let usageLeft = usage;
  let subtotal = fee + usage;
  const serviceAdjustment = new Map<string, number>();
  // Tiered pricing re-prices its calls; later stages take their share of it (see percent-off).
  const tieredStages: {
    readonly calls: ReadonlySet<InvoiceCall>;
    readonly units: number;
    readonly amount: number;
  }[] = [];
  let stage: PromotionComponent['type'] = stageOrder[0]!;
  const adjust = (label: string, amount: number, service?: string): void => {
    // A discount takes the subtotal to zero at most.
    const applied = amount < 0 ? Math.max(amount, -subtotal) : amount;
    if (applied === 0) return;
    adjustments.push({ description: label, amount: applied, type: stage });
    subtotal += applied;
    usageLeft += applied;
    if (service !== undefined)
      serviceAdjustment.set(service, (serviceAdjustment.get(service) ?? 0) + applied);
  };
  for (const current of stageOrder) {
    stage = current;
    for (const { promotion, groupQualifies } of promotions) {
      for (const component of promotion.components) {
        if (component.type !== stage) continue;
        const label = `promotion ${promotion.promotionId}: ${component.type}`;
        switch (component.type) {
          case 'tiered-pricing': {
            const selected = calls.filter((call) =>
              matches({ ...component, direction: component.direction ?? 'out' }, call),
            );
            if (selected.length === 0) break;
            const units = selected.reduce((sum, call) => sum + call.chargedUnits, 0);
            const tiered = tieredAmount(component.tiers, component.mode, units);
            const amount =
              roundExact(tiered.numerator, tiered.denominator, plan.roundMode) - usageOf(selected);
            adjust(label, amount, component.service);
            if (amount !== 0 && units > 0) tieredStages.push({ calls: new Set(selected), units, amount });
            break;
          }
          case 'percent-off': {
            // The share is taken of the usage as tiered pricing left it: each tiered adjustment is spread
            // over its calls by charged units, and the part falling on the selected calls counts.
            const selected = calls.filter((call) => matches(component, call));
            let base = usageOf(selected);
            for (const tiered of tieredStages) {
              let overlap = 0;
              for (const call of selected) if (tiered.calls.has(call)) overlap += call.chargedUnits;
              if (overlap > 0) base += roundExact(tiered.amount * overlap, tiered.units, plan.roundMode);
            }
            base = Math.max(0, base);
            adjust(
              label,
              -roundExact(base * basisPoints(component.percent), 10_000, plan.roundMode),
              component.service,
            );
            break;
          }
          case 'bundle-price': {
            const services = new Set(component.services);
            const selected = calls.filter((call) => services.has(call.service));
            let base = usageOf(selected);
            for (const service of services) base += serviceAdjustment.get(service) ?? 0;
            if (base > component.price) adjust(label, component.price - base);
            break;
          }
          case 'spend-rebate':
            if (usageLeft >= component.threshold && usageLeft > 0) {
              adjust(
                label,
                -(
                  component.amount ??
                  roundExact(usageLeft * basisPoints(component.percent ?? 0), 10_000, plan.roundMode)
                ),
              );
            }
            break;
          case 'fixed-discount':
            adjust(label, -component.amount);
            break;
          case 'group-discount':
            if (groupQualifies && subtotal > 0)
              adjust(label, -roundExact(subtotal * basisPoints(component.percent), 10_000, plan.roundMode));
            break;
          default:
            break;
        }
      }
    }
  }
  return adjustments;
}

/** Amount of `units` under tiered prices, as an exact fraction over the tiers' common `per`. */
export function tieredAmount(
  tiers: readonly { readonly upTo?: number; readonly price: number; readonly per?: number }[],
  mode: 'all-units' | 'graduated',
  units: number,
): { numerator: number; denominator: number } {
  let denominator = 1;
  for (const tier of tiers)
    denominator = (denominator / greatestCommonDivisor(denominator, tier.per ?? 1)) * (tier.per ?? 1);
  const priceOf = (tier: (typeof tiers)[number], count: number): number =>
    count * tier.price * (denominator / (tier.per ?? 1));
  if (mode === 'all-units') {
    const tier =
      tiers.find((candidate) => candidate.upTo === undefined || units <= candidate.upTo) ??
      tiers[tiers.length - 1]!;
    return { numerator: priceOf(tier, units), denominator };
  }
  let numerator = 0;
  let lower = 0;
  for (const tier of tiers) {
    if (units <= lower) break;
    const upper = tier.upTo ?? Number.POSITIVE_INFINITY;
    numerator += priceOf(tier, Math.min(units, upper) - lower);
    lower = upper;
  }
  return { numerator, denominator };
}
