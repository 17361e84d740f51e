import { writeFile } from 'node:fs/promises';
import { readPayments } from '../data/read-records.js';
import { formatDate } from '../data/timestamp.js';
import { csvLine } from '../data/write-csv.js';
import { customerLifetimeValue } from '../value/customer-lifetime-value.js';
import { fitBgNbd } from '../value/fit-bg-nbd.js';
import { fitGammaGamma } from '../value/fit-gamma-gamma.js';
import { summarizeTransactions } from '../value/summarize-transactions.js';
import { valueTiers } from '../value/value-tiers.js';
import { type CliCommand, integerFlag, numberFlag, stringFlag } from './command.js';
import { textTable } from './text-table.js';
import { UsageError } from './usage-error.js';

function choice<T extends string>(
  flags: Readonly<Record<string, string | boolean | undefined>>,
  name: string,
  allowed: readonly T[],
): T {
  const raw = flags[name];
  if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, received '${String(raw)}'`);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** `telco-analytics value`: BG/NBD + Gamma-Gamma customer lifetime value from a payments file. */
export const valueCommand: CliCommand = {
  name: 'value',
  usage:
    'value --payments FILE [--as-of DATE] [--horizon 12] [--discount-rate 0.01] [--unit week] [--penalizer 0] [--out FILE.csv|FILE.json]',
  summary:
    "Predict each customer's purchases, survival and lifetime value (BG/NBD + Gamma-Gamma) from a payments CSV (customerId,date,amount) and print the fit and the value tiers.",
  flags: {
    payments: {
      type: 'string',
      description: 'payments CSV with columns customerId,date,amount',
      placeholder: 'FILE',
    },
    'as-of': {
      type: 'string',
      description: 'end of observation (default: the latest payment)',
      placeholder: 'DATE',
    },
    horizon: { type: 'string', description: 'months to value', default: '12', placeholder: 'N' },
    'discount-rate': {
      type: 'string',
      description: 'discount rate per month',
      default: '0.01',
      placeholder: 'RATE',
    },
    unit: {
      type: 'string',
      description: 'model time unit: day or week',
      default: 'week',
      placeholder: 'UNIT',
    },
    penalizer: {
      type: 'string',
      description: 'L2 penalty of both fits (lifetimes penalizer_coef scale)',
      default: '0',
      placeholder: 'X',
    },
    out: {
      type: 'string',
      description: 'write the customers with their predictions (.csv) or everything (.json)',
      placeholder: 'FILE',
    },
  },
  async run(flags, io) {
    const path = stringFlag(flags, 'payments');
    const horizon = integerFlag(flags, 'horizon', 1, 1200);
    const discountRate = numberFlag(flags, 'discount-rate', 0, 10);
    const penalizer = numberFlag(flags, 'penalizer', 0, 1e6);
    const unit = choice(flags, 'unit', ['day', 'week'] as const);
    const out = typeof flags.out === 'string' ? flags.out : undefined;
    if (out !== undefined && !/\.(csv|json)$/i.test(out))
      throw new UsageError(`--out must end in .csv or .json, received '${out}'`);
    const asOf = typeof flags['as-of'] === 'string' ? flags['as-of'] : undefined;
    const { rows } = await readPayments(path);
    const summary = summarizeTransactions(rows, { asOf, unit });
    const transactions = fitBgNbd(summary, { penalizer });
    const value = fitGammaGamma(summary, { penalizer });
    const customers = customerLifetimeValue(summary, { transactions, value, horizon, discountRate });
    const tiers = valueTiers(customers);
    const tierOf = new Map(tiers.customers.map((row) => [row.customerId, row.tier]));
    io.stdout.write(
      `${customers.length} customers observed up to ${formatDate(summary.asOf)} (${unit}s); ${value.customers} with repeat purchases\n\n`,
    );
    const { r, alpha, a, b } = transactions.parameters;
    const errors = transactions.standardErrors;
    const withError = (name: keyof typeof transactions.parameters, estimate: number): string =>
      `${name} = ${estimate.toFixed(4)}${errors === null ? '' : ` (se ${errors[name].toFixed(4)})`}`;
    io.stdout.write(
      `BG/NBD: ${withError('r', r)}, ${withError('alpha', alpha)}, ${withError('a', a)}, ${withError('b', b)}; log-likelihood ${transactions.logLikelihood.toFixed(2)}; ${transactions.distinctTriplets} distinct (frequency, recency, T)\n`,
    );
    io.stdout.write(
      `  ${transactions.convergence.converged ? 'converged' : 'NOT CONVERGED'} in ${transactions.convergence.iterations} iterations: ${transactions.convergence.message}\n`,
    );
    const { p, q, v } = value.parameters;
    io.stdout.write(
      `Gamma-Gamma: p = ${p.toFixed(4)}, q = ${q.toFixed(4)}, v = ${v.toFixed(4)}; ${value.convergence.converged ? 'converged' : 'NOT CONVERGED'} (${value.convergence.message})\n\n`,
    );
    io.stdout.write(`value over ${horizon} months at ${discountRate} a month:\n`);
    io.stdout.write(
      `${textTable(
        [
          ['tier', 'customers', 'share', 'clv', 'clv share', 'min clv', 'max clv'],
          ...tiers.tiers.map((row) => [
            row.tier,
            String(row.customers),
            percent(row.customerShare),
            row.value.toFixed(2),
            percent(row.valueShare),
            row.minimumValue === null ? '-' : row.minimumValue.toFixed(2),
            row.maximumValue === null ? '-' : row.maximumValue.toFixed(2),
          ]),
        ],
        { rule: true },
      )}\n`,
    );
    if (out !== undefined) {
      if (out.toLowerCase().endsWith('.json')) {
        await writeFile(
          out,
          `${JSON.stringify({ asOf: summary.asOf, unit, horizon, discountRate, transactions, value, tiers: tiers.tiers, customers: customers.map((row) => ({ ...row, tier: tierOf.get(row.customerId) })) })}\n`,
        );
      } else {
        const columns = [
          'customerId',
          'frequency',
          'recency',
          'T',
          'monetary',
          'probabilityAlive',
          'expectedPurchases',
          'expectedAverageValue',
          'clv',
          'tier',
        ];
        const lines = [csvLine(columns)];
        for (const row of customers) {
          lines.push(
            csvLine([
              row.customerId,
              row.frequency,
              row.recency,
              row.T,
              row.monetary,
              row.probabilityAlive,
              row.expectedPurchases,
              row.expectedAverageValue,
              row.clv,
              tierOf.get(row.customerId) ?? '',
            ]),
          );
        }
        await writeFile(out, `${lines.join('\n')}\n`);
      }
      io.stdout.write(`wrote ${out}\n`);
    }
  },
};
