import { choleskySolve, inverseDiagonal, isDependent, scaledCholesky } from '../data/symmetric-solve.js';

/**
 * How a maximum-likelihood fit ended: read `converged` before trusting the parameters.
 *
 * @example
 * const report: ConvergenceReport = {
 *   converged: true, iterations: 9, gradientNorm: 3e-12, evaluations: 31,
 *   message: 'gradient norm 3.0e-12 below the tolerance 1.0e-9',
 * };
 */
export interface ConvergenceReport {
  /** `true` when the gradient norm fell below the tolerance. */
  readonly converged: boolean;
  /** Newton iterations taken. */
  readonly iterations: number;
  /** Largest absolute component of the gradient of the mean negative log-likelihood (penalty included) with respect to the log-parameters, at the end. */
  readonly gradientNorm: number;
  /** Objective evaluations (each one pass over the distinct data rows). */
  readonly evaluations: number;
  /** What happened, in words. */
  readonly message: string;
}

/**
 * The objective to minimise: returns its value at `point` and writes the gradient (and, when the
 * objective supports it and `hessian` is passed, the row-major Hessian). Non-finite values mean
 * "outside the domain". @internal
 */
export type Objective = (point: Float64Array, gradient: Float64Array, hessian?: Float64Array) => number;

/** @internal */
export interface MinimizeOptions {
  readonly maxIterations: number;
  readonly tolerance: number;
  /** Parameter names, for the report. */
  readonly names: readonly string[];
  /** The objective writes its own Hessian when asked (one evaluation instead of n differences). */
  readonly analyticHessian?: boolean;
}

/** @internal */
export interface MinimizeResult {
  readonly point: Float64Array;
  readonly value: number;
  readonly report: ConvergenceReport;
}

/**
 * The diagonal of the inverse of a symmetric positive-definite matrix (the squared standard errors
 * when it is the Hessian of a negative log-likelihood), or `undefined` when it is not positive definite.
 * @internal
 */
export function inverseDiagonalOf(matrix: Float64Array, n: number): Float64Array | undefined {
  const factor = scaledCholesky(matrix, n, 0);
  return isDependent(factor) ? undefined : inverseDiagonal(factor);
}

/**
 * The Hessian of the objective by central differences of its analytic gradient (symmetrised):
 * 2n gradient evaluations, accurate to ~1e-8 relative, plenty for Newton steps and standard errors.
 * @internal
 */
export function numericHessian(objective: Objective, point: Float64Array, step = 1e-5): Float64Array {
  const n = point.length;
  const hessian = new Float64Array(n * n);
  const shifted = Float64Array.from(point);
  const plus = new Float64Array(n);
  const minus = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    shifted[j] = point[j]! + step;
    objective(shifted, plus);
    shifted[j] = point[j]! - step;
    objective(shifted, minus);
    shifted[j] = point[j]!;
    for (let i = 0; i < n; i++) hessian[i * n + j] = (plus[i]! - minus[i]!) / (2 * step);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const mean = 0.5 * (hessian[i * n + j]! + hessian[j * n + i]!);
      hessian[i * n + j] = mean;
      hessian[j * n + i] = mean;
    }
  }
  return hessian;
}

/**
 * The Hessian by forward differences of the gradient (n evaluations, reusing the gradient at
 * `point`), symmetrised: ~1e-5 relative, enough to steer Newton steps at half the cost of central
 * differences; standard errors use {@link numericHessian}.
 */
function forwardHessian(
  objective: Objective,
  point: Float64Array,
  gradient: Float64Array,
  step = 1e-6,
): Float64Array {
  const n = point.length;
  const hessian = new Float64Array(n * n);
  const shifted = Float64Array.from(point);
  const plus = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    shifted[j] = point[j]! + step;
    objective(shifted, plus);
    shifted[j] = point[j]!;
    for (let i = 0; i < n; i++) hessian[i * n + j] = (plus[i]! - gradient[i]!) / step;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const mean = 0.5 * (hessian[i * n + j]! + hessian[j * n + i]!);
      hessian[i * n + j] = mean;
      hessian[j * n + i] = mean;
    }
  }
  return hessian;
}

function maxAbs(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]!));
  return largest;
}

// A log-parameter moving by more than this in one step multiplies the parameter by e^3 = 20:
// enough for any honest Newton step, and it keeps a wild first step from overflowing.
const maximumStep = 3;

/**
 * Minimises a smooth objective of log-parameters by Newton's method — with the objective's own
 * Hessian when it has one (`analyticHessian`), else forward differences of its gradient —,
 * Levenberg–Marquardt damping when the Hessian is not positive definite (so every step goes
 * downhill) and a backtracking (Armijo) line search. Converged when the largest gradient
 * component is below `tolerance`.
 * @internal
 */
export function minimizeNewton(
  objective: Objective,
  start: readonly number[],
  options: MinimizeOptions,
): MinimizeResult {
  const n = start.length;
  let evaluations = 0;
  const evaluate: Objective = (point, gradient) => {
    evaluations++;
    const value = objective(point, gradient);
    return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
  };
  let point = Float64Array.from(start);
  let gradient = new Float64Array(n);
  let value = evaluate(point, gradient);
  if (!Number.isFinite(value)) {
    return {
      point,
      value,
      report: {
        converged: false,
        iterations: 0,
        gradientNorm: Number.NaN,
        evaluations,
        message: 'the log-likelihood is not finite at the starting point',
      },
    };
  }
  const candidate = new Float64Array(n);
  const candidateGradient = new Float64Array(n);
  let iterations = 0;
  let message = `stopped after ${options.maxIterations} iterations (the maximum)`;
  let converged = false;
  while (iterations < options.maxIterations) {
    const gradientNorm = maxAbs(gradient);
    if (gradientNorm < options.tolerance) {
      converged = true;
      message = `gradient norm ${gradientNorm.toExponential(1)} below the tolerance ${options.tolerance.toExponential(1)}`;
      break;
    }
    iterations++;
    let hessian: Float64Array;
    if (options.analyticHessian === true) {
      hessian = new Float64Array(n * n);
      evaluations++;
      objective(point, new Float64Array(n), hessian);
    } else {
      hessian = forwardHessian(
        (p, g) => {
          evaluations++;
          return objective(p, g);
        },
        point,
        gradient,
      );
    }
    let damping = 0;
    const diagonalScale = Math.max(
      1e-12,
      ...Array.from({ length: n }, (_, i) => Math.abs(hessian[i * n + i]!)),
    );
    let accepted = false;
    let resolved = false;
    for (let attempt = 0; attempt < 20 && !accepted; attempt++) {
      const damped = Float64Array.from(hessian);
      for (let i = 0; i < n; i++) damped[i * n + i] = damped[i * n + i]! + damping;
      const factor = scaledCholesky(damped, n, 0);
      if (isDependent(factor)) {
        damping = damping === 0 ? 1e-6 * diagonalScale : damping * 10;
        continue;
      }
      const direction = choleskySolve(factor, gradient);
      let slope = 0;
      for (let i = 0; i < n; i++) {
        direction[i] = -direction[i]!;
        slope += direction[i]! * gradient[i]!;
      }
      // Newton decrement: when the predicted decrease is below the rounding of the objective no
      // line search can see it, and the point is the optimum to working precision.
      if (damping === 0 && -0.5 * slope <= 1e-15 * (1 + Math.abs(value))) {
        resolved = true;
        break;
      }
      const longest = maxAbs(direction);
      let stepLength = longest > maximumStep ? maximumStep / longest : 1;
      while (stepLength > 1e-8) {
        for (let i = 0; i < n; i++) candidate[i] = point[i]! + stepLength * direction[i]!;
        const candidateValue = evaluate(candidate, candidateGradient);
        if (candidateValue <= value + 1e-4 * stepLength * slope) {
          point = Float64Array.from(candidate);
          gradient = Float64Array.from(candidateGradient);
          value = candidateValue;
          accepted = true;
          break;
        }
        stepLength *= 0.5;
      }
      if (!accepted) damping = damping === 0 ? 1e-6 * diagonalScale : damping * 10;
    }
    if (resolved) {
      converged = true;
      message = `the predicted decrease is below the rounding of the log-likelihood (gradient norm ${maxAbs(gradient).toExponential(1)})`;
      break;
    }
    if (!accepted) {
      const norm = maxAbs(gradient);
      converged = norm < Math.sqrt(options.tolerance);
      message = converged
        ? `no further decrease possible at gradient norm ${norm.toExponential(1)} (within rounding of the optimum)`
        : `the line search found no decrease at gradient norm ${norm.toExponential(1)}; the likelihood may be flat (try a penalizer)`;
      break;
    }
  }
  if (!converged && iterations >= options.maxIterations && maxAbs(gradient) < options.tolerance) {
    converged = true;
    message = `gradient norm ${maxAbs(gradient).toExponential(1)} below the tolerance ${options.tolerance.toExponential(1)}`;
  }
  if (!converged) {
    // A log-parameter beyond +-9 (x 8100 or / 8100) that is still moving means the likelihood keeps
    // rising along a ridge towards infinity or zero: say which parameters, and what helps.
    const drifting = options.names.filter((_, i) => Math.abs(point[i]!) > 9);
    if (drifting.length > 0) {
      message += `; ${drifting.join(' and ')} ${drifting.length > 1 ? 'run' : 'runs'} off to ${drifting.map((name) => `${name} = ${Math.exp(point[options.names.indexOf(name)]!).toPrecision(3)}`).join(', ')}: the data cannot pin ${drifting.length > 1 ? 'them' : 'it'} down (the likelihood keeps rising towards a limiting model); a penalizer such as 0.001 keeps the parameters finite`;
    }
  }
  return {
    point,
    value,
    report: { converged, iterations, gradientNorm: maxAbs(gradient), evaluations, message },
  };
}
