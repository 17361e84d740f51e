import type { CallRecord } from 'telco-analytics/data';
import { type CustomerValues, rfmFromCalls, rfmFromValues } from 'telco-analytics/rfm';
import { describe, expect, it } from 'vitest';

const day = 86_400_000;
const start = Date.UTC(2024, 4, 1, 9);
// Three subscribers' CDRs, and by hand the totals an engine would return for them.
const calls: readonly CallRecord[] = Object.freeze([
  { subscriberId: 'a', start, service: 'voice', durationSec: 60, charge: 0.5 },
  { subscriberId: 'a', start: start + 2 * day, service: 'sms', charge: 0.1 },
  { subscriberId: 'b', start: start + day, service: 'data', volumeMb: 10, charge: 2 },
  { subscriberId: 'c', start: start + 5 * day, service: 'voice', durationSec: 30, charge: 0.25 },
  { subscriberId: 'c', start: start + 5 * day + 3600_000, service: 'voice', durationSec: 30, charge: 0.25 },
]);
const values: readonly CustomerValues[] = Object.freeze([
  { customerId: 'a', lastEvent: start + 2 * day, events: 2, revenue: 0.6, activeDays: 2, activeMonths: 1 },
  { customerId: 'b', lastEvent: start + day, events: 1, revenue: 2, activeDays: 1, activeMonths: 1 },
  {
    customerId: 'c',
    lastEvent: start + 5 * day + 3600_000,
    events: 2,
    revenue: 0.5,
    activeDays: 1,
    activeMonths: 1,
  },
]);

describe('rfmFromValues', () => {
  it('scores totals exactly as rfmFromCalls scores the CDRs they come from', () => {
    for (const frequency of ['activeDays', 'events', 'activeMonths'] as const)
      expect(rfmFromValues(values, { bins: 2, frequency })).toEqual(
        rfmFromCalls(calls, { bins: 2, frequency }),
      );
  });

  it.each([
    [{ customerId: '' }, /row 2.*customerId.*missing customer id/],
    [{ lastEvent: Number.NaN }, /row 2.*lastEvent.*not epoch milliseconds/],
    [{ events: 0 }, /row 2.*events.*not a positive count/],
    [{ events: 1.5 }, /row 2.*events.*not a positive count/],
    [{ revenue: -1 }, /row 2.*revenue.*not a non-negative amount/],
    [{ activeDays: undefined }, /row 2.*activeDays.*needed by frequency 'activeDays'/],
    [{ customerId: 'a' }, /row 2.*customerId.*'a' already has totals in row 1/],
  ])('names the row and column of a bad total (%o)', (change, message) => {
    const bad = values.map((row, i) => (i === 1 ? { ...row, ...change } : row));
    expect(() => rfmFromValues(bad as CustomerValues[])).toThrow(message);
  });

  it('refuses no rows at all', () => {
    expect(() => rfmFromValues([])).toThrow(expect.objectContaining({ code: 'EMPTY_INPUT' }));
  });
});
