import {
  type AssociationRule,
  associationRules,
  fpGrowth,
  recommendCrossSell,
} from 'telco-analytics/association';
import { DataError, OptionError } from 'telco-analytics/data';
import { describe, expect, it } from 'vitest';

function rule(antecedent: string[], consequent: string[], confidence: number, lift: number): AssociationRule {
  return {
    antecedent,
    consequent,
    count: 1,
    antecedentSupport: 0.1,
    consequentSupport: 0.1,
    support: 0.1,
    confidence,
    lift,
    leverage: 0,
    conviction: 1,
    zhang: 0,
    jaccard: 0,
    certainty: 0,
    kulczynski: 0,
  };
}

describe('recommendCrossSell', () => {
  const rules = Object.freeze([
    rule(['voice:roaming'], ['data:roaming'], 0.8, 4), // score 3.2
    rule(['voice:roaming', 'sms'], ['data:roaming'], 0.9, 4.5), // score 4.05: the better rule for data:roaming
    rule(['sms'], ['sms:heavy', 'voice:night'], 0.5, 3), // score 1.5, voice:night is held
    rule(['voice:premium'], ['data:heavy'], 0.99, 9), // antecedent not held
    rule(['sms'], ['mms'], 0.5, 3), // score 1.5, ties with sms:heavy: by name
  ]);

  it('ranks the items the customer lacks by confidence x lift, each with its best rule', () => {
    const recommendations = recommendCrossSell(rules, Object.freeze(['sms', 'voice:roaming', 'voice:night']));
    expect(recommendations.map(({ item, score }) => [item, score])).toEqual([
      ['data:roaming', 0.9 * 4.5],
      ['mms', 1.5],
      ['sms:heavy', 1.5],
    ]);
    expect(recommendations[0]?.rule).toBe(rules[1]);
    expect(recommendCrossSell(rules, ['sms', 'voice:roaming'], { topN: 1 })).toHaveLength(1);
    expect(recommendCrossSell(rules, ['voice:roaming'], { topN: undefined })).toHaveLength(1);
    expect(recommendCrossSell(rules, [])).toEqual([]);
  });

  it('works end to end from baskets', () => {
    const baskets = [
      ['voice:roaming', 'data:roaming'],
      ['voice:roaming', 'data:roaming'],
      ['voice:roaming', 'data:roaming', 'sms'],
      ['voice:roaming'],
      ['sms'],
      ['sms', 'voice:night'],
    ];
    const mined = associationRules(fpGrowth(baskets, { minSupport: { count: 2 } }), { minConfidence: 0.5 });
    const [first] = recommendCrossSell(mined, ['voice:roaming']);
    // voice:roaming => data:roaming: confidence 3/4, lift 0.75 / (3/6) = 1.5, score 1.125.
    expect(first).toMatchObject({ item: 'data:roaming', confidence: 0.75, lift: 1.5, score: 1.125 });
  });

  it('rejects a bad basket or topN', () => {
    expect(() => recommendCrossSell(rules, ['sms', 4 as unknown as string])).toThrow(DataError);
    expect(() => recommendCrossSell(rules, ['sms'], { topN: 0 })).toThrow(OptionError);
  });
});
