// JavaScript has no lgamma. Lanczos (g = 7, n = 9; Godfrey's coefficients) below 15, where its
// relative error in Gamma is ~1e-15; the Stirling series above, where it is exact to rounding.
// Shared by the PRNG's Poisson sampler and the value models' likelihoods. Internal to the package.
const lanczos = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const halfLogTwoPi = 0.5 * Math.log(2 * Math.PI);

/** log |Gamma(x)| for real x that is not a non-positive integer. @internal */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  if (x >= 15) {
    const inverse = 1 / x;
    const inverse2 = inverse * inverse;
    const series =
      inverse *
      (1 / 12 - inverse2 * (1 / 360 - inverse2 * (1 / 1260 - inverse2 * (1 / 1680 - inverse2 * (1 / 1188)))));
    return (x - 0.5) * Math.log(x) - x + halfLogTwoPi + series;
  }
  const z = x - 1;
  let sum = lanczos[0]!;
  for (let i = 1; i < 9; i++) sum += lanczos[i]! / (z + i);
  const t = z + 7.5;
  return halfLogTwoPi + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
