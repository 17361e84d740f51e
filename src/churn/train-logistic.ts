import { type DenseMatrix, type NumericMatrixInput, toDenseMatrix } from '../data/dense-matrix.js';
import { OptionError, TelcoAnalyticsError } from '../data/errors.js';
import {
  choleskySolve,
  inverseDiagonal,
  isDependent,
  type ScaledCholesky,
  scaledCholesky,
} from '../data/symmetric-solve.js';
import { normalQuantile975, twoSidedNormalPValue } from './normal-distribution.js';
import { type ClassWeightOption, readTarget, resolveClassWeight } from './target.js';

/** One row of the coefficient table. */
export interface LogisticCoefficient {
  readonly name: string;
  readonly estimate: number;
  /** From the inverse of the (penalised) information matrix at the optimum. */
  readonly stdError: number;
  /** Wald statistic estimate / stdError. */
  readonly z: number;
  /** Two-sided Wald p-value, 2·(1 − Φ(|z|)). */
  readonly pValue: number;
  /** Wald 95% interval estimate ± 1.96·stdError (R's `confint.default`). */
  readonly ci95: readonly [number, number];
  /** exp(estimate): the multiplicative change of the churn odds per unit of the feature. */
  readonly oddsRatio: number;
}

/** A fitted logistic regression: plain JSON. */
export interface LogisticModel {
  readonly kind: 'logistic';
  readonly version: 1;
  readonly featureNames: readonly string[];
  readonly intercept: LogisticCoefficient;
  readonly coefficients: readonly LogisticCoefficient[];
  readonly nullDeviance: number;
  readonly residualDeviance: number;
  readonly logLikelihood: number;
  /** −2·logLik + 2·(number of coefficients with the intercept). */
  readonly aic: number;
  /** 1 − residual deviance / null deviance. */
  readonly mcFaddenR2: number;
  readonly observations: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly l2: number;
  /** Weights of the negative and positive class (1 and 1 unless `classWeight` was given). */
  readonly classWeight: { readonly negative: number; readonly positive: number };
  /** The fitted equation in words: `logit(p) = -1.23 + 0.045·tenure − ...`. */
  readonly formula: string;
}

/** Progress of one Newton iteration. */
export interface LogisticIteration {
  readonly iteration: number;
  readonly deviance: number;
}

/** Options of {@link trainLogistic}. */
export interface TrainLogisticOptions {
  /** Column names, used in the coefficient table and errors. @defaultValue `x1`, `x2`, ... */
  readonly featureNames?: readonly string[];
  /** Ridge penalty λ/2·‖β‖² on the coefficients (never on the intercept). @defaultValue 0 */
  readonly l2?: number;
  /** `'balanced'` (n / (2·n_class)) or explicit weights per class. @defaultValue no weighting */
  readonly classWeight?: ClassWeightOption;
  /** Newton iterations on the full data. @defaultValue 50 */
  readonly maxIter?: number;
  /** Convergence when |Δdeviance| / (|deviance| + 0.1) < tol, R's `glm` criterion, tighter. @defaultValue 1e-10 */
  readonly tol?: number;
  /** Called after each Newton iteration on the full data. @defaultValue undefined (no callback) */
  readonly onIteration?: (progress: LogisticIteration) => void;
}

const context = 'trainLogistic';
/** Rows fitted with |η| above this are numerically certain (p within 2e-9 of 0 or 1). */
const separationEta = 20;

interface Pass {
  readonly deviance: number;
  readonly gradient: Float64Array;
  readonly hessian: Float64Array;
  readonly maxCertainEta: number;
  /** Rows the pass went through. */
  readonly rows: number;
}

/** Rows per block: the block's 21 (for 20 features) columns of √w·x stay in the L1 cache. */
const blockRows = 64;

/** Buffers of one fit, reused by every pass so a pass allocates only its results. */
interface Workspace {
  /** η per row of the block. */
  readonly eta: Float64Array;
  /** w·(y − p) per row of the block. */
  readonly residual: Float64Array;
  /** The block column-major, scaled by √(w·p·(1 − p)): column 0 the intercept, then the features. */
  readonly block: Float64Array;
}

function createWorkspace(size: number): Workspace {
  return {
    eta: new Float64Array(blockRows),
    residual: new Float64Array(blockRows),
    block: new Float64Array(size * blockRows),
  };
}

/**
 * One pass over the rows, or over every `stride`-th block of {@link blockRows} consecutive rows (a
 * subsample spread over the whole input that still reads memory sequentially): the gradient of the
 * log-likelihood and, when `withInformation`, the weighted deviance (with the largest certain η) and
 * the information matrix X'WX (intercept as column 0). Rows go through in blocks: first η (see
 * {@link linearPredictors}), p and the residual of each row, then the gradient eight columns at a
 * time, then X'WX as the cross-products of the block's √w-scaled columns (see
 * {@link addCrossProducts}). Gradient-only passes skip the logarithms of the deviance too.
 */
function accumulate(
  matrix: DenseMatrix,
  y: Uint8Array,
  weightOf: Float64Array,
  beta: Float64Array,
  stride: number,
  withInformation: boolean,
  work: Workspace,
): Pass {
  const { data, rows, cols } = matrix;
  const size = cols + 1;
  const gradient = new Float64Array(size);
  const hessian = new Float64Array(size * size);
  const { eta: etas, residual, block } = work;
  let deviance = 0;
  let maxCertainEta = 0;
  let used = 0;
  for (let first = 0; first < rows; first += stride * blockRows) {
    const filled = Math.min(blockRows, rows - first);
    used += filled;
    const firstBase = first * cols;
    linearPredictors(data, cols, firstBase, filled, beta, etas);
    for (let i = 0; i < filled; i++) {
      const eta = etas[i]!;
      const label = y[first + i]!;
      const weight = weightOf[label]!;
      const expMinusAbs = Math.exp(-Math.abs(eta));
      if (withInformation) {
        // log(1 + e^-|η|) keeps the deviance finite for any η.
        const softplus = Math.log1p(expMinusAbs);
        const signedEta = label === 1 ? eta : -eta;
        deviance += 2 * weight * (signedEta >= 0 ? softplus : softplus - signedEta);
        if (signedEta > maxCertainEta) maxCertainEta = signedEta;
      }
      const p = eta >= 0 ? 1 / (1 + expMinusAbs) : expMinusAbs / (1 + expMinusAbs);
      residual[i] = weight * (label - p);
      if (withInformation) block[i] = Math.sqrt(weight * p * (1 - p));
    }
    let sum = 0;
    for (let i = 0; i < filled; i++) sum += residual[i]!;
    gradient[0]! += sum;
    let c = 0;
    for (; c + 7 < cols; c += 8) {
      let g0 = 0;
      let g1 = 0;
      let g2 = 0;
      let g3 = 0;
      let g4 = 0;
      let g5 = 0;
      let g6 = 0;
      let g7 = 0;
      for (let i = 0, at = firstBase + c; i < filled; i++, at += cols) {
        const r = residual[i]!;
        g0 += r * data[at]!;
        g1 += r * data[at + 1]!;
        g2 += r * data[at + 2]!;
        g3 += r * data[at + 3]!;
        g4 += r * data[at + 4]!;
        g5 += r * data[at + 5]!;
        g6 += r * data[at + 6]!;
        g7 += r * data[at + 7]!;
      }
      gradient[c + 1]! += g0;
      gradient[c + 2]! += g1;
      gradient[c + 3]! += g2;
      gradient[c + 4]! += g3;
      gradient[c + 5]! += g4;
      gradient[c + 6]! += g5;
      gradient[c + 7]! += g6;
      gradient[c + 8]! += g7;
    }
    for (; c + 3 < cols; c += 4) {
      let g0 = 0;
      let g1 = 0;
      let g2 = 0;
      let g3 = 0;
      for (let i = 0, at = firstBase + c; i < filled; i++, at += cols) {
        const r = residual[i]!;
        g0 += r * data[at]!;
        g1 += r * data[at + 1]!;
        g2 += r * data[at + 2]!;
        g3 += r * data[at + 3]!;
      }
      gradient[c + 1]! += g0;
      gradient[c + 2]! += g1;
      gradient[c + 3]! += g2;
      gradient[c + 4]! += g3;
    }
    for (; c < cols; c++) {
      let g = 0;
      for (let i = 0, at = firstBase + c; i < filled; i++, at += cols) g += residual[i]! * data[at]!;
      gradient[c + 1]! += g;
    }
    if (withInformation) {
      for (let i = 0; i < filled; i++) {
        const root = block[i]!;
        const base = firstBase + i * cols;
        for (let c = 0; c < cols; c++) block[(c + 1) * blockRows + i] = root * data[base + c]!;
      }
      addCrossProducts(block, filled, size, hessian);
    }
  }
  if (withInformation) {
    for (let j = 0; j < size; j++) for (let k = 0; k < j; k++) hessian[j * size + k] = hessian[k * size + j]!;
  }
  return { deviance, gradient, hessian, maxCertainEta, rows: used };
}

/**
 * η = β₀ + x·β for `filled` consecutive rows from `firstBase`, four rows at a time so that each
 * coefficient loaded serves four products (a third faster than one row at a time in V8).
 */
function linearPredictors(
  data: Float64Array,
  cols: number,
  firstBase: number,
  filled: number,
  beta: Float64Array,
  etas: Float64Array,
): void {
  const b0 = beta[0]!;
  let i = 0;
  for (; i + 3 < filled; i += 4) {
    const base = firstBase + i * cols;
    let eta0 = b0;
    let eta1 = b0;
    let eta2 = b0;
    let eta3 = b0;
    for (let c = 0, at = base; c < cols; c++, at++) {
      const coefficient = beta[c + 1]!;
      eta0 += data[at]! * coefficient;
      eta1 += data[at + cols]! * coefficient;
      eta2 += data[at + 2 * cols]! * coefficient;
      eta3 += data[at + 3 * cols]! * coefficient;
    }
    etas[i] = eta0;
    etas[i + 1] = eta1;
    etas[i + 2] = eta2;
    etas[i + 3] = eta3;
  }
  for (; i < filled; i++) {
    let eta = b0;
    for (let c = 0, at = firstBase + i * cols; c < cols; c++, at++) eta += data[at]! * beta[c + 1]!;
    etas[i] = eta;
  }
}

/**
 * Adds the upper triangle of A'A to `target` (size x size, row-major) for the `filled` rows of the
 * column-major block A = √W·[1 X]: X'WX as one symmetric product, so one block (not a block and its
 * weighted copy) is read. Tiles of 2 x 4 entries, each a dot product over the block's rows held in
 * eight registers: six loads serve eight products (V8 has 16 floating-point registers; 4 x 4 tiles
 * spill and run slower). Entries below the diagonal that a tile computes on the way are overwritten
 * when the caller mirrors the triangle.
 */
function addCrossProducts(block: Float64Array, filled: number, size: number, target: Float64Array): void {
  let j = 0;
  for (; j + 1 < size; j += 2) {
    const j0 = j * blockRows;
    const j1 = j0 + blockRows;
    let k = j;
    for (; k + 3 < size; k += 4) {
      const k0 = k * blockRows;
      const k1 = k0 + blockRows;
      const k2 = k1 + blockRows;
      const k3 = k2 + blockRows;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let r = 0; r < filled; r++) {
        const x0 = block[j0 + r]!;
        const x1 = block[j1 + r]!;
        const y0 = block[k0 + r]!;
        const y1 = block[k1 + r]!;
        const y2 = block[k2 + r]!;
        const y3 = block[k3 + r]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      const at0 = j * size + k;
      const at1 = at0 + size;
      target[at0]! += s00;
      target[at0 + 1]! += s01;
      target[at0 + 2]! += s02;
      target[at0 + 3]! += s03;
      target[at1]! += s10;
      target[at1 + 1]! += s11;
      target[at1 + 2]! += s12;
      target[at1 + 3]! += s13;
    }
    for (; k < size; k++) {
      const k0 = k * blockRows;
      let s0 = 0;
      let s1 = 0;
      for (let r = 0; r < filled; r++) {
        const value = block[k0 + r]!;
        s0 += block[j0 + r]! * value;
        s1 += block[j1 + r]! * value;
      }
      target[j * size + k]! += s0;
      target[(j + 1) * size + k]! += s1;
    }
  }
  for (; j < size; j++) {
    const j0 = j * blockRows;
    for (let k = j; k < size; k++) {
      const k0 = k * blockRows;
      let s = 0;
      for (let r = 0; r < filled; r++) s += block[j0 + r]! * block[k0 + r]!;
      target[j * size + k]! += s;
    }
  }
}

function penalise(
  pass: Pass,
  beta: Float64Array,
  l2: number,
  scale: number,
): { deviance: number; gradient: Float64Array; hessian: Float64Array } {
  const size = beta.length;
  const gradient = pass.gradient.slice();
  const hessian = pass.hessian.slice();
  let penalty = 0;
  for (let j = 1; j < size; j++) {
    penalty += beta[j]! * beta[j]!;
    gradient[j]! -= l2 * scale * beta[j]!;
    hessian[j * size + j]! += l2 * scale;
  }
  return { deviance: pass.deviance + l2 * scale * penalty, gradient, hessian };
}

function formatNumber(value: number): string {
  const text = Number(value.toPrecision(4)).toString();
  return text;
}

function termName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `[${name}]`;
}

/** The fitted equation as text, `logit(p) = -1.23 + 0.045·tenure − 0.8·[Contract=One year]`, 4 significant digits. */
export function logisticFormula(
  intercept: number,
  names: readonly string[],
  estimates: ArrayLike<number>,
): string {
  let text = `logit(p) = ${formatNumber(intercept)}`;
  names.forEach((name, j) => {
    const estimate = estimates[j]!;
    text += ` ${estimate < 0 ? '−' : '+'} ${formatNumber(Math.abs(estimate))}·${termName(name)}`;
  });
  return text;
}

function describeColumn(names: readonly string[], column: number): string {
  return column === 0 ? 'the intercept' : `'${names[column - 1]}'`;
}

function collinearityError(
  names: readonly string[],
  column: number,
  combination: readonly { column: number; weight: number }[],
): TelcoAnalyticsError {
  const feature = describeColumn(names, column);
  const terms = combination.map(
    ({ column: c, weight }) => `${formatNumber(weight)}·${c === 0 ? '1' : names[c - 1]}`,
  );
  const reason =
    combination.length === 0
      ? 'is zero in every row (or has zero weight)'
      : combination.length === 1 && combination[0]!.column === 0
        ? 'is constant (collinear with the intercept)'
        : `is an exact linear combination of other columns (≈ ${terms.join(' + ')})`;
  return new TelcoAnalyticsError(
    'INVALID_DATA',
    `${context}: exact collinearity: feature ${feature} ${reason}; drop it or merge the columns`,
  );
}

/**
 * Fits a logistic regression of a 0/1 target by Newton's method (IRLS) with a Cholesky solve of
 * X'WX, the maximum-likelihood estimate R's `glm(family = binomial)` computes. From 100,000 rows the
 * first iterations run on a subsample (every k-th block of rows) and gradient-only passes over all
 * rows finish the job, with one full X'WX pass at the end; the optimum, the standard errors and the
 * convergence criterion are those of Newton on the full data (see the comments in the code).
 *
 * Exact collinearity (a constant column, a column equal to a combination of others) and perfect or
 * quasi-perfect separation (a feature that predicts the class without error, so the estimate runs to
 * infinity) raise a `TelcoAnalyticsError` naming the feature, instead of returning meaningless numbers.
 *
 * @example
 * const model = trainLogistic([[1], [2], [3], [4], [5], [6]], [0, 0, 1, 0, 1, 1], { featureNames: ['tenure'] });
 * model.coefficients[0]!.name; // => 'tenure'
 * model.formula; // => 'logit(p) = -4.249 + 1.214·tenure' (R glm: -4.2491, 1.2140)
 */
export function trainLogistic(
  X: NumericMatrixInput,
  y: ArrayLike<number | boolean>,
  options: TrainLogisticOptions = {},
): LogisticModel {
  const matrix = toDenseMatrix(X, context, options.featureNames);
  const { rows, cols } = matrix;
  const names = options.featureNames ?? Array.from({ length: cols }, (_, j) => `x${j + 1}`);
  if (names.length !== cols)
    throw new OptionError(context, 'featureNames', `has ${names.length} names for ${cols} columns`);
  const labels = readTarget(y, rows, context);
  const l2 = options.l2 ?? 0;
  if (!Number.isFinite(l2) || l2 < 0)
    throw new OptionError(context, 'l2', `must be a finite non-negative number, received ${l2}`);
  const maxIter = options.maxIter ?? 50;
  if (!Number.isInteger(maxIter) || maxIter < 1)
    throw new OptionError(context, 'maxIter', `must be a positive integer, received ${maxIter}`);
  const tol = options.tol ?? 1e-10;
  if (!(tol > 0) || !Number.isFinite(tol))
    throw new OptionError(context, 'tol', `must be a positive number, received ${tol}`);
  const classWeight = resolveClassWeight(options.classWeight, labels, context);
  const weightOf = new Float64Array([classWeight.negative, classWeight.positive]);
  const size = cols + 1;

  let positives = 0;
  for (let i = 0; i < rows; i++) positives += labels[i]!;
  const totalWeight = (rows - positives) * classWeight.negative + positives * classWeight.positive;
  const meanTarget = (positives * classWeight.positive) / totalWeight;
  const nullDeviance =
    -2 *
    (positives * classWeight.positive * Math.log(meanTarget) +
      (rows - positives) * classWeight.negative * Math.log(1 - meanTarget));

  const work = createWorkspace(size);
  const beta = new Float64Array(size);
  beta[0] = Math.log(meanTarget / (1 - meanTarget));

  const newton = (stride: number, iterations: number, tolerance: number, report: boolean) => {
    let pass = accumulate(matrix, labels, weightOf, beta, stride, true, work);
    // The subsample's share of the rows: its information is about that share of the full data's.
    const scale = pass.rows / rows;
    let current = penalise(pass, beta, l2, scale);
    let converged = false;
    let used = 0;
    let factor: ScaledCholesky | undefined;
    for (let iteration = 1; iteration <= iterations; iteration++) {
      used = iteration;
      const factored = scaledCholesky(current.hessian, size);
      if (isDependent(factored)) throw collinearityError(names, factored.column, factored.combination);
      factor = factored;
      const step = choleskySolve(factored, current.gradient);
      const previous = beta.slice();
      let halvings = 0;
      let next: Pass;
      let nextPenalised: ReturnType<typeof penalise>;
      for (;;) {
        for (let j = 0; j < size; j++) beta[j] = previous[j]! + step[j]! / 2 ** halvings;
        next = accumulate(matrix, labels, weightOf, beta, stride, true, work);
        nextPenalised = penalise(next, beta, l2, scale);
        // Step halving keeps every iteration a descent step, as R's glm.fit does for a diverging deviance.
        if (nextPenalised.deviance <= current.deviance * (1 + 1e-12) + 1e-12 || halvings >= 30) break;
        halvings++;
      }
      const change =
        Math.abs(nextPenalised.deviance - current.deviance) / (Math.abs(nextPenalised.deviance) + 0.1);
      pass = next;
      current = nextPenalised;
      if (report) options.onIteration?.({ iteration, deviance: current.deviance });
      if (l2 === 0 && pass.maxCertainEta > 40) break;
      if (change < tolerance) {
        converged = true;
        break;
      }
    }
    return { pass, current, converged, iterations: used, factor, scale };
  };

  /**
   * Gradient-only passes with a fixed preconditioner `factor` of (information · scale), the chord
   * method: linear convergence at the rate of the preconditioner's mismatch (a few per cent for a
   * subsample of 20,000 rows), each pass without the deviance and X'WX a fraction of the cost of a
   * Newton pass. The Newton decrement g'H⁻¹g (about the deviance still to gain) estimated with
   * the preconditioner shrinks by a steady ratio per pass; the passes stop once the point they leave
   * is predicted within 1e-3·tol of the optimum in relative deviance, so that the information matrix
   * of the pass that follows, which gives the standard errors, is that of the optimum to far better
   * than 1e-6 (a point merely within R's tol of it left them 1e-6 to 3e-6 off on a million rows).
   * False, with beta at the point of the smallest decrement seen, when the ratio is not below 1/4.
   */
  const chord = (factor: ScaledCholesky, scale: number, deviance: number): boolean => {
    let previous = Number.POSITIVE_INFINITY;
    const best = beta.slice();
    for (let iteration = 0; iteration < 30; iteration++) {
      const { gradient } = accumulate(matrix, labels, weightOf, beta, 1, false, work);
      for (let j = 1; j < size; j++) gradient[j]! -= l2 * beta[j]!;
      const step = choleskySolve(factor, gradient);
      let decrement = 0;
      for (let j = 0; j < size; j++) {
        step[j]! *= scale;
        decrement += step[j]! * gradient[j]!;
      }
      const ratio = decrement / previous;
      if (!(ratio <= 0.25)) {
        if (ratio < 1) best.set(beta);
        beta.set(best);
        return false;
      }
      best.set(beta);
      for (let j = 0; j < size; j++) beta[j]! += step[j]!;
      if (iteration > 0 && 4 * decrement * ratio < 1e-3 * tol * (Math.abs(deviance) + 0.1)) return true;
      previous = decrement;
    }
    return false;
  };

  // Large inputs: Newton on a subsample (every k-th block of rows) gets within sampling error of
  // the optimum; gradient-only passes over all rows, preconditioned by the subsample's information
  // matrix (the chord method), converge to tol; one pass with X'WX over all rows then gives the
  // information matrix for the standard errors and a last Newton step. That step's decrement is R's
  // convergence test (the deviance change of the last iteration relative to the deviance), and it
  // is also the deviance change itself up to third order, far below rounding at this point. Same
  // optimum, information matrix and criterion as Newton on all rows, in about a third of the work
  // (four gradient-only passes and one with X'WX instead of five or six with X'WX).
  const stride = rows >= 100_000 ? Math.min(32, Math.floor(rows / 20_000)) : 1;
  let fit: ReturnType<typeof newton> | undefined;
  if (stride > 1) {
    let warm: ReturnType<typeof newton> | undefined;
    try {
      // A warm start only has to come within the subsample's sampling error: a loose tolerance.
      warm = newton(stride, 30, 1e-4, false);
    } catch {
      // A degenerate subsample says nothing about the full data: restart from the null model.
      beta.fill(0);
      beta[0] = Math.log(meanTarget / (1 - meanTarget));
    }
    if (warm?.factor !== undefined && chord(warm.factor, warm.scale, warm.current.deviance / warm.scale)) {
      const pass = accumulate(matrix, labels, weightOf, beta, 1, true, work);
      const information = penalise(pass, beta, l2, 1);
      const factored = scaledCholesky(information.hessian, size);
      if (!isDependent(factored)) {
        const step = choleskySolve(factored, information.gradient);
        let decrement = 0;
        // Unpenalised deviance after the step from its quadratic model: D − 2·g's + s'X'WXs.
        let change = 0;
        for (let j = 0; j < size; j++) {
          decrement += step[j]! * information.gradient[j]!;
          let curvature = 0;
          for (let k = 0; k < size; k++) curvature += pass.hessian[j * size + k]! * step[k]!;
          change += step[j]! * (curvature - 2 * pass.gradient[j]!);
        }
        const deviance = information.deviance - decrement;
        if (decrement >= 0 && decrement < tol * (Math.abs(deviance) + 0.1)) {
          for (let j = 0; j < size; j++) beta[j]! += step[j]!;
          fit = {
            pass: { ...pass, deviance: pass.deviance + change },
            current: { ...information, deviance },
            converged: true,
            iterations: 1,
            factor: factored,
            scale: 1,
          };
          options.onIteration?.({ iteration: 1, deviance });
        }
      }
    }
  }
  fit ??= newton(1, maxIter, tol, true);
  // Standard errors from the information matrix of the last Newton iteration (R's convention).
  const information = fit.current.hessian;
  const factored = scaledCholesky(information, size);
  if (isDependent(factored)) throw collinearityError(names, factored.column, factored.combination);
  const variances = inverseDiagonal(factored);

  const certain = fit.pass.maxCertainEta > separationEta;
  if (l2 === 0 && certain) {
    const spreads = columnStandardDeviations(matrix);
    let suspect = -1;
    let largest = 0;
    for (let j = 1; j < size; j++) {
      const standardised = Math.sqrt(variances[j]!) * spreads[j - 1]!;
      if (standardised > largest) {
        largest = standardised;
        suspect = j;
      }
    }
    if (largest > 10 || !fit.converged) {
      const feature = suspect > 0 ? `'${names[suspect - 1]}'` : 'a combination of features';
      throw new TelcoAnalyticsError(
        'NOT_CONVERGED',
        `${context}: perfect or quasi-perfect separation: feature ${feature} predicts the target without error for some rows, so its coefficient has no finite maximum-likelihood estimate (estimate ${formatNumber(beta[suspect] ?? Number.NaN)} and growing); drop or regroup it, or set l2 > 0`,
      );
    }
  }
  if (!fit.converged) {
    throw new TelcoAnalyticsError(
      'NOT_CONVERGED',
      `${context}: Newton iterations did not converge in maxIter = ${maxIter} (last deviance ${fit.current.deviance}); raise maxIter or tol`,
    );
  }
  const coefficient = (name: string, j: number): LogisticCoefficient => {
    const estimate = beta[j]!;
    const stdError = Math.sqrt(variances[j]!);
    const z = estimate / stdError;
    return {
      name,
      estimate,
      stdError,
      z,
      pValue: twoSidedNormalPValue(z),
      ci95: [estimate - normalQuantile975 * stdError, estimate + normalQuantile975 * stdError],
      oddsRatio: Math.exp(estimate),
    };
  };
  const residualDeviance = fit.pass.deviance;
  return {
    kind: 'logistic',
    version: 1,
    featureNames: [...names],
    intercept: coefficient('(Intercept)', 0),
    coefficients: names.map((name, j) => coefficient(name, j + 1)),
    nullDeviance,
    residualDeviance,
    logLikelihood: -residualDeviance / 2,
    aic: residualDeviance + 2 * size,
    mcFaddenR2: 1 - residualDeviance / nullDeviance,
    observations: rows,
    iterations: fit.iterations,
    converged: fit.converged,
    l2,
    classWeight,
    formula: logisticFormula(beta[0]!, names, beta.subarray(1)),
  };
}

function columnStandardDeviations(matrix: DenseMatrix): Float64Array {
  const { data, rows, cols } = matrix;
  const means = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) means[c]! += data[r * cols + c]!;
  for (let c = 0; c < cols; c++) means[c]! /= rows;
  const squares = new Float64Array(cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) squares[c]! += (data[r * cols + c]! - means[c]!) ** 2;
  return squares.map((sum) => Math.sqrt(sum / Math.max(1, rows - 1)));
}
