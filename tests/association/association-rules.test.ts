import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { type AssociationRule, associationRules, fpGrowth } from 'telco-analytics/association';
import { DataError, OptionError, TelcoAnalyticsError } from 'telco-analytics/data';
import { describe, expect, it } from 'vitest';

const key = (items: readonly string[]): string => [...items].sort().join('\u0001');
const ruleKey = (rule: Pick<AssociationRule, 'antecedent' | 'consequent'>): string =>
  `${key(rule.antecedent)} => ${key(rule.consequent)}`;

function directCount(baskets: readonly (readonly string[])[], items: readonly string[]): number {
  return baskets.filter((basket) => items.every((item) => basket.includes(item))).length;
}

/** Every rule X => Y with X, Y non-empty and disjoint, X ∪ Y frequent, by brute force over itemset counts. */
function bruteForceRules(
  baskets: readonly (readonly string[])[],
  minCount: number,
  minConfidence: number,
  maxConsequent: number,
): Map<string, { confidence: number; count: number }> {
  const universe = [...new Set(baskets.flat())].sort();
  const rules = new Map<string, { confidence: number; count: number }>();
  for (let mask = 1; mask < 1 << universe.length; mask++) {
    const items = universe.filter((_, k) => (mask >>> k) & 1);
    if (items.length < 2) continue;
    const count = directCount(baskets, items);
    if (count < minCount) continue;
    for (let sub = 1; sub < (1 << items.length) - 1; sub++) {
      const consequent = items.filter((_, k) => (sub >>> k) & 1);
      if (consequent.length > maxConsequent) continue;
      const antecedent = items.filter((_, k) => !((sub >>> k) & 1));
      const confidence = count / directCount(baskets, antecedent);
      if (confidence >= minConfidence) rules.set(ruleKey({ antecedent, consequent }), { confidence, count });
    }
  }
  return rules;
}

/** One-sided Fisher exact p-value with exact integer binomials (BigInt), for small tables. */
function exactFisher(both: number, antecedent: number, consequent: number, total: number): number {
  const choose = (n: number, k: number): bigint => {
    if (k < 0 || k > n) return 0n;
    let result = 1n;
    for (let i = 1; i <= k; i++) result = (result * BigInt(n - k + i)) / BigInt(i);
    return result;
  };
  let numerator = 0n;
  for (let x = both; x <= Math.min(antecedent, consequent); x++) {
    numerator += choose(consequent, x) * choose(total - consequent, antecedent - x);
  }
  const denominator = choose(total, antecedent);
  const scale = 10n ** 30n;
  return Number((numerator * scale) / denominator) / 1e30;
}

describe('associationRules: worked examples', () => {
  // mlxtend's documentation example (frequent_patterns.apriori / association_rules): five baskets,
  // the fifth holding 'Onion' twice (counted once). At minSupport 0.6 the frequent itemsets are
  // Kidney Beans 5, Eggs 4, Yogurt 3, Onion 3, Milk 3, {Eggs, KB} 4, {Yogurt, KB} 3, {Onion, Eggs} 3,
  // {Onion, KB} 3, {Milk, KB} 3 and {Onion, Eggs, KB} 3 (11 itemsets, as in mlxtend's output).
  const dataset = [
    ['Milk', 'Onion', 'Nutmeg', 'Kidney Beans', 'Eggs', 'Yogurt'],
    ['Dill', 'Onion', 'Nutmeg', 'Kidney Beans', 'Eggs', 'Yogurt'],
    ['Milk', 'Apple', 'Kidney Beans', 'Eggs'],
    ['Milk', 'Unicorn', 'Corn', 'Kidney Beans', 'Yogurt'],
    ['Corn', 'Onion', 'Onion', 'Kidney Beans', 'Ice cream', 'Eggs'],
  ];
  const itemsets = fpGrowth(dataset, { minSupport: 0.6 });
  const rules = associationRules(itemsets, { minConfidence: 0.7, maxConsequent: Number.POSITIVE_INFINITY });
  const find = (antecedent: string[], consequent: string[]) =>
    rules.find((rule) => ruleKey(rule) === ruleKey({ antecedent, consequent }));

  it('finds the 11 itemsets and the 12 rules with confidence >= 0.7', () => {
    expect(itemsets.itemsets).toHaveLength(11);
    // Pairs: KB->Eggs .8, Eggs->KB 1, Yogurt->KB 1, Onion->Eggs 1, Eggs->Onion .75, Onion->KB 1, Milk->KB 1;
    // from {Onion, Eggs, KB}: {Onion,Eggs}->KB 1, {Onion,KB}->Eggs 1, {Eggs,KB}->Onion .75,
    // Onion->{Eggs,KB} 1, Eggs->{Onion,KB} .75 (KB->{Onion,Eggs} is .6). KB->Yogurt/Onion/Milk are .6.
    expect(rules).toHaveLength(12);
  });

  it('(Eggs) -> (Onion): hand-computed metrics', () => {
    // s(Eggs) = 4/5 = 0.8, s(Onion) = 0.6, s(both) = 0.6.
    // confidence 0.6 / 0.8 = 0.75; lift 0.75 / 0.6 = 1.25; leverage 0.6 - 0.8 x 0.6 = 0.12;
    // conviction (1 - 0.6) / (1 - 0.75) = 1.6; Zhang 0.12 / max(0.6 x 0.2, 0.8 x 0) = 1;
    // Jaccard 0.6 / (0.8 + 0.6 - 0.6) = 0.75; certainty (0.75 - 0.6) / (1 - 0.6) = 0.375;
    // Kulczynski (0.75 + 0.6 / 0.6) / 2 = 0.875. (mlxtend prints lift 1.25, leverage 0.12, conviction 1.6, zhangs_metric 1.0.)
    const rule = find(['Eggs'], ['Onion'])!;
    expect(rule.count).toBe(3);
    const expected = {
      antecedentSupport: 0.8,
      consequentSupport: 0.6,
      support: 0.6,
      confidence: 0.75,
      lift: 1.25,
      leverage: 0.12,
      conviction: 1.6,
      zhang: 1,
      jaccard: 0.75,
      certainty: 0.375,
      kulczynski: 0.875,
    };
    for (const [name, value] of Object.entries(expected))
      expect(rule[name as keyof typeof expected]).toBeCloseTo(value, 12);
  });

  it('(Onion) -> (Eggs, Kidney Beans): a two-item consequent, confidence 1 and infinite conviction', () => {
    // s(Onion) = 0.6, s({Eggs, KB}) = 0.8, s(all three) = 0.6: confidence 1, lift 1 / 0.8 = 1.25,
    // leverage 0.6 - 0.48 = 0.12, conviction (1 - 0.8) / 0 = inf, Zhang 0.12 / max(0.6 x 0.4, 0.6 x 0.2) = 0.5,
    // Jaccard 0.6 / (0.6 + 0.8 - 0.6) = 0.75, certainty (1 - 0.8) / (1 - 0.8) = 1, Kulczynski (1 + 0.75) / 2 = 0.875.
    const rule = find(['Onion'], ['Eggs', 'Kidney Beans'])!;
    expect(rule.confidence).toBe(1);
    expect(rule.lift).toBeCloseTo(1.25, 12);
    expect(rule.leverage).toBeCloseTo(0.12, 12);
    expect(rule.conviction).toBe(Number.POSITIVE_INFINITY);
    expect(rule.zhang).toBeCloseTo(0.5, 12);
    expect(rule.jaccard).toBeCloseTo(0.75, 12);
    expect(rule.certainty).toBeCloseTo(1, 12);
    expect(rule.kulczynski).toBeCloseTo(0.875, 12);
  });

  it('(Kidney Beans) -> (Eggs): independence gives lift 1, leverage 0, conviction 1, Zhang 0, certainty 0', () => {
    // s(KB) = 1, s(Eggs) = 0.8 = s(both): confidence 0.8, lift 0.8 / 0.8 = 1, leverage 0.8 - 0.8 = 0,
    // conviction 0.2 / 0.2 = 1; Zhang's denominator max(0.8 x 0, 1 x 0) is 0, reported as 0;
    // Jaccard 0.8 / (1 + 0.8 - 0.8) = 0.8; Kulczynski (0.8 + 1) / 2 = 0.9.
    const rule = find(['Kidney Beans'], ['Eggs'])!;
    expect(rule.confidence).toBeCloseTo(0.8, 12);
    expect(rule.lift).toBeCloseTo(1, 12);
    expect(rule.leverage).toBeCloseTo(0, 12);
    expect(rule.conviction).toBeCloseTo(1, 12);
    expect(rule.zhang).toBe(0);
    expect(rule.certainty).toBeCloseTo(0, 12);
    expect(rule.jaccard).toBeCloseTo(0.8, 12);
    expect(rule.kulczynski).toBeCloseTo(0.9, 12);
  });

  it('arules vignette example: {milk, bread} => {butter}, a negative association', () => {
    // Hahsler et al., "Introduction to arules", Table 1: five transactions; the rule has support 0.2,
    // confidence 0.2 / 0.4 = 0.5 and lift 0.2 / (0.4 x 0.6) = 0.8333.
    // By hand: leverage 0.2 - 0.24 = -0.04; conviction 0.4 / 0.5 = 0.8; Zhang -0.04 / max(0.2 x 0.6, 0.4 x 0.4) = -0.25;
    // Jaccard 0.2 / (0.4 + 0.6 - 0.2) = 0.25; certainty (0.5 - 0.6) / 0.6 = -1/6 (Berzal's negative branch);
    // Kulczynski (0.5 + 0.2 / 0.6) / 2 = 5/12; Fisher: P(X >= 1), X ~ Hypergeometric(N 5, K 3, n 2) = 1 - 1/10 = 0.9.
    const baskets = [
      ['milk', 'bread'],
      ['bread', 'butter'],
      ['beer'],
      ['milk', 'bread', 'butter'],
      ['bread', 'butter'],
    ];
    const rule = associationRules(fpGrowth(baskets, { minSupport: 0.2 }), {
      minConfidence: 0.5,
      fisherTest: true,
    }).find(
      (candidate) =>
        ruleKey(candidate) === ruleKey({ antecedent: ['milk', 'bread'], consequent: ['butter'] }),
    )!;
    expect(rule.support).toBeCloseTo(0.2, 12);
    expect(rule.confidence).toBeCloseTo(0.5, 12);
    expect(rule.lift).toBeCloseTo(0.2 / (0.4 * 0.6), 12);
    expect(rule.leverage).toBeCloseTo(-0.04, 12);
    expect(rule.conviction).toBeCloseTo(0.8, 12);
    expect(rule.zhang).toBeCloseTo(-0.25, 12);
    expect(rule.jaccard).toBeCloseTo(0.25, 12);
    expect(rule.certainty).toBeCloseTo(-1 / 6, 12);
    expect(rule.kulczynski).toBeCloseTo(5 / 12, 12);
    expect(rule.fisherPValue).toBeCloseTo(0.9, 12);
  });
});

const basketsArbitrary = fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 6 }), {
  minLength: 1,
  maxLength: 30,
});

describe('associationRules: properties on random small data (fast-check)', () => {
  it('finds exactly the brute-force rules, with direct counts, and the metrics obey their identities', () => {
    fc.assert(
      fc.property(
        basketsArbitrary,
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 5 }),
        (baskets, minCount, minConfidence, maxConsequent) => {
          const rules = associationRules(fpGrowth(baskets, { minSupport: { count: minCount } }), {
            minConfidence,
            maxConsequent,
            fisherTest: true,
          });
          const expected = bruteForceRules(baskets, minCount, minConfidence, maxConsequent);
          expect(new Set(rules.map(ruleKey))).toEqual(new Set(expected.keys()));
          const n = baskets.length;
          for (const rule of rules) {
            const both = directCount(baskets, [...rule.antecedent, ...rule.consequent]);
            const x = directCount(baskets, rule.antecedent);
            const y = directCount(baskets, rule.consequent);
            expect(rule.count).toBe(both);
            expect(rule.support).toBeCloseTo(both / n, 12);
            expect(rule.antecedentSupport).toBeCloseTo(x / n, 12);
            expect(rule.consequentSupport).toBeCloseTo(y / n, 12);
            expect(rule.confidence).toBeCloseTo(rule.support / rule.antecedentSupport, 12);
            expect(rule.lift).toBeCloseTo(
              rule.support / (rule.antecedentSupport * rule.consequentSupport),
              9,
            );
            expect(rule.leverage).toBeCloseTo(
              rule.support - rule.antecedentSupport * rule.consequentSupport,
              12,
            );
            if (rule.confidence < 1) {
              expect(rule.conviction).toBeCloseTo((1 - rule.consequentSupport) / (1 - rule.confidence), 9);
            }
            // Lift above 1, positive leverage, positive Zhang and positive certainty are one statement.
            const sign = Math.sign(Math.round(rule.leverage * n * n));
            expect(Math.sign(Math.round((rule.lift - 1) * 1e9))).toBe(sign);
            if (sign !== 0) expect(Math.sign(rule.certainty)).toBe(sign);
            expect(Math.abs(rule.zhang)).toBeLessThanOrEqual(1 + 1e-12);
            expect(Math.abs(rule.certainty)).toBeLessThanOrEqual(1 + 1e-12);
            const reverse = both / y;
            expect(rule.jaccard).toBeLessThanOrEqual(Math.min(rule.confidence, reverse) + 1e-12);
            expect(rule.kulczynski).toBeCloseTo((rule.confidence + reverse) / 2, 12);
            expect(rule.fisherPValue).toBeCloseTo(exactFisher(both, x, y, n), 12);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('appearance constraints equal filtering the unconstrained rules', () => {
    fc.assert(
      fc.property(basketsArbitrary, (baskets) => {
        const itemsets = fpGrowth(baskets, { minSupport: { count: 2 } });
        const options = { minConfidence: 0.3, maxConsequent: 3 };
        const all = associationRules(itemsets, options);
        const constrained = associationRules(itemsets, {
          ...options,
          antecedent: { none: ['a'], anyOf: ['b', 'c'] },
          consequent: { only: ['a', 'd', 'e'] },
        });
        const expected = all.filter(
          (rule) =>
            !rule.antecedent.includes('a') &&
            rule.antecedent.some((item) => item === 'b' || item === 'c') &&
            rule.consequent.every((item) => ['a', 'd', 'e'].includes(item)),
        );
        expect(constrained).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('redundancy pruning drops exactly the rules with a more general rule of equal or higher confidence', () => {
    fc.assert(
      fc.property(basketsArbitrary, fc.integer({ min: 1, max: 3 }), (baskets, maxConsequent) => {
        const itemsets = fpGrowth(baskets, { minSupport: { count: 2 } });
        const all = associationRules(itemsets, { minConfidence: 0.2, maxConsequent });
        const pruned = associationRules(itemsets, {
          minConfidence: 0.2,
          maxConsequent,
          pruneRedundant: true,
        });
        // The quadratic definition: compare each rule with every rule of the same consequent.
        const expected = all.filter(
          (rule) =>
            !all.some(
              (general) =>
                key(general.consequent) === key(rule.consequent) &&
                general.antecedent.length < rule.antecedent.length &&
                general.antecedent.every((item) => rule.antecedent.includes(item)) &&
                general.confidence >= rule.confidence,
            ),
        );
        expect(pruned).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('minLift keeps exactly the rules at or above it', () => {
    fc.assert(
      fc.property(basketsArbitrary, fc.double({ min: 0, max: 3, noNaN: true }), (baskets, minLift) => {
        const itemsets = fpGrowth(baskets, { minSupport: { count: 2 } });
        const all = associationRules(itemsets, { minConfidence: 0.1 });
        expect(associationRules(itemsets, { minConfidence: 0.1, minLift })).toEqual(
          all.filter((rule) => rule.lift >= minLift),
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe('associationRules: Fisher exact test against R', () => {
  const rscript = ['/usr/bin/Rscript', '/usr/local/bin/Rscript'].find((candidate) => existsSync(candidate));
  if (rscript === undefined)
    process.stderr.write(
      'skipped: Rscript not found, Fisher p-values are checked against BigInt sums only\n',
    );

  it.skipIf(rscript === undefined)('equals fisher.test(alternative = "greater") on large tables', () => {
    // Tables: [both, antecedent, consequent, total].
    const tables = [
      [12, 19, 327, 9835],
      [300, 1000, 2000, 10_000],
      [5, 500, 500, 100_000],
      [40, 60, 700, 1000],
      [0, 10, 10, 50],
    ] as const;
    const script = tables
      .map(
        ([a, x, y, n]) =>
          `cat(sprintf('%.15e\\n', fisher.test(matrix(c(${a}, ${x - a}, ${y - a}, ${n - x - y + a}), 2), alternative = 'greater')$p.value))`,
      )
      .join(';');
    const reference = execFileSync(rscript!, ['-e', script], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
    tables.forEach(([a, x, y, n], index) => {
      const baskets: string[][] = [];
      for (let i = 0; i < n; i++) {
        const basket: string[] = [];
        if (i < x) basket.push('x');
        if (i < a || (i >= x && i < x + y - a)) basket.push('y');
        baskets.push(basket);
      }
      const rule = associationRules(fpGrowth(baskets, { minSupport: { count: 1 } }), {
        minConfidence: 0,
        fisherTest: true,
        antecedent: { only: ['x'] },
      })[0];
      if (a === 0) {
        expect(rule).toBeUndefined();
        return;
      }
      expect(rule?.fisherPValue).toBeCloseTo(reference[index]!, 10);
      const relative = Math.abs(rule!.fisherPValue! - reference[index]!) / reference[index]!;
      expect(relative).toBeLessThan(1e-12);
    });
  });
});

describe('associationRules: bad input', () => {
  const itemsets = fpGrowth([['a', 'b'], ['a', 'b'], ['a']], { minSupport: { count: 1 } });

  it('refuses closed or maximal itemsets, which lack the supports rules need', () => {
    const closed = fpGrowth([['a', 'b'], ['a', 'b'], ['a']], { minSupport: { count: 1 }, filter: 'closed' });
    expect(() => associationRules(closed)).toThrow(OptionError);
    expect(() => associationRules(closed)).toThrow("received the 'closed' ones only");
  });

  it('refuses itemsets cut short by a budget', () => {
    const truncated = {
      ...itemsets,
      truncation: {
        reason: 'nodes' as const,
        message: 'stopped',
        incompleteItems: ['b'],
        elapsedMilliseconds: 1,
      },
    };
    expect(() => associationRules(truncated)).toThrow('mining stopped early (nodes budget)');
  });

  it('names the itemset whose subset is missing', () => {
    const partial = {
      itemsets: [
        { items: ['a'], count: 3 },
        { items: ['a', 'b'], count: 2 },
      ],
      transactionCount: 3,
    };
    expect(() => associationRules(partial, { minConfidence: 0 })).toThrow(DataError);
    expect(() => associationRules(partial, { minConfidence: 0 })).toThrow(
      "row 2, column 'items': its subset [b] is not among the itemsets",
    );
  });

  it('rejects malformed itemsets', () => {
    expect(() =>
      associationRules({ itemsets: [{ items: ['a', 'a'], count: 1 }], transactionCount: 2 }),
    ).toThrow('an item is repeated');
    expect(() => associationRules({ itemsets: [{ items: ['a'], count: 5 }], transactionCount: 2 })).toThrow(
      "row 1, column 'count'",
    );
    expect(() =>
      associationRules({
        itemsets: [
          { items: ['a'], count: 1 },
          { items: ['a'], count: 1 },
        ],
        transactionCount: 2,
      }),
    ).toThrow('the same itemset appears twice');
    expect(() => associationRules({ itemsets: [], transactionCount: 0 })).toThrow(
      "column 'transactionCount'",
    );
    expect(() => associationRules(null as unknown as typeof itemsets)).toThrow(TelcoAnalyticsError);
  });

  it.each([
    ['minConfidence', { minConfidence: 1.2 }],
    ['minConfidence', { minConfidence: -0.1 }],
    ['minLift', { minLift: Number.NaN }],
    ['maxConsequent', { maxConsequent: 0 }],
    ['maxRules', { maxRules: 2.5 }],
    ['consequent.only', { consequent: { only: 'a' as unknown as string[] } }],
  ])('rejects a bad %s', (option, options) => {
    expect(() => associationRules(itemsets, options)).toThrow(`option '${option}'`);
  });

  it('stops with LIMIT_EXCEEDED beyond maxRules', () => {
    const error = (() => {
      try {
        associationRules(itemsets, { minConfidence: 0, maxRules: 1 });
      } catch (caught) {
        return caught as TelcoAnalyticsError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('LIMIT_EXCEEDED');
  });

  it('leaves its input untouched and treats an explicit undefined as the default', () => {
    const frozen = Object.freeze({
      ...itemsets,
      itemsets: Object.freeze(
        itemsets.itemsets.map((itemset) =>
          Object.freeze({ ...itemset, items: Object.freeze([...itemset.items]) }),
        ),
      ),
    });
    expect(associationRules(frozen, { minConfidence: undefined, maxConsequent: undefined })).toEqual(
      associationRules(itemsets),
    );
  });
});
