const smallLogFactorials: number[] = [0];
for (let n = 1; n <= 15; n++) smallLogFactorials.push(smallLogFactorials[n - 1]! + Math.log(n));
const logTwoPi = Math.log(2 * Math.PI);

/** ln(n!) - ln(sqrt(2 pi n) (n/e)^n), Stirling's error term (Loader 2000, as R's `stirlerr`). */
function stirlingError(n: number): number {
  if (n <= 15)
    return n === 0 ? 0 : smallLogFactorials[n]! - (n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n));
  const square = n * n;
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / 1188 / square) / square) / square) / square) / n;
}

/** x ln(x / mean) + mean - x without cancellation (Loader 2000, as R's `bd0`). */
function deviance(x: number, mean: number): number {
  if (Math.abs(x - mean) < 0.1 * (x + mean)) {
    let v = (x - mean) / (x + mean);
    let sum = (x - mean) * v;
    let term = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      term *= v;
      const next = sum + term / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / mean) + mean - x;
}

/** ln of the binomial probability of x in n at p (q = 1 - p), accurate in the tails (R's `dbinom_raw`). */
function logBinomial(x: number, n: number, p: number, q: number): number {
  if (x === 0) return n === 0 ? 0 : p < 0.1 ? -deviance(n, n * q) - n * p : n * Math.log(q);
  if (x === n) return q < 0.1 ? -deviance(n, n * p) - n * q : n * Math.log(p);
  const core =
    stirlingError(n) - stirlingError(x) - stirlingError(n - x) - deviance(x, n * p) - deviance(n - x, n * q);
  return core - 0.5 * (logTwoPi + Math.log(x) + Math.log1p(-x / n));
}

/** ln P(X = x) for X ~ Hypergeometric(successes, failures, draws), as R's `dhyper` (Loader's method). */
function logHypergeometric(x: number, successes: number, failures: number, draws: number): number {
  const total = successes + failures;
  const p = draws / total;
  const q = (total - draws) / total;
  return (
    logBinomial(x, successes, p, q) + logBinomial(draws - x, failures, p, q) - logBinomial(draws, total, p, q)
  );
}

/**
 * One-sided Fisher exact test for positive association (arules' `fishersExactTest`, R's
 * `fisher.test(alternative = "greater")`): the probability, with the margins fixed, that at
 * least `both` of `total` baskets hold antecedent and consequent, when `antecedent` baskets hold
 * the antecedent and `consequent` the consequent. Hypergeometric upper tail, summed from its
 * first term by the ratio of successive terms.
 */
export function fisherExactPValue(
  both: number,
  antecedent: number,
  consequent: number,
  total: number,
): number {
  const highest = Math.min(antecedent, consequent);
  const lowest = Math.max(0, antecedent + consequent - total);
  if (both <= lowest) return 1;
  if (both > highest) return 0;
  const rest = total - consequent - antecedent;
  const logTerm = (x: number): number => logHypergeometric(x, consequent, total - consequent, antecedent);
  // Sum away from the mode, where terms only shrink, so the running ratios never overflow.
  if (both * total >= antecedent * consequent) {
    let term = 1;
    let sum = 1;
    for (let x = both; x < highest; x++) {
      term *= ((consequent - x) * (antecedent - x)) / ((x + 1) * (rest + x + 1));
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return Math.min(1, Math.exp(logTerm(both)) * sum);
  }
  let term = 1;
  let sum = 1;
  for (let x = both - 1; x > lowest; x--) {
    term *= (x * (rest + x)) / ((consequent - x + 1) * (antecedent - x + 1));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.max(0, Math.min(1, 1 - Math.exp(logTerm(both - 1)) * sum));
}
