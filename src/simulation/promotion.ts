/** Which usage a promotion component applies to; absent fields match everything. */
export interface UsageSelector {
  readonly service?: string;
  readonly direction?: 'out' | 'in';
  readonly zones?: readonly string[];
  readonly bands?: readonly string[];
}

/** Calls matching the selector are rated at this price instead (e.g. night voice at half price). */
export interface RateOverrideComponent extends UsageSelector {
  readonly type: 'rate-override';
  readonly service: string;
  readonly price: number;
  /** @defaultValue 1 */
  readonly per?: number;
  /** @defaultValue the overridden rate's increment */
  readonly increment?: string;
}

/** Extra units per cycle added to the allowance covering the zones (or a new allowance over them). */
export interface FreeUnitsComponent {
  readonly type: 'free-units';
  readonly service: string;
  /** @defaultValue 'out' */
  readonly direction?: 'out' | 'in';
  readonly zones: readonly string[];
  /** Seconds, kilobytes or messages. */
  readonly amount: number;
}

/**
 * A share off the usage charges of matching calls, taken after tiered pricing: when a
 * `tiered-pricing` component re-prices some of those calls, its adjustment is spread over the calls
 * it covers in proportion to their charged units and the part on the matching calls is included
 * (exact when the percent-off covers all of the tiered calls). Two percent-off components on the same
 * usage add up (each takes its share of the same base).
 */
export interface PercentOffComponent extends UsageSelector {
  readonly type: 'percent-off';
  /** 0..100, at most two decimals. */
  readonly percent: number;
}

/**
 * Usage of matching calls priced by tiers of the cycle's charged units (after allowances and
 * increments): `all-units` prices every unit at the tier the total reaches, `graduated` prices each
 * unit at its own tier. The last tier has no `upTo`.
 */
export interface TieredPricingComponent {
  readonly type: 'tiered-pricing';
  readonly service: string;
  /** @defaultValue 'out' */
  readonly direction?: 'out' | 'in';
  readonly zones?: readonly string[];
  readonly mode: 'all-units' | 'graduated';
  readonly tiers: readonly { readonly upTo?: number; readonly price: number; readonly per?: number }[];
}

/** The usage charges of the listed services cost at most `price` per cycle. */
export interface BundlePriceComponent {
  readonly type: 'bundle-price';
  readonly services: readonly string[];
  readonly price: number;
}

/** A rebate when the cycle's usage charges (after earlier discounts) reach `threshold`: `amount`, or `percent` of that usage. */
export interface SpendRebateComponent {
  readonly type: 'spend-rebate';
  readonly threshold: number;
  readonly amount?: number;
  readonly percent?: number;
}

/** A fixed amount off the invoice. */
export interface FixedDiscountComponent {
  readonly type: 'fixed-discount';
  readonly amount: number;
}

/**
 * A share off the invoice of each eligible subscriber whose account (the subscriber attribute
 * `accountAttribute`) has at least `minMembers` eligible subscribers in the bill run.
 */
export interface GroupDiscountComponent {
  readonly type: 'group-discount';
  readonly percent: number;
  /** @defaultValue 'accountId' */
  readonly accountAttribute?: string;
  /** @defaultValue 2 */
  readonly minMembers?: number;
}

export type PromotionComponent =
  | RateOverrideComponent
  | FreeUnitsComponent
  | PercentOffComponent
  | TieredPricingComponent
  | BundlePriceComponent
  | SpendRebateComponent
  | FixedDiscountComponent
  | GroupDiscountComponent;

/**
 * Who may have a promotion: every listed criterion must hold (absent = any). Segment and risk band
 * are read from the subscriber attributes `segment` and `riskBand` (e.g. an RFM segment and a
 * churn-risk band joined onto the subscribers beforehand).
 */
export interface PromotionEligibility {
  readonly plans?: readonly string[];
  readonly regions?: readonly string[];
  readonly segments?: readonly string[];
  readonly riskBands?: readonly string[];
  readonly subscriberIds?: readonly string[];
}

/**
 * A promotion as plain JSON data. Components apply in a fixed order whatever their order in the
 * list: at rating, `rate-override` then `free-units`; on the invoice, `tiered-pricing`,
 * `percent-off`, `bundle-price`, `spend-rebate`, `fixed-discount`, `group-discount`, then tax on
 * what is left. Each invoice stage works on the amounts the earlier stages left: percent-off on the
 * usage after tiered pricing, bundle price on its services' usage after both, the spend rebate on
 * all usage after the stages before it, the group discount on the subtotal after all others.
 * Several promotions: each stage takes them in list order. No discount takes an invoice's subtotal
 * below zero.
 */
export interface Promotion {
  readonly kind: 'promotion';
  readonly version: 1;
  readonly promotionId: string;
  readonly name?: string;
  /** @defaultValue everyone */
  readonly eligibility?: PromotionEligibility;
  /** First bill cycle (`YYYY-MM`) the promotion runs in. @defaultValue every cycle */
  readonly startPeriod?: string;
  /** Number of cycles from `startPeriod`. @defaultValue unlimited */
  readonly durationCycles?: number;
  readonly components: readonly PromotionComponent[];
}
