import { type CallRecord, DataError, generateOperator, type OptionError } from 'telco-analytics/data';
import { defaultSegments, rfmFromCalls } from 'telco-analytics/rfm';
import { describe, expect, it } from 'vitest';

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

const calls: readonly CallRecord[] = Object.freeze(
  [
    { subscriberId: 'a', start: Date.UTC(2024, 4, 1, 9), service: 'voice', charge: 0.5 },
    { subscriberId: 'a', start: Date.UTC(2024, 4, 1, 17), service: 'sms', charge: 0.25 },
    { subscriberId: 'a', start: Date.UTC(2024, 4, 2, 8), service: 'data', direction: 'in' },
    { subscriberId: 'b', start: Date.UTC(2024, 4, 3, 8), service: 'data', charge: 2 },
  ].map((call) => Object.freeze(call) as CallRecord),
);

describe('rfmFromCalls', () => {
  it('scores subscribers on charge, counting active days by default', () => {
    const result = rfmFromCalls(calls, { bins: 2 });
    expect(
      result.customers.map((row) => [row.customerId, row.recencyDays, row.frequency, row.monetary]),
    ).toEqual([
      ['a', 2, 2, 0.75],
      ['b', 1, 1, 2],
    ]);
    expect(result.asOf).toBe(Date.UTC(2024, 4, 4));
    expect(rfmFromCalls(calls, { frequency: 'events' }).customers[0]!.frequency).toBe(3);
  });

  it('validates records that are not normalised yet, naming the row and column', () => {
    const text = rfmFromCalls([
      { subscriberId: 'a', start: '2024-05-01T09:00:00Z', service: 'voice', charge: '1.5' },
    ]);
    expect(text.customers[0]).toMatchObject({ customerId: 'a', monetary: 1.5, recencyDays: 1 });
    const bad = caught(() =>
      rfmFromCalls([...calls, { subscriberId: 'c', start: 'yesterday', service: 'voice' } as never]),
    );
    expect(bad).toBeInstanceOf(DataError);
    expect((bad as DataError).issues[0]).toMatchObject({ row: 5, column: 'start' });
    expect((caught(() => rfmFromCalls(calls, { frequency: 'hours' as never })) as OptionError).option).toBe(
      'frequency',
    );
  });

  it('scores every subscriber of the synthetic operator into one of the default segments', () => {
    const operator = generateOperator({ subscribers: 300, months: 3, seed: 7 });
    const result = rfmFromCalls(operator.calls);
    const names = new Set(defaultSegments.map((rule) => rule.name));
    expect(result.customers.length).toBeGreaterThan(250);
    expect(result.customers.every((row) => names.has(row.segment))).toBe(true);
  });
});
