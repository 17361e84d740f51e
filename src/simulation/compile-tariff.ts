import type { TariffPlan } from './tariff-plan.js';
import { parseIncrement, parseLocalDay, validateTariff } from './validate-tariff.js';

export const measureDuration = 0;
export const measureVolume = 1;
export const measureEvent = 2;
export const roundUp = 0;
export const roundDown = 1;
export const roundHalfUp = 2;

/**
 * A validated plan turned into lookup tables (internal). Exact amounts are integers over one
 * denominator per plan, the least common multiple of every `per`, so `units * price / per` never
 * leaves the integers: `multiplier = price * denominator / per`.
 */
export interface CompiledTariff {
  readonly plan: TariffPlan;
  readonly denominator: number;
  readonly serviceNames: readonly string[];
  readonly zoneNames: readonly string[];
  readonly bandNames: readonly string[];
  readonly measure: Uint8Array;
  readonly zoneCount: number;
  readonly bandCount: number;
  /** Rate index by ((service * 2 + direction) * zones + zone) * bands + band, -1 = none. */
  readonly rateTable: Int32Array;
  /** Allowance index by (service * 2 + direction) * zones + zone, -1 = none. */
  readonly allowanceTable: Int32Array;
  readonly first: Float64Array;
  readonly next: Float64Array;
  readonly multiplier: Float64Array;
  readonly connection: Float64Array;
  readonly minimum: Float64Array;
  readonly allowanceAmount: Float64Array;
  readonly allowanceIds: readonly string[];
  /** Surcharge multiplier by service * 2 + direction. */
  readonly surcharge: Float64Array;
  readonly roamingZone: Uint8Array;
  /** Band by weekday * 24 + hour, -1 = none. */
  readonly weekBand: Int32Array;
  readonly holidayBand: number;
  readonly holidayDays: ReadonlySet<number>;
  readonly offsetMs: number;
  readonly roundMode: number;
  readonly lineScope: boolean;
  readonly monthlyFee: number;
  readonly taxBasisPoints: number;
}

export function greatestCommonDivisor(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** Validates and compiles a plan (internal). */
export function compileTariff(plan: TariffPlan): CompiledTariff {
  validateTariff(plan);
  const serviceNames = plan.services.map((service) => service.name);
  const zoneNames = [...plan.zones];
  const bands = plan.bands ?? [];
  const bandNames = bands.length === 0 ? ['all'] : [...new Set(bands.map((band) => band.name))];
  const serviceIndex = new Map(serviceNames.map((name, index) => [name, index]));
  const zoneIndex = new Map(zoneNames.map((name, index) => [name, index]));
  const bandIndex = new Map(bandNames.map((name, index) => [name, index]));
  const zoneCount = zoneNames.length;
  const bandCount = bandNames.length;
  const measure = new Uint8Array(
    plan.services.map((service) =>
      service.measure === 'duration'
        ? measureDuration
        : service.measure === 'volume'
          ? measureVolume
          : measureEvent,
    ),
  );

  let denominator = 1;
  for (const item of [...plan.rates, ...(plan.roamingSurcharges ?? [])]) {
    const per = item.per ?? 1;
    denominator = (denominator / greatestCommonDivisor(denominator, per)) * per;
  }
  if (denominator > 1e9)
    throw new RangeError(
      `compileTariff: the 'per' values of plan '${plan.planId}' have a common multiple above 1e9`,
    );

  const rateCount = plan.rates.length;
  const first = new Float64Array(rateCount);
  const next = new Float64Array(rateCount);
  const multiplier = new Float64Array(rateCount);
  const connection = new Float64Array(rateCount);
  const minimum = new Float64Array(rateCount);
  const rateTable = new Int32Array(serviceNames.length * 2 * zoneCount * bandCount).fill(-1);
  // Rates naming bands win over band-less ones: fill band-less first, then overwrite.
  const ordered = plan.rates
    .map((rate, index) => ({ rate, index }))
    .sort((a, b) => Number(a.rate.bands !== undefined) - Number(b.rate.bands !== undefined));
  for (const { rate, index } of ordered) {
    const increment = parseIncrement(rate.increment ?? '1/1')!;
    first[index] = increment.first;
    next[index] = increment.next;
    multiplier[index] = (rate.price * denominator) / (rate.per ?? 1);
    connection[index] = (rate.connectionFee ?? 0) * denominator;
    minimum[index] = (rate.minimumCharge ?? 0) * denominator;
    const key = serviceIndex.get(rate.service)! * 2 + (rate.direction === 'in' ? 1 : 0);
    const rateBands =
      rate.bands === undefined
        ? bandNames.map((_, band) => band)
        : rate.bands.map((name) => bandIndex.get(name)!);
    for (const zone of rate.zones) {
      for (const band of rateBands)
        rateTable[(key * zoneCount + zoneIndex.get(zone)!) * bandCount + band] = index;
    }
  }
  const allowances = plan.allowances ?? [];
  const allowanceTable = new Int32Array(serviceNames.length * 2 * zoneCount).fill(-1);
  const allowanceAmount = new Float64Array(allowances.length);
  allowances.forEach((allowance, index) => {
    allowanceAmount[index] = allowance.amount;
    const key = serviceIndex.get(allowance.service)! * 2 + (allowance.direction === 'in' ? 1 : 0);
    for (const zone of allowance.zones) allowanceTable[key * zoneCount + zoneIndex.get(zone)!] = index;
  });
  const surcharge = new Float64Array(serviceNames.length * 2);
  for (const item of plan.roamingSurcharges ?? []) {
    const key = serviceIndex.get(item.service)! * 2 + (item.direction === 'in' ? 1 : 0);
    surcharge[key] = (item.price * denominator) / (item.per ?? 1);
  }
  const roamingZone = new Uint8Array(zoneCount);
  for (const zone of plan.roamingZones ?? ['roaming']) {
    const index = zoneIndex.get(zone);
    if (index !== undefined) roamingZone[index] = 1;
  }
  const weekBand = new Int32Array(7 * 24).fill(bands.length === 0 ? 0 : -1);
  for (const band of bands) {
    for (const day of band.weekdays)
      for (let hour = band.fromHour; hour < band.toHour; hour++)
        weekBand[day * 24 + hour] = bandIndex.get(band.name)!;
  }
  const mode = plan.rounding?.mode ?? 'half-up';
  return {
    plan,
    denominator,
    serviceNames,
    zoneNames,
    bandNames,
    measure,
    zoneCount,
    bandCount,
    rateTable,
    allowanceTable,
    first,
    next,
    multiplier,
    connection,
    minimum,
    allowanceAmount,
    allowanceIds: allowances.map((allowance) => allowance.id),
    surcharge,
    roamingZone,
    weekBand,
    holidayBand: plan.holidayBand === undefined ? -1 : (bandIndex.get(plan.holidayBand) ?? -1),
    holidayDays: new Set((plan.holidays ?? []).map((date) => parseLocalDay(date)!)),
    offsetMs: (plan.utcOffsetMinutes ?? 0) * 60_000,
    roundMode: mode === 'up' ? roundUp : mode === 'down' ? roundDown : roundHalfUp,
    lineScope: plan.rounding?.scope === 'line',
    monthlyFee: plan.monthlyFee ?? 0,
    taxBasisPoints: plan.taxRateBasisPoints ?? 0,
  };
}

/** `numerator / denominator` rounded to an integer by `mode` (numerator may be negative). */
export function roundExact(numerator: number, denominator: number, mode: number): number {
  let quotient = Math.floor(numerator / denominator);
  let remainder = numerator - quotient * denominator;
  // The float quotient of two exact integers can land one off next to an integer.
  if (remainder < 0) {
    quotient -= 1;
    remainder += denominator;
  } else if (remainder >= denominator) {
    quotient += 1;
    remainder -= denominator;
  }
  if (remainder === 0 || mode === roundDown) return quotient;
  if (mode === roundUp) return quotient + 1;
  return 2 * remainder >= denominator ? quotient + 1 : quotient;
}

/** Usage units after `first/next` increments. */
export function applyIncrement(units: number, first: number, next: number): number {
  if (units <= 0) return 0;
  if (units <= first) return first;
  return first + Math.ceil((units - first) / next) * next;
}
