import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type BgNbdModel,
  conditionalExpectedPurchases,
  expectedPurchases,
  fitBgNbd,
  probabilityAlive,
} from 'telco-analytics/value';
import { describe, expect, it } from 'vitest';
import { sharedDataFile } from '../support/shared-data.js';

const python = '/usr/bin/python3';
const script = fileURLToPath(new URL('../reference/value-bg-nbd-scipy.py', import.meta.url));

function scipyAvailable(): boolean {
  if (!existsSync(python)) {
    process.stderr.write(`skipped: ${python} not found (the scipy reference needs it)\n`);
    return false;
  }
  try {
    execFileSync(python, ['-c', 'import scipy.special, scipy.optimize, numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    process.stderr.write('skipped: python3 has no scipy (apt install python3-scipy)\n');
    return false;
  }
}

const available = scipyAvailable();
const summaryPath = sharedDataFile('cdnow_customers_summary.csv');

interface ScipyAnswer {
  expected: number[];
  conditional: number[];
  alive: number[];
  fit?: { parameters: { r: number; alpha: number; a: number; b: number }; logLikelihood: number };
}

function model(parameters: { r: number; alpha: number; a: number; b: number }): BgNbdModel {
  return {
    kind: 'bgNbd',
    version: 1,
    unit: 'week',
    parameters,
    standardErrors: null,
    logLikelihood: 0,
    customers: 0,
    distinctTriplets: 0,
    penalizer: 0,
    convergence: { converged: true, iterations: 0, gradientNorm: 0, evaluations: 0, message: '' },
  };
}

// [t, x, t_x, T]: short and very long horizons (z = t / (alpha + T + t) up to 0.9999, where the
// hypergeometric series needs 10^5 terms) and heavy buyers (large r + x, b + x).
const queries: [number, number, number, number][] = [
  [1, 0, 0, 38.86],
  [1, 2, 30.43, 38.86],
  [10, 1, 1.71, 38.86],
  [39, 7, 29.43, 38.86],
  [52, 29, 37.71, 38],
  [200, 26, 30.86, 31],
  [1000, 5, 20, 38.86],
  [5e5, 40, 38, 39],
  [0.5, 60, 10, 200],
];

describe.skipIf(!available)('BG/NBD formulas against scipy (tests/reference/value-bg-nbd-scipy.py)', () => {
  const parameterSets = [
    { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
    { r: 2.5, alpha: 12, a: 3.2, b: 9.5 },
    { r: 0.6, alpha: 1.5, a: 0.4, b: 0.9 },
    // a + b < 1: the hypergeometric's c = a + b - 1 is negative for customers without repeat purchases.
    { r: 0.6, alpha: 1.5, a: 0.3, b: 0.5 },
  ];

  it.each(parameterSets)('E[X(t)], E[Y(t) | history] and P(alive) agree to 1e-9 (%o)', (parameters) => {
    const answer = JSON.parse(
      execFileSync(python, [script], { input: JSON.stringify({ parameters, queries }), encoding: 'utf8' }),
    ) as ScipyAnswer;
    const fitted = model(parameters);
    queries.forEach(([t, frequency, recency, T], index) => {
      const customer = { frequency, recency, T };
      const relative = (ours: number, theirs: number): number =>
        Math.abs(ours - theirs) / Math.max(Math.abs(theirs), 1e-300);
      expect(relative(expectedPurchases(fitted, t), answer.expected[index]!)).toBeLessThan(1e-9);
      expect(
        relative(conditionalExpectedPurchases(fitted, t, customer), answer.conditional[index]!),
      ).toBeLessThan(1e-9);
      expect(relative(probabilityAlive(fitted, customer), answer.alive[index]!)).toBeLessThan(1e-12);
    });
  });

  it.skipIf(summaryPath === undefined)(
    'the maximum-likelihood fit equals scipy.optimize on one row per customer',
    () => {
      const answer = JSON.parse(
        execFileSync(python, [script], {
          input: JSON.stringify({ parameters: parameterSets[0], queries: [], summary: summaryPath }),
          encoding: 'utf8',
        }),
      ) as ScipyAnswer;
      const [head, ...lines] = readFileSync(summaryPath!, 'utf8').trim().split(/\r?\n/);
      const header = head!.split(',');
      const rows = lines.map((line) =>
        Object.fromEntries(line.split(',').map((cell, i) => [header[i]!, cell])),
      );
      const ours = fitBgNbd(rows, { columns: { customerId: 'ID' } });
      const theirs = answer.fit!;
      expect(ours.logLikelihood).toBeGreaterThanOrEqual(theirs.logLikelihood - 1e-7);
      for (const name of ['r', 'alpha', 'a', 'b'] as const) {
        expect(Math.abs(ours.parameters[name] / theirs.parameters[name] - 1)).toBeLessThan(1e-5);
      }
    },
  );
});
