import type { AssociationRule } from '../../association/index.js';
import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { chartFrame } from './chart-frame.js';

/**
 * Association rules as support x confidence, coloured by lift (the arules "scatter plot").
 *
 * @example
 * ruleScatterChart(associationRules(itemsets, { minConfidence: 0.5 }));
 */
export function ruleScatterChart(rules: readonly AssociationRule[]): VegaLiteSpec {
  const values = rules.map((rule) => ({
    rule: `${rule.antecedent.join(' + ')} => ${rule.consequent.join(' + ')}`,
    support: rule.support,
    confidence: rule.confidence,
    lift: rule.lift,
  }));
  return chartFrame('Association rules: support, confidence and lift', {
    data: { values },
    mark: { type: 'circle', size: 60, opacity: 0.8 },
    encoding: {
      x: { field: 'support', type: 'quantitative', scale: { type: 'log' } },
      y: { field: 'confidence', type: 'quantitative' },
      color: { field: 'lift', type: 'quantitative', scale: { scheme: 'viridis' } },
      tooltip: [
        { field: 'rule' },
        { field: 'support', type: 'quantitative' },
        { field: 'confidence', type: 'quantitative' },
        { field: 'lift', type: 'quantitative' },
      ],
    },
  });
}
