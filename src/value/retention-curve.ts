import { OptionError, TelcoAnalyticsError } from '../data/errors.js';
import type { ShiftedBetaGeometricModel } from './fit-shifted-beta-geometric.js';

/**
 * One period of a projected retention curve.
 *
 * @example
 * const point: RetentionPoint = { period: 1, survival: 0.63, retentionRate: 0.63, churnProbability: 0.37 };
 */
export interface RetentionPoint {
  readonly period: number;
  /** S(t): share of the cohort still active at period t. */
  readonly survival: number;
  /** r(t) = S(t) / S(t-1) = (delta + t - 1) / (gamma + delta + t - 1); 1 at period 0. */
  readonly retentionRate: number;
  /** P(T = t) = S(t-1) - S(t): share of the cohort lost in period t; 0 at period 0. */
  readonly churnProbability: number;
}

/** @internal */
export function checkSbg(model: ShiftedBetaGeometricModel, context: string): void {
  if (
    typeof model !== 'object' ||
    model === null ||
    model.kind !== 'shiftedBetaGeometric' ||
    model.version !== 1
  ) {
    throw new TelcoAnalyticsError(
      'INVALID_MODEL',
      `${context}: expected an sBG model (kind 'shiftedBetaGeometric', version 1)`,
    );
  }
  const { gamma, delta } = model.parameters;
  if (!(gamma > 0 && delta > 0 && Number.isFinite(gamma + delta))) {
    throw new TelcoAnalyticsError(
      'INVALID_MODEL',
      `${context}: gamma and delta must be positive, received ${gamma}, ${delta}`,
    );
  }
}

/**
 * The survival and retention curve of the sBG model for periods 0..`periods`: the projection a
 * fitted cohort gives for the years (months) not yet observed.
 *
 * @throws {@link OptionError} when `periods` is not a non-negative integer; `INVALID_MODEL` for a malformed model.
 *
 * @example
 * retentionCurve({ kind: 'shiftedBetaGeometric', version: 1, parameters: { gamma: 0.704, delta: 1.182 } } as ShiftedBetaGeometricModel, 2);
 * // => [{ period: 0, survival: 1, ... }, { period: 1, survival: 0.627, retentionRate: 0.627, ... }, { period: 2, survival: 0.474, retentionRate: 0.756, ... }]
 */
export function retentionCurve(model: ShiftedBetaGeometricModel, periods: number): RetentionPoint[] {
  const context = 'retentionCurve';
  checkSbg(model, context);
  if (!Number.isInteger(periods) || periods < 0 || periods > 1_000_000) {
    throw new OptionError(context, 'periods', `must be an integer in 0..1000000, received ${periods}`);
  }
  const { gamma, delta } = model.parameters;
  const curve: RetentionPoint[] = [{ period: 0, survival: 1, retentionRate: 1, churnProbability: 0 }];
  let survival = 1;
  for (let t = 1; t <= periods; t++) {
    const retentionRate = (delta + t - 1) / (gamma + delta + t - 1);
    const next = survival * retentionRate;
    curve.push({ period: t, survival: next, retentionRate, churnProbability: survival - next });
    survival = next;
  }
  return curve;
}
