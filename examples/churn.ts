/**
 * Churn on the synthetic operator: features from CDRs as of April 1st, a logistic model of who
 * churns in April with its explicit formula, held-out metrics and the early-warning list.
 *
 * Run: node --import tsx examples/churn.ts
 */
import {
  churnRiskList,
  evaluateClassifier,
  predictChurn,
  subscriberFeatureSpec,
  subscriberFeatures,
  trainChurnModel,
  trainTestSplit,
} from 'telco-analytics/churn';
import { generateOperator } from 'telco-analytics/data';

const operator = generateOperator({ subscribers: 2000, months: 4, seed: 42 });
const asOf = '2024-04-01';
const truth = new Map(operator.truth.map((row) => [row.subscriberId, row]));
const activation = new Map(
  operator.subscribers.map((row) => [row.subscriberId, Date.parse(String(row.activationDate))]),
);

// Subscribers still active on April 1st (no fraud lines), labelled with "churns in April".
const rows = subscriberFeatures(operator.calls, operator.subscribers, { asOf })
  .filter((row) => {
    const planted = truth.get(String(row.subscriberId))!;
    if (planted.fraud !== null || activation.get(String(row.subscriberId))! >= Date.parse(asOf)) return false;
    return !(planted.churned && planted.churnDate! <= asOf);
  })
  .map((row) => ({ ...row, churnsInApril: truth.get(String(row.subscriberId))!.churned }));

const split = trainTestSplit(rows, { testFraction: 0.3, seed: 1, stratify: 'churnsInApril' });
// planId is left out: on this operator the prepaid plans coincide with the prepaid contract.
const features = subscriberFeatureSpec().filter((feature) => feature.name !== 'planId');
const model = await trainChurnModel(split.trainRows, { target: 'churnsInApril', features });
if (model.model.kind === 'logistic') {
  console.log(model.model.formula);
  console.table(
    model.model.coefficients.map(({ name, estimate, stdError, pValue, oddsRatio }) => ({
      name,
      estimate,
      stdError,
      pValue,
      oddsRatio,
    })),
  );
}

const evaluation = evaluateClassifier(
  split.testRows.map((row) => row.churnsInApril),
  predictChurn(model, split.testRows),
  { profit: { offerCost: 5, customerValue: 120, acceptRate: 0.3 } },
);
console.log(
  `held-out ROC AUC ${evaluation.rocAuc.toFixed(3)}, average precision ${evaluation.averagePrecision.toFixed(3)}`,
);
console.log(
  `best threshold by expected profit: ${evaluation.bestThreshold.threshold.toFixed(3)} (profit ${evaluation.bestThreshold.value.toFixed(0)})`,
);
console.table(evaluation.deciles);

console.table(
  churnRiskList(model, split.testRows, { top: 10 }).map(
    ({ rank, subscriberId, probability, band, reasons }) => ({
      rank,
      subscriberId,
      probability: probability.toFixed(3),
      band,
      reasons: reasons.join('; '),
    }),
  ),
);
