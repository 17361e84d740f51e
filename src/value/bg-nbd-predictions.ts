import { DataError, OptionError, TelcoAnalyticsError } from '../data/errors.js';
import type { BgNbdModel } from './fit-bg-nbd.js';
import { hypergeometric2F1 } from './special-functions.js';

/**
 * A customer's history in the model's time unit, as the predictions take it.
 *
 * @example
 * const customer: CustomerHistory = { frequency: 26, recency: 30.86, T: 31 };
 */
export interface CustomerHistory {
  /** Repeat purchases (an integer >= 0). */
  readonly frequency: number;
  /** Age at the last purchase (0 without repeat purchases). */
  readonly recency: number;
  /** Age at the end of observation. */
  readonly T: number;
}

/** @internal */
export function checkModel(model: BgNbdModel, context: string): void {
  if (typeof model !== 'object' || model === null || model.kind !== 'bgNbd' || model.version !== 1) {
    throw new TelcoAnalyticsError(
      'INVALID_MODEL',
      `${context}: expected a BG/NBD model (kind 'bgNbd', version 1)`,
    );
  }
  if (model.unit !== 'day' && model.unit !== 'week') {
    throw new TelcoAnalyticsError(
      'INVALID_MODEL',
      `${context}: unit must be 'day' or 'week', received ${JSON.stringify(model.unit)}`,
    );
  }
  const { r, alpha, a, b } = model.parameters ?? {};
  for (const [name, value] of Object.entries({ r, alpha, a, b })) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new TelcoAnalyticsError(
        'INVALID_MODEL',
        `${context}: parameter ${name} must be a positive number, received ${value}`,
      );
    }
  }
}

/** @internal */
export function checkCustomer(customer: CustomerHistory, context: string, row = 1): void {
  const { frequency, recency, T } = customer;
  const issue = (column: string, reason: string): never => {
    throw new DataError(context, [{ row, column, reason }]);
  };
  if (!Number.isInteger(frequency) || frequency < 0)
    issue('frequency', `must be a non-negative integer, received ${frequency}`);
  if (!Number.isFinite(recency) || recency < 0)
    issue('recency', `must be a finite non-negative number, received ${recency}`);
  if (!Number.isFinite(T) || T < 0) issue('T', `must be a finite non-negative number, received ${T}`);
  if (recency > T) issue('recency', `greater than T (${recency} > ${T})`);
  if (frequency === 0 && recency !== 0)
    issue('recency', `must be 0 for a customer without repeat purchases (frequency 0), received ${recency}`);
}

function checkHorizon(t: number, context: string): void {
  if (!Number.isFinite(t) || t < 0)
    throw new OptionError(context, 't', `must be a finite non-negative number, received ${t}`);
}

/** log of a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x): the odds of having dropped out. */
function logDropoutOdds(model: BgNbdModel, customer: CustomerHistory): number {
  const { r, alpha, a, b } = model.parameters;
  const { frequency: x, recency, T } = customer;
  if (x === 0) return Number.NEGATIVE_INFINITY;
  return Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + recency));
}

// (a + b + x - 1) / (a - 1) * [1 - z^(r+x) 2F1(...)] is 0/0 at a = 1: evaluate on both sides.
function nearOne(a: number, evaluate: (a: number) => number): number {
  if (Math.abs(a - 1) > 1e-7) return evaluate(a);
  return 0.5 * (evaluate(1 - 1e-6) + evaluate(1 + 1e-6));
}

/**
 * Expected number of repeat purchases of a new customer in a period of length `t` (model time
 * units) after the first purchase: E[X(t)] = (a+b-1)/(a-1) * [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))]
 * (Fader, Hardie & Lee 2005, eq. 7).
 *
 * @throws {@link OptionError} for a negative or non-finite `t`; `INVALID_MODEL` for a malformed model;
 * `UNSUPPORTED` when a + b = 1 exactly (the hypergeometric has a pole there).
 *
 * @example
 * const model = { kind: 'bgNbd', version: 1, unit: 'week', parameters: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
 * expectedPurchases(model, 39); // => 1.197 repeat purchases in the first 39 weeks
 */
export function expectedPurchases(model: BgNbdModel, t: number): number {
  const context = 'expectedPurchases';
  checkModel(model, context);
  checkHorizon(t, context);
  if (t === 0) return 0;
  const { r, alpha, b } = model.parameters;
  return nearOne(model.parameters.a, (a) => {
    const z = t / (alpha + t);
    const hyper = hypergeometric2F1(r, b, a + b - 1, z);
    return ((a + b - 1) / (a - 1)) * (1 - Math.exp(r * Math.log(alpha / (alpha + t))) * hyper);
  });
}

/**
 * Probability that a customer with this history is still active ("alive") at the end of
 * observation: 1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)) (Fader, Hardie & Lee
 * 2005, eq. 11; the log form never overflows). Exactly 1 without repeat purchases — under BG/NBD a
 * customer can only drop out right after a purchase.
 *
 * @throws {@link DataError} naming the field for an impossible history; `INVALID_MODEL` for a malformed model.
 *
 * @example
 * probabilityAlive(model, { frequency: 0, recency: 0, T: 38.86 }); // => 1
 * probabilityAlive(model, { frequency: 2, recency: 30.43, T: 38.86 }); // => 0.7266 (published CDNOW parameters)
 */
export function probabilityAlive(model: BgNbdModel, customer: CustomerHistory): number {
  const context = 'probabilityAlive';
  checkModel(model, context);
  checkCustomer(customer, context);
  return aliveProbability(model, customer);
}

/** @internal P(alive) without the checks, for per-customer loops. */
export function aliveProbability(model: BgNbdModel, customer: CustomerHistory): number {
  const logOdds = logDropoutOdds(model, customer);
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}

/** @internal The conditional expectation without the checks, for per-customer loops. */
export function conditionalExpectation(model: BgNbdModel, t: number, customer: CustomerHistory): number {
  if (t === 0) return 0;
  const { r, alpha, b } = model.parameters;
  const { frequency: x, T } = customer;
  const alive = aliveProbability(model, customer);
  return nearOne(model.parameters.a, (a) => {
    const z = t / (alpha + T + t);
    const hyper = hypergeometric2F1(r + x, b + x, a + b + x - 1, z);
    const discount = Math.exp((r + x) * Math.log((alpha + T) / (alpha + T + t)));
    return ((a + b + x - 1) / (a - 1)) * (1 - discount * hyper) * alive;
  });
}

/**
 * Expected number of purchases in the next `t` time units of a customer with this history
 * (Fader, Hardie & Lee 2005, eq. 10): E[Y(t) | x, t_x, T] =
 * (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))] * P(alive).
 * The same figure as lifetimes' `conditional_expected_number_of_purchases_up_to_time`.
 *
 * @throws {@link DataError} naming the field for an impossible history; {@link OptionError} for a
 * bad `t`; `INVALID_MODEL` for a malformed model.
 *
 * @example
 * conditionalExpectedPurchases(model, 1, { frequency: 26, recency: 30.86, T: 31 }); // => 0.7106 (CDNOW, lifetimes prints 0.710623)
 */
export function conditionalExpectedPurchases(
  model: BgNbdModel,
  t: number,
  customer: CustomerHistory,
): number {
  const context = 'conditionalExpectedPurchases';
  checkModel(model, context);
  checkHorizon(t, context);
  checkCustomer(customer, context);
  return conditionalExpectation(model, t, customer);
}
