import fc from 'fast-check';
import { type FrequentItemsets, fpGrowth } from 'telco-analytics/association';
import { createRng, DataError, OptionError, TelcoAnalyticsError } from 'telco-analytics/data';
import { describe, expect, expectTypeOf, it } from 'vitest';

/** Every itemset with its count by direct enumeration of each basket's subsets (small data only). */
function bruteForceCounts(
  baskets: readonly (readonly string[])[],
  maxLength = Number.POSITIVE_INFINITY,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const basket of baskets) {
    const items = [...new Set(basket)].sort();
    for (let mask = 1; mask < 1 << items.length; mask++) {
      const subset = items.filter((_, k) => (mask >>> k) & 1);
      if (subset.length > maxLength) continue;
      const key = subset.join('\u0001');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

const asMap = (result: FrequentItemsets): Map<string, number> =>
  new Map(result.itemsets.map((itemset) => [itemset.items.join('\u0001'), itemset.count]));

const basketsArbitrary = fc.array(
  fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { maxLength: 7 }),
  { maxLength: 40 },
);

describe('fpGrowth: exact on random small data (fast-check)', () => {
  it('returns exactly the itemsets whose direct count reaches the minimum, with those counts', () => {
    fc.assert(
      fc.property(basketsArbitrary, fc.integer({ min: 1, max: 6 }), (baskets, minCount) => {
        const result = fpGrowth(baskets, { minSupport: { count: minCount } });
        const expected = new Map([...bruteForceCounts(baskets)].filter(([, count]) => count >= minCount));
        expect(asMap(result)).toEqual(expected);
        expect(result.transactionCount).toBe(baskets.length);
      }),
      { numRuns: 300 },
    );
  });

  it('honours maxLength, and a fractional minSupport means count / baskets >= minSupport', () => {
    fc.assert(
      fc.property(
        basketsArbitrary,
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 4 }),
        (baskets, minSupport, maxLength) => {
          const result = fpGrowth(baskets, { minSupport, maxLength });
          const expected = new Map(
            [...bruteForceCounts(baskets, maxLength)].filter(
              ([, count]) => count / baskets.length >= minSupport,
            ),
          );
          expect(asMap(result)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('closed and maximal filters keep exactly the itemsets with no superset of equal count / no frequent superset', () => {
    fc.assert(
      fc.property(basketsArbitrary, fc.integer({ min: 1, max: 4 }), (baskets, minCount) => {
        const all = [...bruteForceCounts(baskets)].filter(([, count]) => count >= minCount);
        const sets = all.map(([key, count]) => ({ items: new Set(key.split('\u0001')), key, count }));
        const isSuperset = (big: Set<string>, small: Set<string>): boolean =>
          big.size > small.size && [...small].every((item) => big.has(item));
        const closed = sets.filter(
          (s) => !sets.some((t) => isSuperset(t.items, s.items) && t.count === s.count),
        );
        const maximal = sets.filter((s) => !sets.some((t) => isSuperset(t.items, s.items)));
        const minSupport = { count: minCount };
        expect(asMap(fpGrowth(baskets, { minSupport, filter: 'closed' }))).toEqual(
          new Map(closed.map((s) => [s.key, s.count])),
        );
        expect(asMap(fpGrowth(baskets, { minSupport, filter: 'maximal' }))).toEqual(
          new Map(maximal.map((s) => [s.key, s.count])),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('reads an async iterable twice and gives the same result as the array', async () => {
    await fc.assert(
      fc.asyncProperty(basketsArbitrary, async (baskets) => {
        const stream: AsyncIterable<readonly string[]> = {
          async *[Symbol.asyncIterator]() {
            yield* baskets;
          },
        };
        expect(await fpGrowth(stream, { minSupport: { count: 2 } })).toEqual(
          fpGrowth(baskets, { minSupport: { count: 2 } }),
        );
      }),
      { numRuns: 50 },
    );
  });
});

describe('fpGrowth: baskets as they come', () => {
  it('counts empty baskets, deduplicates items, leaves the input untouched and sorts the output', () => {
    const baskets = Object.freeze([
      Object.freeze(['sms', 'sms', 'data:heavy']),
      Object.freeze([]),
      Object.freeze(['data:heavy', 'sms']),
      Object.freeze(['voice:night']),
    ]);
    const result = fpGrowth(baskets, { minSupport: 0.5 });
    expect(result).toEqual({
      itemsets: [
        { items: ['data:heavy'], count: 2, support: 0.5 },
        { items: ['sms'], count: 2, support: 0.5 },
        { items: ['data:heavy', 'sms'], count: 2, support: 0.5 },
      ],
      transactionCount: 4,
      minCount: 2,
      maxLength: 10,
      filter: 'all',
      trimmedBaskets: 0,
      truncation: null,
    });
  });

  it('returns nothing frequent from no baskets', () => {
    expect(fpGrowth([], { minSupport: 0.1 }).itemsets).toEqual([]);
  });

  it('names the row and position of a non-string item, a non-array basket and an empty item', () => {
    const run = (baskets: unknown[]) => () => fpGrowth(baskets as string[][]);
    expect(run([['a'], ['b', 7]])).toThrow(DataError);
    expect(run([['a'], ['b', 7]])).toThrow(
      "fpGrowth: row 2, column 'items': item 2 is a number (7), expected a string",
    );
    expect(run([['a'], 'a,b'])).toThrow(
      "row 2, column 'items': expected an array of item names, received 'a,b'",
    );
    expect(run([[null]])).toThrow('item 1 is null');
    expect(run([['a', '']])).toThrow('item 2 is an empty string');
    try {
      run([['a'], ['b'], [{}]])();
    } catch (error) {
      expect((error as DataError).issues).toEqual([
        { row: 3, column: 'items', reason: 'item 1 is a object, expected a string' },
      ]);
    }
  });

  it('reads a sync iterable once, and rejects a one-shot async iterable it cannot read twice', async () => {
    function* once() {
      yield ['a', 'b'];
      yield ['a'];
    }
    expect(fpGrowth(once(), { minSupport: 0.5 }).itemsets).toHaveLength(3);
    async function* onceAsync() {
      yield ['a', 'b'];
      yield ['a'];
    }
    await expect(fpGrowth(onceAsync(), { minSupport: 0.5 })).rejects.toThrow(
      /first pass read 2 baskets and the second 0/,
    );
  });

  it('reads an async iterable once when only single items can be frequent', async () => {
    let passes = 0;
    const stream: AsyncIterable<string[]> = {
      async *[Symbol.asyncIterator]() {
        passes++;
        yield ['a', 'b'];
        yield ['a'];
      },
    };
    const result = await fpGrowth(stream, { minSupport: 0.5, maxLength: 1 });
    expect(result.itemsets).toEqual([
      { items: ['a'], count: 2, support: 1 },
      { items: ['b'], count: 1, support: 0.5 },
    ]);
    expect(passes).toBe(1);
  });

  it('rejects an async iterable whose second pass differs from its first', async () => {
    let pass = 0;
    const drifting: AsyncIterable<string[]> = {
      async *[Symbol.asyncIterator]() {
        pass++;
        yield ['a', 'b'];
        yield pass === 1 ? ['a'] : ['z'];
      },
    };
    await expect(fpGrowth(drifting, { minSupport: 0.5 })).rejects.toThrow(
      "item 'z' of row 2 was not seen on the first pass",
    );
  });

  it('rejects transactions that are not iterable', () => {
    expect(() => fpGrowth(42 as unknown as string[][])).toThrow(TelcoAnalyticsError);
  });
});

describe('fpGrowth: types', () => {
  it('returns the result for arrays and iterables and a promise for async iterables', () => {
    expectTypeOf(fpGrowth([['a']])).toEqualTypeOf<FrequentItemsets>();
    const stream = (async function* () {
      yield ['a'];
    })();
    expectTypeOf(fpGrowth(stream)).toEqualTypeOf<Promise<FrequentItemsets>>();
  });
});

describe('fpGrowth: options', () => {
  it.each([0, -0.1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects minSupport %s as a fraction',
    (minSupport) => {
      expect(() => fpGrowth([['a']], { minSupport })).toThrow(OptionError);
      expect(() => fpGrowth([['a']], { minSupport })).toThrow(
        "option 'minSupport' must be a fraction in (0, 1]",
      );
    },
  );

  it('accepts minSupport 1 and an absolute count', () => {
    expect(fpGrowth([['a'], ['a', 'b']], { minSupport: 1 }).itemsets).toEqual([
      { items: ['a'], count: 2, support: 1 },
    ]);
    expect(fpGrowth([['a'], ['a', 'b']], { minSupport: { count: 1 } }).itemsets).toHaveLength(3);
    expect(() => fpGrowth([['a']], { minSupport: { count: 0 } })).toThrow("option 'minSupport.count'");
    expect(() => fpGrowth([['a']], { minSupport: { count: 1.5 } })).toThrow(OptionError);
  });

  it('treats an explicit undefined as the default', () => {
    const baskets = [['a', 'b'], ['a'], ['b'], ['c']];
    expect(fpGrowth(baskets, { minSupport: undefined, maxLength: undefined, filter: undefined })).toEqual(
      fpGrowth(baskets),
    );
  });

  it.each([
    ['maxLength', { maxLength: 0 }],
    ['maxItemsets', { maxItemsets: 1.5 }],
    ['maxItemsPerBasket', { maxItemsPerBasket: -1 }],
    ['budget.maxNodes', { budget: { maxNodes: 0 } }],
    ['budget.maxMilliseconds', { budget: { maxMilliseconds: -5 } }],
    ['filter', { filter: 'frequent' as 'all' }],
  ])('rejects a bad %s', (option, options) => {
    expect(() => fpGrowth([['a']], options)).toThrow(`option '${option}'`);
  });

  it('stops with LIMIT_EXCEEDED at maxItemsets instead of exhausting memory', () => {
    const wide = Array.from({ length: 20 }, () => Array.from({ length: 16 }, (_, k) => `item${k}`));
    let caught: unknown;
    try {
      fpGrowth(wide, { minSupport: 0.5, maxLength: Number.POSITIVE_INFINITY, maxItemsets: 1000 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TelcoAnalyticsError);
    expect((caught as TelcoAnalyticsError).code).toBe('LIMIT_EXCEEDED');
    expect((caught as Error).message).toMatch(/more than 1000 frequent itemsets/);
    // 2^16 - 1 itemsets without the cap, 16 choose <= 3 with maxLength 3.
    expect(fpGrowth(wide, { minSupport: 0.5, maxLength: 3 }).itemsets).toHaveLength(16 + 120 + 560);
  });

  it('trims long baskets to their most frequent items only when asked, and says how many', () => {
    const baskets = [['a', 'b', 'c'], ['a', 'b', 'c'], ['a', 'b'], ['a']];
    const exact = fpGrowth(baskets, { minSupport: { count: 2 } });
    expect(exact.trimmedBaskets).toBe(0);
    const trimmed = fpGrowth(baskets, { minSupport: { count: 2 }, maxItemsPerBasket: 2 });
    expect(trimmed.trimmedBaskets).toBe(2);
    // Single items keep exact counts; pairs with c lose the baskets that were cut.
    expect(asMap(trimmed)).toEqual(
      new Map([
        ['a', 4],
        ['b', 3],
        ['c', 2],
        ['a\u0001b', 3],
      ]),
    );
    expect(asMap(exact).get('a\u0001b\u0001c')).toBe(2);
  });

  it('stops at a node budget with a report of the items whose itemsets may be missing', () => {
    const rng = createRng(5);
    const baskets = Array.from({ length: 300 }, () =>
      Array.from({ length: 3 + rng.integer(8) }, () => `item${Math.floor(30 * rng.uniform() ** 2)}`),
    );
    const full = fpGrowth(baskets, { minSupport: { count: 3 } });
    // The main tree holds between 500 and 1,000 nodes: 500 stops while building it (single items only), 1,000 while mining.
    const early = fpGrowth(baskets, { minSupport: { count: 3 }, budget: { maxNodes: 500 } });
    expect(early.truncation?.incompleteItems).toHaveLength(30);
    expect(early.itemsets).toHaveLength(30);
    const cut = fpGrowth(baskets, { minSupport: { count: 3 }, budget: { maxNodes: 1000 } });
    expect(cut.itemsets.length).toBeGreaterThan(30);
    expect(cut.itemsets.length).toBeLessThan(full.itemsets.length);
    expect(full.truncation).toBeNull();
    expect(cut.truncation?.reason).toBe('nodes');
    expect(cut.truncation?.incompleteItems.length).toBeGreaterThan(0);
    // Whatever was returned is exact, and everything missing has an incomplete item as its least frequent item.
    const fullCounts = asMap(full);
    for (const itemset of cut.itemsets)
      expect(itemset.count).toBe(fullCounts.get(itemset.items.join('\u0001')));
    const singles = full.itemsets.filter((itemset) => itemset.items.length === 1);
    const rank = new Map(singles.map((itemset, index) => [itemset.items[0]!, index]));
    const incomplete = new Set(cut.truncation?.incompleteItems);
    const returned = asMap(cut);
    for (const itemset of full.itemsets) {
      if (returned.has(itemset.items.join('\u0001'))) continue;
      const leastFrequent = itemset.items.reduce((a, b) => (rank.get(a)! > rank.get(b)! ? a : b));
      expect(incomplete.has(leastFrequent)).toBe(true);
    }
    expect(cut.itemsets.filter((itemset) => itemset.items.length === 1)).toEqual(singles);
  });

  it('stops at a time budget with a report', () => {
    const baskets = Array.from({ length: 3000 }, (_, row) =>
      Array.from({ length: 12 }, (_, k) => `item${(row * 13 + k * 7 + ((row * k) % 11)) % 40}`),
    );
    const cut = fpGrowth(baskets, {
      minSupport: { count: 2 },
      maxItemsets: 10_000_000,
      budget: { maxMilliseconds: 1 },
    });
    expect(cut.truncation?.reason).toBe('time');
    expect(cut.truncation?.message).toMatch(/budget.maxMilliseconds = 1/);
  });
});
