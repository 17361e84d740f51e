import { readFileSync } from 'node:fs';
import { FPGrowth } from 'node-fpgrowth';
import { associationRules, fpGrowth } from 'telco-analytics/association';
import { describe, expect, it } from 'vitest';
import { sharedDataFile } from '../support/shared-data.js';

const path = sharedDataFile('groceries.csv');

/** Groceries (Hahsler, Hornik & Reutterer 2006; arules' `Groceries`): one basket per line, items comma-separated. */
function readBaskets(file: string): string[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split(','));
}

function popcount(word: number): number {
  word -= (word >>> 1) & 0x55555555;
  word = (word & 0x33333333) + ((word >>> 2) & 0x33333333);
  return (((word + (word >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * An independent frequent itemset counter: level-wise Apriori (Agrawal & Srikant 1994) over
 * vertical bitsets, so counts come from intersecting basket sets, not from any tree.
 */
function aprioriCounts(baskets: readonly string[][], minCount: number): Map<string, number> {
  const words = Math.ceil(baskets.length / 32);
  const bitsets = new Map<string, Uint32Array>();
  baskets.forEach((basket, row) => {
    for (const item of basket) {
      let bits = bitsets.get(item);
      if (bits === undefined) {
        bits = new Uint32Array(words);
        bitsets.set(item, bits);
      }
      bits[row >>> 5]! |= 1 << (row & 31);
    }
  });
  const count = (bits: Uint32Array): number => bits.reduce((sum, word) => sum + popcount(word), 0);
  const result = new Map<string, number>();
  let level: { items: string[]; bits: Uint32Array }[] = [];
  for (const [item, bits] of [...bitsets].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const support = count(bits);
    if (support >= minCount) {
      level.push({ items: [item], bits });
      result.set(item, support);
    }
  }
  while (level.length > 1) {
    const next: typeof level = [];
    for (let i = 0; i < level.length; i++) {
      for (let j = i + 1; j < level.length; j++) {
        const left = level[i]!;
        const right = level[j]!;
        const k = left.items.length;
        if (left.items.slice(0, k - 1).join('\u0001') !== right.items.slice(0, k - 1).join('\u0001')) break;
        const items = [...left.items, right.items[k - 1]!];
        const allSubsetsFrequent = items.every((_, skip) =>
          result.has(items.filter((__, m) => m !== skip).join('\u0001')),
        );
        if (!allSubsetsFrequent) continue;
        const bits = left.bits.map((word, w) => word & right.bits[w]!);
        const support = count(bits);
        if (support >= minCount) {
          next.push({ items, bits });
          result.set(items.join('\u0001'), support);
        }
      }
    }
    level = next;
  }
  return result;
}

describe.skipIf(path === undefined)('fpGrowth on Groceries (9,835 baskets, 169 items)', () => {
  const baskets = path === undefined ? [] : readBaskets(path);

  it.each([
    // 0.01 x 9835 = 98.35 -> at least 99 baskets; 0.001 x 9835 = 9.835 -> at least 10.
    { minSupport: 0.01, minCount: 99, itemsets: 333 },
    { minSupport: 0.001, minCount: 10, itemsets: 13_492 },
  ])(
    'finds exactly the itemsets of an independent Apriori count at minSupport $minSupport',
    ({ minSupport, minCount, itemsets }) => {
      const result = fpGrowth(Object.freeze(baskets.map((basket) => Object.freeze(basket))), { minSupport });
      expect(result.transactionCount).toBe(9835);
      expect(result.minCount).toBe(minCount);
      expect(result.truncation).toBeNull();
      expect(result.itemsets).toHaveLength(itemsets);
      const ours = new Map(result.itemsets.map((itemset) => [itemset.items.join('\u0001'), itemset.count]));
      expect(ours).toEqual(aprioriCounts(baskets, minCount));
      for (const itemset of result.itemsets) expect(itemset.support).toBe(itemset.count / 9835);
    },
  );

  it('agrees with node-fpgrowth at minSupport 0.01', async () => {
    const peer = await new FPGrowth<string>(0.01).exec(baskets);
    const theirs = new Map(
      peer.map((itemset) => [[...itemset.items].sort().join('\u0001'), itemset.support]),
    );
    const ours = fpGrowth(baskets, { minSupport: 0.01 });
    expect(new Map(ours.itemsets.map((itemset) => [itemset.items.join('\u0001'), itemset.count]))).toEqual(
      theirs,
    );
  });

  it('finds the 5,668 rules arules finds at support 0.001 and confidence 0.5', () => {
    // Published arules output: apriori(Groceries, parameter = list(supp = 0.001, conf = 0.5))
    // "writing ... [5668 rule(s)]"; its top rule by lift is
    // {Instant food products, soda} => {hamburger meat}, support 0.001220132, confidence 0.6315789, lift 18.99565.
    const rules = associationRules(fpGrowth(baskets, { minSupport: 0.001 }), { minConfidence: 0.5 });
    expect(rules).toHaveLength(5668);
    const top = rules[0]!;
    expect(top.antecedent).toEqual(['Instant food products', 'soda']);
    expect(top.consequent).toEqual(['hamburger meat']);
    expect(top.support).toBeCloseTo(0.001220132, 9);
    expect(top.confidence).toBeCloseTo(0.6315789, 7);
    expect(top.lift).toBeCloseTo(18.99565, 5);
  });
});
