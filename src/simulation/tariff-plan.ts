/**
 * How a service's usage is measured: `duration` in whole seconds (`durationSec`, fractions counted
 * up), `volume` in whole kilobytes (`volumeMb` x 1000, fractions counted up; 1 MB = 1000 KB), or
 * `event` (each CDR is one unit: SMS, MMS).
 */
export type ServiceMeasure = 'duration' | 'volume' | 'event';

/** A service the plan rates, and how its usage is measured. */
export interface TariffService {
  /** The CDR `service` value (`voice`, `sms`, `data`, `mms`, ...). */
  readonly name: string;
  readonly measure: ServiceMeasure;
}

/**
 * A time band: the hours `[fromHour, toHour)` of the listed weekdays (0 = Sunday ... 6 = Saturday),
 * in the plan's local time (`utcOffsetMinutes`). A band may be listed with several entries in
 * {@link TariffPlan.bands} under one name (e.g. `peak` on weekdays 8-12 and 13-19).
 */
export interface TimeBand {
  readonly name: string;
  readonly weekdays: readonly number[];
  /** First hour of the band, 0..23. */
  readonly fromHour: number;
  /** First hour after the band, 1..24. */
  readonly toHour: number;
}

/**
 * A price: `price` minor units (cents) per `per` usage units (seconds, kilobytes or events), applied to
 * the charged units after increments. `price: 8, per: 60` is 8 cents a minute.
 */
export interface TariffRate {
  /** A name for reports and errors (`voice-national-peak`). */
  readonly id: string;
  readonly service: string;
  /** @defaultValue 'out' */
  readonly direction?: 'out' | 'in';
  /** Destination zones the rate applies to. */
  readonly zones: readonly string[];
  /** Band names the rate applies to; absent = every band. A rate naming a band wins over one without. */
  readonly bands?: readonly string[];
  /** Minor units per `per` units, a non-negative integer. */
  readonly price: number;
  /** Usage units the price is for, a positive integer. @defaultValue 1 */
  readonly per?: number;
  /**
   * Billing increments `first/next` in the service's units: the first `first` units are charged as a
   * block, then every started `next` units (`60/60` per started minute, `60/1` first minute then per
   * second, `30/6`). For data this is the per-session rounding (`100/100`: up to the next 100 KB).
   * @defaultValue '1/1'
   */
  readonly increment?: string;
  /** Minor units added to every call that has a charged part. @defaultValue 0 */
  readonly connectionFee?: number;
  /** The least a call with a charged part costs (connection fee included), minor units. @defaultValue 0 */
  readonly minimumCharge?: number;
}

/**
 * Units included per bill cycle, drawn down in time order by the calls they cover. `amount` is in
 * the service's units: seconds for voice (`600 * 60` = 600 minutes), kilobytes for data, messages.
 */
export interface TariffAllowance {
  readonly id: string;
  readonly service: string;
  /** @defaultValue 'out' */
  readonly direction?: 'out' | 'in';
  /** The zone group the allowance covers. */
  readonly zones: readonly string[];
  readonly amount: number;
}

/** An extra price on usage in roaming zones, charged on every billable unit (allowances do not cover it). */
export interface RoamingSurcharge {
  readonly service: string;
  /** @defaultValue 'out' */
  readonly direction?: 'out' | 'in';
  readonly price: number;
  /** @defaultValue 1 */
  readonly per?: number;
}

/**
 * How amounts with fractions of a minor unit are rounded, and where: on each call's charge
 * (`call`), or once on each invoice line's exact sum (`line`).
 */
export interface RoundingRule {
  /** @defaultValue 'half-up' */
  readonly mode?: 'up' | 'down' | 'half-up';
  /** @defaultValue 'call' */
  readonly scope?: 'call' | 'line';
}

/**
 * A tariff plan as plain JSON data. Money is integer minor units (cents) throughout; a rate's
 * fractional-cent amounts are kept exact until the {@link RoundingRule} rounds them.
 */
export interface TariffPlan {
  readonly kind: 'tariff-plan';
  readonly version: 1;
  readonly planId: string;
  readonly name?: string;
  /** ISO-4217 code, for display only. @defaultValue 'EUR' */
  readonly currency?: string;
  /** Monthly fee, minor units. @defaultValue 0 */
  readonly monthlyFee?: number;
  readonly services: readonly TariffService[];
  /** Every destination zone a CDR may name. */
  readonly zones: readonly string[];
  /** Time bands; together they must not overlap. Absent or empty: one band `all` covering the week. */
  readonly bands?: readonly TimeBand[];
  /** Dates (`YYYY-MM-DD`, local) rated in `holidayBand` all day. @defaultValue [] */
  readonly holidays?: readonly string[];
  /** The band of a holiday; required when `holidays` is not empty. */
  readonly holidayBand?: string;
  /** Offset of the plan's local time (bands, holidays, cycles) from UTC, minutes. @defaultValue 0 */
  readonly utcOffsetMinutes?: number;
  readonly rates: readonly TariffRate[];
  /** @defaultValue [] */
  readonly allowances?: readonly TariffAllowance[];
  /** Zones that are roaming, for {@link TariffPlan.roamingSurcharges}. @defaultValue ['roaming'] */
  readonly roamingZones?: readonly string[];
  /** @defaultValue [] */
  readonly roamingSurcharges?: readonly RoamingSurcharge[];
  /** Tax added to the invoice subtotal, in basis points (2000 = 20%). @defaultValue 0 */
  readonly taxRateBasisPoints?: number;
  /** @defaultValue `{ mode: 'half-up', scope: 'call' }` */
  readonly rounding?: RoundingRule;
}
