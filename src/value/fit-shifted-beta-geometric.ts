import { DataError, type DataIssue, TelcoAnalyticsError } from '../data/errors.js';
import {
  type ConvergenceReport,
  inverseDiagonalOf,
  minimizeNewton,
  numericHessian,
  type Objective,
} from './newton-optimizer.js';
import { digamma, logBeta } from './special-functions.js';
import { requireNumber, withDefault } from './value-options.js';

/**
 * A contract cohort: how many of its customers were still active at the start of each period
 * (period 0 first, the cohort's size). `[1000, 631, 468]` = 1000 signed up, 631 renewed once, 468 twice.
 *
 * @example
 * const cohort: RetentionCohort = { name: '2024-Q1 postpaid', survivors: [1000, 631, 468, 382] };
 */
export interface RetentionCohort {
  readonly name?: string | undefined;
  readonly survivors: readonly number[];
}

/**
 * sBG parameters: each customer's churn probability per period is Beta(`gamma`, `delta`) across customers.
 *
 * @example
 * const regular: ShiftedBetaGeometricParameters = { gamma: 0.704, delta: 1.182 }; // Fader & Hardie 2007
 */
export interface ShiftedBetaGeometricParameters {
  readonly gamma: number;
  readonly delta: number;
}

/**
 * A fitted shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie 2007, "How
 * to project customer retention"): plain versioned JSON.
 *
 * @example
 * const model: ShiftedBetaGeometricModel = fitShiftedBetaGeometric([[1000, 631, 468, 382, 326, 289, 262, 241]]);
 * model.parameters; // => { gamma: 0.704, delta: 1.182 } (rounded)
 */
export interface ShiftedBetaGeometricModel {
  readonly kind: 'shiftedBetaGeometric';
  readonly version: 1;
  readonly parameters: ShiftedBetaGeometricParameters;
  /** Delta-method standard errors from the Hessian on the log scale; `null` when it is not positive definite. */
  readonly standardErrors: ShiftedBetaGeometricParameters | null;
  readonly logLikelihood: number;
  readonly cohorts: number;
  /** Customers at period 0, all cohorts together. */
  readonly customers: number;
  readonly convergence: ConvergenceReport;
}

/**
 * Options of {@link fitShiftedBetaGeometric}.
 *
 * @example
 * const options: FitShiftedBetaGeometricOptions = { maxIterations: 50 };
 */
export interface FitShiftedBetaGeometricOptions {
  /** @defaultValue 100 */
  readonly maxIterations?: number | undefined;
  /** @defaultValue 1e-10 */
  readonly tolerance?: number | undefined;
}

function survivorsOf(cohort: RetentionCohort | readonly number[]): readonly number[] {
  return Array.isArray(cohort) ? (cohort as readonly number[]) : (cohort as RetentionCohort).survivors;
}

function checkCohorts(
  cohorts: readonly (RetentionCohort | readonly number[])[],
  context: string,
): number[][] {
  if (!Array.isArray(cohorts) || cohorts.length === 0) {
    throw new TelcoAnalyticsError('EMPTY_INPUT', `${context}: no cohorts`);
  }
  const issues: DataIssue[] = [];
  const result: number[][] = [];
  cohorts.forEach((cohort, index) => {
    const survivors = typeof cohort === 'object' && cohort !== null ? survivorsOf(cohort) : undefined;
    const row = index + 1;
    if (!Array.isArray(survivors) || survivors.length < 2) {
      issues.push({
        row,
        column: 'survivors',
        reason: 'needs the counts of at least two periods (period 0 and 1)',
      });
      return;
    }
    survivors.forEach((count, period) => {
      const column = `survivors[${period}]`;
      if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) {
        issues.push({
          row,
          column,
          reason: `must be a finite non-negative number, received ${String(count)}`,
        });
      } else if (period === 0 && count === 0) {
        issues.push({ row, column, reason: 'the cohort is empty at period 0' });
      } else if (period > 0 && count > (survivors[period - 1] as number)) {
        issues.push({
          row,
          column,
          reason: `more survivors than in the period before (${count} > ${survivors[period - 1]})`,
        });
      }
    });
    result.push([...survivors]);
  });
  if (issues.length > 0) throw new DataError(context, issues);
  return result;
}

function logLikelihoodOf(
  cohorts: readonly number[][],
  gamma: number,
  delta: number,
  gradient?: Float64Array,
): number {
  const logBetaGD = logBeta(gamma, delta);
  const digammaG = gradient ? digamma(gamma) : 0;
  const digammaG1 = gradient ? digamma(gamma + 1) : 0;
  const digammaD = gradient ? digamma(delta) : 0;
  const digammaGD = gradient ? digamma(gamma + delta) : 0;
  let total = 0;
  let gg = 0;
  let gd = 0;
  for (const survivors of cohorts) {
    const last = survivors.length - 1;
    for (let t = 1; t <= last; t++) {
      const lost = survivors[t - 1]! - survivors[t]!;
      if (lost === 0) continue;
      // P(T = t) = B(gamma + 1, delta + t - 1) / B(gamma, delta)
      total += lost * (logBeta(gamma + 1, delta + t - 1) - logBetaGD);
      if (gradient) {
        const digammaSum = digamma(gamma + delta + t);
        gg += lost * (digammaG1 - digammaSum - digammaG + digammaGD);
        gd += lost * (digamma(delta + t - 1) - digammaSum - digammaD + digammaGD);
      }
    }
    const remaining = survivors[last]!;
    if (remaining > 0) {
      // S(n) = B(gamma, delta + n) / B(gamma, delta)
      total += remaining * (logBeta(gamma, delta + last) - logBetaGD);
      if (gradient) {
        const digammaSum = digamma(gamma + delta + last);
        gg += remaining * (digammaG - digammaSum - digammaG + digammaGD);
        gd += remaining * (digamma(delta + last) - digammaSum - digammaD + digammaGD);
      }
    }
  }
  if (gradient) {
    gradient[0] = gg;
    gradient[1] = gd;
  }
  return total;
}

function objectiveOf(cohorts: readonly number[][], scale: number): Objective {
  const inner = new Float64Array(2);
  return (point, gradient) => {
    const gamma = Math.exp(point[0]!);
    const delta = Math.exp(point[1]!);
    const value = logLikelihoodOf(cohorts, gamma, delta, inner);
    gradient[0] = (-gamma * inner[0]!) / scale;
    gradient[1] = (-delta * inner[1]!) / scale;
    return -value / scale;
  };
}

/**
 * Fits the shifted-beta-geometric model to contract cohorts by maximum likelihood: the
 * contractual (postpaid) counterpart of BG/NBD, where churn is observed (a contract not renewed).
 * Each customer renews each period with a fixed probability 1 - theta until they leave;
 * theta ~ Beta(gamma, delta) across customers, which is why retention rates rise with tenure.
 * Every cohort contributes the customers lost in each period (P(T = t) = B(gamma+1, delta+t-1) / B(gamma, delta))
 * and those still active at its last period (right-censored, S(n) = B(gamma, delta+n) / B(gamma, delta)).
 *
 * @param cohorts - survivors per period, each cohort starting at its own period 0.
 * @throws {@link DataError} naming the cohort (row) and `survivors[t]` (column) for a negative or
 * non-finite count, an empty cohort, or a count above the period before; `EMPTY_INPUT` for no cohorts.
 *
 * @example
 * const model = fitShiftedBetaGeometric([[1000, 631, 468, 382, 326, 289, 262, 241]]);
 * model.parameters; // => { gamma: 0.7036, delta: 1.1819 } (Fader & Hardie 2007: 0.704, 1.182)
 */
export function fitShiftedBetaGeometric(
  cohorts: readonly (RetentionCohort | readonly number[])[],
  options: FitShiftedBetaGeometricOptions = {},
): ShiftedBetaGeometricModel {
  const context = 'fitShiftedBetaGeometric';
  const maxIterations = requireNumber(context, 'maxIterations', withDefault(options.maxIterations, 100), 1);
  const tolerance = requireNumber(context, 'tolerance', withDefault(options.tolerance, 1e-10), 0, true);
  const checked = checkCohorts(cohorts, context);
  const customers = checked.reduce((sum, survivors) => sum + survivors[0]!, 0);
  const result = minimizeNewton(objectiveOf(checked, customers), [0, 0], {
    maxIterations,
    tolerance,
    names: ['gamma', 'delta'],
  });
  const gamma = Math.exp(result.point[0]!);
  const delta = Math.exp(result.point[1]!);
  const variances = inverseDiagonalOf(numericHessian(objectiveOf(checked, 1), result.point), 2);
  const errors =
    variances === undefined
      ? undefined
      : [gamma * Math.sqrt(variances[0]!), delta * Math.sqrt(variances[1]!)];
  return {
    kind: 'shiftedBetaGeometric',
    version: 1,
    parameters: { gamma, delta },
    standardErrors:
      errors === undefined || errors.some((value) => !Number.isFinite(value))
        ? null
        : { gamma: errors[0]!, delta: errors[1]! },
    logLikelihood: logLikelihoodOf(checked, gamma, delta),
    cohorts: checked.length,
    customers,
    convergence: result.report,
  };
}
