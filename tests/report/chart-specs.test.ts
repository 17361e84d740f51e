import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { associationRules, fpGrowth } from 'telco-analytics/association';
import { evaluateClassifier, trainLogistic } from 'telco-analytics/churn';
import { createRng, generateOperator } from 'telco-analytics/data';
import { evaluateRules, standardRules } from 'telco-analytics/fraud';
import { cube } from 'telco-analytics/olap';
import {
  calibrationChart,
  coefficientChart,
  fraudAlertsChart,
  kSelectionChart,
  liftChart,
  lorenzChart,
  olapTrendChart,
  optimizationFrontierChart,
  precisionRecallChart,
  probabilityAliveChart,
  promotionEffectsChart,
  promotionRevenueChart,
  renderSvg,
  rfmHeatmapChart,
  rfmSegmentChart,
  rocCurveChart,
  ruleScatterChart,
  segmentProfileChart,
  type VegaLiteSpec,
  valueTierChart,
} from 'telco-analytics/report';
import { pareto, rfm } from 'telco-analytics/rfm';
import { evaluateK, kmeans, profileSegments } from 'telco-analytics/segmentation';
import {
  optimizePromotion,
  type Promotion,
  simulatePromotion,
  tariffFromOperatorPlan,
} from 'telco-analytics/simulation';
import {
  customerLifetimeValue,
  fitBgNbd,
  fitGammaGamma,
  summarizeTransactions,
  valueTiers,
} from 'telco-analytics/value';
import { describe, expect, it } from 'vitest';

// vega-lite ships its JSON schema but does not export it: read it from the installed package.
const schemaFile = new URL('../../node_modules/vega-lite/build/vega-lite-schema.json', import.meta.url);
const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as object;
const ajv = new Ajv({ allErrors: false, strict: false });
const validate = ajv.compile(schema);

// Small but real results from the capabilities, so the charts are drawn from the shapes users get.
const rng = createRng(3);
const points = Array.from({ length: 90 }, (_, i) => [rng.normal(i % 3, 0.3), rng.normal((i % 3) * 2, 0.3)]);
const evaluations = evaluateK(points, { kMin: 2, kMax: 5, seed: 1 });
const clusters = kmeans(points, { k: 3, seed: 1 });
const profiles = profileSegments(points, clusters.labels, { features: ['minutes', 'sms'] });
const x = Array.from({ length: 200 }, () => [rng.normal(), rng.normal()]);
const y = x.map(([a, b]) => (rng.uniform() < 1 / (1 + Math.exp(-(a! - 0.5 * b!))) ? 1 : 0));
const model = trainLogistic(x, y, { featureNames: ['tenure', 'complaints'] });
const probabilities = x.map(
  ([a, b]) =>
    1 /
    (1 +
      Math.exp(
        -(
          model.intercept.estimate +
          model.coefficients[0]!.estimate * a! +
          model.coefficients[1]!.estimate * b!
        ),
      )),
);
const evaluation = evaluateClassifier(y, probabilities);
const baskets = Array.from({ length: 200 }, (_, i) => [
  'voice',
  i % 2 === 0 ? 'sms' : 'data',
  i % 3 === 0 ? 'roaming' : 'local',
  i % 6 === 0 ? 'data:roaming' : 'x',
]);
const rules = associationRules(fpGrowth(baskets, { minSupport: 0.05 }), { minConfidence: 0.3 });

const operator = generateOperator({ subscribers: 300, months: 2, seed: 5, fraud: { 'sim-box': 0.01 } });
const alerts = evaluateRules(operator.calls, standardRules, {
  subscribers: operator.subscribers,
  payments: operator.payments,
});
const trend = cube(operator.calls, { dimensions: ['month', 'service'], measures: { revenue: 'sum:charge' } });

const promotion: Promotion = {
  kind: 'promotion',
  version: 1,
  promotionId: 'voice-off',
  components: [{ type: 'percent-off', service: 'voice', percent: 10 }],
};
const simulationInput = {
  calls: operator.calls,
  subscribers: operator.subscribers,
  plans: operator.plans.map(tariffFromOperatorPlan),
  period: '2024-01',
  cycles: 2,
  runs: 20,
  seed: 1,
  churnProbability: () => 0.1,
  retentionEffect: 0.3,
};
const simulation = simulatePromotion({ ...simulationInput, promotion });
const optimisation = optimizePromotion({
  ...simulationInput,
  promotion,
  grid: [{ path: 'components.0.percent', values: [5, 20] }],
});

const rfmResult = rfm(operator.payments);
const valueSummary = summarizeTransactions(operator.payments, { unit: 'week' });
const customerValues = customerLifetimeValue(valueSummary, {
  transactions: fitBgNbd(valueSummary, { penalizer: 0.001 }),
  value: fitGammaGamma(valueSummary, { penalizer: 0.001 }),
});

const charts: [string, VegaLiteSpec][] = [
  ['rfmSegmentChart', rfmSegmentChart(rfmResult)],
  ['rfmHeatmapChart', rfmHeatmapChart(rfmResult)],
  ['lorenzChart', lorenzChart(pareto(rfmResult.customers))],
  ['promotionRevenueChart', promotionRevenueChart(simulation)],
  ['promotionEffectsChart', promotionEffectsChart(simulation)],
  ['optimizationFrontierChart', optimizationFrontierChart(optimisation)],
  ['fraudAlertsChart', fraudAlertsChart(alerts)],
  ['olapTrendChart', olapTrendChart(trend, 'month', 'service', 'revenue')],
  ['kSelectionChart', kSelectionChart(evaluations)],
  ['segmentProfileChart', segmentProfileChart(profiles)],
  ['rocCurveChart', rocCurveChart(evaluation)],
  ['precisionRecallChart', precisionRecallChart(evaluation)],
  ['liftChart', liftChart(evaluation)],
  ['calibrationChart', calibrationChart(evaluation)],
  ['coefficientChart', coefficientChart(model)],
  ['ruleScatterChart', ruleScatterChart(rules)],
  ['valueTierChart', valueTierChart(valueTiers(customerValues))],
  [
    'probabilityAliveChart',
    probabilityAliveChart(customerValues, (row) => (row.frequency > 3 ? 'regular' : 'occasional')),
  ],
];

describe('chart specs', () => {
  it.each(charts)('%s validates against the Vega-Lite schema and is plain JSON', (_name, spec) => {
    const valid = validate(spec);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
    expect(valid).toBe(true);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it.each(charts)('%s renders to an SVG with marks', async (_name, spec) => {
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/class="mark-(rect|line|symbol|rule)/);
    expect(svg).not.toMatch(/href="http/);
  });

  it('rejects a spec that is not Vega-Lite with a clear error', async () => {
    await expect(renderSvg({ $schema: 'x', mark: 'no-such-mark' })).rejects.toThrow(
      /renderSvg: not a valid Vega-Lite spec/,
    );
  });
});
