import { DataError, type DataIssue } from '../data/errors.js';
import type { TariffPlan } from './tariff-plan.js';

const incrementPattern = /^(\d+)\/(\d+)$/;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Most bands (distinct names) or allowances of a plan: their indices are stored as Int16 (-1 = none). */
export const maxIndexedEntries = 32_767;

/** `first/next` increments, or `undefined` when the text is not two positive integers. */
export function parseIncrement(text: string): { first: number; next: number } | undefined {
  const match = incrementPattern.exec(text.trim());
  if (match === null) return undefined;
  const first = Number(match[1]);
  const next = Number(match[2]);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(next) || first <= 0 || next <= 0)
    return undefined;
  return { first, next };
}

/** Local epoch day of a `YYYY-MM-DD` date, or `undefined` when it is not a calendar date. */
export function parseLocalDay(text: string): number | undefined {
  const match = datePattern.exec(text);
  if (match === null) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (new Date(ms).getUTCDate() !== Number(match[3])) return undefined;
  return ms / 86_400_000;
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

/**
 * Every problem of a plan, in the order found: `row` is the 1-based position of the rate, band,
 * allowance or surcharge at fault (1 for plan-level fields) and `column` its path in the plan.
 */
export function tariffIssues(plan: TariffPlan): DataIssue[] {
  const issues: DataIssue[] = [];
  const add = (row: number, column: string, reason: string): void => {
    issues.push({ row, column, reason });
  };
  if (plan === null || typeof plan !== 'object') {
    add(1, 'plan', `must be an object, received ${describe(plan)}`);
    return issues;
  }
  if (plan.kind !== 'tariff-plan') add(1, 'kind', `must be 'tariff-plan', received ${describe(plan.kind)}`);
  if (plan.version !== 1) add(1, 'version', `must be 1, received ${describe(plan.version)}`);
  if (typeof plan.planId !== 'string' || plan.planId.length === 0)
    add(1, 'planId', 'must be a non-empty string');
  for (const field of ['monthlyFee', 'taxRateBasisPoints'] as const) {
    const value = plan[field];
    if (value !== undefined && !isNonNegativeInteger(value)) {
      add(
        1,
        field,
        `must be a non-negative integer (minor units / basis points), received ${describe(value)}`,
      );
    }
  }
  if (
    plan.utcOffsetMinutes !== undefined &&
    (!Number.isInteger(plan.utcOffsetMinutes) || Math.abs(plan.utcOffsetMinutes) > 14 * 60)
  ) {
    add(
      1,
      'utcOffsetMinutes',
      `must be an integer in -840..840, received ${describe(plan.utcOffsetMinutes)}`,
    );
  }
  const rounding = plan.rounding;
  if (rounding !== undefined) {
    if (rounding.mode !== undefined && !['up', 'down', 'half-up'].includes(rounding.mode)) {
      add(1, 'rounding.mode', `must be 'up', 'down' or 'half-up', received ${describe(rounding.mode)}`);
    }
    if (rounding.scope !== undefined && !['call', 'line'].includes(rounding.scope)) {
      add(1, 'rounding.scope', `must be 'call' or 'line', received ${describe(rounding.scope)}`);
    }
  }

  const services = new Map<string, string>();
  if (!Array.isArray(plan.services) || plan.services.length === 0)
    add(1, 'services', 'must list at least one service');
  else {
    plan.services.forEach((service, index) => {
      if (typeof service.name !== 'string' || service.name.length === 0)
        add(index + 1, `services[${index}].name`, 'must be a non-empty string');
      else if (services.has(service.name))
        add(index + 1, `services[${index}].name`, `service '${service.name}' is listed twice`);
      if (!['duration', 'volume', 'event'].includes(service.measure)) {
        add(
          index + 1,
          `services[${index}].measure`,
          `must be 'duration', 'volume' or 'event', received ${describe(service.measure)}`,
        );
      }
      services.set(service.name, service.measure);
    });
  }
  const zones = new Set<string>();
  if (!Array.isArray(plan.zones) || plan.zones.length === 0) add(1, 'zones', 'must list at least one zone');
  else {
    plan.zones.forEach((zone, index) => {
      if (typeof zone !== 'string' || zone.length === 0)
        add(index + 1, `zones[${index}]`, 'must be a non-empty string');
      else if (zones.has(zone)) add(index + 1, `zones[${index}]`, `zone '${zone}' is listed twice`);
      zones.add(zone);
    });
  }

  // Bands: each (weekday, hour) may belong to one band only.
  const bandNames = new Set<string>();
  const owner = new Map<number, { index: number; name: string }>();
  const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  (plan.bands ?? []).forEach((band, index) => {
    const where = `bands[${index}]`;
    const label = `band '${band.name}'`;
    if (typeof band.name !== 'string' || band.name.length === 0)
      add(index + 1, `${where}.name`, 'must be a non-empty string');
    bandNames.add(band.name);
    const hoursValid =
      Number.isInteger(band.fromHour) &&
      Number.isInteger(band.toHour) &&
      band.fromHour >= 0 &&
      band.toHour <= 24 &&
      band.fromHour < band.toHour;
    if (!hoursValid) {
      add(
        index + 1,
        `${where}.fromHour`,
        `${label}: hours must satisfy 0 <= fromHour < toHour <= 24, received ${band.fromHour}..${band.toHour}`,
      );
    }
    if (
      !Array.isArray(band.weekdays) ||
      band.weekdays.length === 0 ||
      band.weekdays.some((day) => !Number.isInteger(day) || day < 0 || day > 6)
    ) {
      add(
        index + 1,
        `${where}.weekdays`,
        `${label}: must list weekdays 0 (Sunday) .. 6 (Saturday), received ${describe(band.weekdays)}`,
      );
      return;
    }
    if (!hoursValid) return;
    for (const day of band.weekdays) {
      for (let hour = band.fromHour; hour < band.toHour; hour++) {
        const previous = owner.get(day * 24 + hour);
        if (previous !== undefined && previous.index !== index) {
          add(
            index + 1,
            `${where}.fromHour`,
            `${label} overlaps band '${previous.name}' (bands[${previous.index}]) on ${weekdayNames[day]} at ${hour}:00`,
          );
          return;
        }
        owner.set(day * 24 + hour, { index, name: band.name });
      }
    }
  });
  const knownBand = (name: string): boolean => (bandNames.size === 0 ? name === 'all' : bandNames.has(name));
  (plan.holidays ?? []).forEach((date, index) => {
    if (typeof date !== 'string' || parseLocalDay(date) === undefined) {
      add(index + 1, `holidays[${index}]`, `must be a date YYYY-MM-DD, received ${describe(date)}`);
    }
  });
  if ((plan.holidays ?? []).length > 0 && (plan.holidayBand === undefined || !knownBand(plan.holidayBand))) {
    add(
      1,
      'holidayBand',
      `must name a band when holidays are listed, received ${describe(plan.holidayBand)}`,
    );
  }

  const checkService = (row: number, where: string, service: string, label: string): void => {
    if (!services.has(service))
      add(
        row,
        `${where}.service`,
        `${label}: unknown service ${describe(service)} (the plan's services: ${[...services.keys()].join(', ')})`,
      );
  };
  const checkDirection = (row: number, where: string, direction: unknown, label: string): void => {
    if (direction !== undefined && direction !== 'out' && direction !== 'in') {
      add(row, `${where}.direction`, `${label}: must be 'out' or 'in', received ${describe(direction)}`);
    }
  };
  const checkZones = (row: number, where: string, list: unknown, label: string): void => {
    if (!Array.isArray(list) || list.length === 0) {
      add(row, `${where}.zones`, `${label}: must list at least one zone`);
      return;
    }
    for (const zone of list)
      if (!zones.has(zone as string)) add(row, `${where}.zones`, `${label}: unknown zone ${describe(zone)}`);
  };
  const checkPrice = (row: number, where: string, price: unknown, per: unknown, label: string): void => {
    if (!isNonNegativeInteger(price))
      add(
        row,
        `${where}.price`,
        `${label}: price must be a non-negative integer (minor units), received ${describe(price)}`,
      );
    if (per !== undefined && !(isNonNegativeInteger(per) && per > 0))
      add(row, `${where}.per`, `${label}: per must be a positive integer, received ${describe(per)}`);
  };

  // Two rates for the same service, direction, zone and band would make rating ambiguous.
  const rateKeys = new Map<string, string>();
  if (!Array.isArray(plan.rates)) add(1, 'rates', 'must be a list of rates');
  (Array.isArray(plan.rates) ? plan.rates : []).forEach((rate, index) => {
    const where = `rates[${index}]`;
    const label = `rate '${rate.id}'`;
    if (typeof rate.id !== 'string' || rate.id.length === 0)
      add(index + 1, `${where}.id`, 'must be a non-empty string');
    checkService(index + 1, where, rate.service, label);
    checkDirection(index + 1, where, rate.direction, label);
    checkZones(index + 1, where, rate.zones, label);
    checkPrice(index + 1, where, rate.price, rate.per, label);
    if (rate.bands !== undefined) {
      if (!Array.isArray(rate.bands) || rate.bands.length === 0)
        add(index + 1, `${where}.bands`, `${label}: must list at least one band, or be left out`);
      else
        for (const band of rate.bands)
          if (!knownBand(band)) add(index + 1, `${where}.bands`, `${label}: unknown band ${describe(band)}`);
    }
    if (
      rate.increment !== undefined &&
      (typeof rate.increment !== 'string' || parseIncrement(rate.increment) === undefined)
    ) {
      add(
        index + 1,
        `${where}.increment`,
        `${label}: must be 'first/next' with two positive integers (e.g. '60/60'), received ${describe(rate.increment)}`,
      );
    }
    for (const field of ['connectionFee', 'minimumCharge'] as const) {
      const value = rate[field];
      if (value !== undefined && !isNonNegativeInteger(value))
        add(
          index + 1,
          `${where}.${field}`,
          `${label}: must be a non-negative integer (minor units), received ${describe(value)}`,
        );
    }
    for (const zone of Array.isArray(rate.zones) ? rate.zones : []) {
      for (const band of rate.bands ?? ['*']) {
        const key = `${rate.service}|${rate.direction ?? 'out'}|${zone}|${band}`;
        const previous = rateKeys.get(key);
        if (previous !== undefined)
          add(
            index + 1,
            `${where}.zones`,
            `${label} overlaps rate '${previous}' on ${rate.service}/${rate.direction ?? 'out'}/${zone}/${band}`,
          );
        else rateKeys.set(key, rate.id);
      }
    }
  });

  const allowanceKeys = new Map<string, string>();
  (plan.allowances ?? []).forEach((allowance, index) => {
    const where = `allowances[${index}]`;
    const label = `allowance '${allowance.id}'`;
    if (typeof allowance.id !== 'string' || allowance.id.length === 0)
      add(index + 1, `${where}.id`, 'must be a non-empty string');
    checkService(index + 1, where, allowance.service, label);
    checkDirection(index + 1, where, allowance.direction, label);
    checkZones(index + 1, where, allowance.zones, label);
    if (!isNonNegativeInteger(allowance.amount))
      add(
        index + 1,
        `${where}.amount`,
        `${label}: amount must be a non-negative integer, received ${describe(allowance.amount)}`,
      );
    for (const zone of Array.isArray(allowance.zones) ? allowance.zones : []) {
      const key = `${allowance.service}|${allowance.direction ?? 'out'}|${zone}`;
      const previous = allowanceKeys.get(key);
      if (previous !== undefined)
        add(
          index + 1,
          `${where}.zones`,
          `${label} overlaps allowance '${previous}' on ${key.replaceAll('|', '/')}`,
        );
      else allowanceKeys.set(key, allowance.id);
    }
  });
  // Rated calls store band and allowance indices in 16-bit columns (-1 = none). Bands cannot reach the
  // limit while they must not overlap (168 hours a week), but the check keeps the engine's bound explicit.
  if (bandNames.size > maxIndexedEntries)
    add(
      1,
      'bands',
      `at most ${maxIndexedEntries} band names fit the rating engine's 16-bit band index, received ${bandNames.size}`,
    );
  if ((plan.allowances ?? []).length > maxIndexedEntries)
    add(
      1,
      'allowances',
      `at most ${maxIndexedEntries} allowances fit the rating engine's 16-bit allowance index, received ${(plan.allowances ?? []).length}`,
    );
  (plan.roamingZones ?? []).forEach((zone, index) => {
    if (!zones.has(zone)) add(index + 1, `roamingZones[${index}]`, `unknown zone ${describe(zone)}`);
  });
  (plan.roamingSurcharges ?? []).forEach((surcharge, index) => {
    const where = `roamingSurcharges[${index}]`;
    const label = `roaming surcharge on '${surcharge.service}'`;
    checkService(index + 1, where, surcharge.service, label);
    checkDirection(index + 1, where, surcharge.direction, label);
    checkPrice(index + 1, where, surcharge.price, surcharge.per, label);
  });
  return issues;
}

/**
 * Checks a tariff plan and returns it unchanged, or throws a {@link DataError} listing every problem:
 * each issue names the rate, band or allowance (its 1-based position as `row`, its path such as
 * `rates[3].price` as `column`) and what is wrong. Overlapping time bands, two rates for the same
 * service/direction/zone/band, negative prices, `0` increments and unknown zones, bands or services
 * are all errors.
 *
 * @example
 * validateTariff({ ...plan, rates: [{ id: 'voice', service: 'voice', zones: ['local'], price: -5 }] });
 * // throws DataError: "validateTariff (plan 'basic'): row 1, column 'rates[0].price': rate 'voice': price must be a non-negative integer (minor units), received -5"
 */
export function validateTariff(plan: TariffPlan): TariffPlan {
  const issues = tariffIssues(plan);
  if (issues.length > 0) {
    const id =
      plan !== null && typeof plan === 'object' && typeof plan.planId === 'string'
        ? ` (plan '${plan.planId}')`
        : '';
    throw new DataError(`validateTariff${id}`, issues);
  }
  return plan;
}
