import { OptionError } from './errors.js';
import { logGamma } from './log-gamma.js';

/**
 * A seeded pseudo-random number generator: the only source of randomness in the package.
 * Built on sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state, passes
 * PractRand/BigCrush), seeded through splitmix32 so that nearby seeds give unrelated streams.
 * Each draw of `uniform` consumes one 32-bit output, so values are multiples of 2^-32.
 */
export interface Rng {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Uniform integer on [0, n). `n` must be a positive integer below 2^32. */
  integer(n: number): number;
  /** Normal (Box–Muller). @defaultValue mean 0, standardDeviation 1 */
  normal(mean?: number, standardDeviation?: number): number;
  /** Log-normal: `exp(normal(mu, sigma))`. */
  logNormal(mu: number, sigma: number): number;
  /** Exponential with the given rate (mean `1 / rate`). */
  exponential(rate: number): number;
  /** Poisson with mean `lambda` (Knuth below 10, Hörmann's PTRS above: exact, O(1) expected). */
  poisson(lambda: number): number;
  /** Gamma with `shape` and `scale` (mean `shape * scale`; Marsaglia–Tsang). @defaultValue scale 1 */
  gamma(shape: number, scale?: number): number;
  /** Beta(a, b) from two gammas. */
  beta(a: number, b: number): number;
  /** `true` with probability `p`. */
  bernoulli(p: number): boolean;
  /** An index drawn with probability proportional to `weights[i]` (non-negative, positive sum). */
  categorical(weights: ArrayLike<number>): number;
  /** A shuffled copy (Fisher–Yates); the input is not touched. */
  shuffle<T>(items: readonly T[]): T[];
  /** A random permutation of `0..n-1`. */
  permutation(n: number): Int32Array;
  /** An independent generator derived from this one's seed and `stream`, without advancing this one. */
  fork(stream: number | string): Rng;
  /** The seed this generator was created with. */
  readonly seed: number;
}

function splitmix32(state: number): () => number {
  let s = state | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over the text, for string stream labels. */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Combines a seed with stream labels into a new 32-bit seed, so that independent parts of a
 * computation (one per subscriber, one per run) get independent, order-free random streams.
 *
 * @example
 * deriveSeed(42, 'subscriber', 17) === deriveSeed(42, 'subscriber', 17); // => true
 */
export function deriveSeed(seed: number, ...streams: readonly (number | string)[]): number {
  let state = (Math.floor(seed) ^ Math.floor(seed / 2 ** 32)) >>> 0;
  for (const stream of streams) {
    const label =
      typeof stream === 'string' ? hashText(stream) : (stream >>> 0) ^ Math.floor(stream / 2 ** 32);
    const mix = splitmix32((state ^ Math.imul(label >>> 0, 0x9e3779b1)) >>> 0);
    mix();
    state = mix();
  }
  return state;
}

const twoToMinus32 = 2 ** -32;

function requireFinite(name: string, value: number, positive = false): void {
  if (!Number.isFinite(value) || (positive ? value <= 0 : value < 0)) {
    throw new OptionError(
      'Rng',
      name,
      `must be a finite ${positive ? 'positive' : 'non-negative'} number, received ${value}`,
    );
  }
}

/**
 * Creates the package's seeded generator. Same seed, same sequence, on every platform.
 *
 * @param seed - any integer in the safe range (default 0); non-integers are rejected.
 * @example
 * const rng = createRng(42);
 * rng.uniform(); // a number in [0, 1), the same on every run
 * rng.poisson(3.5); // an integer with mean 3.5
 * rng.categorical([0.2, 0.8]); // 1 four times in five
 */
export function createRng(seed = 0): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new OptionError('createRng', 'seed', `must be a safe integer, received ${seed}`);
  }
  const init = splitmix32(deriveSeed(seed));
  let a = init() | 0;
  let b = init() | 0;
  let c = init() | 0;
  let d = init() | 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm-up: sfc32's first outputs are weakly mixed.
  for (let i = 0; i < 12; i++) next();

  const uniform = (): number => next() * twoToMinus32;
  let spareNormal = Number.NaN;
  const standardNormal = (): number => {
    if (!Number.isNaN(spareNormal)) {
      const value = spareNormal;
      spareNormal = Number.NaN;
      return value;
    }
    // 1 - u avoids log(0).
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  const gamma = (shape: number, scale = 1): number => {
    requireFinite('shape', shape, true);
    if (shape < 1) {
      // Boost: Gamma(shape) = Gamma(shape + 1) * U^(1/shape).
      return gamma(shape + 1, scale) * (1 - uniform()) ** (1 / shape);
    }
    const dd = shape - 1 / 3;
    const cc = 1 / Math.sqrt(9 * dd);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = standardNormal();
        v = 1 + cc * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - uniform();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + dd * (1 - v + Math.log(v))) {
        return dd * v * scale;
      }
    }
  };
  const poisson = (lambda: number): number => {
    requireFinite('lambda', lambda);
    if (lambda === 0) return 0;
    if (lambda < 10) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let product = uniform();
      while (product > limit) {
        k++;
        product *= uniform();
      }
      return k;
    }
    const rootLambda = Math.sqrt(lambda);
    const logLambda = Math.log(lambda);
    const bb = 0.931 + 2.53 * rootLambda;
    const aa = -0.059 + 0.02483 * bb;
    const inverseAlpha = 1.1239 + 1.1328 / (bb - 3.4);
    const vr = 0.9277 - 3.6224 / (bb - 2);
    for (;;) {
      const u = uniform() - 0.5;
      const v = uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * aa) / us + bb) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (
        Math.log(v) + Math.log(inverseAlpha) - Math.log(aa / (us * us) + bb) <=
        -lambda + k * logLambda - logGamma(k + 1)
      ) {
        return k;
      }
    }
  };

  const rng: Rng = {
    seed,
    uniform,
    integer(n) {
      if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) {
        throw new OptionError('Rng.integer', 'n', `must be an integer in 1..2^32, received ${n}`);
      }
      // Lemire's multiply-shift is biased by < n / 2^32; acceptable for sampling, documented here.
      return Math.floor(next() * twoToMinus32 * n);
    },
    normal(mean = 0, standardDeviation = 1) {
      return mean + standardDeviation * standardNormal();
    },
    logNormal(mu, sigma) {
      return Math.exp(mu + sigma * standardNormal());
    },
    exponential(rate) {
      requireFinite('rate', rate, true);
      return -Math.log(1 - uniform()) / rate;
    },
    poisson,
    gamma,
    beta(alpha, betaShape) {
      const x = gamma(alpha);
      return x / (x + gamma(betaShape));
    },
    bernoulli(p) {
      return uniform() < p;
    },
    categorical(weights) {
      let total = 0;
      for (let i = 0; i < weights.length; i++) {
        const w = weights[i]!;
        if (!(w >= 0) || !Number.isFinite(w)) {
          throw new OptionError(
            'Rng.categorical',
            `weights[${i}]`,
            `must be a finite non-negative number, received ${w}`,
          );
        }
        total += w;
      }
      if (!(total > 0)) throw new OptionError('Rng.categorical', 'weights', 'must have a positive sum');
      let target = uniform() * total;
      for (let i = 0; i < weights.length; i++) {
        target -= weights[i]!;
        if (target < 0) return i;
      }
      // Rounding can leave target at +0: return the last positive weight.
      for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
      return weights.length - 1;
    },
    shuffle(items) {
      const copy = items.slice();
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(uniform() * (i + 1));
        const held = copy[i]!;
        copy[i] = copy[j]!;
        copy[j] = held;
      }
      return copy;
    },
    permutation(n) {
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(uniform() * (i + 1));
        const held = order[i]!;
        order[i] = order[j]!;
        order[j] = held;
      }
      return order;
    },
    fork(stream) {
      return createRng(deriveSeed(seed, stream));
    },
  };
  return rng;
}
