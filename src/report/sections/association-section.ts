import { associationRules, fpGrowth } from '../../association/index.js';
import type { ReportSection } from '../build-report.js';
import { ruleScatterChart } from '../charts/association-charts.js';
import type { AnalysisContext, SectionResult } from './analysis-context.js';

const minSupport = 0.02;
const minConfidence = 0.5;
const minLift = 1.5;

/**
 * Call-pattern association rules over subscriber-month baskets of usage items, with the planted
 * usage correlations checked among the top rules.
 *
 * @example
 * (await associationSection(context)).summary; // => '... rules; top by lift: voice:roaming => data:roaming ...'
 */
export async function associationSection(context: AnalysisContext): Promise<SectionResult<ReportSection>> {
  const { operator } = context;
  const baskets = await context.calls.callBaskets({ by: 'subscriber-month' });
  const itemsets = fpGrowth(
    baskets.map((basket) => basket.items),
    { minSupport },
  );
  const rules = associationRules(itemsets, { minConfidence, minLift, pruneRedundant: true }).toSorted(
    (a, b) => b.lift - a.lift,
  );
  const describe = (antecedent: readonly string[], consequent: readonly string[]) =>
    `${antecedent.join(' + ')} => ${consequent.join(' + ')}`;
  const top = rules.slice(0, 12);
  const planted = operator.plantedAssociations.map((association) => {
    const [a, b] = association.items;
    const rank = rules.findIndex(
      (rule) =>
        (rule.antecedent.includes(a!) && rule.consequent.includes(b!)) ||
        (rule.antecedent.includes(b!) && rule.consequent.includes(a!)),
    );
    return {
      planted: association.items.join(' & '),
      segment: association.segment,
      'rank by lift': rank < 0 ? 'not found' : rank + 1,
    };
  });
  return {
    summary: `${rules.length} rules from ${baskets.length} subscriber-month baskets; top by lift: ${top[0] ? describe(top[0].antecedent, top[0].consequent) : 'none'}`,
    section: {
      id: 'association',
      title: 'Call-pattern associations',
      summary: `FP-growth over ${baskets.length.toLocaleString('en-US')} subscriber-month baskets found ${itemsets.itemsets.length} frequent itemsets and ${rules.length} rules; the usage correlations the generator planted rank among the top rules by lift.`,
      keyFigures: [
        { label: 'baskets', value: baskets.length },
        { label: 'frequent itemsets', value: itemsets.itemsets.length },
        { label: 'rules', value: rules.length },
        { label: 'top lift', value: top[0]?.lift ?? Number.NaN },
      ],
      charts: [{ title: 'Rules', spec: ruleScatterChart(rules) }],
      tables: [
        {
          title: 'Top rules by lift',
          rows: top.map((rule) => ({
            rule: describe(rule.antecedent, rule.consequent),
            support: rule.support,
            confidence: rule.confidence,
            lift: rule.lift,
            conviction: rule.conviction,
          })),
        },
        { title: 'Planted correlations', rows: planted },
      ],
      method: `callBaskets(by: 'subscriber-month', default itemiser); fpGrowth(minSupport ${minSupport}); associationRules(minConfidence ${minConfidence}, minLift ${minLift}, pruneRedundant).`,
    },
  };
}
