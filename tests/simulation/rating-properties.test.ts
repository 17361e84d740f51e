import fc from 'fast-check';
import { type CallRecord, createRng } from 'telco-analytics/data';
import { rateCalls, runBillCycle, type TariffPlan } from 'telco-analytics/simulation';
import { describe, expect, it } from 'vitest';

const plan: TariffPlan = {
  kind: 'tariff-plan',
  version: 1,
  planId: 'property',
  monthlyFee: 999,
  taxRateBasisPoints: 1750,
  services: [
    { name: 'voice', measure: 'duration' },
    { name: 'sms', measure: 'event' },
    { name: 'data', measure: 'volume' },
  ],
  zones: ['local', 'national', 'roaming'],
  bands: [
    { name: 'day', weekdays: [0, 1, 2, 3, 4, 5, 6], fromHour: 7, toHour: 21 },
    { name: 'night', weekdays: [0, 1, 2, 3, 4, 5, 6], fromHour: 21, toHour: 24 },
    { name: 'night', weekdays: [0, 1, 2, 3, 4, 5, 6], fromHour: 0, toHour: 7 },
  ],
  rates: [
    {
      id: 'voice-day',
      service: 'voice',
      zones: ['local', 'national'],
      bands: ['day'],
      price: 7,
      per: 60,
      increment: '30/6',
      connectionFee: 3,
      minimumCharge: 5,
    },
    {
      id: 'voice-night',
      service: 'voice',
      zones: ['local', 'national'],
      bands: ['night'],
      price: 3,
      per: 60,
      increment: '60/1',
    },
    { id: 'voice-roaming', service: 'voice', zones: ['roaming'], price: 90, per: 60, increment: '60/60' },
    {
      id: 'voice-roaming-in',
      service: 'voice',
      direction: 'in',
      zones: ['roaming'],
      price: 25,
      per: 60,
      increment: '60/60',
    },
    { id: 'sms', service: 'sms', zones: ['local', 'national', 'roaming'], price: 8 },
    { id: 'data', service: 'data', zones: ['local', 'national'], price: 3, per: 1000, increment: '100/100' },
    { id: 'data-roaming', service: 'data', zones: ['roaming'], price: 40, per: 1000, increment: '1000/1000' },
  ],
  allowances: [
    { id: 'minutes', service: 'voice', zones: ['local', 'national'], amount: 900 },
    { id: 'sms', service: 'sms', zones: ['local', 'national'], amount: 3 },
    { id: 'data', service: 'data', zones: ['local', 'national'], amount: 5000 },
  ],
  roamingSurcharges: [{ service: 'data', price: 5, per: 1000 }],
};

const may = Date.UTC(2024, 4, 1);
const callArbitrary = fc.record({
  subscriber: fc.integer({ min: 0, max: 2 }),
  // late April to early June, so cycles and midnight crossings occur
  minute: fc.integer({ min: -3 * 1440, max: 34 * 1440 }),
  service: fc.constantFrom('voice', 'sms', 'data'),
  incoming: fc.boolean(),
  zone: fc.constantFrom('local', 'national', 'roaming'),
  durationSec: fc.integer({ min: 0, max: 3000 }),
  volumeMb: fc.integer({ min: 0, max: 5000 }).map((kilobytes) => kilobytes / 1000),
});

type DrawnCall = typeof callArbitrary extends fc.Arbitrary<infer T> ? T : never;

function toCalls(drawn: readonly DrawnCall[]): CallRecord[] {
  return drawn.map((call, index) => {
    // A distinct millisecond per call keeps the time order total.
    const base = {
      subscriberId: `S${call.subscriber}`,
      start: may + call.minute * 60_000 + index,
      destination: call.zone,
    };
    if (call.service === 'voice')
      return Object.freeze({
        ...base,
        service: 'voice',
        direction: call.incoming ? 'in' : 'out',
        durationSec: call.durationSec,
      });
    if (call.service === 'sms') return Object.freeze({ ...base, service: 'sms', direction: 'out' });
    return Object.freeze({ ...base, service: 'data', direction: 'out', volumeMb: call.volumeMb });
  });
}

const subscribers = [0, 1, 2].map((index) => ({ subscriberId: `S${index}`, planId: 'property' }));

describe('rating properties', () => {
  it('rating does not depend on the input order of the calls', () => {
    fc.assert(
      fc.property(
        fc.array(callArbitrary, { maxLength: 60 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom('start', 'split'),
        (drawn, seed, bandBoundary) => {
          const calls = toCalls(drawn);
          const permutation = createRng(seed).permutation(calls.length);
          const shuffled = Array.from(permutation, (index) => calls[index]!);
          const options = { bandBoundary } as const;
          const original = rateCalls(calls, plan, options);
          const permuted = rateCalls(shuffled, plan, options);
          permutation.forEach((index, position) => {
            expect(permuted.charge[position]).toBe(original.charge[index]);
            expect(permuted.allowanceUnits[position]).toBe(original.allowanceUnits[index]);
            expect(permuted.chargedUnits[position]).toBe(original.chargedUnits[index]);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('invoice lines sum exactly to the totals, and invoices to the period totals', () => {
    fc.assert(
      fc.property(
        fc.array(callArbitrary, { maxLength: 80 }),
        fc.constantFrom('up', 'down', 'half-up'),
        fc.constantFrom('call', 'line'),
        (drawn, mode, scope) => {
          const bill = runBillCycle({
            calls: toCalls(drawn),
            subscribers,
            plans: [{ ...plan, rounding: { mode, scope } }],
            period: '2024-05',
          });
          let total = 0;
          let usage = 0;
          for (const invoice of bill.invoices) {
            expect(invoice.lines.reduce((sum, line) => sum + line.amount, 0)).toBe(invoice.total);
            expect(
              invoice.lines.filter((line) => line.kind !== 'tax').reduce((sum, line) => sum + line.amount, 0),
            ).toBe(invoice.subtotal);
            for (const line of invoice.lines) expect(Number.isInteger(line.amount)).toBe(true);
            total += invoice.total;
            usage += invoice.lines
              .filter((line) => line.kind === 'usage')
              .reduce((sum, line) => sum + line.amount, 0);
          }
          expect(bill.totals.revenue.total).toBe(total);
          expect(bill.totals.byPlan.reduce((sum, row) => sum + row.total, 0)).toBe(total);
          expect(bill.totals.byService.reduce((sum, row) => sum + row.usage, 0)).toBe(usage);
          expect(bill.totals.byZone.reduce((sum, row) => sum + row.usage, 0)).toBe(usage);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("'split' equals 'start' when every band has the same rate", () => {
    const flat = {
      ...plan,
      rates: plan.rates.map((rate) =>
        rate.id === 'voice-night'
          ? { ...rate, price: 7, increment: '30/6', connectionFee: 3, minimumCharge: 5 }
          : rate,
      ),
    };
    fc.assert(
      fc.property(fc.array(callArbitrary, { maxLength: 60 }), (drawn) => {
        const calls = toCalls(drawn);
        expect([...rateCalls(calls, flat, { bandBoundary: 'split' }).charge]).toEqual([
          ...rateCalls(calls, flat, { bandBoundary: 'start' }).charge,
        ]);
      }),
      { numRuns: 100 },
    );
  });
});
