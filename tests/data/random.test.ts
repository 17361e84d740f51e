import fc from 'fast-check';
import { createRng, deriveSeed, OptionError } from 'telco-analytics/data';
import { describe, expect, it } from 'vitest';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    squares += x * x;
  }
  const mean = sum / n;
  return { mean, variance: squares / n - mean * mean };
}

describe('createRng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sequenceA = Array.from({ length: 20 }, () => a.uniform());
    expect(Array.from({ length: 20 }, () => b.uniform())).toEqual(sequenceA);
    expect(Array.from({ length: 20 }, () => c.uniform())).not.toEqual(sequenceA);
  });

  it('pins the stream of seed 0 so a change of algorithm cannot pass unnoticed', () => {
    const rng = createRng(0);
    const first = Array.from({ length: 3 }, () => Math.round(rng.uniform() * 1e9));
    // Regenerate deliberately (and bump model/data versions) if the generator ever changes.
    expect(first).toMatchInlineSnapshot(`
      [
        979145246,
        825071134,
        284615754,
      ]
    `);
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = createRng(1);
    let min = 1;
    let max = 0;
    const { mean, variance } = moments(() => {
      const u = rng.uniform();
      min = Math.min(min, u);
      max = Math.max(max, u);
      return u;
    }, 200_000);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // Standard error of the mean: sqrt(1/12 / 2e5) = 6.5e-4; 5 standard errors.
    expect(Math.abs(mean - 0.5)).toBeLessThan(3.3e-3);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(2e-3);
  });

  it.each([
    ['normal(3, 2)', (r: ReturnType<typeof createRng>) => r.normal(3, 2), 3, 4],
    ['poisson(3.5), Knuth branch', (r: ReturnType<typeof createRng>) => r.poisson(3.5), 3.5, 3.5],
    ['poisson(50), PTRS branch', (r: ReturnType<typeof createRng>) => r.poisson(50), 50, 50],
    ['poisson(1000)', (r: ReturnType<typeof createRng>) => r.poisson(1000), 1000, 1000],
    ['gamma(2.5, 2)', (r: ReturnType<typeof createRng>) => r.gamma(2.5, 2), 5, 10],
    ['gamma(0.4, 1), boosted branch', (r: ReturnType<typeof createRng>) => r.gamma(0.4), 0.4, 0.4],
    ['exponential(4)', (r: ReturnType<typeof createRng>) => r.exponential(4), 0.25, 0.0625],
    ['beta(2, 3)', (r: ReturnType<typeof createRng>) => r.beta(2, 3), 0.4, 0.04],
  ])('%s has the textbook mean and variance', (_name, draw, mean, variance) => {
    const rng = createRng(7);
    const n = 200_000;
    const observed = moments(() => draw(rng), n);
    const standardError = Math.sqrt(variance / n);
    expect(Math.abs(observed.mean - mean)).toBeLessThan(5 * standardError);
    expect(Math.abs(observed.variance / variance - 1)).toBeLessThan(0.03);
  });

  it('draws Poisson values that are non-negative integers with the right zero probability', () => {
    const rng = createRng(3);
    let zeros = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const k = rng.poisson(1.2);
      expect(Number.isInteger(k) && k >= 0).toBe(true);
      if (k === 0) zeros++;
    }
    // P(0) = exp(-1.2) = 0.3012; standard error 0.00145.
    expect(Math.abs(zeros / n - Math.exp(-1.2))).toBeLessThan(0.0075);
  });

  it('draws categories in proportion to their weights and never a zero-weight one', () => {
    const rng = createRng(5);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 100_000; i++) counts[rng.categorical([1, 0, 3, 6])]! += 1;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / 1e5).toBeCloseTo(0.1, 2);
    expect(counts[2]! / 1e5).toBeCloseTo(0.3, 2);
    expect(counts[3]! / 1e5).toBeCloseTo(0.6, 2);
  });

  it('rejects bad parameters with the option named', () => {
    const rng = createRng(0);
    expect(() => createRng(1.5)).toThrow(OptionError);
    expect(() => createRng(Number.NaN)).toThrow(/seed/);
    expect(() => rng.categorical([0, 0])).toThrow(/positive sum/);
    expect(() => rng.categorical([1, -1])).toThrow(/weights\[1\]/);
    expect(() => rng.poisson(-1)).toThrow(/lambda/);
    expect(() => rng.gamma(0)).toThrow(/shape/);
    expect(() => rng.integer(0)).toThrow(/'n'/);
  });

  it('shuffles a copy and leaves the input untouched', () => {
    const input = Object.freeze([1, 2, 3, 4, 5, 6, 7, 8]);
    const shuffled = createRng(9).shuffle(input);
    expect(shuffled).not.toBe(input);
    expect([...shuffled].sort()).toEqual([...input]);
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('forks independent, reproducible streams without advancing the parent', () => {
    const parent = createRng(11);
    const fork1 = parent.fork('runs');
    const next = parent.uniform();
    expect(createRng(11).uniform()).toBe(next);
    expect(parent.fork('runs').uniform()).toBe(createRng(11).fork('runs').uniform());
    expect(fork1.uniform()).not.toBe(parent.fork('other').uniform());
  });

  it('derives distinct seeds for distinct stream labels', () => {
    const seeds = new Set<number>();
    for (let i = 0; i < 10_000; i++) seeds.add(deriveSeed(42, 'usage', i));
    expect(seeds.size).toBe(10_000);
    expect(deriveSeed(42, 'a')).not.toBe(deriveSeed(43, 'a'));
  });

  it('permutation is always a permutation of 0..n-1 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 31 }), (n, seed) => {
        const order = createRng(seed).permutation(n);
        const seen = new Uint8Array(n);
        for (const index of order) seen[index]! += 1;
        return seen.every((count) => count === 1);
      }),
    );
  });

  it('integer(n) stays within [0, n) (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 32 }), fc.nat(), (n, seed) => {
        const rng = createRng(seed);
        for (let i = 0; i < 50; i++) {
          const k = rng.integer(n);
          if (!Number.isInteger(k) || k < 0 || k >= n) return false;
        }
        return true;
      }),
    );
  });
});
