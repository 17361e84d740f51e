import fc from 'fast-check';
import { type CallRecord, generateOperator } from 'telco-analytics/data';
import {
  concatEncodedCalls,
  encodeCalls,
  rateCalls,
  tariffFromOperatorPlan,
} from 'telco-analytics/simulation';
import { describe, expect, it } from 'vitest';

const operator = generateOperator({ subscribers: 40, months: 1, seed: 7 });
const calls: readonly CallRecord[] = Object.freeze(operator.calls);

describe('concatEncodedCalls', () => {
  it('joining the encoded parts of any split equals encoding the whole (codes by first appearance)', () => {
    const whole = encodeCalls(calls);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: calls.length - 1 }), { maxLength: 6 }), (cuts) => {
        const bounds = [0, ...[...cuts].sort((a, b) => a - b), calls.length];
        const parts = bounds.slice(1).map((end, i) => encodeCalls(calls.slice(bounds[i], end)));
        expect(concatEncodedCalls(parts)).toEqual(whole);
      }),
      { numRuns: 25 },
    );
  });

  it('remaps parts whose name lists differ, and keeps calls without a destination at zone -1', () => {
    const first = encodeCalls([
      { subscriberId: 'A', start: 1, service: 'sms', destination: 'roaming' },
      { subscriberId: 'B', start: 2, service: 'voice', durationSec: 30 },
    ]);
    const second = encodeCalls([
      { subscriberId: 'B', start: 3, service: 'voice', durationSec: 10, destination: 'local' },
      { subscriberId: 'C', start: 4, service: 'sms', destination: 'roaming' },
    ]);
    const joined = concatEncodedCalls([first, second]);
    expect(joined.subscriberIds).toEqual(['A', 'B', 'C']);
    expect([...joined.subscriber]).toEqual([0, 1, 1, 2]);
    expect(joined.serviceNames).toEqual(['sms', 'voice']);
    expect([...joined.service]).toEqual([0, 1, 1, 0]);
    expect(joined.zoneNames).toEqual(['roaming', 'local']);
    expect([...joined.zone]).toEqual([0, -1, 1, 0]);
    expect([...joined.durationSec]).toEqual([Number.NaN, 30, 10, Number.NaN]);
  });

  it('rates the joined columns exactly as the whole', () => {
    const plan = tariffFromOperatorPlan(operator.plans[0]!);
    const half = Math.floor(calls.length / 2);
    const joined = concatEncodedCalls([encodeCalls(calls.slice(0, half)), encodeCalls(calls.slice(half))]);
    expect(rateCalls(joined, plan).charge).toEqual(rateCalls(encodeCalls(calls), plan).charge);
  });

  it('refuses an empty list of parts', () => {
    expect(() => concatEncodedCalls([])).toThrow(/concatEncodedCalls.*parts/);
  });
});
