import fc from 'fast-check';
import { type CallRecord, DataError, type Subscriber } from 'telco-analytics/data';
import {
  type Promotion,
  type PromotionComponent,
  runBillCycle,
  type TariffPlan,
  validatePromotion,
} from 'telco-analytics/simulation';
import { describe, expect, it } from 'vitest';

// Hand-worked invoices. Money is cents.
const plan: TariffPlan = Object.freeze({
  kind: 'tariff-plan',
  version: 1,
  planId: 'promo',
  monthlyFee: 1000,
  services: [
    { name: 'voice', measure: 'duration' },
    { name: 'sms', measure: 'event' },
    { name: 'data', measure: 'volume' },
  ],
  zones: ['local', 'national'],
  bands: [
    { name: 'day', weekdays: [0, 1, 2, 3, 4, 5, 6], fromHour: 7, toHour: 21 },
    { name: 'night', weekdays: [0, 1, 2, 3, 4, 5, 6], fromHour: 21, toHour: 24 },
    { name: 'night', weekdays: [0, 1, 2, 3, 4, 5, 6], fromHour: 0, toHour: 7 },
  ],
  rates: [
    { id: 'voice', service: 'voice', zones: ['local', 'national'], price: 6, per: 60, increment: '60/60' },
    { id: 'sms', service: 'sms', zones: ['local', 'national'], price: 8 },
    {
      id: 'data',
      service: 'data',
      zones: ['local', 'national'],
      price: 2,
      per: 1000,
      increment: '1000/1000',
    },
  ],
  allowances: [{ id: 'minutes', service: 'voice', zones: ['local', 'national'], amount: 60 }],
} as const);

const subscribers: Subscriber[] = [
  {
    subscriberId: 'S1',
    planId: 'promo',
    region: 'north',
    segment: 'champions',
    riskBand: 'high',
    accountId: 'A1',
  },
  {
    subscriberId: 'S2',
    planId: 'promo',
    region: 'south',
    segment: 'at-risk',
    riskBand: 'low',
    accountId: 'A1',
  },
  {
    subscriberId: 'S3',
    planId: 'promo',
    region: 'south',
    segment: 'at-risk',
    riskBand: 'low',
    accountId: 'A2',
  },
];

const at = (iso: string): number => Date.parse(`${iso}Z`);
// S1 in May 2024 (baseline, worked by hand):
//   voice day 10:00 300 s: billable 300, allowance 60 free, remainder 240 s -> 4 min x 6 = 24
//   voice night 22:00 120 s: 2 min x 6 = 12
//   2 SMS x 8 = 16;  data 2.5 MB -> 3 MB x 2 = 6
//   usage 58 + fee 1000 = 1058.   S2 and S3: no calls -> 1000 each.
const calls: readonly CallRecord[] = Object.freeze([
  {
    subscriberId: 'S1',
    start: at('2024-05-06T10:00:00'),
    service: 'voice',
    direction: 'out',
    durationSec: 300,
    destination: 'local',
  },
  {
    subscriberId: 'S1',
    start: at('2024-05-06T22:00:00'),
    service: 'voice',
    direction: 'out',
    durationSec: 120,
    destination: 'national',
  },
  {
    subscriberId: 'S1',
    start: at('2024-05-07T09:00:00'),
    service: 'sms',
    direction: 'out',
    destination: 'local',
  },
  {
    subscriberId: 'S1',
    start: at('2024-05-07T09:05:00'),
    service: 'sms',
    direction: 'out',
    destination: 'local',
  },
  {
    subscriberId: 'S1',
    start: at('2024-05-08T12:00:00'),
    service: 'data',
    direction: 'out',
    volumeMb: 2.5,
    destination: 'national',
  },
]);

const promotion = (components: PromotionComponent[], extra: Partial<Promotion> = {}): Promotion => ({
  kind: 'promotion',
  version: 1,
  promotionId: 'p',
  components,
  ...extra,
});

function totals(promotions: Promotion[], planOverride: TariffPlan = plan): number[] {
  return runBillCycle({
    calls,
    subscribers,
    plans: [planOverride],
    period: '2024-05',
    promotions,
  }).invoices.map((invoice) => invoice.total);
}

describe('promotions, worked by hand', () => {
  it('baseline', () => {
    expect(totals([])).toEqual([1058, 1000, 1000]);
  });

  it('percent off a service: 50% off voice', () => {
    // voice usage 24 + 12 = 36 -> -18 -> 1040
    expect(totals([promotion([{ type: 'percent-off', service: 'voice', percent: 50 }])])).toEqual([
      1040, 1000, 1000,
    ]);
  });

  it('percent off a band: 50% off night usage', () => {
    // night voice 12 -> -6 -> 1052
    const bill = runBillCycle({
      calls,
      subscribers,
      plans: [plan],
      period: '2024-05',
      promotions: [promotion([{ type: 'percent-off', bands: ['night'], percent: 50 }])],
    });
    expect(bill.invoices[0]!.total).toBe(1052);
    expect(bill.invoices[0]!.lines.at(-1)).toEqual({
      kind: 'discount',
      description: 'promotion p: percent-off',
      quantity: 1,
      amount: -6,
    });
    expect(bill.totals.revenue.discounts).toBe(-6);
  });

  it('free units: 300 more voice seconds', () => {
    // allowance 60 + 300 = 360 s: call 1 (300 s) free, 60 s left; call 2 (120 s) 60 free + 60 s -> 1 min = 6
    // usage 6 + 16 + 6 = 28 -> 1028
    expect(
      totals([
        promotion([{ type: 'free-units', service: 'voice', zones: ['local', 'national'], amount: 300 }]),
      ]),
    ).toEqual([1028, 1000, 1000]);
  });

  it('rate override: night voice at 2 per minute', () => {
    // night call 2 min x 2 = 4 instead of 12 -> usage 50 -> 1050
    expect(
      totals([promotion([{ type: 'rate-override', service: 'voice', bands: ['night'], price: 2, per: 60 }])]),
    ).toEqual([1050, 1000, 1000]);
  });

  it('fixed discount, capped at the subtotal', () => {
    // 1058 - 200 = 858; a 5000 discount takes each invoice to 0, not below
    expect(totals([promotion([{ type: 'fixed-discount', amount: 200 }])])).toEqual([858, 800, 800]);
    expect(totals([promotion([{ type: 'fixed-discount', amount: 5000 }])])).toEqual([0, 0, 0]);
  });

  it('spend-threshold rebate', () => {
    // usage 58 >= 50: 10% of 58 = 5.8 -> half-up 6 -> 1052; threshold 100 not reached -> 1058
    expect(totals([promotion([{ type: 'spend-rebate', threshold: 50, percent: 10 }])])).toEqual([
      1052, 1000, 1000,
    ]);
    expect(totals([promotion([{ type: 'spend-rebate', threshold: 100, amount: 30 }])])).toEqual([
      1058, 1000, 1000,
    ]);
  });

  it('bundle price for voice + SMS', () => {
    // voice 36 + sms 16 = 52 > bundle 30 -> -22 -> 1036
    expect(totals([promotion([{ type: 'bundle-price', services: ['voice', 'sms'], price: 30 }])])).toEqual([
      1036, 1000, 1000,
    ]);
  });

  it('group discount for subscribers sharing an account', () => {
    // account A1 has S1 and S2 (2 members): 10% off: S1 105.8 -> 106 -> 952; S2 100 -> 900; S3 alone in A2 -> 1000
    expect(totals([promotion([{ type: 'group-discount', percent: 10 }])])).toEqual([952, 900, 1000]);
  });

  it.each([
    // data 3000 KB charged. all-units: 3000 > 2000, so every unit at 1 per MB = 3 (was 6) -> -3 -> 1055
    ['all-units', 1055],
    // graduated: 2000 KB x 2/1000 = 4 + 1000 KB x 1/1000 = 1 -> 5 -> -1 -> 1057
    ['graduated', 1057],
  ] as const)('tiered pricing %s', (mode, expected) => {
    const tiers = [
      { upTo: 2000, price: 2, per: 1000 },
      { price: 1, per: 1000 },
    ];
    expect(totals([promotion([{ type: 'tiered-pricing', service: 'data', mode, tiers }])])[0]).toBe(expected);
  });

  it('percent off applies to the usage after tiered pricing (documented stage order)', () => {
    // all-units tiers: data 3000 KB > 2000, every unit at 1 per MB = 3 (rated 6) -> tiered -3.
    // 50% off data is taken of 3, not 6: 1.5 -> half-up 2 -> -2. 1058 - 3 - 2 = 1053 (on rated charges it would be 1052).
    const tiers = [
      { upTo: 2000, price: 2, per: 1000 },
      { price: 1, per: 1000 },
    ];
    const tiered = { type: 'tiered-pricing', service: 'data', mode: 'all-units', tiers } as const;
    const percent = { type: 'percent-off', service: 'data', percent: 50 } as const;
    expect(totals([promotion([percent, tiered])])[0]).toBe(1053);
    // 100% off after tiering removes what is left (3), never more: 1058 - 3 - 3 = 1052
    expect(totals([promotion([tiered, { ...percent, percent: 100 }])])[0]).toBe(1052);
    // two promotions: the stages still run tiered first, whatever the list order
    const a = { ...promotion([percent]), promotionId: 'A' };
    const b = { ...promotion([tiered]), promotionId: 'B' };
    expect(totals([a, b])[0]).toBe(1053);
  });

  it('percent off over part of the tiered calls takes its share of the tiered adjustment by charged units', () => {
    // S1: data 1.5 MB local and 1.5 MB national, each 2000 KB after 1000/1000 increments, 4 each = 8.
    // all-units tiers: 4000 KB > 2000 -> 4000 x 1/1000 = 4 -> tiered -4, spread 2000/4000 on each call: -2 each.
    // 50% off national data: (4 - 2) x 50% = 1. invoice 1000 + 8 - 4 - 1 = 1003.
    const dataCalls: CallRecord[] = ['local', 'national'].map((destination, index) => ({
      subscriberId: 'S1',
      start: at(`2024-05-08T1${index}:00:00`),
      service: 'data',
      direction: 'out',
      volumeMb: 1.5,
      destination,
    }));
    const tiers = [
      { upTo: 2000, price: 2, per: 1000 },
      { price: 1, per: 1000 },
    ];
    const bill = runBillCycle({
      calls: dataCalls,
      subscribers,
      plans: [plan],
      period: '2024-05',
      promotions: [
        promotion([
          { type: 'percent-off', service: 'data', zones: ['national'], percent: 50 },
          { type: 'tiered-pricing', service: 'data', mode: 'all-units', tiers },
        ]),
      ],
    });
    expect(
      bill.invoices[0]!.lines.filter((line) => line.kind === 'discount').map((line) => line.amount),
    ).toEqual([-4, -1]);
    expect(bill.invoices[0]!.total).toBe(1003);
  });

  it('composes two promotions in the documented stage order, then taxes', () => {
    // A: 50% off voice = -18 (percent-off stage); B: fixed 20 (fixed-discount stage) -> 1058 - 38 = 1020; tax 10% = 102 -> 1122
    const a = { ...promotion([{ type: 'percent-off', service: 'voice', percent: 50 }]), promotionId: 'A' };
    const b = { ...promotion([{ type: 'fixed-discount', amount: 20 }]), promotionId: 'B' };
    const taxed = { ...plan, taxRateBasisPoints: 1000 };
    expect(totals([a, b], taxed)[0]).toBe(1122);
    // the order of the list does not change the stages
    expect(totals([b, a], taxed)[0]).toBe(1122);
    // spend rebate after percent-off: usage 58 - 18 = 40 < 50 -> no rebate
    expect(totals([a, promotion([{ type: 'spend-rebate', threshold: 50, amount: 10 }])])[0]).toBe(1040);
  });

  it('eligibility by plan, region, segment, risk band and id list; duration in cycles', () => {
    const fixed = [{ type: 'fixed-discount', amount: 100 }] as PromotionComponent[];
    expect(totals([promotion(fixed, { eligibility: { segments: ['champions'] } })])).toEqual([
      958, 1000, 1000,
    ]);
    expect(totals([promotion(fixed, { eligibility: { riskBands: ['low'], regions: ['south'] } })])).toEqual([
      1058, 900, 900,
    ]);
    expect(totals([promotion(fixed, { eligibility: { subscriberIds: ['S3'], plans: ['promo'] } })])).toEqual([
      1058, 1000, 900,
    ]);
    // runs April only (1 cycle): not in May; from April for 2 cycles: in May
    expect(totals([promotion(fixed, { startPeriod: '2024-04', durationCycles: 1 })])).toEqual([
      1058, 1000, 1000,
    ]);
    expect(totals([promotion(fixed, { startPeriod: '2024-04', durationCycles: 2 })])).toEqual([
      958, 900, 900,
    ]);
  });
});

describe('promotions: bad input', () => {
  it('a promotion naming a service the plan lacks', () => {
    const bad = promotion([{ type: 'percent-off', service: 'video', percent: 10 }]);
    expect(() => validatePromotion(bad, [plan])).toThrow(
      "validatePromotion (promotion 'p'): row 1, column 'components[0].service': percent-off: plan 'promo' has no service 'video'",
    );
    expect(() =>
      runBillCycle({ calls, subscribers, plans: [plan], period: '2024-05', promotions: [bad] }),
    ).toThrow(DataError);
  });

  it.each([
    [{ type: 'percent-off', percent: 120 }, 'components[0].percent'],
    [{ type: 'fixed-discount', amount: -5 }, 'components[0].amount'],
    [{ type: 'rate-override', service: 'voice', zones: ['mars'], price: 1 }, 'components[0].zones'],
    [{ type: 'rate-override', service: 'voice', bands: ['dusk'], price: 1 }, 'components[0].bands'],
    [
      {
        type: 'tiered-pricing',
        service: 'data',
        mode: 'graduated',
        tiers: [{ upTo: 10, price: 1 }, { upTo: 5, price: 1 }, { price: 1 }],
      },
      'components[0].tiers[1].upTo',
    ],
    [{ type: 'spend-rebate', threshold: 10 }, 'components[0].amount'],
    [{ type: 'discount' }, 'components[0].type'],
  ] as const)('rejects %j at %s', (component, column) => {
    try {
      validatePromotion(promotion([component as unknown as PromotionComponent]), [plan]);
      throw new Error('expected a DataError');
    } catch (error) {
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).issues.map((issue) => issue.column)).toContain(column);
    }
  });

  it('rejects an unknown eligible plan and a bad start period', () => {
    expect(() => validatePromotion(promotion([], { eligibility: { plans: ['gold'] } }), [plan])).toThrow(
      /unknown plan 'gold'/,
    );
    expect(() => validatePromotion(promotion([], { startPeriod: '2024-13' }), [plan])).toThrow(/startPeriod/);
  });
});

describe('promotion properties', () => {
  const callArbitrary = fc.record({
    subscriber: fc.integer({ min: 1, max: 3 }),
    minute: fc.integer({ min: 0, max: 30 * 1440 }),
    service: fc.constantFrom('voice', 'sms', 'data'),
    zone: fc.constantFrom('local', 'national'),
    durationSec: fc.integer({ min: 0, max: 1500 }),
    volumeMb: fc.integer({ min: 0, max: 4000 }).map((kilobytes) => kilobytes / 1000),
  });
  const toCalls = (
    drawn: readonly (typeof callArbitrary extends fc.Arbitrary<infer T> ? T : never)[],
  ): CallRecord[] =>
    drawn.map((call, index) => ({
      subscriberId: `S${call.subscriber}`,
      start: Date.UTC(2024, 4, 1) + call.minute * 60_000 + index,
      service: call.service,
      direction: 'out',
      destination: call.zone,
      ...(call.service === 'voice'
        ? { durationSec: call.durationSec }
        : call.service === 'data'
          ? { volumeMb: call.volumeMb }
          : {}),
    }));
  const discountArbitrary: fc.Arbitrary<PromotionComponent> = fc.oneof(
    fc.record({
      type: fc.constant('percent-off' as const),
      service: fc.constantFrom('voice', 'sms', 'data'),
      percent: fc.integer({ min: 0, max: 100 }),
    }),
    fc.record({
      type: fc.constant('percent-off' as const),
      bands: fc.constant(['night']),
      percent: fc.integer({ min: 0, max: 100 }),
    }),
    fc.record({ type: fc.constant('fixed-discount' as const), amount: fc.integer({ min: 0, max: 2000 }) }),
    fc.record({
      type: fc.constant('spend-rebate' as const),
      threshold: fc.integer({ min: 0, max: 100 }),
      percent: fc.integer({ min: 0, max: 100 }),
    }),
    fc.record({
      type: fc.constant('bundle-price' as const),
      services: fc.constant(['voice', 'sms']),
      price: fc.integer({ min: 0, max: 100 }),
    }),
    fc.record({ type: fc.constant('group-discount' as const), percent: fc.integer({ min: 0, max: 50 }) }),
    fc.record({
      type: fc.constant('free-units' as const),
      service: fc.constant('voice'),
      zones: fc.constant(['local', 'national']),
      amount: fc.integer({ min: 0, max: 900 }),
    }),
    fc.record({
      type: fc.constant('rate-override' as const),
      service: fc.constant('voice'),
      bands: fc.constant(['night']),
      price: fc.integer({ min: 0, max: 6 }),
      per: fc.constant(60),
    }),
  );
  const taxed = { ...plan, taxRateBasisPoints: 1750 };

  it('an empty promotion reproduces the baseline exactly', () => {
    fc.assert(
      fc.property(
        fc.array(callArbitrary, { maxLength: 50 }),
        fc.constantFrom('call', 'line'),
        (drawn, scope) => {
          const input = {
            calls: toCalls(drawn),
            subscribers,
            plans: [{ ...taxed, rounding: { scope } }],
            period: '2024-05',
          } as const;
          expect(runBillCycle({ ...input, promotions: [promotion([])] })).toEqual(runBillCycle(input));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a discount never raises any invoice', () => {
    fc.assert(
      fc.property(
        fc.array(callArbitrary, { maxLength: 50 }),
        fc.array(discountArbitrary, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('up', 'down', 'half-up'),
        (drawn, components, mode) => {
          const input = {
            calls: toCalls(drawn),
            subscribers,
            plans: [{ ...taxed, rounding: { mode } }],
            period: '2024-05',
          } as const;
          const baseline = runBillCycle(input).invoices;
          const promoted = runBillCycle({ ...input, promotions: [promotion(components)] }).invoices;
          promoted.forEach((invoice, index) => {
            expect(invoice.total).toBeLessThanOrEqual(baseline[index]!.total);
            expect(invoice.total).toBeGreaterThanOrEqual(0);
            expect(invoice.lines.reduce((sum, line) => sum + line.amount, 0)).toBe(invoice.total);
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
