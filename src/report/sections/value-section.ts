import { evaluateClassifier } from '../../churn/index.js';
import {
  customerLifetimeValue,
  fitBgNbd,
  fitGammaGamma,
  retentionPriority,
  summarizeTransactions,
  valueTiers,
} from '../../value/index.js';
import type { ReportSection } from '../build-report.js';
import { probabilityAliveChart, valueTierChart } from '../charts/value-charts.js';
import { type AnalysisContext, percent, type SectionResult } from './analysis-context.js';

// Monthly bills and top-ups barely vary and rarely stop right after a payment, so the unpenalised
// fits run to a boundary (b and p to infinity); a small penalty keeps them finite.
const penalizer = 0.001;
const horizonMonths = 12;
const discountRate = 0.01;
const dayMs = 86_400_000;

/**
 * Customer value: BG/NBD and Gamma-Gamma on the payments (weeks), a one-month back-test of the
 * purchase forecast, 12-month CLV, the value pyramid, and whom to save first (CLV x the churn
 * section's probabilities, when that section ran before).
 *
 * @example
 * valueSection(context).summary; // => 'platinum 5% of payers hold ...% of 12-month CLV ...'
 */
export function valueSection(context: AnalysisContext): SectionResult<ReportSection> {
  const { operator, asOf } = context;
  const asOfDate = new Date(asOf).toISOString().slice(0, 10);

  // Back-test: fit up to a month before the end, forecast the last month's payment days.
  const holdoutStart = asOf - 30 * dayMs;
  const calibration = summarizeTransactions(operator.payments, { asOf: holdoutStart, unit: 'week' });
  const calibrationFit = fitBgNbd(calibration, { penalizer });
  const forecast = customerLifetimeValue(calibration, {
    transactions: calibrationFit,
    value: fitGammaGamma(calibration, { penalizer }),
    horizon: 1,
    discountRate: 0,
    periodLength: 30 / 7,
  }).reduce((sum, row) => sum + row.expectedPurchases, 0);
  const known = new Set(calibration.customers.map((row) => row.customerId));
  const paymentDays = new Set<string>();
  for (const payment of operator.payments) {
    if (payment.date >= holdoutStart && payment.date < asOf && known.has(payment.customerId))
      paymentDays.add(`${payment.customerId}:${Math.floor(payment.date / dayMs)}`);
  }
  const actual = paymentDays.size;

  const summary = summarizeTransactions(operator.payments, { asOf, unit: 'week' });
  const transactions = fitBgNbd(summary, { penalizer });
  const value = fitGammaGamma(summary, { penalizer });
  const customers = customerLifetimeValue(summary, {
    transactions,
    value,
    horizon: horizonMonths,
    discountRate,
  });
  const tiers = valueTiers(customers);
  const totalValue = customers.reduce((sum, row) => sum + row.clv, 0);
  // Who had really left by asOf (the generator's truth): does 1 - P(alive) rank them first?
  const left = new Set(
    operator.truth
      .filter((row) => row.churnDate !== null && Date.parse(String(row.churnDate)) < asOf)
      .map((row) => row.subscriberId),
  );
  const leftFlags = customers.map((row) => (left.has(row.customerId) ? 1 : 0));
  const aliveAuc = leftFlags.includes(1)
    ? evaluateClassifier(
        leftFlags,
        customers.map((row) => 1 - row.probabilityAlive),
      ).rocAuc
    : Number.NaN;

  const churnScores = context.shared.churnScores;
  const riskSource = churnScores
    ? 'the churn section’s logistic probabilities'
    : '1 − P(alive) (the churn section did not run)';
  const risk = churnScores
    ? new Map([...churnScores].map(([id, score]) => [id, score.probability]))
    : new Map(customers.map((row) => [row.customerId, 1 - row.probabilityAlive]));
  const scored = customers.filter((row) => risk.has(row.customerId));
  const priority = scored.length > 0 ? retentionPriority(scored, risk, { top: 15 }) : [];

  const { r, alpha, a, b } = transactions.parameters;
  const { p, q, v } = value.parameters;
  const top = tiers.tiers[0];
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    summary: `${top?.tier ?? '-'} ${percent(top?.customerShare ?? 0)} of payers hold ${percent(top?.valueShare ?? 0)} of ${horizonMonths}-month CLV; last-month forecast ${forecast.toFixed(0)} payments vs ${actual} actual; 1 − P(alive) ranks the ${left.size} who left with ROC AUC ${aliveAuc.toFixed(3)}`,
    section: {
      id: 'value',
      title: 'Customer value and lifetime',
      summary: `Looking forward from ${asOfDate}: BG/NBD says who is still active and how often each customer will pay, Gamma-Gamma what each payment is worth. Together they give a ${horizonMonths}-month customer lifetime value of ${round(totalValue).toLocaleString('en-US')} over ${customers.length.toLocaleString('en-US')} paying customers. Back-test: fitted a month earlier, the model forecast ${forecast.toFixed(0)} payment days for the last month; there were ${actual}. Ranked by 1 − P(alive), the subscribers who had really left come first with ROC AUC ${aliveAuc.toFixed(3)}.`,
      keyFigures: [
        { label: 'paying customers', value: customers.length },
        { label: `${horizonMonths}-month CLV (total)`, value: round(totalValue) },
        { label: 'last-month payments: forecast', value: Math.round(forecast) },
        { label: 'last-month payments: actual', value: actual },
        { label: 'left before the end (truth)', value: leftFlags.filter((flag) => flag === 1).length },
        { label: 'ROC AUC of 1 − P(alive) for them', value: aliveAuc },
      ],
      charts: [
        { title: 'Value tiers', spec: valueTierChart(tiers) },
        {
          title: 'P(alive)',
          spec: probabilityAliveChart(customers, (row) =>
            left.has(row.customerId) ? 'left (truth)' : 'stayed (truth)',
          ),
        },
      ],
      tables: [
        {
          title: 'Fitted models',
          rows: [
            {
              model: 'BG/NBD (purchases)',
              parameters: `r ${r.toFixed(3)}, alpha ${alpha.toFixed(3)}, a ${a.toFixed(3)}, b ${b.toFixed(3)}`,
              'log-likelihood': round(transactions.logLikelihood),
              convergence: transactions.convergence.message,
            },
            {
              model: 'Gamma-Gamma (value per purchase)',
              parameters: `p ${p.toFixed(3)}, q ${q.toFixed(3)}, v ${v.toFixed(3)}`,
              'log-likelihood': round(value.logLikelihood),
              convergence: value.convergence.message,
            },
          ],
        },
        {
          title: 'Value tiers',
          rows: tiers.tiers.map((tier) => ({
            tier: tier.tier,
            customers: tier.customers,
            'share of customers': percent(tier.customerShare),
            'share of CLV': percent(tier.valueShare),
            'lowest CLV': tier.minimumValue === null ? '-' : round(tier.minimumValue),
          })),
        },
        {
          title: 'Retention priority: expected value at risk',
          rows: priority.map((row) => ({
            rank: row.rank,
            customer: row.customerId,
            CLV: round(row.clv),
            'churn probability': round(row.churnProbability),
            'value at risk': round(row.valueAtRisk),
          })),
        },
      ],
      method: `summarizeTransactions(payments, asOf ${asOfDate}, unit week; payments of one day merged); fitBgNbd and fitGammaGamma with penalizer ${penalizer}; customerLifetimeValue(horizon ${horizonMonths} months, discount ${discountRate} per month); valueTiers (platinum 5%, gold 15%, silver 30%, bronze 50%); retentionPriority = CLV x churn probability from ${riskSource}. Back-test: the same fits on payments up to ${new Date(holdoutStart).toISOString().slice(0, 10)}, expected payment days over the next 30 days against the actual ones.`,
    },
  };
}
