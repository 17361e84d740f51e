const inverseRootPi = 1 / Math.sqrt(Math.PI);

/**
 * The complementary error function to full double precision over the whole line, so that tiny
 * p-values keep their relative accuracy (1 - erf loses it in the tail):
 * below 2 the series erf(x) = 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (1·3···(2n+1)) (positive terms,
 * no cancellation), from 2 the Laplace continued fraction evaluated by the modified Lentz method.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - 2 * inverseRootPi * Math.exp(-x * x) * sum;
  }
  if (x > 27) return 0;
  // erfc(x) = e^(-x^2)/sqrt(pi) · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))).
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (inverseRootPi * Math.exp(-x * x)) / f;
}

/** Two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|) = erfc(|z| / sqrt 2). */
export function twoSidedNormalPValue(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** The 97.5% standard normal quantile (R: qnorm(0.975)). */
export const normalQuantile975 = 1.959963984540054;
