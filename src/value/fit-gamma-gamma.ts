import { TelcoAnalyticsError } from '../data/errors.js';
import {
  type ConvergenceReport,
  inverseDiagonalOf,
  minimizeNewton,
  numericHessian,
  type Objective,
} from './newton-optimizer.js';
import { digamma, logGamma } from './special-functions.js';
import {
  compressTriplets,
  readSummary,
  type SummaryInput,
  type SummaryReadOptions,
  type Triplets,
} from './summary-input.js';
import { requireNumber, withDefault } from './value-options.js';

/**
 * Gamma-Gamma parameters: each purchase is Gamma(`p`, rate nu), nu is Gamma(`q`, rate `v`) across
 * customers; the mean purchase value of the population is p v / (q - 1).
 *
 * @example
 * const published: GammaGammaParameters = { p: 6.25, q: 3.74, v: 15.44 }; // CDNOW
 */
export interface GammaGammaParameters {
  readonly p: number;
  readonly q: number;
  readonly v: number;
}

/**
 * A fitted Gamma-Gamma model of purchase value (Fader, Hardie & Lee 2005, "RFM and CLV";
 * Fader & Hardie 2013, "The Gamma-Gamma model of monetary value"): plain versioned JSON.
 *
 * @example
 * const model: GammaGammaModel = fitGammaGamma(summary);
 * model.parameters; // => { p: 6.2488, q: 3.7443, v: 15.4471 } on CDNOW
 */
export interface GammaGammaModel {
  readonly kind: 'gammaGamma';
  readonly version: 1;
  readonly parameters: GammaGammaParameters;
  /** Delta-method standard errors from the Hessian on the log scale (penalty ignored); `null` when it is not positive definite. */
  readonly standardErrors: GammaGammaParameters | null;
  readonly logLikelihood: number;
  /** Customers with repeat purchases, the only ones the model is fitted on. */
  readonly customers: number;
  readonly penalizer: number;
  readonly convergence: ConvergenceReport;
}

/**
 * Options of {@link fitGammaGamma}.
 *
 * @example
 * const options: FitGammaGammaOptions = { columns: { frequency: 'x', monetary: 'zbar' } };
 */
export interface FitGammaGammaOptions extends SummaryReadOptions {
  /**
   * L2 penalty `penalizer * (p^2 + q^2 + v^2)` added to the mean negative log-likelihood (lifetimes' `penalizer_coef` scale).
   * @defaultValue 0
   */
  readonly penalizer?: number | undefined;
  /** @defaultValue 100 */
  readonly maxIterations?: number | undefined;
  /** @defaultValue 1e-9 */
  readonly tolerance?: number | undefined;
}

/** Weighted Gamma-Gamma log-likelihood over distinct (x, m) pairs, with the gradient in (p, q, v). */
function gammaGammaLogLikelihood(
  pairs: Triplets,
  parameters: readonly [number, number, number],
  gradient?: Float64Array,
): number {
  const [p, q, v] = parameters;
  const {
    frequencyValues,
    recencyValues: monetaryValues,
    frequencyIndex,
    recencyIndex: monetaryIndex,
    weight,
  } = pairs;
  const logGammaQ = logGamma(q);
  const digammaQ = gradient ? digamma(q) : 0;
  const logV = Math.log(v);
  let total = 0;
  let gp = 0;
  let gq = 0;
  let gv = 0;
  for (let i = 0; i < pairs.count; i++) {
    const x = frequencyValues[frequencyIndex[i]!]!;
    const m = monetaryValues[monetaryIndex[i]!]!;
    const w = weight[i]!;
    const px = p * x;
    const logTotal = Math.log(x * m + v);
    total +=
      w *
      (logGamma(px + q) -
        logGamma(px) -
        logGammaQ +
        q * logV +
        (px - 1) * Math.log(m) +
        px * Math.log(x) -
        (px + q) * logTotal);
    if (gradient) {
      const digammaPQ = digamma(px + q);
      gp += w * x * (digammaPQ - digamma(px) + Math.log(m) + Math.log(x) - logTotal);
      gq += w * (digammaPQ - digammaQ + logV - logTotal);
      gv += w * (q / v - (px + q) / (x * m + v));
    }
  }
  if (gradient) {
    gradient[0] = gp;
    gradient[1] = gq;
    gradient[2] = gv;
  }
  return total;
}

function objectiveOf(pairs: Triplets, penalizer: number, scale: number): Objective {
  const gradientTheta = new Float64Array(3);
  return (point, gradient) => {
    const theta = [Math.exp(point[0]!), Math.exp(point[1]!), Math.exp(point[2]!)] as const;
    const logLikelihood = gammaGammaLogLikelihood(pairs, theta, gradientTheta);
    let penalty = 0;
    for (let i = 0; i < 3; i++) {
      penalty += theta[i]! * theta[i]!;
      gradient[i] = theta[i]! * (-gradientTheta[i]! / scale + 2 * penalizer * theta[i]!);
    }
    return -logLikelihood / scale + penalizer * penalty;
  };
}

/**
 * Fits the Gamma-Gamma model of purchase value on the customers with repeat purchases
 * (`frequency > 0`), from their number of repeat purchases and mean repeat purchase value
 * (`monetary`). Maximum likelihood over the log-parameters by the same damped Newton method as
 * {@link fitBgNbd} (with a finite-difference Hessian of the analytic gradient), on distinct (frequency, monetary) pairs; starting from p = 1, q = 2,
 * v = mean monetary. The model assumes purchase value and frequency are independent: check their
 * correlation first.
 *
 * Only `frequency` and `monetary` are read (recency and T may be absent).
 *
 * @throws {@link DataError} naming the row and column for a bad frequency, a missing or negative
 * `monetary` for a customer with repeat purchases, or `monetary = 0` with repeat purchases;
 * `EMPTY_INPUT` when no customer has a repeat purchase. {@link OptionError} for a bad option.
 *
 * @example
 * const model = fitGammaGamma([
 *   { frequency: 2, recency: 30.43, T: 38.86, monetary: 22.35 },
 *   { frequency: 1, recency: 1.71, T: 38.86, monetary: 11.77 },
 *   { frequency: 7, recency: 29.43, T: 38.86, monetary: 73.74 },
 * ], { penalizer: 0.01 });
 * model.parameters; // => { p, q, v }
 */
export function fitGammaGamma(summary: SummaryInput, options: FitGammaGammaOptions = {}): GammaGammaModel {
  const context = 'fitGammaGamma';
  const penalizer = requireNumber(context, 'penalizer', withDefault(options.penalizer, 0), 0);
  const maxIterations = requireNumber(context, 'maxIterations', withDefault(options.maxIterations, 100), 1);
  const tolerance = requireNumber(context, 'tolerance', withDefault(options.tolerance, 1e-9), 0, true);
  const read = readSummary(summary, context, options, { monetary: true, times: false });
  const frequency: number[] = [];
  const monetary: number[] = [];
  let sum = 0;
  for (let i = 0; i < read.frequency.length; i++) {
    if (read.frequency[i]! > 0) {
      frequency.push(read.frequency[i]!);
      monetary.push(read.monetary[i]!);
      sum += read.monetary[i]!;
    }
  }
  if (frequency.length === 0) {
    throw new TelcoAnalyticsError(
      'EMPTY_INPUT',
      `${context}: no customer has a repeat purchase (frequency > 0)`,
    );
  }
  const pairs = compressTriplets(
    Float64Array.from(frequency),
    Float64Array.from(monetary),
    new Float64Array(frequency.length),
  );
  const objective = objectiveOf(pairs, penalizer, frequency.length);
  const result = minimizeNewton(objective, [0, Math.log(2), Math.log(sum / frequency.length)], {
    maxIterations,
    tolerance,
    names: ['p', 'q', 'v'],
  });
  const theta = Array.from(result.point, Math.exp) as [number, number, number];
  const hessian = numericHessian(objectiveOf(pairs, 0, 1), result.point);
  const variances = inverseDiagonalOf(hessian, 3);
  const errors =
    variances === undefined ? undefined : theta.map((value, i) => value * Math.sqrt(variances[i]!));
  return {
    kind: 'gammaGamma',
    version: 1,
    parameters: { p: theta[0], q: theta[1], v: theta[2] },
    standardErrors:
      errors === undefined || errors.some((value) => !Number.isFinite(value))
        ? null
        : { p: errors[0]!, q: errors[1]!, v: errors[2]! },
    logLikelihood: gammaGammaLogLikelihood(pairs, theta),
    customers: frequency.length,
    penalizer,
    convergence: result.report,
  };
}
