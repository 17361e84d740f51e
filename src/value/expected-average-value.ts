import { DataError, TelcoAnalyticsError } from '../data/errors.js';
import type { GammaGammaModel, GammaGammaParameters } from './fit-gamma-gamma.js';

/**
 * A customer's purchase history as {@link expectedAverageValue} takes it.
 *
 * @example
 * const customer: PurchaseValueHistory = { frequency: 2, monetary: 22.35 };
 */
export interface PurchaseValueHistory {
  /** Repeat purchases. */
  readonly frequency: number;
  /** Mean value of the repeat purchases (ignored when `frequency` is 0). */
  readonly monetary: number;
}

/** @internal */
export function checkGammaGamma(model: GammaGammaModel, context: string): void {
  if (typeof model !== 'object' || model === null || model.kind !== 'gammaGamma' || model.version !== 1) {
    throw new TelcoAnalyticsError(
      'INVALID_MODEL',
      `${context}: expected a Gamma-Gamma model (kind 'gammaGamma', version 1)`,
    );
  }
  const { p, q, v } = model.parameters;
  if (!(p > 0 && v > 0 && q > 1 && Number.isFinite(p * q * v))) {
    throw new TelcoAnalyticsError(
      'INVALID_MODEL',
      `${context}: needs p > 0, v > 0 and q > 1 (the population mean p v / (q - 1) is infinite otherwise), received p = ${p}, q = ${q}, v = ${v}`,
    );
  }
}

/** @internal unchecked */
export function averageValue(parameters: GammaGammaParameters, frequency: number, monetary: number): number {
  const { p, q, v } = parameters;
  if (frequency === 0) return (p * v) / (q - 1);
  return (p * (v + frequency * monetary)) / (p * frequency + q - 1);
}

/**
 * Expected value of a customer's future purchases given their history: E[M | x, m] =
 * p (v + x m) / (p x + q - 1), a weighted mean of the population mean p v / (q - 1) and the
 * customer's own mean m, the weight on m growing with x. A customer without repeat purchases gets
 * the population mean. The same figure as lifetimes' `conditional_expected_average_profit`.
 *
 * @throws {@link DataError} for a non-integer or negative frequency or a negative/non-finite
 * monetary value; `INVALID_MODEL` for a malformed model or q <= 1.
 *
 * @example
 * const model = { kind: 'gammaGamma', version: 1, parameters: { p: 6.25, q: 3.74, v: 15.44 } } as GammaGammaModel;
 * expectedAverageValue(model, { frequency: 0, monetary: 0 }); // => 35.22 (= 6.25 * 15.44 / 2.74)
 */
export function expectedAverageValue(model: GammaGammaModel, customer: PurchaseValueHistory): number {
  const context = 'expectedAverageValue';
  checkGammaGamma(model, context);
  const { frequency, monetary } = customer;
  if (!Number.isInteger(frequency) || frequency < 0) {
    throw new DataError(context, [
      { row: 1, column: 'frequency', reason: `must be a non-negative integer, received ${frequency}` },
    ]);
  }
  if (!Number.isFinite(monetary) || monetary < 0) {
    throw new DataError(context, [
      { row: 1, column: 'monetary', reason: `must be a finite non-negative number, received ${monetary}` },
    ]);
  }
  return averageValue(model.parameters, frequency, monetary);
}
