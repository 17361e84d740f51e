import type { CallRecord } from 'telco-analytics/data';
import {
  rateCalls,
  ratedCallRows,
  runBillCycle,
  type TariffPlan,
  type TariffRate,
} from 'telco-analytics/simulation';
import { describe, expect, it } from 'vitest';

// Every expected amount below is worked by hand in the comment beside it. Money is cents.

const at = (iso: string): number => Date.parse(`${iso}Z`);

function voice(start: string, durationSec: number, extra: Partial<CallRecord> = {}): CallRecord {
  return Object.freeze({
    subscriberId: 'S1',
    start: at(start),
    service: 'voice',
    direction: 'out',
    durationSec,
    destination: 'local',
    ...extra,
  });
}

function planWith(rates: readonly TariffRate[], extra: Partial<TariffPlan> = {}): TariffPlan {
  return Object.freeze({
    kind: 'tariff-plan',
    version: 1,
    planId: 'test',
    services: [
      { name: 'voice', measure: 'duration' },
      { name: 'sms', measure: 'event' },
      { name: 'data', measure: 'volume' },
    ],
    zones: ['local', 'national', 'roaming'],
    rates,
    ...extra,
  } as TariffPlan);
}

const charges = (calls: readonly CallRecord[], plan: TariffPlan, options = {}): number[] => [
  ...rateCalls(Object.freeze([...calls]), plan, options).charge,
];

describe('rateCalls: increments', () => {
  it('60/60 charges every started minute', () => {
    const plan = planWith([
      { id: 'voice', service: 'voice', zones: ['local'], price: 6, per: 60, increment: '60/60' },
    ]);
    // 1 s -> 1 min -> 6; 60 s -> 1 min -> 6; 61 s -> 2 min -> 12; 0 s (unanswered) -> 0
    expect(
      charges(
        [
          voice('2024-05-06T10:00:00', 1),
          voice('2024-05-06T11:00:00', 60),
          voice('2024-05-06T12:00:00', 61),
          voice('2024-05-06T13:00:00', 0),
        ],
        plan,
      ),
    ).toEqual([6, 6, 12, 0]);
  });

  it('60/1 charges the first minute, then per second', () => {
    const plan = planWith([
      { id: 'voice', service: 'voice', zones: ['local'], price: 6, per: 60, increment: '60/1' },
    ]);
    // 30 s -> 60 s -> 6; 90 s -> 90 * 6 / 60 = 9; 61 s -> 6.1 -> half-up 6; 65 s -> 6.5 -> half-up 7
    expect(
      charges(
        [
          voice('2024-05-06T10:00:00', 30),
          voice('2024-05-06T11:00:00', 90),
          voice('2024-05-06T12:00:00', 61),
          voice('2024-05-06T13:00:00', 65),
        ],
        plan,
      ),
    ).toEqual([6, 9, 6, 7]);
  });

  it('30/6 charges 30 s, then every started 6 s', () => {
    const plan = planWith([
      { id: 'voice', service: 'voice', zones: ['local'], price: 10, per: 60, increment: '30/6' },
    ]);
    // 10 s -> 30 s -> 5; 31 s -> 30 + 6 = 36 s -> 6; 47 s -> 30 + ceil(17/6)*6 = 48 s -> 8
    const rated = rateCalls(
      [voice('2024-05-06T10:00:00', 10), voice('2024-05-06T11:00:00', 31), voice('2024-05-06T12:00:00', 47)],
      plan,
    );
    expect([...rated.chargedUnits]).toEqual([30, 36, 48]);
    expect([...rated.charge]).toEqual([5, 6, 8]);
  });

  it('adds the connection fee and lifts a call to the minimum charge', () => {
    const plan = planWith([
      {
        id: 'local',
        service: 'voice',
        zones: ['local'],
        price: 6,
        per: 60,
        increment: '60/1',
        connectionFee: 5,
        minimumCharge: 10,
      },
      {
        id: 'national',
        service: 'voice',
        zones: ['national'],
        price: 2,
        per: 60,
        increment: '60/1',
        connectionFee: 5,
        minimumCharge: 10,
      },
    ]);
    // local 120 s: 120 * 6/60 = 12 + 5 = 17 (above the minimum 10)
    // national 30 s: 60 s * 2/60 = 2 + 5 = 7 -> minimum 10
    // local 0 s: nothing charged, so no connection fee and no minimum -> 0
    expect(
      charges(
        [
          voice('2024-05-06T10:00:00', 120),
          voice('2024-05-06T11:00:00', 30, { destination: 'national' }),
          voice('2024-05-06T12:00:00', 0),
        ],
        plan,
      ),
    ).toEqual([17, 10, 0]);
  });
});

describe('rateCalls: allowances', () => {
  const minutes = { id: 'minutes', service: 'voice', zones: ['local', 'national'], amount: 300 } as const;

  it('splits the call that exhausts the allowance and charges the remainder with fresh increments', () => {
    const plan = planWith(
      [
        {
          id: 'voice',
          service: 'voice',
          zones: ['local', 'national'],
          price: 6,
          per: 60,
          increment: '60/60',
        },
      ],
      { allowances: [minutes] },
    );
    // allowance 300 s. call 1: 100 s -> 120 s billable, fits: free, 180 s left.
    // call 2: 250 s -> 300 s billable > 180: 180 s free, remainder 250 - 180 = 70 s -> 60/60 -> 120 s -> 12.
    // call 3: 30 s, allowance empty -> 60 s -> 6.
    const rated = rateCalls(
      [
        voice('2024-05-06T10:00:00', 100),
        voice('2024-05-06T11:00:00', 250, { destination: 'national' }),
        voice('2024-05-06T12:00:00', 30),
      ],
      plan,
    );
    expect([...rated.allowanceUnits]).toEqual([120, 180, 0]);
    expect([...rated.chargedUnits]).toEqual([0, 120, 60]);
    expect([...rated.charge]).toEqual([0, 12, 6]);
    expect(ratedCallRows(rated)[1]).toEqual({
      row: 2,
      rate: 'voice',
      band: 'all',
      units: 250,
      chargedUnits: 120,
      allowance: 'minutes',
      allowanceUnits: 180,
      charge: 12,
    });
  });

  it('with 60/1 the remainder is charged per second after its own first minute', () => {
    const plan = planWith(
      [{ id: 'voice', service: 'voice', zones: ['local'], price: 6, per: 60, increment: '60/1' }],
      { allowances: [minutes] },
    );
    // call 1: 200 s -> 200 billable, fits: 100 s left. call 2: 170 s > 100: 100 free, remainder 70 s -> 70 s -> 70 * 6/60 = 7.
    // call 3: 10 s -> 60 s -> 6.
    expect(
      charges(
        [
          voice('2024-05-06T10:00:00', 200),
          voice('2024-05-06T11:00:00', 170),
          voice('2024-05-06T12:00:00', 10),
        ],
        plan,
      ),
    ).toEqual([0, 7, 6]);
  });

  it('draws allowances in time order whatever the input order', () => {
    const plan = planWith(
      [{ id: 'voice', service: 'voice', zones: ['local'], price: 6, per: 60, increment: '60/60' }],
      { allowances: [minutes] },
    );
    // In time order: 10:00 240 s (free, 60 s left), 11:00 120 s (60 free + 60 s charged = 6).
    const early = voice('2024-05-06T10:00:00', 240);
    const late = voice('2024-05-06T11:00:00', 120);
    expect(charges([late, early], plan)).toEqual([6, 0]);
  });

  it('counts SMS against the message allowance', () => {
    const plan = planWith([{ id: 'sms', service: 'sms', zones: ['local'], price: 8 }], {
      allowances: [{ id: 'sms', service: 'sms', zones: ['local'], amount: 2 }],
    });
    const sms = (hour: number): CallRecord => ({
      subscriberId: 'S1',
      start: Date.UTC(2024, 4, 6, hour),
      service: 'sms',
      direction: 'out',
      destination: 'local',
    });
    // 2 included, the third pays 8
    expect(charges([sms(9), sms(10), sms(11)], plan)).toEqual([0, 0, 8]);
  });

  it('a call crossing midnight into a new cycle is rated in the cycle it started in', () => {
    const plan = planWith(
      [{ id: 'voice', service: 'voice', zones: ['local'], price: 6, per: 60, increment: '60/60' }],
      {
        allowances: [{ ...minutes, amount: 120 }],
        monthlyFee: 1000,
      },
    );
    // May cycle: 23:58 on 31 May, 300 s -> 300 billable > 120 left: 120 free, remainder 180 s -> 3 min -> 18 (all in May).
    // June cycle (starts 1 June 00:00): 00:10, 60 s -> fresh 120 s allowance -> free.
    const calls = [voice('2024-05-31T23:58:00', 300), voice('2024-06-01T00:10:00', 60)];
    const rated = rateCalls(calls, plan);
    expect([...rated.charge]).toEqual([18, 0]);
    expect([...rated.cycle]).toEqual([2024 * 12 + 4, 2024 * 12 + 5]);
    const subscribers = [{ subscriberId: 'S1', planId: 'test' }];
    // May invoice: fee 1000 + usage 18 = 1018; June: fee 1000 + 0 = 1000
    expect(runBillCycle({ calls, subscribers, plans: [plan], period: '2024-05' }).invoices[0]!.total).toBe(
      1018,
    );
    expect(runBillCycle({ calls, subscribers, plans: [plan], period: '2024-06' }).invoices[0]!.total).toBe(
      1000,
    );
  });

  it('cycles start on cycleStartDay', () => {
    const plan = planWith(
      [{ id: 'voice', service: 'voice', zones: ['local'], price: 6, per: 60, increment: '60/60' }],
      { allowances: [{ ...minutes, amount: 60 }] },
    );
    // cycleStartDay 15: 14 May belongs to the cycle from 15 April, 15 May opens a new one (fresh 60 s).
    // 14 May 60 s -> free; 14 May 60 s again -> 6; 15 May 60 s -> free.
    const calls = [
      voice('2024-05-14T09:00:00', 60),
      voice('2024-05-14T10:00:00', 60),
      voice('2024-05-15T09:00:00', 60),
    ];
    expect(charges(calls, plan, { cycleStartDay: 15 })).toEqual([0, 6, 0]);
  });
});

describe('rateCalls: time bands', () => {
  const bands = [
    { name: 'peak', weekdays: [1, 2, 3, 4, 5], fromHour: 8, toHour: 20 },
    { name: 'off-peak', weekdays: [1, 2, 3, 4, 5], fromHour: 0, toHour: 8 },
    { name: 'off-peak', weekdays: [1, 2, 3, 4, 5], fromHour: 20, toHour: 24 },
    { name: 'off-peak', weekdays: [0, 6], fromHour: 0, toHour: 24 },
  ];
  const plan = planWith(
    [
      {
        id: 'voice-peak',
        service: 'voice',
        zones: ['local'],
        bands: ['peak'],
        price: 12,
        per: 60,
        increment: '60/60',
      },
      {
        id: 'voice-off-peak',
        service: 'voice',
        zones: ['local'],
        bands: ['off-peak'],
        price: 6,
        per: 60,
        increment: '60/60',
      },
    ],
    { bands, holidays: ['2024-12-25'], holidayBand: 'off-peak' },
  );
  // Monday 6 May 2024, 19:58:00, 250 s: 120 s in peak, 130 s in off-peak; billable 300 s (60/60).
  const crossing = voice('2024-05-06T19:58:00', 250);

  it("'start' rates the whole call in its start band", () => {
    // 300 s x 12/60 = 60
    const rated = rateCalls([crossing], plan, { bandBoundary: 'start' });
    expect(rated.charge[0]).toBe(60);
    expect(rated.bandNames[rated.band[0]!]).toBe('peak');
  });

  it("'split' rates each second in its own band, increments at the last band's rate", () => {
    // peak 120 s x 12/60 = 24; off-peak 130 s + 50 s of rounding = 180 s x 6/60 = 18; total 42
    expect(rateCalls([crossing], plan, { bandBoundary: 'split' }).charge[0]).toBe(42);
  });

  it("'split' after an allowance runs out: the charged remainder starts where the allowance ended", () => {
    const withAllowance = {
      ...plan,
      allowances: [{ id: 'minutes', service: 'voice', zones: ['local'], amount: 60 }],
    };
    // 19:58:00, 250 s; allowance 60 s covers 19:58:00-19:59:00 (billable 300 > 60: split)
    // remainder 190 s from 19:59:00: 60 s peak + 130 s off-peak; 60/60 on 190 s -> 240 s, the 50 extra off-peak
    // split: 60 x 12/60 = 12 + 180 x 6/60 = 18 -> 30;  start: 240 x 12/60 = 48
    expect(rateCalls([crossing], withAllowance, { bandBoundary: 'split' }).charge[0]).toBe(30);
    expect(rateCalls([crossing], withAllowance, { bandBoundary: 'start' }).charge[0]).toBe(48);
  });

  it('rates weekends and holidays in their band', () => {
    // Saturday 11 May 10:00, 60 s -> off-peak 6; Wednesday 25 Dec (holiday) 10:00, 60 s -> off-peak 6; Wednesday 18 Dec 10:00 -> peak 12
    expect(
      charges(
        [
          voice('2024-05-11T10:00:00', 60),
          voice('2024-12-25T10:00:00', 60),
          voice('2024-12-18T10:00:00', 60),
        ],
        plan,
      ),
    ).toEqual([6, 6, 12]);
  });

  it('reads bands in the plan local time', () => {
    // utcOffsetMinutes +120: 06:30 UTC on Monday is 08:30 local -> peak 12 (in UTC it would be off-peak 6)
    expect(charges([voice('2024-05-06T06:30:00', 60)], { ...plan, utcOffsetMinutes: 120 })).toEqual([12]);
  });
});

describe('rateCalls: data, roaming, rounding', () => {
  it('rounds each data session up to the next 100 KB', () => {
    const plan = planWith([
      { id: 'data', service: 'data', zones: ['national'], price: 20, per: 1000, increment: '100/100' },
    ]);
    const session = (volumeMb: number, hour: number): CallRecord => ({
      subscriberId: 'S1',
      start: Date.UTC(2024, 4, 6, hour),
      service: 'data',
      direction: 'out',
      volumeMb,
      destination: 'national',
    });
    // 0.25 MB = 250 KB -> 300 KB x 20/1000 = 6; 1.001 MB = 1001 KB -> 1100 KB -> 22; 0.1 MB -> 100 KB -> 2
    const rated = rateCalls([session(0.25, 9), session(1.001, 10), session(0.1, 11)], plan);
    expect([...rated.chargedUnits]).toEqual([300, 1100, 100]);
    expect([...rated.charge]).toEqual([6, 22, 2]);
  });

  it('charges roaming at the roaming rate plus the surcharge; incoming calls without a rate are free', () => {
    const plan = planWith(
      [
        { id: 'voice-home', service: 'voice', zones: ['local'], price: 6, per: 60, increment: '60/60' },
        { id: 'voice-roaming', service: 'voice', zones: ['roaming'], price: 90, per: 60, increment: '60/60' },
        {
          id: 'voice-roaming-in',
          service: 'voice',
          direction: 'in',
          zones: ['roaming'],
          price: 30,
          per: 60,
          increment: '60/60',
        },
      ],
      {
        roamingSurcharges: [{ service: 'voice', price: 10, per: 60 }],
        allowances: [{ id: 'minutes', service: 'voice', zones: ['local'], amount: 6000 }],
      },
    );
    // roaming out 61 s -> 120 s: 120 x 90/60 = 180 + surcharge 120 x 10/60 = 20 -> 200 (allowance covers home zones only)
    // roaming in 30 s -> 60 s x 30/60 = 30 (the surcharge is on outgoing voice only)
    // home in 100 s: no incoming rate -> free
    const calls = [
      voice('2024-05-06T10:00:00', 61, { destination: 'roaming' }),
      voice('2024-05-06T11:00:00', 30, { destination: 'roaming', direction: 'in' }),
      voice('2024-05-06T12:00:00', 100, { direction: 'in' }),
    ];
    const rated = rateCalls(calls, plan);
    expect([...rated.charge]).toEqual([200, 30, 0]);
    expect(rated.rate[2]).toBe(-1);
  });

  it.each([
    // 61 s at 6/60 with 60/1 = 6.1; 65 s = 6.5; 66 s = 6.6
    ['up', [7, 7, 7]],
    ['down', [6, 6, 6]],
    ['half-up', [6, 7, 7]],
  ] as const)("rounds each call '%s'", (mode, expected) => {
    const plan = planWith(
      [{ id: 'voice', service: 'voice', zones: ['local'], price: 6, per: 60, increment: '60/1' }],
      { rounding: { mode, scope: 'call' } },
    );
    expect(
      charges(
        [
          voice('2024-05-06T10:00:00', 61),
          voice('2024-05-06T11:00:00', 65),
          voice('2024-05-06T12:00:00', 66),
        ],
        plan,
      ),
    ).toEqual(expected);
  });

  it.each([
    // per line: 3 calls of 61 s = 3 x 6.1 = 18.3 exact -> up 19, down 18, half-up 18 (per call it would be 21 / 18 / 18)
    ['up', 19],
    ['down', 18],
    ['half-up', 18],
  ] as const)("rounds the invoice line's exact sum '%s' under scope 'line'", (mode, expected) => {
    const plan = planWith(
      [{ id: 'voice', service: 'voice', zones: ['local'], price: 6, per: 60, increment: '60/1' }],
      { rounding: { mode, scope: 'line' } },
    );
    const calls = [
      voice('2024-05-06T10:00:00', 61),
      voice('2024-05-06T11:00:00', 61),
      voice('2024-05-06T12:00:00', 61),
    ];
    const invoice = runBillCycle({
      calls,
      subscribers: [{ subscriberId: 'S1', planId: 'test' }],
      plans: [plan],
      period: '2024-05',
    }).invoices[0]!;
    expect(invoice.lines.find((line) => line.kind === 'usage')!.amount).toBe(expected);
  });
});

describe('runBillCycle: invoices worked by hand', () => {
  const plan = planWith(
    [
      { id: 'voice', service: 'voice', zones: ['local', 'national'], price: 6, per: 60, increment: '60/60' },
      { id: 'sms', service: 'sms', zones: ['local', 'national'], price: 8 },
    ],
    {
      monthlyFee: 1000,
      taxRateBasisPoints: 1750,
      allowances: [{ id: 'minutes', service: 'voice', zones: ['local', 'national'], amount: 60 }],
    },
  );
  // usage: local 90 s -> 120 s billable > 60 allowance: 60 free, remainder 30 s -> 60 s -> 6
  //        national 60 s -> 60 s x 6/60 = 6 ; sms local 8 -> usage 20
  // subtotal = 1000 + 20 = 1020; tax 17.5% = 178.5
  const calls = [
    voice('2024-05-06T10:00:00', 90),
    voice('2024-05-07T10:00:00', 60, { destination: 'national' }),
    {
      subscriberId: 'S1',
      start: at('2024-05-08T10:00:00'),
      service: 'sms',
      direction: 'out',
      destination: 'local',
    } as const,
    voice('2024-04-30T10:00:00', 600),
  ];

  it.each([
    ['half-up', 179],
    ['up', 179],
    ['down', 178],
  ] as const)("writes fee, usage, allowance and tax lines; tax rounded '%s'", (mode, tax) => {
    const bill = runBillCycle({
      calls,
      subscribers: [{ subscriberId: 'S1', planId: 'test' }],
      plans: [{ ...plan, rounding: { mode } }],
      period: '2024-05',
    });
    const invoice = bill.invoices[0]!;
    expect(invoice.lines.map((line) => [line.kind, line.description, line.quantity, line.amount])).toEqual([
      ['fee', 'monthly fee test', 1, 1000],
      ['usage', 'voice out local', 90, 6],
      ['usage', 'voice out national', 60, 6],
      ['usage', 'sms out local', 1, 8],
      ['allowance', 'allowance minutes', 60, 0],
      ['tax', 'tax 17.5%', 1020, tax],
    ]);
    expect(invoice).toMatchObject({ subtotal: 1020, tax, total: 1020 + tax });
    expect(bill.periodStart).toBe('2024-05-01');
    expect(bill.periodEnd).toBe('2024-06-01');
    expect(bill.totals.byService).toEqual([
      { key: 'sms', invoices: 1, fees: 0, usage: 8, discounts: 0, tax: 0, total: 8 },
      { key: 'voice', invoices: 1, fees: 0, usage: 12, discounts: 0, tax: 0, total: 12 },
    ]);
    expect(bill.totals.revenue).toEqual({
      key: 'all',
      invoices: 1,
      fees: 1000,
      usage: 20,
      discounts: 0,
      tax,
      total: 1020 + tax,
    });
  });
});
