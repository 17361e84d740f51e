import { OptionError } from '../data/errors.js';
import type { CallRecord } from '../data/records.js';
import { compileTariff } from './compile-tariff.js';
import { type EncodedCalls, encodeCalls } from './encode-calls.js';
import { rateEncoded } from './rate-engine.js';
import type { TariffPlan } from './tariff-plan.js';

/** Options of {@link rateCalls}. */
export interface RateCallsOptions {
  /** Day of the month (1..28, local time) on which each bill cycle starts. @defaultValue 1 */
  readonly cycleStartDay?: number;
  /**
   * A call running from one time band into another is rated at its start band's rate (`start`), or
   * each second at the rate of the band it falls in (`split`, duration services only; the seconds
   * added by increments take the last band's rate, increments, connection fee and minimum charge
   * are the start band's). @defaultValue 'start'
   */
  readonly bandBoundary?: 'start' | 'split';
}

/**
 * Rated calls, column by column, index `i` = the `i`-th input call. Money is minor units; `charge`
 * is rounded by the plan's rounding mode, `exactCharge / chargeDenominator` is the unrounded amount
 * (what invoice lines sum under `rounding.scope: 'line'`). Indexes are `-1` where nothing applies
 * (incoming usage without a rate, usage outside every allowance).
 */
export interface RatedCalls {
  readonly kind: 'rated-calls';
  readonly planId: string;
  readonly count: number;
  readonly rateIds: readonly string[];
  readonly bandNames: readonly string[];
  readonly allowanceIds: readonly string[];
  readonly chargeDenominator: number;
  /** Measured usage: whole seconds, whole kilobytes, or 1 per event. */
  readonly units: Uint32Array;
  /** Units charged after increments (the remainder only, when an allowance covered the start). */
  readonly chargedUnits: Uint32Array;
  /** Units drawn from the allowance. */
  readonly allowanceUnits: Uint32Array;
  readonly allowance: Int16Array;
  readonly charge: Float64Array;
  readonly exactCharge: Float64Array;
  readonly rate: Int32Array;
  readonly band: Int16Array;
  /** First day (`YYYY-MM-DD`, local) of each call's bill cycle, by cycle number, see {@link cycleStartDate}. */
  readonly cycle: Int32Array;
}

/** Resolved rating options (internal). */
export function resolveRateOptions(
  context: string,
  options: RateCallsOptions,
): { cycleStartDay: number; split: boolean } {
  const cycleStartDay = options.cycleStartDay ?? 1;
  if (!Number.isInteger(cycleStartDay) || cycleStartDay < 1 || cycleStartDay > 28) {
    throw new OptionError(context, 'cycleStartDay', `must be an integer in 1..28, received ${cycleStartDay}`);
  }
  const boundary = options.bandBoundary ?? 'start';
  if (boundary !== 'start' && boundary !== 'split') {
    throw new OptionError(
      context,
      'bandBoundary',
      `must be 'start' or 'split', received '${String(boundary)}'`,
    );
  }
  return { cycleStartDay, split: boundary === 'split' };
}

/**
 * The first day (`YYYY-MM-DD`) of a bill cycle number from {@link RatedCalls.cycle}.
 *
 * @example
 * cycleStartDate(2024 * 12 + 4, 15); // => '2024-05-15'
 */
export function cycleStartDate(cycle: number, cycleStartDay = 1): string {
  const year = Math.floor(cycle / 12);
  const month = cycle - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(cycleStartDay).padStart(2, '0')}`;
}

/**
 * Charges each CDR under a tariff plan.
 *
 * Rules, in order, per call:
 * 1. **Band**: by the local weekday and hour of the start (holidays take `holidayBand` all day).
 * 2. **Rate**: the one for the call's service, direction, zone and band (a band-specific rate wins
 *    over a band-less one). Incoming usage without a rate is free; any other call without one is an
 *    error naming its row.
 * 3. **Increments** `first/next` turn the measured units into billable units.
 * 4. **Allowance**: allowances are consumed in time order per subscriber and bill cycle (a cycle
 *    starts on `cycleStartDay` at local midnight; a call belongs to the cycle of its start, so a call
 *    crossing midnight into a new cycle is rated wholly in the old one). A call whose billable units
 *    fit in what is left is free and draws them. A call that exhausts it is split: the free part
 *    draws what is left, the remainder (its measured units beyond that point) is charged with the
 *    increments applied to it afresh. A call whose measured units fit but whose rounded units do not
 *    draws what is left and is free.
 * 5. **Charge** = charged units x price / per (exact), plus the connection fee, raised to the minimum
 *    charge (both only for calls with a charged part), plus roaming surcharges on every billable
 *    unit in a roaming zone; then rounded by the plan's rounding mode.
 *
 * The result does not depend on the order of the input: calls are processed per subscriber in time
 * order, ties broken by the call's content. Input already grouped by subscriber and in time order
 * (as the generator writes it) skips the sort.
 *
 * @example
 * const rated = rateCalls(calls, plan, { cycleStartDay: 1 });
 * rated.charge[0]; // => 16 (a 75 s local call at 8 cents per started minute)
 * rated.rateIds[rated.rate[0]]; // => 'voice-local'
 */
export function rateCalls(
  calls: readonly CallRecord[] | EncodedCalls,
  plan: TariffPlan,
  options: RateCallsOptions = {},
): RatedCalls {
  const resolved = resolveRateOptions('rateCalls', options);
  const compiled = compileTariff(plan);
  const encoded =
    'kind' in calls && calls.kind === 'encoded-calls' ? calls : encodeCalls(calls as readonly CallRecord[]);
  const output = rateEncoded(encoded, [compiled], new Int32Array(encoded.subscriberIds.length), {
    ...resolved,
    context: 'rateCalls',
  });
  return {
    kind: 'rated-calls',
    planId: plan.planId,
    count: encoded.count,
    rateIds: plan.rates.map((rate) => rate.id),
    bandNames: compiled.bandNames,
    allowanceIds: (plan.allowances ?? []).map((allowance) => allowance.id),
    chargeDenominator: compiled.denominator,
    units: output.units,
    chargedUnits: output.chargedUnits,
    allowanceUnits: output.allowanceUnits,
    allowance: output.allowance,
    charge: output.charge,
    exactCharge: output.exactCharge,
    rate: output.rate,
    band: output.band,
    cycle: output.cycle,
  };
}

/** One rated call as a plain object (see {@link ratedCallRows}). */
export interface RatedCallRow {
  /** 1-based position of the call in the input. */
  readonly row: number;
  readonly rate: string | null;
  readonly band: string | null;
  readonly units: number;
  readonly chargedUnits: number;
  readonly allowance: string | null;
  readonly allowanceUnits: number;
  readonly charge: number;
}

/**
 * The rated calls as plain rows (`console.table`-friendly).
 *
 * @example
 * ratedCallRows(rateCalls(calls, plan))[0];
 * // => { row: 1, rate: 'voice-local', band: 'all', units: 75, chargedUnits: 120, allowance: null, allowanceUnits: 0, charge: 16 }
 */
export function ratedCallRows(rated: RatedCalls): RatedCallRow[] {
  const rows: RatedCallRow[] = [];
  for (let i = 0; i < rated.count; i++) {
    const rate = rated.rate[i]!;
    const band = rated.band[i]!;
    const allowance = rated.allowance[i]!;
    rows.push({
      row: i + 1,
      rate: rate < 0 ? null : rated.rateIds[rate]!,
      band: band < 0 ? null : rated.bandNames[band]!,
      units: rated.units[i]!,
      chargedUnits: rated.chargedUnits[i]!,
      allowance: allowance < 0 ? null : rated.allowanceIds[allowance]!,
      allowanceUnits: rated.allowanceUnits[i]!,
      charge: rated.charge[i]!,
    });
  }
  return rows;
}
