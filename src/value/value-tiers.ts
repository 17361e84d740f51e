import { DataError, type DataIssue, OptionError, TelcoAnalyticsError } from '../data/errors.js';
import { withDefault } from './value-options.js';

/**
 * A value tier: its name and the share of customers it holds, counted from the top.
 *
 * @example
 * const tier: ValueTier = { name: 'platinum', share: 0.05 };
 */
export interface ValueTier {
  readonly name: string;
  /** Share of customers in the tier, in (0, 1]; the tiers' shares add up to 1. */
  readonly share: number;
}

/** The default customer pyramid: top 5% platinum, next 15% gold, next 30% silver, bottom 50% bronze. */
export const defaultValueTiers: readonly ValueTier[] = Object.freeze([
  { name: 'platinum', share: 0.05 },
  { name: 'gold', share: 0.15 },
  { name: 'silver', share: 0.3 },
  { name: 'bronze', share: 0.5 },
]);

/**
 * Options of {@link valueTiers}.
 *
 * @example
 * const options: ValueTiersOptions = { by: 'clv', tiers: [{ name: 'top', share: 0.2 }, { name: 'rest', share: 0.8 }] };
 */
export interface ValueTiersOptions {
  /**
   * The numeric field ranking the customers.
   * @defaultValue 'clv'
   */
  readonly by?: string | undefined;
  /**
   * Tiers from the most valuable down.
   * @defaultValue {@link defaultValueTiers}
   */
  readonly tiers?: readonly ValueTier[] | undefined;
  /**
   * The field identifying a customer.
   * @defaultValue 'customerId'
   */
  readonly idColumn?: string | undefined;
}

/**
 * A customer's place in the pyramid.
 *
 * @example
 * const row: TieredCustomer = { customerId: 'c7', value: 812.5, rank: 1, tier: 'platinum' };
 */
export interface TieredCustomer {
  readonly customerId: string;
  readonly value: number;
  /** 1 = most valuable. */
  readonly rank: number;
  readonly tier: string;
}

/**
 * One tier's weight: its share of the customers and of the predicted value.
 *
 * @example
 * const summary: TierSummary = { tier: 'platinum', customers: 50, customerShare: 0.05, value: 41000, valueShare: 0.38, minimumValue: 512, maximumValue: 2210 };
 */
export interface TierSummary {
  readonly tier: string;
  readonly customers: number;
  readonly customerShare: number;
  readonly value: number;
  /** The tier's value over all customers' value (0 when that total is 0). */
  readonly valueShare: number;
  /** `null` for an empty tier. */
  readonly minimumValue: number | null;
  readonly maximumValue: number | null;
}

/**
 * The result of {@link valueTiers}.
 *
 * @example
 * const result: ValueTiersResult = valueTiers(values);
 * result.tiers[0]; // => { tier: 'platinum', customers, customerShare, value, valueShare, ... }
 */
export interface ValueTiersResult {
  /** Customers from the most valuable down. */
  readonly customers: TieredCustomer[];
  /** One row per tier, in the order given. */
  readonly tiers: TierSummary[];
}

function checkTiers(tiers: readonly ValueTier[], context: string): void {
  if (!Array.isArray(tiers) || tiers.length === 0)
    throw new OptionError(context, 'tiers', 'must list at least one tier');
  let total = 0;
  const names = new Set<string>();
  for (const tier of tiers) {
    if (typeof tier?.name !== 'string' || tier.name === '' || names.has(tier.name)) {
      throw new OptionError(
        context,
        'tiers',
        `needs distinct non-empty names, received ${JSON.stringify(tier?.name)}`,
      );
    }
    names.add(tier.name);
    if (!(typeof tier.share === 'number' && tier.share > 0 && tier.share <= 1)) {
      throw new OptionError(
        context,
        'tiers',
        `share of '${tier.name}' must be in (0, 1], received ${String(tier.share)}`,
      );
    }
    total += tier.share;
  }
  if (Math.abs(total - 1) > 1e-9)
    throw new OptionError(context, 'tiers', `shares must add up to 1, they add up to ${total}`);
}

/**
 * Splits customers into value tiers (a customer pyramid: platinum / gold / silver / bronze by
 * default) by a predicted value such as CLV, and reports each tier's share of the customers and
 * of the value — the view that says how concentrated the future revenue is.
 *
 * Customers are ranked by value (highest first; ties keep the input order) and tier j takes ranks
 * round(n * C(j-1)) + 1 .. round(n * C(j)), C the cumulative shares. Customers with equal value always
 * share a tier (the better one), so tier sizes can differ from the shares when values tie at a boundary.
 *
 * @throws {@link DataError} naming the row and column for a missing id or a non-finite value;
 * {@link OptionError} for malformed tiers; `EMPTY_INPUT` for no rows.
 *
 * @example
 * const result = valueTiers(
 *   [{ customerId: 'a', clv: 10 }, { customerId: 'b', clv: 90 }, { customerId: 'c', clv: 0 }, { customerId: 'd', clv: 40 }],
 *   { tiers: [{ name: 'gold', share: 0.25 }, { name: 'rest', share: 0.75 }] },
 * );
 * result.tiers; // => [{ tier: 'gold', customers: 1, customerShare: 0.25, value: 90, valueShare: 0.6428..., ... }, { tier: 'rest', customers: 3, ... }]
 */
export function valueTiers(rows: readonly object[], options: ValueTiersOptions = {}): ValueTiersResult {
  const context = 'valueTiers';
  const by = withDefault(options.by, 'clv');
  const idColumn = withDefault(options.idColumn, 'customerId');
  const tiers = withDefault(options.tiers, defaultValueTiers);
  checkTiers(tiers, context);
  if (!Array.isArray(rows) || rows.length === 0)
    throw new TelcoAnalyticsError('EMPTY_INPUT', `${context}: no customers`);
  const issues: DataIssue[] = [];
  const entries: { customerId: string; value: number; order: number }[] = [];
  rows.forEach((item, index) => {
    const row = item as Readonly<Record<string, unknown>> | null | undefined;
    const id = row?.[idColumn];
    const value = row?.[by];
    if ((typeof id !== 'string' && typeof id !== 'number') || id === '') {
      issues.push({
        row: index + 1,
        column: idColumn,
        reason: `expected a customer id, received ${JSON.stringify(id)}`,
      });
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      issues.push({
        row: index + 1,
        column: by,
        reason: `expected a finite number, received ${JSON.stringify(value)}`,
      });
    }
    entries.push({ customerId: String(id), value: value as number, order: index });
  });
  if (issues.length > 0) throw new DataError(context, issues.slice(0, 100));
  entries.sort((left, right) => right.value - left.value || left.order - right.order);
  const n = entries.length;
  const bounds: number[] = [];
  let cumulative = 0;
  for (const tier of tiers) {
    cumulative += tier.share;
    bounds.push(Math.round(n * Math.min(cumulative, 1)));
  }
  bounds[bounds.length - 1] = n;
  const customers: TieredCustomer[] = [];
  let tierIndex = 0;
  for (let i = 0; i < n; i++) {
    while (tierIndex < tiers.length - 1 && i >= bounds[tierIndex]!) tierIndex++;
    const entry = entries[i]!;
    const previous = customers[i - 1];
    const tier =
      previous !== undefined && previous.value === entry.value ? previous.tier : tiers[tierIndex]!.name;
    customers.push({ customerId: entry.customerId, value: entry.value, rank: i + 1, tier });
  }
  let totalValue = 0;
  for (const entry of entries) totalValue += entry.value;
  const summaries = tiers.map((tier): TierSummary => {
    let count = 0;
    let value = 0;
    let minimumValue: number | null = null;
    let maximumValue: number | null = null;
    for (const customer of customers) {
      if (customer.tier !== tier.name) continue;
      count++;
      value += customer.value;
      minimumValue = minimumValue === null ? customer.value : Math.min(minimumValue, customer.value);
      maximumValue = maximumValue === null ? customer.value : Math.max(maximumValue, customer.value);
    }
    return {
      tier: tier.name,
      customers: count,
      customerShare: count / n,
      value,
      valueShare: totalValue === 0 ? 0 : value / totalValue,
      minimumValue,
      maximumValue,
    };
  });
  return { customers, tiers: summaries };
}
