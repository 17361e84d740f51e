import {
  evaluateClassifier,
  predictChurn,
  subscriberFeatureSpec,
  subscriberFeatures,
  trainChurnModel,
  trainTestSplit,
} from 'telco-analytics/churn';
import { generateOperator } from 'telco-analytics/data';
import { describe, expect, it } from 'vitest';

// The synthetic operator: 3000 subscribers, January to April 2024 (seed 7). Features are computed
// as of 2024-04-01 from the three months before (January to March), and the label is "churns in
// April" from truth: subscribers who churned before April 1st are gone and left out, as are lines
// activated after it and the planted fraud lines (not customers a retention team would call). So every
// churner's churn date is after the feature date — the model sees only what was known on April 1st.
// `planId` is left out of the spec: on this operator the prepaid plans are exactly the prepaid
// contract, and trainLogistic would (rightly) reject the collinear pair.
describe('churn on the synthetic operator', () => {
  const operator = generateOperator({ subscribers: 3000, months: 4, seed: 7 });
  const asOf = '2024-04-01';
  const asOfMs = Date.parse(asOf);
  const truth = new Map(operator.truth.map((row) => [row.subscriberId, row]));
  const activation = new Map(
    operator.subscribers.map((row) => [row.subscriberId, Date.parse(String(row.activationDate))]),
  );
  const rows = subscriberFeatures(operator.calls, operator.subscribers, { asOf, months: 3 })
    .filter((row) => {
      const id = String(row.subscriberId);
      const planted = truth.get(id)!;
      if (planted.fraud !== null || activation.get(id)! >= asOfMs) return false;
      return !(planted.churned && Date.parse(planted.churnDate!) <= asOfMs);
    })
    .map((row) => ({ ...row, churnsNextMonth: truth.get(String(row.subscriberId))!.churned }));

  it('builds one feature row per subscriber with monthly usage, trends and recency', () => {
    const all = subscriberFeatures(operator.calls, operator.subscribers, { asOf, months: 3 });
    expect(all).toHaveLength(3000);
    const first = all[0]!;
    for (const name of [
      'voiceMinutesMonth1',
      'smsMonth3',
      'dataMb',
      'spendTrend',
      'roamingShare',
      'distinctContacts',
      'daysSinceLastActivity',
    ]) {
      expect(first, name).toHaveProperty(name);
    }
    // Only usage before asOf counts: features as of the period start are all zero.
    const empty = subscriberFeatures(operator.calls, operator.subscribers.slice(0, 5), {
      asOf: '2024-01-01',
    });
    expect(empty.every((row) => row.voiceMinutes === 0 && row.dataMb === 0)).toBe(true);
    expect(() => subscriberFeatures(operator.calls, operator.subscribers, { asOf: 'soon' })).toThrow(
      /option 'asOf'/,
    );
  });

  it('ranks next-month churners with a held-out ROC AUC of at least 0.85', async () => {
    const churners = rows.filter((row) => row.churnsNextMonth).length;
    expect(churners).toBeGreaterThan(100);
    const split = trainTestSplit(rows, { testFraction: 0.3, seed: 1, stratify: 'churnsNextMonth' });
    const features = subscriberFeatureSpec({ months: 3 }).filter((feature) => feature.name !== 'planId');
    const model = await trainChurnModel(split.trainRows, { target: 'churnsNextMonth', features });
    const evaluation = evaluateClassifier(
      split.testRows.map((row) => row.churnsNextMonth),
      predictChurn(model, split.testRows),
    );
    // Measured: 0.9157 (2695 subscribers, 182 April churners).
    expect(evaluation.rocAuc).toBeGreaterThanOrEqual(0.85);
    expect(evaluation.deciles[0]!.lift).toBeGreaterThan(3);
  });
});
