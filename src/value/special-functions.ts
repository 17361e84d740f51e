import { TelcoAnalyticsError } from '../data/errors.js';
import { logGamma } from '../data/log-gamma.js';

// log Gamma lives in the data layer, shared with the PRNG's Poisson sampler.
export { logGamma };

/** The sign of Gamma(x): +1 for x > 0, alternating between the poles below 0. @internal */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** The digamma function psi(x) = d/dx log Gamma(x), for x > 0 (recurrence up to 10, then the asymptotic series). @internal */
export function digamma(x: number): number {
  let shift = 0;
  let y = x;
  while (y < 10) {
    shift -= 1 / y;
    y += 1;
  }
  const inverse = 1 / y;
  const inverse2 = inverse * inverse;
  const series =
    inverse2 *
    (1 / 12 -
      inverse2 *
        (1 / 120 -
          inverse2 * (1 / 252 - inverse2 * (1 / 240 - inverse2 * (1 / 132 - inverse2 * (691 / 32760))))));
  return shift + Math.log(y) - 0.5 * inverse - series;
}

/** The trigamma function psi'(x), for x > 0 (recurrence up to 10, then the asymptotic series). @internal */
export function trigamma(x: number): number {
  let shift = 0;
  let y = x;
  while (y < 10) {
    shift += 1 / (y * y);
    y += 1;
  }
  const inverse = 1 / y;
  const inverse2 = inverse * inverse;
  // 1/y + 1/(2y^2) + sum B_2k / y^(2k+1)
  const series =
    inverse *
    (1 +
      inverse * 0.5 +
      inverse2 *
        (1 / 6 -
          inverse2 *
            (1 / 30 -
              inverse2 *
                (1 / 42 -
                  inverse2 *
                    (1 / 30 - inverse2 * (5 / 66 - inverse2 * (691 / 2730 - inverse2 * (7 / 6))))))));
  return shift + series;
}

/** log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b), for a, b > 0. @internal */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

const maximumSeriesTerms = 10_000_000;

/** The Gauss series sum_k (a)_k (b)_k / ((c)_k k!) z^k, summed until the terms stop mattering. */
function gaussSeries(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < maximumSeriesTerms; k++) {
    term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    sum += term;
    if (term === 0) return sum;
    // Once the term ratio is below 1 the tail is at most term * q / (1 - q), q the larger of the
    // next ratio and its limit z (the ratios move monotonically towards z for large k).
    const next = Math.abs((((a + k + 1) * (b + k + 1)) / ((c + k + 1) * (k + 2))) * z);
    const bound = Math.max(next, z);
    if (next < 1 && Math.abs(term) * (bound / (1 - bound)) <= 1e-17 * Math.abs(sum)) return sum;
  }
  throw new TelcoAnalyticsError(
    'NOT_CONVERGED',
    `hypergeometric2F1(${a}, ${b}; ${c}; ${z}): the series did not converge in ${maximumSeriesTerms} terms`,
  );
}

/** log |Gamma(x)| with its sign, or a pole flag at the non-positive integers. */
function signedLogGamma(x: number): { log: number; sign: number; pole: boolean } {
  if (x <= 0 && Number.isInteger(x)) return { log: Number.POSITIVE_INFINITY, sign: 1, pole: true };
  return { log: logGamma(x), sign: gammaSign(x), pole: false };
}

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real 0 <= z < 1 and c not a
 * non-positive integer, as the
 * buy-till-you-die formulas need it.
 *
 * The plain series converges like z^k, so for z <= 0.9999 (at most a few hundred thousand terms) it is
 * summed directly; its terms are all positive when a, b, c > 0, so there is no cancellation.
 * Closer to 1 the linear transformation to 1 - z (Abramowitz & Stegun 15.3.6) is used, whose two
 * series converge fast; it breaks down when c - a - b is (nearly) an integer, and there the
 * direct series is summed to the end (up to 1e7 terms).
 * @internal
 */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  if (z === 0) return 1;
  const poleOfC = c <= 0 && Math.abs(c - Math.round(c)) < 1e-12;
  if (z < 0 || z >= 1 || !Number.isFinite(c) || poleOfC) {
    throw new TelcoAnalyticsError(
      'UNSUPPORTED',
      `hypergeometric2F1: needs 0 <= z < 1 and c not a non-positive integer, received z = ${z}, c = ${c}`,
    );
  }
  const excess = c - a - b;
  // A negative c (BG/NBD with a + b < 1) only makes the first terms alternate; the series still
  // converges like z^k, and the transformation below carries the sign of Gamma(c).
  if (z <= 0.9999 || Math.abs(excess - Math.round(excess)) < 1e-4) return gaussSeries(a, b, c, z);
  const w = 1 - z;
  // A&S 15.3.6: 2F1(a,b;c;z) = G(c)G(c-a-b)/(G(c-a)G(c-b)) 2F1(a,b;a+b-c+1;1-z)
  //   + (1-z)^(c-a-b) G(c)G(a+b-c)/(G(a)G(b)) 2F1(c-a,c-b;c-a-b+1;1-z)
  const gammaC = signedLogGamma(c);
  const logGammaC = gammaC.log;
  const excessGamma = signedLogGamma(excess);
  const negativeExcessGamma = signedLogGamma(-excess);
  let first = 0;
  const cMinusA = signedLogGamma(c - a);
  const cMinusB = signedLogGamma(c - b);
  if (!cMinusA.pole && !cMinusB.pole) {
    const sign = gammaC.sign * excessGamma.sign * cMinusA.sign * cMinusB.sign;
    first =
      sign *
      Math.exp(logGammaC + excessGamma.log - cMinusA.log - cMinusB.log) *
      gaussSeries(a, b, 1 - excess, w);
  }
  const gammaA = signedLogGamma(a);
  const gammaB = signedLogGamma(b);
  let second = 0;
  if (!gammaA.pole && !gammaB.pole) {
    const sign = gammaC.sign * negativeExcessGamma.sign * gammaA.sign * gammaB.sign;
    second =
      sign *
      Math.exp(excess * Math.log(w) + logGammaC + negativeExcessGamma.log - gammaA.log - gammaB.log) *
      gaussSeries(c - a, c - b, excess + 1, w);
  }
  return first + second;
}
