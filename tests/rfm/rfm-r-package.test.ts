import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRng, type Payment, readPayments } from 'telco-analytics/data';
import { type RfmResult, rfm } from 'telco-analytics/rfm';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDataFile } from '../support/shared-data.js';

const ordersPath = sharedDataFile('rfm_data_orders.csv');
const referencePath = fileURLToPath(new URL('../reference/rfm-r-package-readme-scores.txt', import.meta.url));
const rScript = fileURLToPath(new URL('../reference/rfm-r-quantiles.R', import.meta.url));
const rscriptPath = ['/usr/bin/Rscript', '/usr/local/bin/Rscript'].find((path) => existsSync(path));

/** The 995 `rfm_score` codes printed in the R package's README, in its output order. */
function readmeScores(): string[] {
  return readFileSync(referencePath, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join(' ')
    .split(/\s+/)
    .filter((code) => code !== '');
}

describe.skipIf(ordersPath === undefined)(
  "R's rfm package on rfm_data_orders.csv (analysis date 2006-12-31)",
  () => {
    let payments: Payment[];
    let result: RfmResult;

    beforeAll(async () => {
      ({ rows: payments } = await readPayments(ordersPath!, {
        columns: { customerId: 'customer_id', date: 'order_date', amount: 'revenue' },
      }));
      result = rfm(payments, {
        asOf: '2006-12-31',
        scoring: 'rfmPackage',
        segments: 'rfmPackage',
        otherSegment: 'Others',
      });
    });

    it('aggregates the orders as the package does (its test: 995 customers, 4,906 transactions)', () => {
      expect(payments).toHaveLength(4906);
      expect(result.customers).toHaveLength(995);
      expect(result.customers.reduce((sum, row) => sum + row.frequency, 0)).toBe(4906);
      // Rows printed in the README (customer, recency_days, transaction_count, amount); our CSV keeps
      // the names without the titles the package's copy adds ("Mr. Brion Stark Sr.").
      const byName = new Map(result.customers.map((row) => [row.customerId, row]));
      expect(byName.get('Brion Stark')).toMatchObject({ recencyDays: 229, frequency: 8, monetary: 852 });
      expect(byName.get('Aileen Barton')).toMatchObject({ recencyDays: 84, frequency: 9, monetary: 763 });
      expect(byName.get('Alysa Cummings')).toMatchObject({ recencyDays: 1, frequency: 9, monetary: 876 });
      expect(byName.get('Cristy Ferry')).toMatchObject({ recencyDays: 559, frequency: 1, monetary: 172 });
    });

    it("uses the package's published thresholds (README: rfm_result$threshold)", () => {
      const { breakpoints } = result;
      expect(breakpoints.closed).toBe('left');
      [115, 181, 297.4, 482].forEach((cut, k) => {
        expect(breakpoints.recency[k]).toBeCloseTo(cut, 9);
      });
      [4, 5, 6, 8].forEach((cut, k) => {
        expect(breakpoints.frequency[k]).toBeCloseTo(cut, 9);
      });
      [255.8, 382, 506.4, 666].forEach((cut, k) => {
        expect(breakpoints.monetary[k]).toBeCloseTo(cut, 9);
      });
    });

    it('reproduces every one of the 995 published RFM scores', () => {
      // tests/reference/rfm-r-package-readme-scores.txt: the README's rfm_score column, in the
      // package's output order (first appearance in the orders, which is also ours).
      const published = readmeScores();
      expect(published).toHaveLength(995);
      const ours = result.customers.map((row) => row.cell);
      const mismatches = ours.flatMap((cell, index) =>
        cell === published[index] ? [] : [`${index + 1}: ${cell} vs ${published[index]}`],
      );
      expect(mismatches).toEqual([]);
    });

    it("reproduces the package's segment test: Champions = 158 customers, 1,234 orders, 120,178 revenue", () => {
      // tests/testthat/test-rfm-segment.R of the package, with the segment bounds of rfmPackageSegments.
      const champions = result.segments.find((row) => row.segment === 'Champions')!;
      expect(champions.customers).toBe(158);
      expect(champions.revenue).toBe(120178);
      expect(Math.round(champions.meanFrequency! * champions.customers)).toBe(1234);
      // The same test's first ten customers (sorted by name; the package's copy adds titles).
      const expected: [string, string][] = [
        ["Abbey O'Reilly", 'Loyal Customers'],
        ['Add Senger', 'Potential Loyalist'],
        ['Aden Lesch', 'Potential Loyalist'],
        ['Admiral Senger', 'Loyal Customers'],
        ["Agness O'Keefe", 'Champions'],
        ['Aileen Barton', 'Champions'],
        ['Ailene Hermann', 'Loyal Customers'],
        ['Aiyanna Bruen', 'Potential Loyalist'],
        ['Ala Schmidt', 'About To Sleep'],
        ['Alannah Borer', 'Lost'],
      ];
      const segmentOf = new Map(result.customers.map((row) => [row.customerId, row.segment]));
      expect(expected.map(([name]) => [name, segmentOf.get(name)])).toEqual(expected);
      const total = result.segments.reduce((sum, row) => sum + row.customers, 0);
      expect(total).toBe(995);
      // Not published, listed for the record: this scheme leaves 48 customers in "Others".
      expect(result.segments.at(-1)).toMatchObject({ segment: 'Others', customers: 48 });
    });

    it("differs from plain 'quantile' scoring for only the 3 customers just above a fractional quantile", () => {
      const plain = rfm(payments, { asOf: '2006-12-31' });
      const differing = plain.customers.filter((row, index) => row.cell !== result.customers[index]!.cell);
      expect(differing).toHaveLength(3);
      // 297 days (above 296.4, below 297.4), revenue 255 (above 254.8) or 506 (above 505.4).
      for (const row of differing) {
        expect([297, 255, 506].some((value) => row.recencyDays === value || row.monetary === value)).toBe(
          true,
        );
      }
    });

    describe.skipIf(rscriptPath === undefined)("against R's quantile() run by Rscript", () => {
      it("matches R's type-7 quintiles of the same aggregates (script: tests/reference/rfm-r-quantiles.R)", () => {
        const output = execFileSync(rscriptPath!, [rScript, ordersPath!], {
          encoding: 'utf8',
          stdio: 'pipe',
        });
        const [recency, frequency, monetary] = output
          .trim()
          .split('\n')
          .map((line) => line.trim().split(/\s+/).map(Number));
        const plain = rfm(payments, { asOf: '2006-12-31' }).breakpoints;
        recency!.forEach((cut, k) => {
          expect(plain.recency[k]).toBeCloseTo(cut, 9);
        });
        frequency!.forEach((cut, k) => {
          expect(plain.frequency[k]).toBeCloseTo(cut, 9);
        });
        monetary!.forEach((cut, k) => {
          expect(plain.monetary[k]).toBeCloseTo(cut, 9);
        });
      });

      it("matches R's quantile(type = 7) on random values for every bin count", () => {
        const rng = createRng(20240501);
        const samples = Array.from({ length: 24 }, (_, index) => {
          const bins = 2 + (index % 8);
          const size = 1 + rng.integer(40);
          // Whole numbers with repeats, so ties and quantiles landing on values are exercised.
          const values = Array.from({ length: size }, () => rng.integer(12) * 2.5);
          return { bins, values };
        });
        const input = `${samples.map(({ bins, values }) => `${bins} ${values.join(' ')}`).join('\n')}\n`;
        const program =
          'for (line in readLines(file("stdin"))) { x <- as.numeric(strsplit(line, " ")[[1]]); b <- x[1]; v <- x[-1]; ' +
          'cat(sprintf("%.12f", quantile(v, (1:(b - 1)) / b, type = 7, names = FALSE)), "\\n") }';
        const output = execFileSync(rscriptPath!, ['-e', program], {
          input,
          encoding: 'utf8',
          stdio: 'pipe',
        });
        const lines = output.trim().split('\n');
        samples.forEach(({ bins, values }, index) => {
          const payments = values.map((amount, customer) => ({
            customerId: `c${customer}`,
            date: 0,
            amount,
          }));
          const ours = rfm(payments, { bins }).breakpoints.monetary;
          const theirs = lines[index]!.trim().split(/\s+/).map(Number);
          expect(ours).toHaveLength(theirs.length);
          theirs.forEach((cut, k) => {
            expect(ours[k]).toBeCloseTo(cut, 9);
          });
        });
      });
    });
  },
);
