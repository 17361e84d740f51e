// Which usage behaviours go together, and what to offer whom: call-pattern association mining.
// Run: npm run build && node --import tsx examples/association.ts
import { associationRules, callBaskets, fpGrowth, recommendCrossSell } from 'telco-analytics/association';
import { generateOperator } from 'telco-analytics/data';

const operator = generateOperator({ subscribers: 2000, months: 3, seed: 42 });

// One basket per subscriber: usage items (voice:night, data:heavy, ...) plus plan, region and age.
const baskets = callBaskets(operator.calls, { subscribers: operator.subscribers });
console.log(`${baskets.length} baskets; the first: ${baskets[0]?.items.join(', ')}`);

const itemsets = fpGrowth(
  baskets.map((basket) => basket.items),
  { minSupport: 0.02 },
);
console.log(
  `${itemsets.itemsets.length} frequent itemsets at minSupport 0.02 (${itemsets.minCount} baskets)`,
);

// Usage rules only (appearance constraints on both sides), the strongest by lift, without rules
// that a more general rule already explains.
const usageItems = [
  'voice:international',
  'voice:roaming',
  'voice:night',
  'voice:premium',
  'sms',
  'sms:heavy',
  'sms:international',
  'data',
  'data:heavy',
  'data:roaming',
  'mms',
];
const rules = associationRules(itemsets, {
  minConfidence: 0.5,
  minLift: 1.5,
  pruneRedundant: true,
  fisherTest: true,
  antecedent: { only: usageItems },
  consequent: { only: usageItems },
});
console.table(
  rules.slice(0, 10).map((rule) => ({
    rule: `${rule.antecedent.join(' + ')} => ${rule.consequent.join(' + ')}`,
    support: rule.support.toFixed(3),
    confidence: rule.confidence.toFixed(2),
    lift: rule.lift.toFixed(2),
    conviction: Number.isFinite(rule.conviction) ? rule.conviction.toFixed(2) : 'inf',
    fisherP: rule.fisherPValue?.toExponential(1),
  })),
);
console.log(
  'planted by the generator:',
  operator.plantedAssociations.map((planted) => planted.items.join(' & ')).join('; '),
);

// Cross-sell: only rules that end in a usage we can sell a bundle for.
const sellable = associationRules(itemsets, {
  minConfidence: 0.3,
  consequent: { only: ['data:roaming', 'data:heavy', 'sms:heavy', 'sms:international'] },
});
const customer = baskets.find(
  (basket) => basket.items.includes('voice:roaming') && !basket.items.includes('data:roaming'),
);
if (customer !== undefined) {
  console.log(`\nsubscriber ${customer.subscriberId} uses: ${customer.items.join(', ')}`);
  for (const offer of recommendCrossSell(sellable, customer.items, { topN: 3 })) {
    console.log(
      `  offer ${offer.item} (score ${offer.score.toFixed(2)}: ${offer.rule.antecedent.join(' + ')} => ${offer.rule.consequent.join(' + ')})`,
    );
  }
}
