import {
  churnRiskList,
  evaluateClassifier,
  predictChurn,
  subscriberFeatureSpec,
  trainChurnModel,
  trainTestSplit,
} from '../../churn/index.js';
import { formatDate, TelcoAnalyticsError } from '../../data/index.js';
import type { ReportSection } from '../build-report.js';
import {
  calibrationChart,
  coefficientChart,
  liftChart,
  precisionRecallChart,
  rocCurveChart,
} from '../charts/churn-charts.js';
import { type AnalysisContext, percent, type SectionResult } from './analysis-context.js';

/**
 * Churn: features from the CDRs as of the first day of the last month, the label "churns during
 * the last month", a logistic model (explicit formula) and a neural model, held-out evaluation on a
 * stratified 70/30 split, and the early-warning list.
 *
 * @example
 * (await churnSection(context)).summary; // => 'logistic AUC 0.91, neural AUC 0.90 ...'
 */
export async function churnSection(context: AnalysisContext): Promise<SectionResult<ReportSection>> {
  const { operator, seed } = context;
  const end = new Date(context.asOf);
  const asOf = Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 1, 1);
  const asOfDate = formatDate(asOf);
  const truth = new Map(operator.truth.map((row) => [row.subscriberId, row]));
  const activation = new Map(
    operator.subscribers.map((row) => [row.subscriberId, Date.parse(String(row.activationDate))]),
  );
  const rows = (await context.calls.subscriberFeatures(operator.subscribers, { asOf, months: 3 }))
    .filter((row) => {
      const planted = truth.get(String(row.subscriberId))!;
      if (planted.fraud !== null || activation.get(String(row.subscriberId))! >= asOf) return false;
      return !(planted.churned && planted.churnDate! <= asOfDate);
    })
    .map((row) => ({ ...row, churnsNextMonth: truth.get(String(row.subscriberId))!.churned }));
  const split = trainTestSplit(rows, { testFraction: 0.3, seed, stratify: 'churnsNextMonth' });
  // planId duplicates contract on this operator (the prepaid plans are the prepaid contract).
  const features = subscriberFeatureSpec().filter((feature) => feature.name !== 'planId');
  // A small operator can leave a feature that separates the churners perfectly, so the plain
  // maximum-likelihood fit has no finite optimum: the report then falls back to a light ridge
  // penalty and says so, rather than failing.
  let ridgeNote = '';
  const logistic = await trainChurnModel(split.trainRows, { target: 'churnsNextMonth', features }).catch(
    (error: unknown) => {
      if (!(error instanceof TelcoAnalyticsError && error.code === 'NOT_CONVERGED')) throw error;
      ridgeNote = ` The unpenalised fit had no finite optimum (${error.message.replace(/^[^:]*: /, '').split(';')[0]}), so the model uses a ridge penalty l2 = 1.`;
      return trainChurnModel(split.trainRows, { target: 'churnsNextMonth', features, l2: 1 });
    },
  );
  const neural = await trainChurnModel(split.trainRows, {
    target: 'churnsNextMonth',
    features,
    kind: 'neural',
    seed,
    epochs: 40,
    batchSize: 64,
  });
  const actual = split.testRows.map((row) => row.churnsNextMonth);
  const profit = { offerCost: 5, customerValue: 120, acceptRate: 0.3 };
  const evaluation = evaluateClassifier(actual, predictChurn(logistic, split.testRows), { profit });
  const neuralEvaluation = evaluateClassifier(actual, predictChurn(neural, split.testRows), { profit });
  const risks = churnRiskList(logistic, split.testRows, { top: 15 });
  // Every subscriber scored, for the promotion simulation's retention effect and eligibility.
  const allRisks = churnRiskList(logistic, rows);
  context.shared.churnScores = new Map(
    allRisks.map((risk) => [risk.subscriberId, { probability: risk.probability, band: risk.band }]),
  );
  const model = logistic.model.kind === 'logistic' ? logistic.model : undefined;
  const churners = rows.filter((row) => row.churnsNextMonth).length;
  return {
    summary: `logistic held-out ROC AUC ${evaluation.rocAuc.toFixed(3)}, neural ${neuralEvaluation.rocAuc.toFixed(3)} (${churners} churners in ${rows.length})`,
    section: {
      id: 'churn',
      title: 'Churn risk',
      summary: `Who churns in the month after ${asOfDate}? The logistic model ranks held-out churners with ROC AUC ${evaluation.rocAuc.toFixed(3)} (neural model: ${neuralEvaluation.rocAuc.toFixed(3)}); the top decile holds ${percent(evaluation.deciles[0]?.cumulativeGain ?? 0)} of the churners.`,
      keyFigures: [
        { label: 'subscribers scored', value: rows.length },
        { label: 'churn rate next month', value: percent(churners / rows.length) },
        { label: 'ROC AUC (logistic)', value: evaluation.rocAuc },
        { label: 'ROC AUC (neural)', value: neuralEvaluation.rocAuc },
        { label: 'average precision', value: evaluation.averagePrecision },
        { label: 'top-decile lift', value: evaluation.deciles[0]?.lift ?? Number.NaN },
      ],
      charts: [
        { title: 'ROC', spec: rocCurveChart(evaluation) },
        { title: 'Precision-recall', spec: precisionRecallChart(evaluation) },
        { title: 'Lift and gains', spec: liftChart(evaluation) },
        { title: 'Calibration', spec: calibrationChart(evaluation) },
        ...(model ? [{ title: 'Coefficients', spec: coefficientChart(model) }] : []),
      ],
      tables: [
        ...(model
          ? [
              { title: 'The model as a formula', rows: [{ formula: model.formula }] },
              {
                title: 'Logistic coefficients',
                rows: model.coefficients.map(({ name, estimate, stdError, pValue, oddsRatio }) => ({
                  feature: name,
                  estimate,
                  'std error': stdError,
                  'p-value': pValue,
                  'odds ratio': oddsRatio,
                })),
              },
            ]
          : []),
        {
          title: 'Early-warning list (held-out subscribers)',
          rows: risks.map(({ rank, subscriberId, probability, band, reasons }) => ({
            rank,
            subscriber: subscriberId,
            probability,
            band,
            reasons: reasons.join('; '),
          })),
        },
      ],
      method: `subscriberFeatures(asOf ${asOfDate}, months 3) for subscribers active then (fraud lines excluded); target: churned during the following month (from the generator's truth); trainTestSplit(testFraction 0.3, stratified, seed ${seed}); trainChurnModel logistic (IRLS) and neural (hidden [32, 16], 40 epochs, seed ${seed}); evaluateClassifier on the held-out 30%; best threshold by expected profit (offer cost 5, customer value 120, accept rate 0.3): ${evaluation.bestThreshold.threshold.toFixed(3)}.${ridgeNote}`,
    },
  };
}
