import { OptionError } from '../data/errors.js';
import { aliveProbability, checkModel, conditionalExpectation } from './bg-nbd-predictions.js';
import { averageValue, checkGammaGamma } from './expected-average-value.js';
import type { BgNbdModel } from './fit-bg-nbd.js';
import type { GammaGammaModel } from './fit-gamma-gamma.js';
import { readSummary, type SummaryInput, type SummaryReadOptions } from './summary-input.js';
import { requireNumber, withDefault } from './value-options.js';

/** The period of a CLV horizon and its discount rate. */
export type ValuePeriod = 'day' | 'week' | 'month' | 'year';

const daysPerPeriod: Readonly<Record<ValuePeriod, number>> = {
  day: 1,
  week: 7,
  month: 365.25 / 12,
  year: 365.25,
};
const daysPerUnit = { day: 1, week: 7 } as const;

/**
 * Options of {@link customerLifetimeValue}.
 *
 * @example
 * const options: CustomerLifetimeValueOptions = { transactions: bgNbd, value: gammaGamma, horizon: 12, discountRate: 0.01, unit: 'month' };
 */
export interface CustomerLifetimeValueOptions extends SummaryReadOptions {
  /** The fitted purchase-count model (from `fitBgNbd`). */
  readonly transactions: BgNbdModel;
  /** The fitted purchase-value model (from `fitGammaGamma`). */
  readonly value: GammaGammaModel;
  /**
   * Number of periods to value.
   * @defaultValue 12
   */
  readonly horizon?: number | undefined;
  /**
   * Discount rate per period (0.01 a month is about 12.7% a year).
   * @defaultValue 0.01
   */
  readonly discountRate?: number | undefined;
  /**
   * The period of `horizon` and `discountRate`; converted to the models' time unit with a
   * 365.25-day year (a month is 30.44 days, 4.348 weeks).
   * @defaultValue 'month'
   */
  readonly period?: ValuePeriod | undefined;
  /**
   * Length of one period in the models' time unit, overriding `period` (e.g. 30 to reproduce
   * lifetimes' `freq='D'` on data in weeks).
   * @defaultValue derived from `period` and the model's unit
   */
  readonly periodLength?: number | undefined;
}

/**
 * One customer's predicted value.
 *
 * @example
 * const row: CustomerValue = { customerId: '1', frequency: 2, recency: 30.43, T: 38.86, monetary: 22.35,
 *   probabilityAlive: 0.73, expectedPurchases: 1.1, expectedAverageValue: 24.66, clv: 26.2 };
 */
export interface CustomerValue {
  readonly customerId: string;
  readonly frequency: number;
  readonly recency: number;
  readonly T: number;
  readonly monetary: number;
  /** P(alive) at the end of observation under the BG/NBD model. */
  readonly probabilityAlive: number;
  /** Expected purchases over the whole horizon (undiscounted). */
  readonly expectedPurchases: number;
  /** Expected value of each future purchase (Gamma-Gamma). */
  readonly expectedAverageValue: number;
  /** Discounted expected value of the purchases in the horizon. */
  readonly clv: number;
}

/**
 * Customer lifetime value over a finite horizon: the BG/NBD expected purchases in each period,
 * times the Gamma-Gamma expected value per purchase, discounted.
 *
 * Exactly, with period length L (in the models' time unit), horizon H, rate d:
 * CLV = E[M | x, m] * sum_{k=1..H} (E[Y(kL) | x, t_x, T] - E[Y((k-1)L) | x, t_x, T]) / (1 + d)^k,
 * i.e. the purchases of period k are valued at its end. This is lifetimes' `customer_lifetime_value`
 * formula; the difference is the period: lifetimes takes `freq` as the unit of the *data* and always
 * counts `time` in 30-`freq` "months" (4.345 weeks for `'W'`), so its documented CDNOW example —
 * weekly data with the default `freq='D'` — values 12 × 30 = 360 weeks. Here the length of a
 * period comes from the model's own unit (recorded by `summarizeTransactions`/`fitBgNbd`) and a
 * 365.25-day year, so `horizon: 12, period: 'month'` is one calendar year whatever the data's unit;
 * `periodLength: 30` reproduces lifetimes' figures on weekly data.
 *
 * @throws {@link DataError} naming the row and column for a bad summary row (as `fitGammaGamma`);
 * {@link OptionError} for a bad option; `INVALID_MODEL` for malformed models.
 *
 * @example
 * const values = customerLifetimeValue(summary, { transactions: bgNbd, value: gammaGamma, horizon: 12 });
 * values[0]; // => { customerId, ..., probabilityAlive, expectedPurchases, expectedAverageValue, clv }
 */
export function customerLifetimeValue(
  summary: SummaryInput,
  options: CustomerLifetimeValueOptions,
): CustomerValue[] {
  const context = 'customerLifetimeValue';
  if (typeof options !== 'object' || options === null) {
    throw new OptionError(context, 'options', 'must name the fitted models: { transactions, value }');
  }
  checkModel(options.transactions, context);
  checkGammaGamma(options.value, context);
  const horizon = withDefault(options.horizon, 12);
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 100_000) {
    throw new OptionError(context, 'horizon', `must be an integer in 1..100000, received ${horizon}`);
  }
  const discountRate = requireNumber(context, 'discountRate', withDefault(options.discountRate, 0.01), 0);
  const period = withDefault(options.period, 'month');
  if (!Object.hasOwn(daysPerPeriod, period)) {
    throw new OptionError(
      context,
      'period',
      `must be 'day', 'week', 'month' or 'year', received ${JSON.stringify(period)}`,
    );
  }
  const unit = options.transactions.unit;
  const periodLength =
    options.periodLength === undefined
      ? daysPerPeriod[period] / daysPerUnit[unit]
      : requireNumber(context, 'periodLength', options.periodLength, 0, true);
  const read = readSummary(summary, context, options, { monetary: true, times: true });
  const model = options.transactions;
  const parameters = options.value.parameters;
  const cache = new Map<string, { clv: number; purchases: number; alive: number }>();
  const rows: CustomerValue[] = [];
  for (let i = 0; i < read.customerIds.length; i++) {
    const customer = { frequency: read.frequency[i]!, recency: read.recency[i]!, T: read.age[i]! };
    const key = `${customer.frequency},${customer.recency},${customer.T}`;
    let purchases = cache.get(key);
    if (purchases === undefined) {
      // Discounted purchase count; the value per purchase multiplies it below.
      let discounted = 0;
      let previous = 0;
      for (let k = 1; k <= horizon; k++) {
        const cumulative = conditionalExpectation(model, k * periodLength, customer);
        discounted += (cumulative - previous) / (1 + discountRate) ** k;
        previous = cumulative;
      }
      const alive = aliveProbability(model, customer);
      purchases = { clv: discounted, purchases: previous, alive };
      cache.set(key, purchases);
    }
    const monetary = read.monetary[i]!;
    const expected = averageValue(parameters, customer.frequency, monetary);
    rows.push({
      customerId: read.customerIds[i]!,
      frequency: customer.frequency,
      recency: customer.recency,
      T: customer.T,
      monetary,
      probabilityAlive: purchases.alive,
      expectedPurchases: purchases.purchases,
      expectedAverageValue: expected,
      clv: expected * purchases.clv,
    });
  }
  return rows;
}
