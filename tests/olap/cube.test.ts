import fc from 'fast-check';
import { DataError, OptionError } from 'telco-analytics/data';
import { cube, drillDown, slice } from 'telco-analytics/olap';
import { describe, expect, it } from 'vitest';

const day = 86_400_000;
const t0 = Date.UTC(2024, 0, 1);
const rows = Object.freeze(
  [
    { subscriberId: 'A', region: 'North', cellId: 'N1', service: 'voice', start: t0, charge: 2 },
    { subscriberId: 'A', region: 'North', cellId: 'N2', service: 'sms', start: t0 + day, charge: 1 },
    { subscriberId: 'B', region: 'North', cellId: 'N1', service: 'voice', start: t0 + 40 * day, charge: 4 },
    { subscriberId: 'C', region: 'South', cellId: 'S1', service: 'voice', start: t0 + 41 * day, charge: 3 },
  ].map((row) => Object.freeze(row)),
);

describe('cube by hand', () => {
  const result = cube(rows, {
    dimensions: ['region', 'cellId'],
    measures: {
      revenue: 'sum:charge',
      subscribers: 'countDistinct:subscriberId',
      arpu: 'ratio:revenue/subscribers',
    },
    hierarchies: [['region', 'cellId']],
  });

  it('re-derives ratios at every level instead of summing them', () => {
    const total = result.rows.find((row) => row.grouping === 3)!;
    // 10 revenue over 3 distinct subscribers, not the sum of the per-cell ARPUs.
    expect(total).toEqual({
      region: null,
      cellId: null,
      revenue: 10,
      subscribers: 3,
      arpu: 10 / 3,
      grouping: 3,
    });
    const north = result.rows.find((row) => row.grouping === 1 && row.region === 'North')!;
    expect(north).toMatchObject({ revenue: 7, subscribers: 2, arpu: 3.5 });
  });

  it('orders rows finest first, then by value', () => {
    expect(result.rows.map((row) => `${row.grouping}:${row.region}/${row.cellId}`)).toEqual([
      '0:North/N1',
      '0:North/N2',
      '0:South/S1',
      '1:North/null',
      '1:South/null',
      '3:null/null',
    ]);
  });

  it('drills down a hierarchy and slices', () => {
    expect(
      drillDown(result, { region: 'North' }, 'cellId').rows.map((row) => [row.cellId, row.revenue]),
    ).toEqual([
      ['N1', 6],
      ['N2', 1],
    ]);
    expect(drillDown(result, {}, 'region').rows.map((row) => row.region)).toEqual(['North', 'South']);
    expect(slice(result, { region: 'South' }).rows.map((row) => row.grouping)).toEqual([0, 1]);
    // A hierarchy has no cell level without its region.
    expect(() => drillDown(result, {}, 'cellId')).toThrow(/no level with exactly cellId/);
    expect(() => drillDown(result, { zone: 'x' }, 'cellId')).toThrow(/'zone' is not a dimension/);
    expect(() => slice(result, { zone: 'x' })).toThrow(OptionError);
  });

  it('derives month and week and drills from month to day', () => {
    const byTime = cube(rows, {
      dimensions: ['month', 'day'],
      measures: { calls: 'count' },
      grouping: 'rollup',
    });
    expect(drillDown(byTime, {}, 'month').rows.map((row) => [row.month, row.calls])).toEqual([
      ['2024-01', 2],
      ['2024-02', 2],
    ]);
    expect(drillDown(byTime, { month: '2024-01' }, 'day').rows.map((row) => row.day)).toEqual([
      '2024-01-01',
      '2024-01-02',
    ]);
    // 2024-02-10 and 2024-02-11 are a Saturday and a Sunday: the same ISO week, starting Monday 2024-02-05.
    const weeks = cube(rows, {
      dimensions: ['week', 'weekday'],
      measures: { calls: 'count' },
      grouping: 'none',
    });
    expect(weeks.rows.map((row) => [row.week, row.weekday])).toEqual([
      ['2024-01-01', 1],
      ['2024-01-01', 2],
      ['2024-02-05', 6],
      ['2024-02-05', 7],
    ]);
  });

  it('accepts Date and ISO timestamps and a custom time field', () => {
    const result = cube([{ at: new Date(t0 + 5 * 3_600_000) }, { at: '2024-04-02T23:00:00Z' }], {
      dimensions: [
        { name: 'q', time: 'quarter' },
        { name: 'h', field: 'at', time: 'hour' },
      ],
      measures: { n: 'count' },
      timeField: 'at',
      grouping: 'none',
    });
    expect(result.rows.map((row) => [row.q, row.h])).toEqual([
      ['2024-Q1', 5],
      ['2024-Q2', 23],
    ]);
  });

  it('handles quantiles, empty measures and no dimensions', () => {
    const result = cube([{ x: 1 }, { x: 2 }, { x: 3 }, { x: 4 }, { x: null, y: null }], {
      dimensions: [],
      measures: {
        median: 'quantile:x:0.5',
        p90: { op: 'quantile', field: 'x', p: 0.9 },
        none: 'sum:y',
        n: 'count',
        xs: 'count:x',
      },
    });
    // Type 7: position (n - 1) p = 2.7 -> 3 + 0.7 * (4 - 3).
    expect(result.rows).toEqual([{ median: 2.5, p90: 3.7, none: null, n: 5, xs: 4, grouping: 0 }]);
  });
});

describe('cube properties', () => {
  const arbitraryRows = fc.array(
    fc.record({
      a: fc.constantFrom('x', 'y', null, 1),
      b: fc.constantFrom('p', 'q', true),
      c: fc.integer({ min: 0, max: 3 }),
      v: fc.option(fc.integer({ min: -50, max: 50 }), { nil: null }),
    }),
    { maxLength: 60 },
  );

  it('every subtotal is the sum of the finest rows it covers', () => {
    fc.assert(
      fc.property(arbitraryRows, (input) => {
        const result = cube(input, {
          dimensions: ['a', 'b', 'c'],
          measures: { n: 'count', total: 'sum:v', low: 'min:v' },
        });
        const finest = result.rows.filter((row) => row.grouping === 0);
        for (const row of result.rows) {
          const covered = finest.filter((leaf) =>
            (['a', 'b', 'c'] as const).every(
              (name, i) => row.grouping & (1 << (2 - i)) || leaf[name] === row[name],
            ),
          );
          expect(row.n).toBe(covered.reduce((sum, leaf) => sum + (leaf.n as number), 0));
          const values = covered.map((leaf) => leaf.total).filter((value) => value !== null) as number[];
          expect(row.total).toBe(values.length === 0 ? null : values.reduce((a, b) => a + b, 0));
          const lows = covered.map((leaf) => leaf.low).filter((value) => value !== null) as number[];
          expect(row.low).toBe(lows.length === 0 ? null : Math.min(...lows));
        }
        expect(result.rows.filter((row) => row.grouping === 7)).toHaveLength(input.length === 0 ? 0 : 1);
      }),
      { numRuns: 100, seed: 3 },
    );
  });
});

describe('cube bad input', () => {
  const measures = { n: 'count' } as const;
  it.each([
    [{ dimensions: ['region'], measures: { x: 'total:charge' } }, /measures.x.*'total:charge'/],
    [{ dimensions: ['region'], measures: { x: 'sum' } }, /sum needs a field/],
    [{ dimensions: ['region'], measures: { x: 'quantile:charge:2' } }, /measures.x.p.*probability/],
    [{ dimensions: ['region'], measures: { x: 'ratio:a/b' } }, /unknown measure 'a'/],
    [{ dimensions: ['region'], measures: {} }, /at least one measure/],
    [{ dimensions: ['region', 'region'], measures }, /'region' twice/],
    [{ dimensions: [{ name: 'h', time: 'minute' }], measures }, /dimensions\[0\].time.*'minute'/],
    [{ dimensions: ['region'], measures, grouping: 'sets' }, /grouping.*'sets'/],
    [{ dimensions: ['region'], measures, hierarchies: [['region', 'cell']] }, /'cell' is not a dimension/],
    [{ dimensions: ['a', 'b'], measures, hierarchies: [['a'], ['a', 'b']] }, /in two hierarchies/],
    [{ dimensions: ['a'], measures, grouping: 'rollup', hierarchies: [['a']] }, /hierarchies/],
    [{ dimensions: ['grouping'], measures }, /grouping/],
  ])('rejects %j', (options, message) => {
    expect(() => cube(rows, options as never)).toThrow(OptionError);
    expect(() => cube(rows, options as never)).toThrow(message);
  });

  it('rejects a dimension or measure field that is in no row (a misspelt name)', () => {
    expect(() => cube(rows, { dimensions: ['regoin'], measures })).toThrow(
      /dimensions\[0\]' 'regoin' reads field 'regoin', which is in no row/,
    );
    expect(() => cube(rows, { dimensions: ['region'], measures: { revenue: 'sum:chrge' } })).toThrow(
      /measures.revenue' reads field 'chrge'/,
    );
    // An empty input has no rows to tell, and gives no rows.
    expect(cube([], { dimensions: ['regoin'], measures }).rows).toEqual([]);
  });

  it('names the row and column of a bad value', () => {
    const bad = [...rows, { region: 'x', charge: 'free', start: t0 }];
    expect(() => cube(bad, { dimensions: ['region'], measures: { revenue: 'sum:charge' } })).toThrow(
      DataError,
    );
    expect(() => cube(bad, { dimensions: ['region'], measures: { revenue: 'sum:charge' } })).toThrow(
      /row 5, column 'charge'/,
    );
    expect(() => cube([{ start: 'soon' }], { dimensions: ['month'], measures })).toThrow(
      /row 1, column 'start'/,
    );
    expect(() => cube([3 as never], { dimensions: ['month'], measures })).toThrow(/row 1/);
  });
});
