import fc from 'fast-check';
import type { CallRecord, Subscriber } from 'telco-analytics/data';
import {
  type Promotion,
  type PromotionComponent,
  runBillCycle,
  simulatePromotion,
  type TariffPlan,
} from 'telco-analytics/simulation';
import { describe, expect, it } from 'vitest';

// Money is cents. Day 08-20, night 20-08; 120 s of local voice included.
const plan: TariffPlan = Object.freeze({
  kind: 'tariff-plan',
  version: 1,
  planId: 'bridge',
  monthlyFee: 500,
  services: [{ name: 'voice', measure: 'duration' }],
  zones: ['local', 'roaming'],
  bands: [
    { name: 'day', weekdays: [0, 1, 2, 3, 4, 5, 6], fromHour: 8, toHour: 20 },
    { name: 'night', weekdays: [0, 1, 2, 3, 4, 5, 6], fromHour: 20, toHour: 24 },
    { name: 'night', weekdays: [0, 1, 2, 3, 4, 5, 6], fromHour: 0, toHour: 8 },
  ],
  rates: [
    {
      id: 'local-day',
      service: 'voice',
      zones: ['local'],
      bands: ['day'],
      price: 6,
      per: 60,
      increment: '60/60',
      connectionFee: 5,
    },
    {
      id: 'local-night',
      service: 'voice',
      zones: ['local'],
      bands: ['night'],
      price: 3,
      per: 60,
      increment: '60/60',
    },
    {
      id: 'roaming',
      service: 'voice',
      zones: ['roaming'],
      price: 60,
      per: 60,
      increment: '30/30',
      minimumCharge: 100,
    },
  ],
  allowances: [{ id: 'minutes', service: 'voice', zones: ['local'], amount: 120 }],
  roamingSurcharges: [{ service: 'voice', price: 30, per: 60 }],
  taxRateBasisPoints: 1000,
} as const);

const voice = (iso: string, durationSec: number, destination: string, subscriberId = 'S1'): CallRecord => ({
  subscriberId,
  start: Date.parse(`${iso}Z`),
  service: 'voice',
  direction: 'out',
  durationSec,
  destination,
});

// S1 in May 2024, worked by hand (per-second prices: local day 0.1, local night 0.05, roaming 1, surcharge 0.5):
//  a) day 10:00 local 150 s: billable 180 > 120 left -> 120 free, rest 30 s -> 60 s charged = 6, + connection 5 = 11.
//     gross 150 x 0.1 = 15; burn -120 x 0.1 = -12; connection 5; increments 30 s x 0.1 = 3.
//  b) night 22:00 local 61 s: allowance spent -> 120 s x 0.05 = 6. gross 61 x 0.05 = 3.05.
//  c) day 12:00 roaming 45 s: 30/30 -> 60 s x 1 = 60 -> minimum 100 (+40); surcharge 60 x 0.5 = 30 -> 130.
//     gross 45; increments 15 s x 1 = 15.
//  usage 11 + 6 + 130 = 147; fee 500; subtotal 647; tax 10% = 64.7 -> 65; total 712.
//  bridge: voice day 15 + 45 = 60; voice night 3.05 -> 3; burn -12; connection + minimum 5 + 40 = 45; roaming 30;
//  rounding and increments = 147 - (60 + 3 - 12 + 45 + 30) = 21 (= 3 + 2.95 + 0.05 + 15).
//  Check: 500 + 60 + 3 - 12 + 45 + 30 + 21 + 0 + 65 = 712.
// With 60 free local seconds more (allowance 180): a) billable 180 <= 180 -> free (burn -150 x 0.1 = -15, no
//  connection, no increments); b) and c) unchanged. usage 136, subtotal 636, tax 63.6 -> 64, total 700.
//  bridge: 60, 3, burn -15, connection 40, roaming 30, rounding and increments 136 - 118 = 18, tax 64:
//  500 + 60 + 3 - 15 + 40 + 30 + 18 + 64 = 700.
const calls: readonly CallRecord[] = Object.freeze([
  voice('2024-05-06T10:00:00', 150, 'local'),
  voice('2024-05-06T22:00:00', 61, 'local'),
  voice('2024-05-07T12:00:00', 45, 'roaming'),
]);
const subscribers: readonly Subscriber[] = Object.freeze([
  { subscriberId: 'S1', planId: 'bridge', segment: 'loyal' },
]);
const promotion = (components: PromotionComponent[], extra: Partial<Promotion> = {}): Promotion => ({
  kind: 'promotion',
  version: 1,
  promotionId: 'p',
  components,
  ...extra,
});
const revenue = (component: string, baseline: number, promoted: number) => ({
  component,
  kind: 'revenue',
  baseline,
  promoted,
  change: promoted - baseline,
});

describe('revenue bridge by pricing component, worked by hand', () => {
  it('splits usage by band, allowance burn, connection and minimum, roaming, rounding and increments', () => {
    const bill = runBillCycle({ calls, subscribers, plans: [plan], period: '2024-05' });
    expect(bill.invoices[0]!.total).toBe(712);
    const result = simulatePromotion({
      calls,
      subscribers,
      plans: [plan],
      period: '2024-05',
      promotion: promotion([{ type: 'free-units', service: 'voice', zones: ['local'], amount: 60 }]),
      uptake: 1,
      uptakeBySaving: false,
      cycles: 1,
      runs: 5,
    });
    expect(result.bridge).toEqual([
      revenue('fees', 500, 500),
      revenue('usage voice day', 60, 60),
      revenue('usage voice night', 3, 3),
      revenue('allowance burn', -12, -15),
      revenue('connection fees and minimum charges', 45, 40),
      revenue('roaming surcharges', 30, 30),
      revenue('rounding and increments', 21, 18),
      revenue('discounts', 0, 0),
      revenue('tax', 65, 64),
      { component: 'allowance units drawn', kind: 'memo', baseline: 120, promoted: 180, change: 60 },
    ]);
    expect(result.customers.deltas).toEqual([
      { subscriberId: 'S1', baseline: 712, promoted: 700, delta: -12 },
    ]);
  });

  it.each([
    // Night voice per second ('1/1'): b) 61 s x 0.05 = 3.05 -> 'up' 4, 'down' 3, 'half-up' 3; a) 11 and c) 130 as above.
    // The band row is 3.05 -> 3 in every mode, so the call's rounding lands in 'rounding and increments':
    //  up: usage 145 -> 145 - 126 = 19 (3 + 15 increments, +0.95 rounding, +0.05 band row); tax 64.5 -> 65.
    //  down: usage 144 -> 18; tax 64.4 -> 64.  half-up: usage 144 -> 18; tax 64.4 -> 64.
    ['up', 19, 65],
    ['down', 18, 64],
    ['half-up', 18, 64],
  ] as const)('rounding mode %s lands in the rounding and increments row', (mode, residual, tax) => {
    const perSecond: TariffPlan = {
      ...plan,
      rates: plan.rates.map((rate) => (rate.id === 'local-night' ? { ...rate, increment: '1/1' } : rate)),
      rounding: { mode },
    };
    const result = simulatePromotion({
      calls,
      subscribers,
      plans: [perSecond],
      period: '2024-05',
      promotion: promotion([]),
      cycles: 1,
      runs: 1,
    });
    const row = (component: string) => result.bridge.find((candidate) => candidate.component === component)!;
    expect(row('usage voice night').baseline).toBe(3);
    expect(row('rounding and increments').baseline).toBe(residual);
    expect(row('tax').baseline).toBe(tax);
  });
});

describe('uplift from each customer rated usage price cut', () => {
  const flat: TariffPlan = {
    kind: 'tariff-plan',
    version: 1,
    planId: 'flat',
    monthlyFee: 1000,
    services: [{ name: 'voice', measure: 'duration' }],
    zones: ['local'],
    rates: [{ id: 'voice', service: 'voice', zones: ['local'], price: 10, per: 60, increment: '60/60' }],
  };
  // S1: 20 min = 200 of usage; S2: 5 min = 50; S3 no usage.
  const users: Subscriber[] = [
    { subscriberId: 'S1', planId: 'flat', segment: 'a' },
    { subscriberId: 'S2', planId: 'flat', segment: 'b' },
    { subscriberId: 'S3', planId: 'flat', segment: 'b' },
  ];
  const usage = [
    voice('2024-05-06T10:00:00', 1200, 'local', 'S1'),
    voice('2024-05-06T10:00:00', 300, 'local', 'S2'),
  ];
  const common = {
    calls: usage,
    subscribers: users,
    plans: [flat],
    period: '2024-05',
    uptake: 1,
    uptakeBySaving: false,
    usageElasticity: 0.5,
    cycles: 2,
    runs: 10,
  } as const;

  it('a fixed discount is no usage price cut; percent off is, per customer', () => {
    // 50% off voice and 100 off the invoice. Usage price cut from the two ratings (fixed discount left out):
    //  S1: usage 200 -> 100, cut 0.5, uplift 0.5 x 0.5 x 100 = 25 per cycle.
    //  S2: usage 50 -> 25, cut 0.5, uplift 0.5 x 0.5 x 25 = 6.25 per cycle.
    //  S3: usage 0: no cut, no uplift (but takes the fixed discount).
    // 2 cycles: uplift 2 x 31.25 = 62.5; dilution 2 x (-(100 + 100) - (25 + 100) - 100) = -850; net -787.5.
    const result = simulatePromotion({
      ...common,
      promotion: promotion([
        { type: 'percent-off', service: 'voice', percent: 50 },
        { type: 'fixed-discount', amount: 100 },
      ]),
    });
    expect(result.effects.uplift.mean).toBe(62.5);
    expect(result.effects.dilution.mean).toBe(-850);
    expect(result.total.net.mean).toBe(-787.5);
    // segment a = S1: 2 x (-200 + 25) = -350; segment b = S2 + S3: 2 x (-125 + 6.25 - 100) = -437.5
    expect(result.bySegment.map((row) => [row.key, row.net])).toEqual([
      ['a', -350],
      ['b', -437.5],
    ]);
  });

  it('a rate override is read off the usage lines', () => {
    // voice at 5 per minute instead of 10: S1 200 -> 100 (cut 0.5, uplift 25), S2 50 -> 25 (cut 0.5, uplift 6.25).
    // per cycle: dilution -125, uplift 31.25; 2 cycles: -250 + 62.5 = -187.5
    const result = simulatePromotion({
      ...common,
      promotion: promotion([{ type: 'rate-override', service: 'voice', price: 5, per: 60 }]),
    });
    expect(result.effects.uplift.mean).toBe(62.5);
    expect(result.total.net.mean).toBe(-187.5);
  });
});

describe('per-segment and per-plan intervals', () => {
  it('give each group its 90% interval over the runs', () => {
    // One taker-or-not customer: uptake 0.5 of a 100 discount; the plan's 10% tax falls with it: subtotal 647 -> 547,
    // tax 65 -> 54.7 -> 55, total 712 -> 602 = -110 a cycle. Over 2 cycles each run's net is 0 or -220.
    // Over 400 runs both occur well over 5% of the time, so the 5th percentile is -220 and the 95th is 0;
    // the group's mean equals the total's (one customer).
    const result = simulatePromotion({
      calls,
      subscribers,
      plans: [plan],
      period: '2024-05',
      promotion: promotion([{ type: 'fixed-discount', amount: 100 }]),
      uptake: 0.5,
      uptakeBySaving: false,
      cycles: 2,
      runs: 400,
      seed: 3,
    });
    for (const groups of [result.bySegment, result.byPlan]) {
      expect(groups).toHaveLength(1);
      expect(groups[0]!.netInterval.low).toBe(-220);
      expect(groups[0]!.netInterval.high).toBe(0);
      expect(groups[0]!.net).toBe(groups[0]!.netInterval.mean);
      expect(groups[0]!.netInterval).toEqual(result.total.net);
    }
    expect(result.byPlan[0]!.key).toBe('bridge');
    expect(result.bySegment[0]!.key).toBe('loyal');
  });
});

describe('simulation properties', () => {
  const callArbitrary = fc.record({
    subscriber: fc.integer({ min: 1, max: 4 }),
    minute: fc.integer({ min: 0, max: 30 * 1440 }),
    zone: fc.constantFrom('local', 'roaming'),
    durationSec: fc.integer({ min: 0, max: 900 }),
  });
  const componentArbitrary: fc.Arbitrary<PromotionComponent> = fc.oneof(
    fc.record({
      type: fc.constant('percent-off' as const),
      service: fc.constant('voice'),
      percent: fc.integer({ min: 0, max: 100 }),
    }),
    fc.record({ type: fc.constant('fixed-discount' as const), amount: fc.integer({ min: 0, max: 300 }) }),
    fc.record({
      type: fc.constant('free-units' as const),
      service: fc.constant('voice'),
      zones: fc.constant(['local']),
      amount: fc.integer({ min: 0, max: 600 }),
    }),
    fc.record({
      type: fc.constant('rate-override' as const),
      service: fc.constant('voice'),
      bands: fc.constant(['night']),
      price: fc.integer({ min: 0, max: 3 }),
      per: fc.constant(60),
    }),
    fc.record({
      type: fc.constant('tiered-pricing' as const),
      service: fc.constant('voice'),
      zones: fc.constant(['local']),
      mode: fc.constantFrom('all-units' as const, 'graduated' as const),
      tiers: fc.constant([
        { upTo: 300, price: 6, per: 60 },
        { price: 2, per: 60 },
      ]),
    }),
  );
  const people: Subscriber[] = [1, 2, 3, 4].map((index) => ({
    subscriberId: `S${index}`,
    planId: 'bridge',
    segment: index % 2 === 0 ? 'even' : 'odd',
  }));
  const scenario = fc.record({
    drawn: fc.array(callArbitrary, { maxLength: 30 }),
    components: fc.array(componentArbitrary, { minLength: 1, maxLength: 3 }),
    mode: fc.constantFrom('up' as const, 'down' as const, 'half-up' as const),
    scope: fc.constantFrom('call' as const, 'line' as const),
    churn: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
    elasticity: fc.double({ min: -2, max: 2, noNaN: true }),
    retentionEffect: fc.double({ min: 0, max: 1, noNaN: true }),
    uptake: fc.double({ min: 0, max: 1, noNaN: true }),
    bySaving: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1000 }),
  });
  type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;
  const inputOf = (value: Scenario) => ({
    calls: value.drawn.map(
      (call, index): CallRecord => ({
        subscriberId: `S${call.subscriber}`,
        start: Date.UTC(2024, 4, 1) + call.minute * 60_000 + index,
        service: 'voice',
        direction: 'out',
        destination: call.zone,
        durationSec: call.durationSec,
      }),
    ),
    subscribers: people,
    plans: [{ ...plan, rounding: { mode: value.mode, scope: value.scope } }],
    period: '2024-05',
    churnProbability: (subscriber: Subscriber) => value.churn[Number(subscriber.subscriberId.slice(1)) - 1]!,
    usageElasticity: value.elasticity,
    retentionEffect: value.retentionEffect,
    uptake: value.uptake,
    uptakeBySaving: value.bySaving,
    seed: value.seed,
    cycles: 3,
  });

  it('dilution + uplift + retention = net in every run; groups add up to the total; the bridge sums to the invoices', () => {
    fc.assert(
      fc.property(scenario, (value) => {
        // runs: 1 makes each interval the single run's value, so the identity is checked run by run.
        const result = simulatePromotion({
          ...inputOf(value),
          promotion: promotion(value.components),
          runs: 1,
        });
        const { dilution, uplift, retention } = result.effects;
        expect(dilution.mean + uplift.mean + retention.mean).toBeCloseTo(result.total.net.mean, 6);
        expect(result.total.net.mean).toBeCloseTo(result.total.promoted.mean - result.total.baseline.mean, 6);
        const perCycle = result.perCycle.reduce((sum, cycle) => sum + cycle.net.mean, 0);
        expect(perCycle).toBeCloseTo(result.total.net.mean, 6);
        for (const groups of [result.bySegment, result.byPlan]) {
          expect(groups.reduce((sum, row) => sum + row.net, 0)).toBeCloseTo(result.total.net.mean, 6);
        }
        // revenue rows of the bridge sum exactly to the eligible customers' invoice totals
        const money = result.bridge.filter((row) => row.kind === 'revenue');
        const deltas = result.customers.deltas;
        expect(money.reduce((sum, row) => sum + row.baseline, 0)).toBe(
          deltas.reduce((sum, row) => sum + row.baseline, 0),
        );
        expect(money.reduce((sum, row) => sum + row.promoted, 0)).toBe(
          deltas.reduce((sum, row) => sum + row.promoted, 0),
        );
        for (const row of money) {
          expect(Number.isInteger(row.baseline) && Number.isInteger(row.promoted)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the identity holds run by run over many runs too (means add up, intervals are consistent)', () => {
    fc.assert(
      fc.property(scenario, (value) => {
        const result = simulatePromotion({
          ...inputOf(value),
          promotion: promotion(value.components),
          runs: 25,
        });
        const { dilution, uplift, retention } = result.effects;
        expect(dilution.mean + uplift.mean + retention.mean).toBeCloseTo(result.total.net.mean, 6);
        for (const groups of [result.bySegment, result.byPlan]) {
          // (a skewed net, e.g. one rare taker, may put the mean outside its 5-95% interval)
          for (const row of groups) expect(row.netInterval.low).toBeLessThanOrEqual(row.netInterval.high);
          expect(groups.reduce((sum, row) => sum + row.net, 0)).toBeCloseTo(result.total.net.mean, 6);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('an empty promotion reproduces the baseline exactly, whatever uptake, churn and retention', () => {
    fc.assert(
      fc.property(scenario, (value) => {
        const result = simulatePromotion({
          ...inputOf(value),
          promotion: promotion([]),
          runs: 10,
        });
        expect(result.total.promoted).toEqual(result.total.baseline);
        for (const cycle of result.perCycle) expect(cycle.promoted).toEqual(cycle.baseline);
        const zero = { mean: 0, low: 0, high: 0 };
        expect(result.total.net).toEqual(zero);
        expect(result.effects).toEqual({ dilution: zero, uplift: zero, retention: zero });
        for (const row of [...result.bySegment, ...result.byPlan]) expect(row.netInterval).toEqual(zero);
        for (const row of result.bridge) expect(row.change).toBe(0);
        expect(result.customers.betterOff + result.customers.worseOff).toBe(0);
      }),
      { numRuns: 40 },
    );
  });
});
