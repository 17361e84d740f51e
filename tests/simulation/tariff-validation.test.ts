import { type CallRecord, DataError, OptionError } from 'telco-analytics/data';
import {
  lintTariff,
  rateCalls,
  runBillCycle,
  type TariffPlan,
  validateTariff,
} from 'telco-analytics/simulation';
import { describe, expect, it } from 'vitest';

const plan: TariffPlan = Object.freeze({
  kind: 'tariff-plan',
  version: 1,
  planId: 'basic',
  services: [
    { name: 'voice', measure: 'duration' },
    { name: 'sms', measure: 'event' },
  ],
  zones: ['local', 'international'],
  bands: [
    { name: 'day', weekdays: [0, 1, 2, 3, 4, 5, 6], fromHour: 8, toHour: 20 },
    { name: 'night', weekdays: [0, 1, 2, 3, 4, 5, 6], fromHour: 20, toHour: 24 },
    { name: 'night', weekdays: [0, 1, 2, 3, 4, 5, 6], fromHour: 0, toHour: 8 },
  ],
  rates: [
    { id: 'voice-local', service: 'voice', zones: ['local'], price: 6, per: 60, increment: '60/60' },
    {
      id: 'voice-international-day',
      service: 'voice',
      zones: ['international'],
      bands: ['day'],
      price: 40,
      per: 60,
    },
    { id: 'sms', service: 'sms', zones: ['local', 'international'], price: 8 },
  ],
} as const);

function expectIssue(run: () => unknown, column: string, reason: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    const issue = (error as DataError).issues.find((candidate) => candidate.column === column);
    expect(issue, `issues: ${JSON.stringify((error as DataError).issues)}`).toBeDefined();
    expect(issue!.reason).toMatch(reason);
    return;
  }
  throw new Error('expected a DataError');
}

describe('validateTariff', () => {
  it('returns a valid plan unchanged', () => {
    expect(validateTariff(plan)).toBe(plan);
  });

  it('rejects a negative price, naming the rate and the field', () => {
    const bad = { ...plan, rates: [{ ...plan.rates[0]!, price: -5 }] };
    expectIssue(() => validateTariff(bad), 'rates[0].price', /rate 'voice-local'.*non-negative.*-5/);
    expect(() => validateTariff(bad)).toThrow(
      "validateTariff (plan 'basic'): row 1, column 'rates[0].price'",
    );
  });

  it.each(['0/60', '60/0', '60', 'abc'])('rejects the increment %s', (increment) => {
    expectIssue(
      () => validateTariff({ ...plan, rates: [{ ...plan.rates[0]!, increment }] }),
      'rates[0].increment',
      /first\/next/,
    );
  });

  it('rejects overlapping time bands, naming both', () => {
    const bands = [...plan.bands!, { name: 'evening', weekdays: [5], fromHour: 18, toHour: 22 }];
    expectIssue(
      () => validateTariff({ ...plan, bands }),
      'bands[3].fromHour',
      /band 'evening' overlaps band 'day' \(bands\[0\]\) on Friday at 18:00/,
    );
  });

  it('rejects two rates for the same service, zone and band', () => {
    const rates = [...plan.rates, { id: 'voice-local-2', service: 'voice', zones: ['local'], price: 5 }];
    expectIssue(
      () => validateTariff({ ...plan, rates }),
      'rates[3].zones',
      /rate 'voice-local-2' overlaps rate 'voice-local'/,
    );
  });

  it('rejects unknown services, zones and bands, a zero per, bad tax and bad fees', () => {
    const rates = [
      { id: 'x', service: 'video', zones: ['mars'], bands: ['dusk'], price: 1, per: 0, connectionFee: 1.5 },
    ];
    const bad = { ...plan, rates, taxRateBasisPoints: -1 };
    expectIssue(() => validateTariff(bad), 'rates[0].service', /unknown service 'video'/);
    expectIssue(() => validateTariff(bad), 'rates[0].zones', /unknown zone 'mars'/);
    expectIssue(() => validateTariff(bad), 'rates[0].bands', /unknown band 'dusk'/);
    expectIssue(() => validateTariff(bad), 'rates[0].per', /positive integer/);
    expectIssue(() => validateTariff(bad), 'rates[0].connectionFee', /non-negative integer/);
    expectIssue(() => validateTariff(bad), 'taxRateBasisPoints', /non-negative integer/);
  });

  it('rejects holidays without a band and malformed dates, and overlapping allowances', () => {
    expectIssue(() => validateTariff({ ...plan, holidays: ['2024-02-30'] }), 'holidays[0]', /YYYY-MM-DD/);
    expectIssue(
      () => validateTariff({ ...plan, holidays: ['2024-12-25'] }),
      'holidayBand',
      /must name a band/,
    );
    const allowances = [
      { id: 'a', service: 'voice', zones: ['local'], amount: 60 },
      { id: 'b', service: 'voice', zones: ['local'], amount: 60 },
    ];
    expectIssue(
      () => validateTariff({ ...plan, allowances }),
      'allowances[1].zones',
      /allowance 'b' overlaps allowance 'a'/,
    );
  });
});

describe('rateCalls: bad calls name the row', () => {
  const call = (extra: Partial<CallRecord>): CallRecord => ({
    subscriberId: 'S1',
    start: Date.UTC(2024, 4, 6, 10),
    service: 'voice',
    durationSec: 30,
    destination: 'local',
    ...extra,
  });

  it('an unknown zone', () => {
    expectIssue(
      () => rateCalls([call({}), call({ destination: 'premium' })], plan),
      'destination',
      /unknown zone 'premium'/,
    );
    try {
      rateCalls([call({}), call({ destination: 'premium' })], plan);
    } catch (error) {
      expect((error as DataError).issues[0]!.row).toBe(2);
    }
  });

  it('a call in a band without a rate, and a time in no band', () => {
    // international voice has a rate in the day band only: 22:00 is night
    expectIssue(
      () => rateCalls([call({ destination: 'international', start: Date.UTC(2024, 4, 6, 22) })], plan),
      'destination',
      /no rate .* voice\/out\/international in band 'night'/,
    );
    const gappy = { ...plan, bands: plan.bands!.slice(0, 2) };
    expectIssue(
      () => rateCalls([call({ start: Date.UTC(2024, 4, 6, 3) })], gappy),
      'start',
      /falls in no time band/,
    );
  });

  it('an unknown service, a missing destination or duration', () => {
    expectIssue(
      () => rateCalls([call({ service: 'fax' })], plan),
      'service',
      /service 'fax' is not in plan 'basic'/,
    );
    const { destination: _destination, ...noZone } = call({});
    expectIssue(() => rateCalls([noZone], plan), 'destination', /missing/);
    const { durationSec: _duration, ...noDuration } = call({});
    expectIssue(() => rateCalls([noDuration], plan), 'durationSec', /missing/);
    expectIssue(() => rateCalls([call({ durationSec: -3 })], plan), 'durationSec', /non-negative/);
  });

  it('bad options', () => {
    expect(() => rateCalls([], plan, { cycleStartDay: 30 })).toThrow(OptionError);
    expect(() => rateCalls([], plan, { bandBoundary: 'end' as 'start' })).toThrow(/bandBoundary/);
    expect(() => runBillCycle({ calls: [], subscribers: [], plans: [plan], period: '2024-13' })).toThrow(
      /period/,
    );
  });

  it('runBillCycle names a subscriber with an unknown plan and a call of an unlisted subscriber', () => {
    expectIssue(
      () =>
        runBillCycle({
          calls: [],
          subscribers: [{ subscriberId: 'S1', planId: 'gold' }],
          plans: [plan],
          period: '2024-05',
        }),
      'planId',
      /'gold' is not one of the plans/,
    );
    expectIssue(
      () =>
        runBillCycle({
          calls: [call({}), call({ subscriberId: 'S9' })],
          subscribers: [{ subscriberId: 'S1', planId: 'basic' }],
          plans: [plan],
          period: '2024-05',
        }),
      'subscriberId',
      /'S9' is not in subscribers/,
    );
  });
});

describe('lintTariff', () => {
  it('reports unmatched calls, unused rates and bands, uncovered hours', () => {
    const gappy = { ...plan, bands: plan.bands!.slice(0, 2) };
    const calls: CallRecord[] = [
      {
        subscriberId: 'S1',
        start: Date.UTC(2024, 4, 6, 10),
        service: 'voice',
        durationSec: 30,
        destination: 'local',
      },
      {
        subscriberId: 'S1',
        start: Date.UTC(2024, 4, 6, 21),
        service: 'voice',
        durationSec: 30,
        destination: 'international',
      },
      {
        subscriberId: 'S1',
        start: Date.UTC(2024, 4, 6, 3),
        service: 'voice',
        durationSec: 30,
        destination: 'local',
      },
      {
        subscriberId: 'S1',
        start: Date.UTC(2024, 4, 6, 10),
        service: 'voice',
        durationSec: 30,
        destination: 'premium',
      },
      {
        subscriberId: 'S1',
        start: Date.UTC(2024, 4, 6, 10),
        service: 'sms',
        direction: 'out',
        destination: 'local',
      },
      // incoming usage without a rate is free, not a finding
      {
        subscriberId: 'S1',
        start: Date.UTC(2024, 4, 6, 11),
        service: 'sms',
        direction: 'in',
        destination: 'local',
      },
    ];
    const lint = lintTariff(gappy, calls);
    expect(lint.findings.filter((finding) => finding.kind === 'uncovered-hours')).toHaveLength(7);
    expect(
      lint.findings.filter((finding) => finding.kind === 'unmatched-call').map((finding) => finding.row),
    ).toEqual([2, 3, 4]);
    expect(lint.findings.find((finding) => finding.row === 2)!.message).toMatch(
      /no rate for voice\/out\/international in band 'night'/,
    );
    expect(
      lint.findings.filter((finding) => finding.kind === 'unused-rate').map((finding) => finding.id),
    ).toEqual(['voice-international-day']);
    expect(lint.rateHits).toEqual({ 'voice-local': 1, 'voice-international-day': 0, sms: 1 });
  });

  it('reports overlapping bands instead of throwing', () => {
    const bands = [...plan.bands!, { name: 'evening', weekdays: [5], fromHour: 18, toHour: 22 }];
    const lint = lintTariff({ ...plan, bands }, []);
    expect(lint.findings.map((finding) => finding.kind)).toEqual(['overlapping-bands']);
  });
});

describe('allowances without a rate and 16-bit index limits', () => {
  it('lint flags an allowance over a zone no rate prices, naming the zone', () => {
    // SMS has a rate for local and international; voice has none for international at night but one by day,
    // so only the data zone 'roaming' (no rate for sms at all) is dead for the allowance below.
    const withAllowances: TariffPlan = {
      ...plan,
      zones: [...plan.zones, 'roaming'],
      allowances: [
        { id: 'sms-bundle', service: 'sms', zones: ['local', 'roaming'], amount: 100 },
        { id: 'voice-bundle', service: 'voice', zones: ['international'], amount: 600 },
        { id: 'sms-in', service: 'sms', direction: 'in', zones: ['local'], amount: 10 },
      ],
    };
    const findings = lintTariff(withAllowances, []).findings.filter(
      (finding) => finding.kind === 'allowance-without-rate',
    );
    // voice/international has a rate in band 'day' -> not flagged; sms/in has no rate at all -> flagged.
    expect(findings.map((finding) => finding.id)).toEqual(['sms-bundle', 'sms-in']);
    expect(findings[0]!.message).toMatch(/sms\/out in zone 'roaming' that no rate prices/);
    expect(findings[1]!.message).toMatch(/sms\/in in zone 'local'/);
  });

  it('a plan whose allowances all have rates gets no such finding', () => {
    const fine = { ...plan, allowances: [{ id: 'a', service: 'sms', zones: ['local'], amount: 5 }] };
    expect(lintTariff(fine, []).findings.map((finding) => finding.kind)).not.toContain(
      'allowance-without-rate',
    );
  });

  it('rejects more allowances than the 16-bit allowance index holds', () => {
    // 32768 allowances over distinct zones: one more than Int16 indices 0..32766 (-1 = none) allow
    const zones = Array.from({ length: 32_768 }, (_, index) => `z${index}`);
    const many: TariffPlan = {
      ...plan,
      zones,
      rates: [{ id: 'sms', service: 'sms', zones, price: 1 }],
      allowances: zones.map((zone, index) => ({ id: `a${index}`, service: 'sms', zones: [zone], amount: 1 })),
    };
    expectIssue(() => validateTariff(many), 'allowances', /at most 32767 allowances.*16-bit.*32768/);
    const fewer = { ...many, allowances: many.allowances!.slice(0, 32_767) };
    expect(validateTariff(fewer)).toBe(fewer);
  });
});
