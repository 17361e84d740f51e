import { readFileSync } from 'node:fs';
import type { Payment } from 'telco-analytics/data';
import {
  type BgNbdModel,
  conditionalExpectedPurchases,
  customerLifetimeValue,
  expectedAverageValue,
  fitBgNbd,
  fitGammaGamma,
  type GammaGammaModel,
  probabilityAlive,
  summarizeTransactions,
  type TransactionSummary,
} from 'telco-analytics/value';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDataFile } from '../support/shared-data.js';

const summaryPath = sharedDataFile('cdnow_customers_summary.csv');
const withValuePath = sharedDataFile('cdnow_customers_summary_with_transactions.csv');
const masterPath = sharedDataFile('CDNOW_master.txt');
const samplePath = sharedDataFile('CDNOW_sample.txt');

function readCsv(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const header = head!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [header[i]!, cell])));
}

const valueColumns = { customerId: 'ID', frequency: 'x', recency: 't_x', monetary: 'zbar' } as const;

// Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science 24(2),
// table/section 5: BG/NBD on the 1/10 CDNOW cohort (2,357 customers, weeks, 39-week calibration).
const published = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe.skipIf(summaryPath === undefined)('BG/NBD on the CDNOW cohort summary', () => {
  // Read in beforeAll, not in the describe body: a skipped describe still runs its body.
  let rows: readonly Record<string, string>[];
  let model: BgNbdModel;
  beforeAll(() => {
    rows = Object.freeze(readCsv(summaryPath!).map((row) => Object.freeze(row)));
    model = fitBgNbd(rows, { columns: { customerId: 'ID' } });
  });

  it('reproduces the published parameters to their three decimals', () => {
    expect(model.convergence.converged).toBe(true);
    expect(model.customers).toBe(2357);
    expect(model.distinctTriplets).toBeLessThan(2357);
    for (const [name, value] of Object.entries(published)) {
      expect(model.parameters[name as keyof typeof published].toFixed(3)).toBe(value.toFixed(3));
    }
    // FHL 2005 report LL = -9582.4.
    expect(model.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(model.standardErrors).not.toBeNull();
  });

  it('gives the conditional expectations lifetimes documents for the same customers', () => {
    // lifetimes docs/Quickstart.md ("Ranking customers from best to worst"), BetaGeoFitter fitted on
    // this file, t = 1: predicted_purchases of IDs 509, 841, 1981, 157, 1516. Printed to 6 decimals;
    // lifetimes' optimiser stops ~1e-5 from the optimum, hence the 5e-6 tolerance.
    const printed: readonly [number, number][] = [
      [509, 0.424877],
      [841, 0.474738],
      [1981, 0.486526],
      [157, 0.662396],
      [1516, 0.710623],
    ];
    for (const [id, expected] of printed) {
      const row = rows[id - 1]!;
      expect(row.ID).toBe(String(id));
      const customer = { frequency: Number(row.frequency), recency: Number(row.recency), T: Number(row.T) };
      expect(Math.abs(conditionalExpectedPurchases(model, 1, customer) - expected)).toBeLessThan(5e-6);
    }
  });

  it('gives P(alive) = 1 without repeat purchases and below 1 after a long silence', () => {
    expect(probabilityAlive(model, { frequency: 0, recency: 0, T: 38.86 })).toBe(1);
    // Customer 2: one repeat purchase at week 1.71, silent for 37 weeks.
    expect(probabilityAlive(model, { frequency: 1, recency: 1.71, T: 38.86 })).toBeLessThan(0.3);
  });
});

describe.skipIf(withValuePath === undefined)('Gamma-Gamma and CLV on the CDNOW cohort', () => {
  let rows: readonly Record<string, string>[];
  let value: GammaGammaModel;
  beforeAll(() => {
    rows = Object.freeze(readCsv(withValuePath!));
    value = fitGammaGamma(rows, { columns: valueColumns });
  });

  it('reproduces the published Gamma-Gamma parameters', () => {
    // Fader & Hardie (2013), "The Gamma-Gamma model of monetary value": p = 6.25, q = 3.74,
    // gamma = 15.44 on the 946 customers with repeat purchases. The maximum of the likelihood is at
    // v = 15.4477 (lifetimes' docs print 15.45), so v is checked to the published 0.01.
    expect(value.convergence.converged).toBe(true);
    expect(value.customers).toBe(946);
    expect(value.parameters.p.toFixed(2)).toBe('6.25');
    expect(value.parameters.q.toFixed(2)).toBe('3.74');
    expect(Math.abs(value.parameters.v - 15.44)).toBeLessThan(0.01);
  });

  it('gives the expected average values lifetimes documents', () => {
    // lifetimes docs/Quickstart.md, ggf.conditional_expected_average_profit(...).head(10).
    const printed = [
      24.658619, 18.911489, 35.170981, 35.170981, 35.170981, 71.462843, 18.911489, 35.170981, 27.282408,
      35.170981,
    ];
    printed.forEach((expected, index) => {
      const row = rows[index]!;
      const estimate = expectedAverageValue(value, { frequency: Number(row.x), monetary: Number(row.zbar) });
      expect(Math.abs(estimate / expected - 1)).toBeLessThan(1e-6);
    });
  });

  it("gives lifetimes' documented CLV when its period convention is reproduced", () => {
    // lifetimes docs/Quickstart.md: ggf.customer_lifetime_value(bgf, ..., time=12, discount_rate=0.01)
    // with its default freq='D' on this weekly data, i.e. 12 steps of 30 weeks: periodLength 30.
    const transactions = fitBgNbd(rows, { columns: valueColumns });
    const values = customerLifetimeValue(rows, {
      transactions,
      value,
      horizon: 12,
      discountRate: 0.01,
      periodLength: 30,
      columns: valueColumns,
    });
    const printed = [
      140.096211, 18.943467, 38.180574, 38.180574, 38.180574, 1003.868107, 28.109683, 38.180574, 167.418216,
      38.180574,
    ];
    printed.forEach((expected, index) => {
      expect(Math.abs(values[index]!.clv / expected - 1)).toBeLessThan(1e-6);
    });
    // The package's own month (4.348 weeks) gives a much smaller, one-calendar-year CLV.
    const year = customerLifetimeValue(rows, { transactions, value, columns: valueColumns });
    expect(year[0]!.clv).toBeLessThan(values[0]!.clv / 3);
    expect(year[0]!.customerId).toBe('1');
  });
});

describe.skipIf(masterPath === undefined || samplePath === undefined)(
  'the raw CDNOW_master log through summarizeTransactions',
  () => {
    const payments: Payment[] = [];
    let summary: TransactionSummary;
    beforeAll(() => {
      // CDNOW_sample.txt holds the 1/10 cohort: column 1 the master id, column 2 the cohort id 1..2357.
      const cohort = new Map<number, string>();
      for (const line of readFileSync(samplePath!, 'utf8').trim().split('\n')) {
        const [masterId, cohortId] = line.trim().split(/\s+/);
        cohort.set(Number(masterId), String(Number(cohortId)));
      }
      for (const line of readFileSync(masterPath!, 'utf8').trim().split('\n').slice(1)) {
        const [masterId, date, , dollars] = line.trim().split(/\s+/);
        const id = cohort.get(Number(masterId));
        if (id === undefined) continue;
        const day = Date.UTC(
          Number(date!.slice(0, 4)),
          Number(date!.slice(4, 6)) - 1,
          Number(date!.slice(6, 8)),
        );
        payments.push({ customerId: id, date: day, amount: Number(dollars) });
      }
      // The calibration period ends 1997-09-30 (39 weeks from 1997-01-01).
      summary = summarizeTransactions(Object.freeze(payments), { asOf: '1997-09-30', unit: 'week' });
    });

    it('reproduces the published cohort summary row by row', () => {
      expect(payments).toHaveLength(6919);
      expect(summary.customers).toHaveLength(2357);
      expect(summary.excludedAfterAsOf).toBeGreaterThan(0);
      const byId = new Map(summary.customers.map((row) => [row.customerId, row]));
      const published = withValuePath === undefined ? [] : readCsv(withValuePath);
      for (const row of published) {
        const ours = byId.get(row.ID!)!;
        expect(ours.frequency).toBe(Number(row.x));
        // The published file rounds to 2 decimals.
        expect(Math.abs(ours.recency - Number(row.t_x))).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(Math.abs(ours.T - Number(row.T))).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(Math.abs(ours.monetary - Number(row.zbar))).toBeLessThanOrEqual(0.005 + 1e-9);
      }
    });

    it('fits the published BG/NBD parameters from the raw log', () => {
      const model = fitBgNbd(summary);
      expect(model.unit).toBe('week');
      expect(model.convergence.converged).toBe(true);
      for (const [name, value] of Object.entries(published)) {
        expect(model.parameters[name as keyof typeof published].toFixed(3)).toBe(value.toFixed(3));
      }
    });
  },
);
