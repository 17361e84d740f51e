import { DataError, OptionError, type Payment, TelcoAnalyticsError } from 'telco-analytics/data';
import {
  defaultSegments,
  type RfmOptions,
  type RfmResult,
  type RfmRow,
  rfm,
  rfmPackageSegments,
  type SegmentRule,
} from 'telco-analytics/rfm';
import { describe, expect, expectTypeOf, it } from 'vitest';

const day = 86_400_000;

function payment(customerId: string, dayNumber: number, amount: number): Payment {
  return Object.freeze({ customerId, date: dayNumber * day, amount });
}

function frozen<T>(items: T[]): readonly T[] {
  return Object.freeze(items);
}

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function expectOptionError(run: () => unknown, option: string): OptionError {
  const error = caught(run);
  expect(error).toBeInstanceOf(OptionError);
  expect((error as OptionError).option).toBe(option);
  expect((error as OptionError).code).toBe('INVALID_OPTION');
  return error as OptionError;
}

function byId(result: RfmResult): Map<string, RfmRow> {
  return new Map(result.customers.map((row) => [row.customerId, row]));
}

// Hand-worked example, asOf = day 100 (recency = 100 - day of last payment):
//   customer  payments (day: amount)        recency  F  M
//   a         99: 10                        1        1  10
//   b         90: 20                        10       1  20
//   c         80: 30                        20       1  30
//   d         70: 40                        30       1  40
//   e         50: 25, 60: 25                40       2  50
//   f         10: 20, 20: 20, 50: 20        50       3  60
// With bins = 3 the type-7 tertiles (position h = 5k/3 in the sorted values, 0-based) are
//   recency [1,10,20,30,40,50]: 10 + 2/3 * 10 = 16.667 and 30 + 1/3 * 10 = 33.333
//   F [1,1,1,1,2,3]:            1 (x1 = x2 = 1)     and 1 + 1/3 * (2 - 1) = 1.333
//   M [10,...,60]:              20 + 2/3 * 10 = 26.667 and 40 + 1/3 * 10 = 43.333
// so (bins closed on the right, R score = 4 - bin): a, b -> R 3; c, d -> 2; e, f -> 1;
// F: a-d -> 1 (the tie at the first tertile), e, f -> 3, and F score 2 is left empty;
// M: a, b -> 1; c, d -> 2; e, f -> 3.
const handWorked = frozen([
  payment('a', 99, 10),
  payment('b', 90, 20),
  payment('c', 80, 30),
  payment('d', 70, 40),
  payment('e', 50, 25),
  payment('e', 60, 25),
  payment('f', 10, 20),
  payment('f', 20, 20),
  payment('f', 50, 20),
]);

describe('rfm: hand-worked examples', () => {
  it('scores by tertiles, with ties at a breakpoint in the lower bin, and reports the empty score', () => {
    const result = rfm(handWorked, { asOf: 100 * day, bins: 3 });
    const rows = byId(result);
    expect(result.customers.map((row) => row.customerId)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(rows.get('e')).toMatchObject({ recencyDays: 40, frequency: 2, monetary: 50 });
    expect(result.customers.map((row) => row.cell)).toEqual(['311', '311', '212', '212', '133', '133']);
    expect(result.customers.map((row) => row.score)).toEqual([5, 5, 5, 5, 7, 7]);
    expect(result.breakpoints.closed).toBe('right');
    expect(result.breakpoints.recency[0]).toBeCloseTo(16.6667, 4);
    expect(result.breakpoints.recency[1]).toBeCloseTo(33.3333, 4);
    expect(result.breakpoints.frequency[0]).toBe(1);
    expect(result.breakpoints.frequency[1]).toBeCloseTo(1.3333, 4);
    expect(result.breakpoints.monetary[0]).toBeCloseTo(26.6667, 4);
    expect(result.breakpoints.monetary[1]).toBeCloseTo(43.3333, 4);
    expect(result.collapsedBins).toEqual({ recency: [], frequency: [2], monetary: [] });
    expect(result.asOf).toBe(100 * day);
    expect(result.bins).toBe(3);
    expect(result.scoring).toBe('quantile');
  });

  it('ranks into equal groups like SQL NTILE, ties split by customer id', () => {
    // NTILE(3) over 6 customers: groups of 2. F ascending with ties by id: a, b | c, d | e, f;
    // recency descending: f, e | d, c | b, a.
    const result = rfm(handWorked, { asOf: 100 * day, bins: 3, scoring: 'rank' });
    expect(result.customers.map((row) => [row.r, row.f, row.m])).toEqual([
      [3, 1, 1],
      [3, 1, 1],
      [2, 2, 2],
      [2, 2, 2],
      [1, 3, 3],
      [1, 3, 3],
    ]);
    expect(result.collapsedBins).toEqual({ recency: [], frequency: [], monetary: [] });
    // Descriptive breakpoints: the largest value in each of the first two value-ascending groups.
    expect(result.breakpoints).toEqual({
      recency: [10, 30],
      frequency: [1, 1],
      monetary: [20, 40],
      closed: 'right',
    });
  });

  it('gives the first n mod bins NTILE groups one customer more', () => {
    const payments = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id, index) => payment(id, 1, index + 1));
    const result = rfm(payments, { bins: 3, scoring: 'rank' });
    // 7 customers in 3 groups: 3, 2, 2.
    expect(result.customers.map((row) => row.m)).toEqual([1, 1, 1, 2, 2, 3, 3]);
  });

  it('puts values equal to a breakpoint in the lower bin', () => {
    // F = [1, 2, 2, 2, 3]; the median (bins = 2) is 2, so the three 2s share the lower bin.
    const payments = [
      payment('a', 1, 5),
      ...[1, 2].map((d) => payment('b', d, 5)),
      ...[1, 2].map((d) => payment('c', d, 5)),
      ...[1, 2].map((d) => payment('d', d, 5)),
      ...[1, 2, 3].map((d) => payment('e', d, 5)),
    ];
    const result = rfm(payments, { bins: 2 });
    expect(result.breakpoints.frequency).toEqual([2]);
    expect(result.customers.map((row) => row.f)).toEqual([1, 1, 1, 1, 2]);
  });

  it("differs from the R rfm package's rule only for a value just above a fractional quantile", () => {
    // Recency days 296, 297, 298, 300, 310 -> median = 298. Make a case with a fractional cut:
    // recency [100, 296, 297, 400] with bins 2: median = 296.5. 'quantile' puts 297 above it
    // (R score 1); the package's rule cuts at 296.5 + 1 = 297.5, closed on the left, keeping 297
    // in the lower bin (R score 2).
    const asOf = 1000;
    const payments = [100, 296, 297, 400].map((recency, index) => payment(`c${index}`, asOf - recency, 10));
    const quantile = rfm(payments, { asOf: asOf * day, bins: 2 });
    const packageRule = rfm(payments, { asOf: asOf * day, bins: 2, scoring: 'rfmPackage' });
    expect(quantile.customers.map((row) => row.r)).toEqual([2, 2, 1, 1]);
    expect(packageRule.customers.map((row) => row.r)).toEqual([2, 2, 2, 1]);
    expect(packageRule.breakpoints).toMatchObject({ recency: [297.5], closed: 'left' });
  });

  it('scores a single customer: every bin but one collapses', () => {
    const result = rfm([payment('solo', 10, 42)]);
    expect(result.customers).toEqual([
      {
        customerId: 'solo',
        recencyDays: 1,
        frequency: 1,
        monetary: 42,
        r: 5,
        f: 1,
        m: 1,
        cell: '511',
        score: 7,
        segment: 'New',
      },
    ]);
    expect(result.collapsedBins).toEqual({
      recency: [1, 2, 3, 4],
      frequency: [2, 3, 4, 5],
      monetary: [2, 3, 4, 5],
    });
    expect(result.breakpoints).toEqual({
      recency: [1, 1, 1, 1],
      frequency: [1, 1, 1, 1],
      monetary: [42, 42, 42, 42],
      closed: 'right',
    });
  });

  it('gives all-equal values one score (the lowest bin: F = M = 1, R = bins)', () => {
    const payments = ['a', 'b', 'c', 'd'].map((id) => payment(id, 5, 10));
    const result = rfm(payments);
    expect(new Set(result.customers.map((row) => row.cell))).toEqual(new Set(['511']));
    expect(result.segments.find((row) => row.segment === 'New')?.customers).toBe(4);
  });

  it('handles more bins than distinct values by collapsing the extra scores', () => {
    // F = six 1s and four 2s; quintile positions 1.8, 3.6, 5.4, 7.2 give cuts [1, 1, 1.4, 2]:
    // 1 -> bin 1, 2 -> bin 4; F scores 2, 3 and 5 stay empty.
    const payments = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].flatMap((id, index) =>
      index < 6 ? [payment(id, 3, 5)] : [payment(id, 2, 5), payment(id, 3, 5)],
    );
    const result = rfm(payments);
    expect(result.breakpoints.frequency[0]).toBe(1);
    expect(result.breakpoints.frequency[1]).toBe(1);
    expect(result.breakpoints.frequency[2]).toBeCloseTo(1.4, 12);
    expect(result.breakpoints.frequency[3]).toBe(2);
    expect(result.customers.map((row) => row.f)).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 4, 4]);
    expect(result.collapsedBins.frequency).toEqual([2, 3, 5]);
  });

  it('counts frequency as events, active days or active months, and monetary as sum or mean', () => {
    const payments = [
      Object.freeze({ customerId: 'a', date: Date.UTC(2024, 0, 5, 8), amount: 10 }),
      Object.freeze({ customerId: 'a', date: Date.UTC(2024, 0, 5, 20), amount: 20 }),
      Object.freeze({ customerId: 'a', date: Date.UTC(2024, 0, 9), amount: 30 }),
      Object.freeze({ customerId: 'a', date: Date.UTC(2024, 2, 1), amount: 40 }),
      Object.freeze({ customerId: 'b', date: Date.UTC(2023, 11, 31, 23, 59), amount: 7 }),
    ];
    const rowOf = (options: RfmOptions) => byId(rfm(payments, options)).get('a')!;
    expect(rowOf({}).frequency).toBe(4);
    expect(rowOf({ frequency: 'activeDays' }).frequency).toBe(3);
    expect(rowOf({ frequency: 'activeMonths' }).frequency).toBe(2);
    expect(byId(rfm(payments, { frequency: 'activeMonths' })).get('b')!.frequency).toBe(1);
    expect(rowOf({}).monetary).toBe(100);
    expect(rowOf({ monetary: 'mean' }).monetary).toBe(25);
  });

  it('counts recency in whole UTC days up to asOf, defaulting to the day after the latest event', () => {
    const payments = [
      Object.freeze({ customerId: 'late', date: Date.UTC(2024, 4, 10, 23, 30), amount: 1 }),
      Object.freeze({ customerId: 'early', date: Date.UTC(2024, 4, 1, 0, 5), amount: 1 }),
    ];
    const result = rfm(payments);
    expect(result.asOf).toBe(Date.UTC(2024, 4, 11));
    expect(byId(result).get('late')!.recencyDays).toBe(1);
    expect(byId(result).get('early')!.recencyDays).toBe(10);
    const explicit = rfm(payments, { asOf: '2024-05-31' });
    expect(byId(explicit).get('late')!.recencyDays).toBe(21);
    // A payment later in the day of asOf counts (recency 0); a later day is an error.
    expect(byId(rfm(payments, { asOf: '2024-05-10' })).get('late')!.recencyDays).toBe(0);
    const error = expectOptionError(() => rfm(payments, { asOf: '2024-05-09' }), 'asOf');
    expect(error.message).toContain('2024-05-10');
  });

  it('reuses breakpoints of an earlier run so a later month is scored on the same scale', () => {
    const january = rfm(handWorked, { asOf: 100 * day, bins: 3 });
    const february = frozen([payment('a', 120, 100), payment('g', 125, 1), payment('h', 60, 35)]);
    const later = rfm(february, { asOf: 130 * day, breakpoints: january.breakpoints });
    expect(later.scoring).toBe('fixed');
    expect(later.bins).toBe(3);
    expect(later.breakpoints).toEqual(january.breakpoints);
    // a: recency 10 -> R 3, F 1 -> 1, M 100 -> 3; g: 5 -> 3, 1, 1; h: 70 -> 1, 1, M 35 -> 2.
    expect(later.customers.map((row) => row.cell)).toEqual(['313', '311', '112']);
    // Left-closed caller breakpoints put a value equal to a cut in the upper bin: a (recency 10,
    // F 1, M 100) -> bins 2, 2, 3 -> R 2; g (5, 1, 1) -> R 3, F 2, M 1; h (70, 1, 35) -> R 1, F 2, M 2.
    const left = rfm(february, {
      asOf: 130 * day,
      breakpoints: { recency: [10, 70], frequency: [1, 2], monetary: [35, 100], closed: 'left' },
    });
    expect(left.customers.map((row) => row.cell)).toEqual(['223', '321', '122']);
  });

  it('interns thousands of customers whatever the number of events (hash table growth)', () => {
    // 4,999 events over 3,333 ids that differ only in their last characters.
    const payments = Array.from({ length: 4999 }, (_, index) => payment(`id-${index % 3333}`, index % 50, 1));
    const result = rfm(payments);
    expect(result.customers).toHaveLength(3333);
    expect(result.customers.reduce((sum, row) => sum + row.frequency, 0)).toBe(4999);
    expect(result.customers[5]).toMatchObject({ customerId: 'id-5', frequency: 2 });
  });

  it('treats explicit undefined options as absent', () => {
    const options: RfmOptions = {
      asOf: undefined,
      bins: undefined,
      scoring: undefined,
      breakpoints: undefined,
      frequency: undefined,
      monetary: undefined,
      segments: undefined,
      otherSegment: undefined,
    };
    expect(rfm(handWorked, options)).toEqual(rfm(handWorked));
  });

  it('accepts un-normalised rows and tables by validating them through the data layer', () => {
    const rows = [
      { customerId: ' a ', date: '2024-05-01', amount: '9.50' },
      { customerId: 'b', date: '2024-05-03T10:00:00Z', amount: 3 },
    ];
    const result = rfm(rows);
    expect(result.customers.map((row) => [row.customerId, row.recencyDays, row.monetary])).toEqual([
      ['a', 3, 9.5],
      ['b', 1, 3],
    ]);
    const columnar = rfm({
      customerId: ['a', 'b'],
      date: ['2024-05-01', '2024-05-03'],
      amount: Float64Array.of(9.5, 3),
    });
    expect(columnar.customers).toEqual(result.customers);
  });

  it('never mutates its inputs', () => {
    const options = Object.freeze({
      bins: 3,
      segments: Object.freeze([Object.freeze({ name: 'All', r: [1, 3], f: [1, 3] })]),
    });
    expect(() => rfm(handWorked, options as unknown as RfmOptions)).not.toThrow();
  });

  it('types its result', () => {
    expectTypeOf(rfm).parameter(1).toEqualTypeOf<RfmOptions | undefined>();
    expectTypeOf(rfm(handWorked).customers).toEqualTypeOf<RfmRow[]>();
  });
});

describe('rfm: segments', () => {
  it('the default scheme partitions the 5 x 5 R x F grid into ten segments', () => {
    expect(defaultSegments).toHaveLength(10);
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        const matches = defaultSegments.filter(
          (rule) => r >= rule.r[0] && r <= rule.r[1] && f >= rule.f[0] && f <= rule.f[1],
        );
        expect(matches, `cell R${r} F${f}`).toHaveLength(1);
      }
    }
    expect(defaultSegments.map((rule) => rule.name)).toEqual([
      'Champions',
      'Loyal',
      'Potential Loyalist',
      'New',
      'Promising',
      'Need Attention',
      'About to Sleep',
      'At Risk',
      "Can't Lose Them",
      'Hibernating',
    ]);
  });

  it('assigns the hand-worked customers by the default grid (presets map 3 bins onto 1, 3, 5)', () => {
    // bins 3: scores 1, 2, 3 read as 1, 3, 5 on the grid. a, b: R3 F1 -> grid R5 F1 = New;
    // c, d: R2 F1 -> R3 F1 = About to Sleep; e, f: R1 F3 -> R1 F5 = Can't Lose Them.
    const result = rfm(handWorked, { asOf: 100 * day, bins: 3 });
    expect(result.customers.map((row) => row.segment)).toEqual([
      'New',
      'New',
      'About to Sleep',
      'About to Sleep',
      "Can't Lose Them",
      "Can't Lose Them",
    ]);
    const summary = result.segments;
    expect(summary.map((row) => row.segment)).toEqual(defaultSegments.map((rule) => rule.name));
    expect(summary.find((row) => row.segment === 'New')).toEqual({
      segment: 'New',
      customers: 2,
      customerShare: 2 / 6,
      revenue: 30,
      revenueShare: 30 / 210,
      meanRecencyDays: 5.5,
      meanFrequency: 1,
      meanMonetary: 15,
    });
    expect(summary.find((row) => row.segment === 'Champions')).toMatchObject({
      customers: 0,
      meanRecencyDays: null,
      meanFrequency: null,
      meanMonetary: null,
    });
  });

  it('applies a custom scheme in order, first match wins, the rest falling to otherSegment', () => {
    const scheme: SegmentRule[] = [
      { name: 'Recent big spenders', r: [3, 3], f: [1, 3], m: [1, 1] },
      { name: 'Recent', r: [2, 3], f: [1, 3] },
      { name: 'Frequent', r: [1, 3], f: [3, 3] },
    ];
    const result = rfm(handWorked, {
      asOf: 100 * day,
      bins: 3,
      segments: Object.freeze(scheme),
      otherSegment: 'Unsorted',
    });
    // a, b: 311 -> first rule; c, d: 212 -> 'Recent'; e, f: 133 -> 'Frequent' (not 'Recent': R 1).
    expect(result.customers.map((row) => row.segment)).toEqual([
      'Recent big spenders',
      'Recent big spenders',
      'Recent',
      'Recent',
      'Frequent',
      'Frequent',
    ]);
    const narrow = rfm(handWorked, {
      asOf: 100 * day,
      bins: 3,
      segments: [{ name: 'Top', r: [3, 3], f: [3, 3] }],
    });
    expect(narrow.customers.every((row) => row.segment === 'Other')).toBe(true);
    expect(narrow.segments.map((row) => [row.segment, row.customers])).toEqual([
      ['Top', 0],
      ['Other', 6],
    ]);
  });

  it("offers the R rfm package's scheme as a preset", () => {
    expect(rfmPackageSegments.map((rule) => rule.name)).toContain('Lost');
    const result = rfm(handWorked, { asOf: 100 * day, segments: 'rfmPackage', otherSegment: 'Others' });
    expect(result.customers.every((row) => typeof row.segment === 'string')).toBe(true);
  });
});

describe('rfm: bad input', () => {
  it('rejects empty input', () => {
    const error = caught(() => rfm([]));
    expect(error).toBeInstanceOf(TelcoAnalyticsError);
    expect((error as TelcoAnalyticsError).code).toBe('EMPTY_INPUT');
  });

  it('names the row and column of a bad payment', () => {
    const missing = caught(() => rfm([payment('a', 1, 1), { date: 5, amount: 1 } as unknown as Payment]));
    expect(missing).toBeInstanceOf(DataError);
    expect((missing as DataError).issues[0]).toMatchObject({ row: 2, column: 'customerId' });
    const negative = caught(() =>
      rfm([payment('a', 1, 1), payment('b', 1, 1), { customerId: 'c', date: 5, amount: -3 }]),
    );
    expect((negative as DataError).issues[0]).toMatchObject({ row: 3, column: 'amount' });
    const badDate = caught(() => rfm([{ customerId: 'a', date: '2024-13-01', amount: 1 }]));
    expect((badDate as DataError).issues[0]).toMatchObject({ row: 1, column: 'date' });
  });

  it('names the bad option', () => {
    expectOptionError(() => rfm(handWorked, { bins: 1 }), 'bins');
    expectOptionError(() => rfm(handWorked, { bins: 10 }), 'bins');
    expectOptionError(() => rfm(handWorked, { bins: 2.5 }), 'bins');
    expectOptionError(() => rfm(handWorked, { scoring: 'ntile' as never }), 'scoring');
    expectOptionError(() => rfm(handWorked, { scoring: 'fixed' }), 'breakpoints');
    const cuts = { recency: [1, 2], frequency: [1, 2], monetary: [1, 2] };
    expectOptionError(() => rfm(handWorked, { scoring: 'quantile', breakpoints: cuts }), 'breakpoints');
    expectOptionError(() => rfm(handWorked, { breakpoints: { ...cuts, recency: [2, 1] } }), 'breakpoints');
    expectOptionError(() => rfm(handWorked, { breakpoints: { ...cuts, monetary: [1] } }), 'breakpoints');
    expectOptionError(
      () => rfm(handWorked, { breakpoints: { ...cuts, frequency: [1, Number.NaN] } }),
      'breakpoints',
    );
    expectOptionError(() => rfm(handWorked, { bins: 4, breakpoints: cuts }), 'breakpoints');
    expectOptionError(
      () => rfm(handWorked, { breakpoints: { ...cuts, closed: 'both' as never } }),
      'breakpoints.closed',
    );
    expectOptionError(() => rfm(handWorked, { asOf: 'soon' }), 'asOf');
    expectOptionError(() => rfm(handWorked, { frequency: 'weekly' as never }), 'frequency');
    expectOptionError(() => rfm(handWorked, { monetary: 'max' as never }), 'monetary');
    expectOptionError(() => rfm(handWorked, { segments: [] }), 'segments');
    expectOptionError(() => rfm(handWorked, { segments: 'rfm' as never }), 'segments');
    expectOptionError(() => rfm(handWorked, { segments: [{ name: 'x', r: [0, 5], f: [1, 5] }] }), 'segments');
    expectOptionError(
      () => rfm(handWorked, { bins: 3, segments: [{ name: 'x', r: [1, 4], f: [1, 3] }] }),
      'segments',
    );
    expectOptionError(() => rfm(handWorked, { segments: [{ name: '', r: [1, 5], f: [1, 5] }] }), 'segments');
    expectOptionError(() => rfm(handWorked, { segments: [{ name: 'x', r: [3, 2], f: [1, 5] }] }), 'segments');
    expectOptionError(() => rfm(handWorked, { otherSegment: '' }), 'otherSegment');
  });
});
