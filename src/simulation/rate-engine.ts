import { DataError, type DataIssue, OptionError } from '../data/errors.js';
import {
  applyIncrement,
  type CompiledTariff,
  measureDuration,
  measureVolume,
  roundExact,
} from './compile-tariff.js';
import type { EncodedCalls } from './encode-calls.js';
import { maxIndexedEntries } from './validate-tariff.js';

const millisecondsPerDay = 86_400_000;
const millisecondsPerHour = 3_600_000;
// Local time may be up to 14 h either side of UTC.
const offsetMargin = 14 * millisecondsPerHour;
/** Day type of a holiday in the per-day tables (0..6 are weekdays). */
const holidayType = 7;
/** Units of one call fit the engine's 32-bit unsigned columns. */
const maxUnits = 2 ** 32 - 2 ** 20;

/** Per-call results of the engine, in input order (internal). */
export interface EngineOutput {
  readonly units: Uint32Array;
  readonly chargedUnits: Uint32Array;
  readonly allowanceUnits: Uint32Array;
  readonly allowance: Int16Array;
  readonly charge: Float64Array;
  readonly exactCharge: Float64Array;
  readonly rate: Int32Array;
  readonly band: Int16Array;
  /** Bill cycle as months since year 0 of its first day (year * 12 + month0), -1 when not rated. */
  readonly cycle: Int32Array;
  /** Plan index per call (-1 = not rated); empty when a single plan was given. */
  readonly plan: Int16Array;
}

export interface EngineOptions {
  readonly cycleStartDay: number;
  readonly split: boolean;
  readonly context: string;
}

function compareTies(calls: EncodedCalls, a: number, b: number): number {
  return (
    calls.start[a]! - calls.start[b]! ||
    calls.service[a]! - calls.service[b]! ||
    calls.direction[a]! - calls.direction[b]! ||
    calls.zone[a]! - calls.zone[b]! ||
    (Number.isNaN(calls.durationSec[a]!) ? -1 : calls.durationSec[a]!) -
      (Number.isNaN(calls.durationSec[b]!) ? -1 : calls.durationSec[b]!) ||
    (Number.isNaN(calls.volumeMb[a]!) ? -1 : calls.volumeMb[a]!) -
      (Number.isNaN(calls.volumeMb[b]!) ? -1 : calls.volumeMb[b]!)
  );
}

/**
 * Processing order: grouped by subscriber, in time order within each, ties broken by the call's
 * content so that the result never depends on the input order. `undefined` when the input is
 * already in that order (the generator's output is), which saves the sort.
 */
export function timeOrder(calls: EncodedCalls): Int32Array | undefined {
  const { count, subscriber, start } = calls;
  const seen = new Uint8Array(calls.subscriberIds.length);
  let sorted = true;
  let previous = -1;
  for (let i = 0; i < count; i++) {
    const s = subscriber[i]!;
    if (s !== previous) {
      if (seen[s] === 1) {
        sorted = false;
        break;
      }
      seen[s] = 1;
      previous = s;
    } else if (start[i]! < start[i - 1]! || (start[i] === start[i - 1] && compareTies(calls, i - 1, i) > 0)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return undefined;
  // Counting sort by subscriber, then a comparison sort inside each subscriber's run only if needed.
  const offsets = new Int32Array(calls.subscriberIds.length + 1);
  for (let i = 0; i < count; i++) offsets[subscriber[i]! + 1]! += 1;
  for (let s = 0; s < calls.subscriberIds.length; s++) offsets[s + 1]! += offsets[s]!;
  const cursor = offsets.slice(0, -1);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[cursor[subscriber[i]!]!++] = i;
  for (let s = 0; s < calls.subscriberIds.length; s++) {
    const run = order.subarray(offsets[s]!, offsets[s + 1]!);
    let inOrder = true;
    for (let k = 1; k < run.length; k++) {
      if (compareTies(calls, run[k - 1]!, run[k]!) > 0) {
        inOrder = false;
        break;
      }
    }
    if (!inOrder) run.sort((a, b) => compareTies(calls, a, b) || a - b);
  }
  return order;
}

interface DayTables {
  readonly cycle: Int32Array;
  readonly dayType: Uint8Array;
}

function dayTables(plan: CompiledTariff, firstDay: number, days: number, cycleStartDay: number): DayTables {
  const cycle = new Int32Array(days);
  const dayType = new Uint8Array(days);
  for (let d = 0; d < days; d++) {
    const date = new Date((firstDay + d) * millisecondsPerDay);
    const month = date.getUTCFullYear() * 12 + date.getUTCMonth();
    cycle[d] = date.getUTCDate() >= cycleStartDay ? month : month - 1;
    dayType[d] = plan.holidayDays.has(firstDay + d) ? holidayType : date.getUTCDay();
  }
  return { cycle, dayType };
}

function translation(names: readonly string[], known: readonly string[]): Int32Array {
  const index = new Map(known.map((name, position) => [name, position]));
  return new Int32Array(names.map((name) => index.get(name) ?? -1));
}

/**
 * Rates encoded calls under one plan per subscriber (`planOfSubscriber[s]`, -1 = leave unrated).
 * See `rateCalls` for the rules; this is the shared hot loop.
 */
export function rateEncoded(
  calls: EncodedCalls,
  plans: readonly CompiledTariff[],
  planOfSubscriber: Int32Array,
  options: EngineOptions,
): EngineOutput {
  const { count, subscriber, start, service, direction, zone, durationSec, volumeMb } = calls;
  const { cycleStartDay, split, context } = options;
  // Outputs are written once per call in the loop (no fill pass): fresh memory is slow to touch.
  const units = new Uint32Array(count);
  const chargedUnits = new Uint32Array(count);
  const allowanceUnits = new Uint32Array(count);
  const allowanceOut = new Int16Array(count);
  const charge = new Float64Array(count);
  const exactCharge = new Float64Array(count);
  const rateOut = new Int32Array(count);
  const bandOut = new Int16Array(count);
  const cycleOut = new Int32Array(count);
  // Plan, band and allowance indices are stored in 16-bit columns; validateTariff bounds bands and
  // allowances, but promotions add allowances and the caller chooses how many plans.
  if (plans.length > maxIndexedEntries)
    throw new OptionError(
      context,
      'plans',
      `at most ${maxIndexedEntries} plans (with promotion variants), received ${plans.length}`,
    );
  for (const plan of plans) {
    if (plan.allowanceAmount.length > maxIndexedEntries)
      throw new OptionError(
        context,
        'plans',
        `plan '${plan.plan.planId}' has ${plan.allowanceAmount.length} allowances with promotions; at most ${maxIndexedEntries} fit`,
      );
  }
  const multiplePlans = plans.length > 1;
  const planOut = new Int16Array(multiplePlans ? count : 0);
  const output: EngineOutput = {
    units,
    chargedUnits,
    allowanceUnits,
    allowance: allowanceOut,
    charge,
    exactCharge,
    rate: rateOut,
    band: bandOut,
    cycle: cycleOut,
    plan: planOut,
  };
  if (count === 0) return output;

  let minStart = Number.POSITIVE_INFINITY;
  let maxEnd = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const t = start[i]!;
    if (t < minStart) minStart = t;
    const end = t + (durationSec[i]! > 0 ? durationSec[i]! * 1000 : 0);
    if (end > maxEnd) maxEnd = end;
  }
  const firstDay = Math.floor((minStart - offsetMargin) / millisecondsPerDay) - 1;
  const days = Math.floor((maxEnd + offsetMargin) / millisecondsPerDay) - firstDay + 2;
  const tables = plans.map((plan) => dayTables(plan, firstDay, days, cycleStartDay));
  const serviceMaps = plans.map((plan) => translation(calls.serviceNames, plan.serviceNames));
  const zoneMaps = plans.map((plan) => translation(calls.zoneNames, plan.zoneNames));
  const maxAllowances = Math.max(1, ...plans.map((plan) => plan.allowanceAmount.length));
  const remaining = new Float64Array(maxAllowances);

  const issues: DataIssue[] = [];
  const fail = (i: number, column: string, reason: string): void => {
    if (issues.length < 50) issues.push({ row: i + 1, column, reason });
  };
  const order = timeOrder(calls);

  // The current plan's tables live in locals, reloaded when the plan changes (once per subscriber
  // at most), so the per-call path reads typed arrays only.
  let planIndex = -2;
  let plan = plans[0]!;
  let cycleOfDay = tables[0]!.cycle;
  let dayTypeOf = tables[0]!.dayType;
  let table = tables[0]!;
  let serviceMap = serviceMaps[0]!;
  let zoneMap = zoneMaps[0]!;
  let weekBand = plan.weekBand;
  let rateTable = plan.rateTable;
  let allowanceTable = plan.allowanceTable;
  let measureOf = plan.measure;
  let firstOf = plan.first;
  let nextOf = plan.next;
  let multiplierOf = plan.multiplier;
  let connectionOf = plan.connection;
  let minimumOf = plan.minimum;
  let surchargeOf = plan.surcharge;
  let roamingZone = plan.roamingZone;
  let offsetMs = plan.offsetMs;
  let zoneCount = plan.zoneCount;
  let bandCount = plan.bandCount;
  let holidayBand = plan.holidayBand;
  let denominator = plan.denominator;
  let roundMode = plan.roundMode;
  let currentSubscriber = -1;
  let currentCycle = -1;
  for (let position = 0; position < count; position++) {
    const i = order === undefined ? position : order[position]!;
    allowanceOut[i] = -1;
    rateOut[i] = -1;
    bandOut[i] = -1;
    cycleOut[i] = -1;
    const s = subscriber[i]!;
    const nextPlan = planOfSubscriber[s]!;
    if (multiplePlans) planOut[i] = -1;
    if (nextPlan < 0) continue;
    if (nextPlan !== planIndex) {
      planIndex = nextPlan;
      plan = plans[planIndex]!;
      table = tables[planIndex]!;
      cycleOfDay = table.cycle;
      dayTypeOf = table.dayType;
      serviceMap = serviceMaps[planIndex]!;
      zoneMap = zoneMaps[planIndex]!;
      weekBand = plan.weekBand;
      rateTable = plan.rateTable;
      allowanceTable = plan.allowanceTable;
      measureOf = plan.measure;
      firstOf = plan.first;
      nextOf = plan.next;
      multiplierOf = plan.multiplier;
      connectionOf = plan.connection;
      minimumOf = plan.minimum;
      surchargeOf = plan.surcharge;
      roamingZone = plan.roamingZone;
      offsetMs = plan.offsetMs;
      zoneCount = plan.zoneCount;
      bandCount = plan.bandCount;
      holidayBand = plan.holidayBand;
      denominator = plan.denominator;
      roundMode = plan.roundMode;
      currentSubscriber = -1;
    }
    const local = start[i]! + offsetMs;
    const day = Math.floor(local / millisecondsPerDay);
    const dayIndex = day - firstDay;
    const cycle = cycleOfDay[dayIndex]!;
    if (s !== currentSubscriber || cycle !== currentCycle) {
      currentSubscriber = s;
      currentCycle = cycle;
      remaining.set(plan.allowanceAmount);
    }
    const dayType = dayTypeOf[dayIndex]!;
    const band =
      dayType === holidayType
        ? holidayBand
        : weekBand[dayType * 24 + Math.floor((local - day * millisecondsPerDay) / millisecondsPerHour)]!;
    const planService = serviceMap[service[i]!]!;
    if (planService < 0) {
      fail(
        i,
        'service',
        `service '${calls.serviceNames[service[i]!]}' is not in plan '${plan.plan.planId}' (services: ${plan.serviceNames.join(', ')})`,
      );
      continue;
    }
    const zoneCode = zone[i]!;
    const planZone = zoneCode < 0 ? -1 : zoneMap[zoneCode]!;
    if (planZone < 0) {
      fail(
        i,
        'destination',
        zoneCode < 0
          ? 'missing: rating needs the destination zone'
          : `unknown zone '${calls.zoneNames[zoneCode]}' for plan '${plan.plan.planId}' (zones: ${plan.zoneNames.join(', ')})`,
      );
      continue;
    }
    if (band < 0) {
      fail(
        i,
        'start',
        `${new Date(start[i]!).toISOString()} falls in no time band of plan '${plan.plan.planId}'`,
      );
      continue;
    }
    const measure = measureOf[planService]!;
    let quantity: number;
    if (measure === measureDuration) {
      const seconds = durationSec[i]!;
      if (Number.isNaN(seconds)) {
        fail(i, 'durationSec', `missing: ${plan.serviceNames[planService]} is rated by duration`);
        continue;
      }
      quantity = Math.ceil(seconds);
    } else if (measure === measureVolume) {
      const megabytes = volumeMb[i]!;
      if (Number.isNaN(megabytes)) {
        fail(i, 'volumeMb', `missing: ${plan.serviceNames[planService]} is rated by volume`);
        continue;
      }
      // Counted up to whole kilobytes; the tolerance absorbs float noise of decimal megabytes (1.234 * 1000).
      quantity = Math.ceil(megabytes * 1000 - 1e-6);
    } else quantity = 1;
    if (quantity > maxUnits) {
      fail(
        i,
        measure === measureVolume ? 'volumeMb' : 'durationSec',
        `${quantity} units is more than one call can hold (${maxUnits})`,
      );
      continue;
    }
    if (multiplePlans) planOut[i] = planIndex;
    cycleOut[i] = cycle;
    bandOut[i] = band;
    units[i] = quantity;
    const key = planService * 2 + direction[i]!;
    const rowBase = (key * zoneCount + planZone) * bandCount;
    const rate = rateTable[rowBase + band]!;
    if (rate < 0) {
      // Incoming usage without a rate is free; outgoing usage without one is a wiring mistake.
      if (direction[i] === 1) continue;
      fail(
        i,
        'destination',
        `no rate of plan '${plan.plan.planId}' for ${plan.serviceNames[planService]}/out/${plan.zoneNames[planZone]} in band '${plan.bandNames[band]}'`,
      );
      continue;
    }
    rateOut[i] = rate;
    const first = firstOf[rate]!;
    const next = nextOf[rate]!;
    const billable =
      quantity <= 0 ? 0 : quantity <= first ? first : first + Math.ceil((quantity - first) / next) * next;
    let used = 0;
    let charged = billable;
    const allowance = allowanceTable[key * zoneCount + planZone]!;
    if (allowance >= 0) {
      allowanceOut[i] = allowance;
      const left = remaining[allowance]!;
      if (left > 0) {
        if (billable <= left) {
          used = billable;
          charged = 0;
        } else {
          // The allowance runs out during the call: the rest is charged as a segment of its own.
          used = left;
          charged = quantity > left ? applyIncrement(quantity - left, first, next) : 0;
        }
        remaining[allowance] = left - used;
      }
    }
    allowanceUnits[i] = used;
    chargedUnits[i] = charged;
    let numerator = 0;
    if (charged > 0) {
      if (split && measure === measureDuration) {
        numerator = splitNumerator(
          plan,
          table,
          firstDay,
          rowBase,
          local + used * 1000,
          quantity - used,
          charged,
        );
        if (Number.isNaN(numerator)) {
          fail(
            i,
            'start',
            `the call runs into a band of plan '${plan.plan.planId}' that has no rate for ${plan.serviceNames[planService]}/${plan.zoneNames[planZone]}`,
          );
          continue;
        }
      } else numerator = charged * multiplierOf[rate]!;
      numerator += connectionOf[rate]!;
      if (numerator < minimumOf[rate]!) numerator = minimumOf[rate]!;
    }
    if (roamingZone[planZone] === 1) numerator += billable * surchargeOf[key]!;
    exactCharge[i] = numerator;
    charge[i] = numerator === 0 ? 0 : roundExact(numerator, denominator, roundMode);
  }
  if (issues.length > 0) throw new DataError(context, issues);
  return output;
}

/**
 * Exact amount of a charged stretch of `seconds` starting at local time `from`, each second priced
 * by the band it falls in; the seconds added by increments are priced at the last band's rate.
 * `NaN` when a band on the way has no rate.
 */
function splitNumerator(
  plan: CompiledTariff,
  table: DayTables,
  firstDay: number,
  rowBase: number,
  from: number,
  seconds: number,
  charged: number,
): number {
  let time = from;
  let left = seconds;
  let total = 0;
  let lastMultiplier = 0;
  while (left > 0) {
    const day = Math.floor(time / millisecondsPerDay);
    const dayType = table.dayType[day - firstDay]!;
    const band =
      dayType === holidayType
        ? plan.holidayBand
        : plan.weekBand[dayType * 24 + Math.floor((time - day * millisecondsPerDay) / millisecondsPerHour)]!;
    const rate = band < 0 ? -1 : plan.rateTable[rowBase + band]!;
    if (rate < 0) return Number.NaN;
    const toBoundary = Math.ceil(
      ((Math.floor(time / millisecondsPerHour) + 1) * millisecondsPerHour - time) / 1000,
    );
    const piece = Math.min(left, Math.max(1, toBoundary));
    lastMultiplier = plan.multiplier[rate]!;
    total += piece * lastMultiplier;
    left -= piece;
    time += piece * 1000;
  }
  return total + (charged - seconds) * lastMultiplier;
}
