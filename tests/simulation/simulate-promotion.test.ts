import {
  type CallRecord,
  DataError,
  generateOperator,
  OptionError,
  type Subscriber,
} from 'telco-analytics/data';
import {
  optimizePromotion,
  type Promotion,
  simulatePromotion,
  type TariffPlan,
  tariffFromOperatorPlan,
} from 'telco-analytics/simulation';
import { describe, expect, it } from 'vitest';

const plan: TariffPlan = {
  kind: 'tariff-plan',
  version: 1,
  planId: 'sim',
  monthlyFee: 1000,
  services: [{ name: 'voice', measure: 'duration' }],
  zones: ['local'],
  rates: [{ id: 'voice', service: 'voice', zones: ['local'], price: 10, per: 60, increment: '60/60' }],
};
const subscribers: Subscriber[] = [{ subscriberId: 'S1', planId: 'sim', segment: 'loyal' }];
// S1 in May: 20 minutes of voice = 200 of usage; invoice 1200.
const calls: CallRecord[] = [
  {
    subscriberId: 'S1',
    start: Date.UTC(2024, 4, 6, 10),
    service: 'voice',
    direction: 'out',
    durationSec: 1200,
    destination: 'local',
  },
];
const promotion = (components: Promotion['components'], extra: Partial<Promotion> = {}): Promotion => ({
  kind: 'promotion',
  version: 1,
  promotionId: 'p',
  components,
  ...extra,
});
const base = {
  calls,
  subscribers,
  plans: [plan],
  period: '2024-05',
  uptake: 1,
  uptakeBySaving: false,
  runs: 20,
} as const;

describe('simulatePromotion, worked by hand', () => {
  it('without churn or elasticity the net effect is the discount on every cycle (pure dilution)', () => {
    // fixed discount 100 per cycle x 3 cycles, one taker: net = dilution = -300, no interval width
    const result = simulatePromotion({
      ...base,
      promotion: promotion([{ type: 'fixed-discount', amount: 100 }]),
      cycles: 3,
    });
    expect(result.total.baseline).toEqual({ mean: 3600, low: 3600, high: 3600 });
    expect(result.total.net).toEqual({ mean: -300, low: -300, high: -300 });
    expect(result.effects).toEqual({
      dilution: { mean: -300, low: -300, high: -300 },
      uplift: { mean: 0, low: 0, high: 0 },
      retention: { mean: 0, low: 0, high: 0 },
    });
    expect(result.customers).toEqual({
      eligible: 1,
      betterOff: 1,
      worseOff: 0,
      unchanged: 0,
      deltas: [{ subscriberId: 'S1', baseline: 1200, promoted: 1100, delta: -100 }],
    });
    // one band ('all' when a plan lists none); 1200 s at 10 per 60 s = 200, no increments beyond 60/60 whole minutes
    const revenue = (component: string, baseline: number, promoted: number) => ({
      component,
      kind: 'revenue',
      baseline,
      promoted,
      change: promoted - baseline,
    });
    expect(result.bridge).toEqual([
      revenue('fees', 1000, 1000),
      revenue('usage voice all', 200, 200),
      revenue('allowance burn', 0, 0),
      revenue('connection fees and minimum charges', 0, 0),
      revenue('roaming surcharges', 0, 0),
      revenue('rounding and increments', 0, 0),
      revenue('discounts', 0, -100),
      revenue('tax', 0, 0),
      { component: 'allowance units drawn', kind: 'memo', baseline: 0, promoted: 0, change: 0 },
    ]);
  });

  it('retention: a sure churner kept by the promotion', () => {
    // churn probability 1 per cycle, retention effect 1: without the promotion S1 pays cycle 1 (1200) and leaves;
    // with it S1 pays 1100 x 3 = 3300. net 2100 = dilution (cycle 1: -100) + retention (cycles 2-3: 2200).
    const result = simulatePromotion({
      ...base,
      promotion: promotion([{ type: 'fixed-discount', amount: 100 }]),
      cycles: 3,
      churnProbability: () => 1,
      retentionEffect: 1,
      campaignCost: 1050,
    });
    expect(result.total.baseline.mean).toBe(1200);
    expect(result.total.promoted.mean).toBe(3300);
    expect(result.effects.dilution.mean).toBe(-100);
    expect(result.effects.retention.mean).toBe(2200);
    expect(result.perCycle.map((cycle) => cycle.net.mean)).toEqual([-100, 1100, 1100]);
    // expected net of a taker 2100; campaign cost 1050 -> break-even uptake 1050 / 2100 = 0.5
    expect(result.breakEvenUptake).toBeCloseTo(0.5, 9);
  });

  it('uplift: extra usage from a usage price cut', () => {
    // 50% off voice: saving 100 on usage 200 -> cut 0.5; elasticity 0.5 -> +25% usage on the 100 still paid = 25 per cycle
    // net per cycle = -100 + 25 = -75; 2 cycles -> -150
    const result = simulatePromotion({
      ...base,
      promotion: promotion([{ type: 'percent-off', service: 'voice', percent: 50 }]),
      cycles: 2,
      usageElasticity: 0.5,
    });
    expect(result.effects.uplift.mean).toBe(50);
    expect(result.total.net.mean).toBe(-150);
    expect(result.breakEvenUptake).toBeNull();
  });

  it('the promotion stops after durationCycles', () => {
    // 2 of 4 cycles at -100
    const result = simulatePromotion({
      ...base,
      promotion: promotion([{ type: 'fixed-discount', amount: 100 }], { durationCycles: 2 }),
      cycles: 4,
    });
    expect(result.perCycle.map((cycle) => cycle.net.mean)).toEqual([-100, -100, 0, 0]);
  });

  it('bad input', () => {
    const discount = promotion([{ type: 'fixed-discount', amount: 100 }]);
    expect(() => simulatePromotion({ ...base, promotion: discount, churnProbability: () => 2 })).toThrow(
      DataError,
    );
    expect(() => simulatePromotion({ ...base, promotion: discount, churnProbability: () => 2 })).toThrow(
      /row 1, column 'churnProbability'/,
    );
    expect(() => simulatePromotion({ ...base, promotion: discount, runs: 0 })).toThrow(OptionError);
    expect(() => simulatePromotion({ ...base, promotion: discount, uptake: 1.5 })).toThrow(/uptake/);
  });
});

describe('simulatePromotion on the synthetic operator', () => {
  const operator = generateOperator({ subscribers: 400, months: 2, seed: 3 });
  const plans = operator.plans.map(tariffFromOperatorPlan);
  const input = {
    calls: operator.calls,
    subscribers: operator.subscribers,
    plans,
    period: '2024-01',
    promotion: promotion([{ type: 'percent-off', service: 'data', percent: 30 }], {
      eligibility: { plans: ['POST-S', 'POST-M'] },
    }),
    cycles: 6,
    uptake: 0.4,
    usageElasticity: 0.6,
    churnProbability: (subscriber: Subscriber) => (subscriber.contract === 'month-to-month' ? 0.05 : 0.01),
    retentionEffect: 0.4,
    runs: 100,
    seed: 9,
  } as const;

  it('splits the net effect exactly, is reproducible by seed and breaks customers down', () => {
    const result = simulatePromotion(input);
    const { dilution, uplift, retention } = result.effects;
    expect(dilution.mean + uplift.mean + retention.mean).toBeCloseTo(result.total.net.mean, 6);
    expect(dilution.mean).toBeLessThan(0);
    for (const row of [result.total.baseline, result.total.promoted, result.total.net]) {
      expect(row.low).toBeLessThanOrEqual(row.mean);
      expect(row.mean).toBeLessThanOrEqual(row.high);
    }
    expect(result.customers.eligible).toBe(
      operator.subscribers.filter((subscriber) => ['POST-S', 'POST-M'].includes(subscriber.planId!)).length,
    );
    expect(result.customers.worseOff).toBe(0);
    expect(result.byPlan.reduce((sum, row) => sum + row.net, 0)).toBeCloseTo(result.total.net.mean, 6);
    expect(result.byPlan.find((row) => row.key === 'PRE-PAYG')!.net).toBe(0);
    expect(simulatePromotion(input)).toEqual(result);
    expect(simulatePromotion({ ...input, seed: 10 }).total.net.mean).not.toBe(result.total.net.mean);
  });
});

describe('optimizePromotion', () => {
  it('ranks a grid of discounts by expected net revenue, flagging possible losses', () => {
    // voice usage 200 per cycle, elasticity 2, one cycle, sure take-up:
    //   10%: saving 20, cut 0.1, uplift 2 x 0.1 x 180 = 36 -> net 16
    //   30%: saving 60, cut 0.3, uplift 2 x 0.3 x 140 = 84 -> net 24
    //   50%: saving 100, cut 0.5, uplift 2 x 0.5 x 100 = 100 -> net 0
    // campaign cost 20: objectives 4, -4, -20; a loss is possible for 10% and 50%
    const result = optimizePromotion({
      ...base,
      promotion: promotion([{ type: 'percent-off', service: 'voice', percent: 10 }]),
      cycles: 1,
      usageElasticity: 2,
      campaignCost: 20,
      grid: [{ path: 'components.0.percent', values: [10, 30, 50] }],
    });
    expect(
      result.candidates.map((candidate) => [
        candidate.parameters['components.0.percent'],
        candidate.objective,
        candidate.lossPossible,
      ]),
    ).toEqual([
      [30, 4, false],
      [10, -4, true],
      [50, -20, true],
    ]);
    expect(result.candidates[0]!.rank).toBe(1);
    expect(result.candidates[0]!.promotion.components[0]).toEqual({
      type: 'percent-off',
      service: 'voice',
      percent: 30,
    });
  });

  it('rejects a path outside the promotion and an empty grid', () => {
    const template = promotion([{ type: 'percent-off', service: 'voice', percent: 10 }]);
    expect(() =>
      optimizePromotion({
        ...base,
        promotion: template,
        grid: [{ path: 'components.3.percent', values: [1] }],
      }),
    ).toThrow(/grid\[0\]\.path/);
    expect(() => optimizePromotion({ ...base, promotion: template, grid: [] })).toThrow(OptionError);
  });
});
