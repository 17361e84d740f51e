import { OptionError } from '../data/errors.js';
import type { ShiftedBetaGeometricModel } from './fit-shifted-beta-geometric.js';
import { checkSbg } from './retention-curve.js';
import { hypergeometric2F1 } from './special-functions.js';
import { requireNumber, withDefault } from './value-options.js';

/**
 * Options of {@link discountedExpectedResidualLifetime}.
 *
 * @example
 * const options: ResidualLifetimeOptions = { discountRate: 0.1, renewals: 2 };
 */
export interface ResidualLifetimeOptions {
  /** Discount rate per period (> 0; the sum diverges without discounting when gamma <= 1). */
  readonly discountRate: number;
  /**
   * Renewals the customer has already made (n - 1 in Fader & Hardie's notation).
   * @defaultValue 0
   */
  readonly renewals?: number | undefined;
}

/**
 * Discounted expected residual lifetime (DERL, Fader & Hardie 2010, "Customer-base valuation in a
 * contractual setting", eq. 6) of a customer who has made `renewals` = n - 1 renewals and is about
 * to decide on the n-th: the expected number of future payments, the one at this renewal
 * undiscounted and each later one discounted by a further (1 + d):
 * DERL = sum_{k>=0} S(n+k)/S(n-1) / (1+d)^k = (delta+n-1)/(gamma+delta+n-1) * 2F1(1, delta+n; gamma+delta+n; 1/(1+d)).
 * Multiply by the margin per period for the customer's residual value.
 *
 * @throws {@link OptionError} for `discountRate <= 0` or a non-integer or negative `renewals`; `INVALID_MODEL` for a malformed model.
 *
 * @example
 * const model = { kind: 'shiftedBetaGeometric', version: 1, parameters: { gamma: 0.704, delta: 1.182 } } as ShiftedBetaGeometricModel;
 * discountedExpectedResidualLifetime(model, { discountRate: 0.1, renewals: 0 }); // => 2.965 discounted payments
 */
export function discountedExpectedResidualLifetime(
  model: ShiftedBetaGeometricModel,
  options: ResidualLifetimeOptions,
): number {
  const context = 'discountedExpectedResidualLifetime';
  checkSbg(model, context);
  const discountRate = requireNumber(context, 'discountRate', options.discountRate, 0, true);
  const renewals = withDefault(options.renewals, 0);
  if (!Number.isInteger(renewals) || renewals < 0) {
    throw new OptionError(context, 'renewals', `must be a non-negative integer, received ${renewals}`);
  }
  const { gamma, delta } = model.parameters;
  const n = renewals + 1;
  return (
    ((delta + n - 1) / (gamma + delta + n - 1)) *
    hypergeometric2F1(1, delta + n, gamma + delta + n, 1 / (1 + discountRate))
  );
}
