import {
  type ConvergenceReport,
  inverseDiagonalOf,
  minimizeNewton,
  type Objective,
} from './newton-optimizer.js';
import { digamma, logGamma, trigamma } from './special-functions.js';
import {
  compressTriplets,
  readSummary,
  type SummaryInput,
  type SummaryReadOptions,
  type Triplets,
} from './summary-input.js';
import { requireNumber, type TimeUnit, unitMilliseconds, withDefault } from './value-options.js';

/**
 * The four BG/NBD parameters: purchase rates are Gamma(`r`, rate `alpha`) across customers, the
 * probability of dropping out after each purchase is Beta(`a`, `b`). `alpha` is in the model's time unit.
 *
 * @example
 * const published: BgNbdParameters = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }; // CDNOW, weeks
 */
export interface BgNbdParameters {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

/**
 * A fitted BG/NBD model (Fader, Hardie & Lee, 2005): plain versioned JSON.
 *
 * @example
 * const model: BgNbdModel = fitBgNbd(summary);
 * model.parameters; // => { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4259 } on the CDNOW cohort
 */
export interface BgNbdModel {
  readonly kind: 'bgNbd';
  readonly version: 1;
  /** Time unit of `alpha` and of every `t`, `recency` and `T` used with the model. */
  readonly unit: TimeUnit;
  readonly parameters: BgNbdParameters;
  /**
   * Standard errors from the observed information (the inverse Hessian of the log-likelihood on
   * the log-parameter scale, carried to the parameters by the delta method: se(theta) = theta * se(log theta));
   * `null` when the Hessian is not positive definite (the optimum is not a proper maximum).
   * They ignore the penalty.
   */
  readonly standardErrors: BgNbdParameters | null;
  /** Log-likelihood of the data at the parameters (penalty not included). */
  readonly logLikelihood: number;
  /** Customers the model was fitted on. */
  readonly customers: number;
  /** Distinct (frequency, recency, T) triplets the likelihood was evaluated on. */
  readonly distinctTriplets: number;
  readonly penalizer: number;
  readonly convergence: ConvergenceReport;
}

/**
 * Options of {@link fitBgNbd}.
 *
 * @example
 * const options: FitBgNbdOptions = { penalizer: 0.001, columns: { frequency: 'x', recency: 't_x' } };
 */
export interface FitBgNbdOptions extends SummaryReadOptions {
  /**
   * The time unit of `recency` and `T`, recorded in the model (CLV periods are converted with it).
   * @defaultValue the summary's own unit when it comes from `summarizeTransactions`, else 'week'
   */
  readonly unit?: TimeUnit | undefined;
  /**
   * L2 penalty on the parameters, added to the mean negative log-likelihood as
   * `penalizer * (r^2 + alpha^2 + a^2 + b^2)` — the same scale as lifetimes' `penalizer_coef`, so
   * values port across. Small samples can send a and b to implausible sizes; 0.001..0.1 tames them.
   * @defaultValue 0
   */
  readonly penalizer?: number | undefined;
  /** @defaultValue 100 */
  readonly maxIterations?: number | undefined;
  /**
   * Converged when no component of the gradient of the mean negative log-likelihood with respect
   * to the log-parameters exceeds this.
   * @defaultValue 1e-9
   */
  readonly tolerance?: number | undefined;
}

/** Per-distinct-frequency weights, used by the likelihood pass. */
function frequencyWeights(triplets: Triplets): Float64Array {
  const weights = new Float64Array(triplets.frequencyValues.length);
  for (let i = 0; i < triplets.count; i++) {
    const index = triplets.frequencyIndex[i]!;
    weights[index] = weights[index]! + triplets.weight[i]!;
  }
  return weights;
}

/**
 * The BG/NBD log-likelihood summed over the triplets (weighted) and, when asked, its gradient
 * with respect to (r, alpha, a, b). Written as
 *   LL = log G(r+x) - log G(r) + r log(alpha) + log B(a, b+x) - log B(a, b)
 *        + logsumexp(-(r+x) log(alpha+T), [x>0] (log a - log(b+x-1) - (r+x) log(alpha+t_x)))
 * so nothing overflows however large x, T or the parameters get. @internal
 */
export function bgNbdLogLikelihood(
  triplets: Triplets,
  xWeights: Float64Array,
  parameters: readonly [number, number, number, number],
  gradient?: Float64Array,
  hessian?: Float64Array,
): number {
  const [r, alpha, a, b] = parameters;
  // Second derivatives (r, alpha, a, b), accumulated as the 10 distinct entries of the symmetric matrix.
  let hrr = 0;
  let hralpha = 0;
  let halphaalpha = 0;
  let haa = 0;
  let hab = 0;
  let hbb = 0;
  let hra = 0;
  let hrb = 0;
  let halphaa = 0;
  let halphab = 0;
  const trigammaR = hessian ? trigamma(r) : 0;
  const trigammaB = hessian ? trigamma(b) : 0;
  const trigammaAB = hessian ? trigamma(a + b) : 0;
  const nx = triplets.frequencyValues.length;
  const perX = new Float64Array(nx);
  const logRatio = new Float64Array(nx);
  let total = 0;
  let gr = 0;
  let galpha = 0;
  let ga = 0;
  let gb = 0;
  const logAlpha = Math.log(alpha);
  const logGammaR = logGamma(r);
  const logBetaAB = logGamma(a) + logGamma(b) - logGamma(a + b);
  const digammaR = gradient ? digamma(r) : 0;
  const digammaB = gradient ? digamma(b) : 0;
  const digammaAB = gradient ? digamma(a + b) : 0;
  let totalWeight = 0;
  for (let k = 0; k < nx; k++) {
    const x = triplets.frequencyValues[k]!;
    const weight = xWeights[k]!;
    totalWeight += weight;
    const logBetaABX = logGamma(a) + logGamma(b + x) - logGamma(a + b + x);
    perX[k] = logGamma(r + x) - logGammaR + logBetaABX - logBetaAB;
    logRatio[k] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : Number.NEGATIVE_INFINITY;
    total += weight * perX[k]!;
    if (gradient) {
      const digammaABX = digamma(a + b + x);
      gr += weight * (digamma(r + x) - digammaR);
      ga += weight * (digammaAB - digammaABX);
      gb += weight * (digamma(b + x) - digammaB + digammaAB - digammaABX);
    }
    if (hessian) {
      const trigammaABX = trigamma(a + b + x);
      hrr += weight * (trigamma(r + x) - trigammaR);
      haa += weight * (trigammaAB - trigammaABX);
      hab += weight * (trigammaAB - trigammaABX);
      hbb += weight * (trigamma(b + x) - trigammaB + trigammaAB - trigammaABX);
    }
  }
  hralpha += totalWeight / alpha;
  halphaalpha -= (totalWeight * r) / (alpha * alpha);
  total += totalWeight * r * logAlpha;
  gr += totalWeight * logAlpha;
  galpha += (totalWeight * r) / alpha;
  const ages = triplets.ageValues;
  const logAge = new Float64Array(ages.length);
  for (let i = 0; i < ages.length; i++) logAge[i] = Math.log(alpha + ages[i]!);
  const recencies = triplets.recencyValues;
  const logRecency = new Float64Array(recencies.length);
  for (let i = 0; i < recencies.length; i++) logRecency[i] = Math.log(alpha + recencies[i]!);
  const { frequencyIndex, recencyIndex, ageIndex, weight: weights, frequencyValues } = triplets;
  for (let i = 0; i < triplets.count; i++) {
    const k = frequencyIndex[i]!;
    const x = frequencyValues[k]!;
    const weight = weights[i]!;
    const rx = r + x;
    const logT = logAge[ageIndex[i]!]!;
    const a3 = -rx * logT;
    if (x === 0) {
      total += weight * a3;
      if (gradient) {
        const inverseT = 1 / (alpha + ages[ageIndex[i]!]!);
        gr -= weight * logT;
        galpha -= weight * rx * inverseT;
        if (hessian) {
          hralpha -= weight * inverseT;
          halphaalpha += weight * rx * inverseT * inverseT;
        }
      }
      continue;
    }
    const logTx = logRecency[recencyIndex[i]!]!;
    const a4 = logRatio[k]! - rx * logTx;
    // logsumexp(a3, a4) and the two weights from one exp and one log1p.
    const difference = a3 - a4;
    const small = Math.exp(-Math.abs(difference));
    total += weight * ((difference > 0 ? a3 : a4) + Math.log1p(small));
    if (gradient) {
      const w4 = difference > 0 ? small / (1 + small) : 1 / (1 + small);
      const w3 = 1 - w4;
      const inverseT = 1 / (alpha + ages[ageIndex[i]!]!);
      const inverseTx = 1 / (alpha + recencies[recencyIndex[i]!]!);
      const inverseB = 1 / (b + x - 1);
      gr -= weight * (w3 * logT + w4 * logTx);
      galpha -= weight * rx * (w3 * inverseT + w4 * inverseTx);
      ga += (weight * w4) / a;
      gb -= weight * w4 * inverseB;
      if (hessian) {
        // d2 logsumexp = w3 d2A3 + w4 d2A4 + w3 w4 (dA3 - dA4)(dA3 - dA4)^T
        const dr = logTx - logT;
        const dalpha = rx * (inverseTx - inverseT);
        const da = -1 / a;
        const db = inverseB;
        const both = weight * w3 * w4;
        hrr += both * dr * dr;
        hralpha += both * dr * dalpha - weight * (w3 * inverseT + w4 * inverseTx);
        halphaalpha +=
          both * dalpha * dalpha + weight * rx * (w3 * inverseT * inverseT + w4 * inverseTx * inverseTx);
        hra += both * dr * da;
        hrb += both * dr * db;
        halphaa += both * dalpha * da;
        halphab += both * dalpha * db;
        haa += both * da * da - (weight * w4) / (a * a);
        hab += both * da * db;
        hbb += both * db * db + weight * w4 * inverseB * inverseB;
      }
    }
  }
  if (gradient) {
    gradient[0] = gr;
    gradient[1] = galpha;
    gradient[2] = ga;
    gradient[3] = gb;
  }
  if (hessian) {
    const entries = [
      [hrr, hralpha, hra, hrb],
      [hralpha, halphaalpha, halphaa, halphab],
      [hra, halphaa, haa, hab],
      [hrb, halphab, hab, hbb],
    ];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) hessian[i * 4 + j] = entries[i]![j]!;
  }
  return total;
}

/** The objective the optimiser minimises: mean negative log-likelihood plus the penalty, of log-parameters. */
function bgNbdObjective(triplets: Triplets, penalizer: number, scale: number): Objective {
  const xWeights = frequencyWeights(triplets);
  const gradientTheta = new Float64Array(4);
  const hessianTheta = new Float64Array(16);
  return (point, gradient, hessian) => {
    const theta = [
      Math.exp(point[0]!),
      Math.exp(point[1]!),
      Math.exp(point[2]!),
      Math.exp(point[3]!),
    ] as const;
    const logLikelihood = bgNbdLogLikelihood(
      triplets,
      xWeights,
      theta,
      gradientTheta,
      hessian === undefined ? undefined : hessianTheta,
    );
    let penalty = 0;
    for (let i = 0; i < 4; i++) {
      penalty += theta[i]! * theta[i]!;
      // d/d log(theta) = theta * d/d theta
      gradient[i] = theta[i]! * (-gradientTheta[i]! / scale + 2 * penalizer * theta[i]!);
    }
    if (hessian !== undefined) {
      // d2/dlog(theta_i)dlog(theta_j) = theta_i theta_j d2/dtheta_i dtheta_j + [i = j] d/dlog(theta_i)
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          const second = -hessianTheta[i * 4 + j]! / scale + (i === j ? 2 * penalizer : 0);
          hessian[i * 4 + j] = theta[i]! * theta[j]! * second + (i === j ? gradient[i]! : 0);
        }
      }
    }
    return -logLikelihood / scale + penalizer * penalty;
  };
}

/** The summary's triplets, validated. @internal */
export function summaryTriplets(
  summary: SummaryInput,
  context: string,
  options: FitBgNbdOptions,
): { triplets: Triplets; unit: TimeUnit; customers: number; maxAge: number } {
  const read = readSummary(summary, context, options);
  const unit = withDefault(options.unit, read.unit ?? 'week');
  unitMilliseconds(unit, context);
  let maxAge = 0;
  for (const age of read.age) maxAge = Math.max(maxAge, age);
  return {
    triplets: compressTriplets(read.frequency, read.recency, read.age),
    unit,
    customers: read.frequency.length,
    maxAge,
  };
}

/**
 * Fits the BG/NBD model ("beta-geometric / negative binomial distribution", Fader, Hardie & Lee
 * 2005, "Counting your customers the easy way") by maximum likelihood: the model for customers
 * who buy at will (prepaid top-ups, purchases) and may silently leave.
 *
 * The likelihood is evaluated once per distinct (frequency, recency, T) triplet, weighted by the
 * customers sharing it, in the log-sum-exp form. It is maximised over the log-parameters (so they
 * stay positive) by Newton's method with the analytic gradient and Hessian (digamma, trigamma),
 * damped when the Hessian is indefinite, with a backtracking line search — one pass over the
 * triplets per iteration plus the line search; starting from r = a = b = 1 and
 * alpha = max(T) / 10 (lifetimes' start after its rescaling). `convergence` says how it ended —
 * no exception is thrown for a fit that did not converge, so check `convergence.converged`.
 *
 * @throws {@link DataError} (code `INVALID_DATA`) naming the row and column for a non-integer or
 * negative frequency, a negative recency or T, a recency greater than T, a non-zero recency with
 * frequency 0, or a value that is not a number. `EMPTY_INPUT` for no rows. {@link OptionError} for a bad option.
 *
 * @example
 * const model = fitBgNbd([
 *   { frequency: 2, recency: 30.43, T: 38.86 },
 *   { frequency: 1, recency: 1.71, T: 38.86 },
 *   { frequency: 0, recency: 0, T: 38.86 },
 * ], { penalizer: 0.01 });
 * model.convergence.converged; // => true
 * Object.keys(model.parameters); // => ['r', 'alpha', 'a', 'b']
 */
export function fitBgNbd(summary: SummaryInput, options: FitBgNbdOptions = {}): BgNbdModel {
  const context = 'fitBgNbd';
  const penalizer = requireNumber(context, 'penalizer', withDefault(options.penalizer, 0), 0);
  const maxIterations = requireNumber(context, 'maxIterations', withDefault(options.maxIterations, 100), 1);
  const tolerance = requireNumber(context, 'tolerance', withDefault(options.tolerance, 1e-9), 0, true);
  const { triplets, unit, customers, maxAge } = summaryTriplets(summary, context, options);
  const objective = bgNbdObjective(triplets, penalizer, customers);
  const start = [0, Math.log(Math.max(maxAge, 1e-3) / 10), 0, 0];
  const result = minimizeNewton(objective, start, {
    maxIterations,
    tolerance,
    names: ['r', 'alpha', 'a', 'b'],
    analyticHessian: true,
  });
  const theta = Array.from(result.point, Math.exp) as [number, number, number, number];
  const xWeights = frequencyWeights(triplets);
  const logLikelihood = bgNbdLogLikelihood(triplets, xWeights, theta);
  // Observed information of the whole sample (penalty excluded) on the log scale.
  const unpenalised = bgNbdObjective(triplets, 0, 1);
  const hessian = new Float64Array(16);
  unpenalised(result.point, new Float64Array(4), hessian);
  const variances = inverseDiagonalOf(hessian, 4);
  const errors =
    variances === undefined ? undefined : theta.map((value, i) => value * Math.sqrt(variances[i]!));
  return {
    kind: 'bgNbd',
    version: 1,
    unit,
    parameters: { r: theta[0], alpha: theta[1], a: theta[2], b: theta[3] },
    standardErrors:
      errors === undefined || errors.some((value) => !Number.isFinite(value))
        ? null
        : { r: errors[0]!, alpha: errors[1]!, a: errors[2]!, b: errors[3]! },
    logLikelihood,
    customers,
    distinctTriplets: triplets.count,
    penalizer,
    convergence: result.report,
  };
}
