import { readFile, writeFile } from 'node:fs/promises';
import { readSubscribers } from '../data/read-records.js';
import type { OperatorPlan } from '../data/synthetic/operator-plans.js';
import { csvLine } from '../data/write-csv.js';
import { encodedCallsByChunk } from '../report/sections/calls-by-chunk.js';
import type { Promotion } from '../simulation/promotion.js';
import { runBillCycle } from '../simulation/run-bill-cycle.js';
import { tariffFromOperatorPlan } from '../simulation/tariff-from-operator-plan.js';
import type { TariffPlan } from '../simulation/tariff-plan.js';
import { checkCallSource, engineFlag, withCallSource } from './call-source.js';
import { type CliCommand, integerFlag, stringFlag } from './command.js';
import { textTable } from './text-table.js';
import { UsageError } from './usage-error.js';

/** Parses a JSON file, or throws a usage error naming the flag. */
export async function readJson(path: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--${flag}: cannot read '${path}' (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--${flag}: '${path}' is not JSON (${(error as Error).message})`);
  }
}

function isOperatorPlan(value: unknown): value is OperatorPlan {
  return (
    typeof value === 'object' && value !== null && 'monthlyFeeCents' in value && 'includedMinutes' in value
  );
}

/** Tariff plans from a JSON file: `TariffPlan`s, or the generator's `plans.json` (converted). */
export async function readPlansFile(path: string): Promise<TariffPlan[]> {
  const parsed = await readJson(path, 'plans');
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.map((plan: unknown) =>
    isOperatorPlan(plan) ? tariffFromOperatorPlan(plan) : (plan as TariffPlan),
  );
}

/** Promotions from a JSON file: one promotion or a list. */
export async function readPromotionsFile(path: string, flag: string): Promise<Promotion[]> {
  const parsed = await readJson(path, flag);
  return (Array.isArray(parsed) ? parsed : [parsed]) as Promotion[];
}

const money = (minor: number): string => (minor / 100).toFixed(2);

/** `telco-analytics bill`: rates the CDRs of one cycle and writes the invoice lines. */
export const billCommand: CliCommand = {
  name: 'bill',
  usage: 'bill (--calls FILE | --engine SPEC) --subscribers FILE --plans FILE --period YYYY-MM --out FILE',
  summary:
    "Bill one cycle: rate the CDRs under each subscriber's tariff plan (plans.json of tariff plans, or the generator's plans) and write one CSV row per invoice line; prints the totals by plan.",
  flags: {
    calls: { type: 'string', description: 'calls CSV', placeholder: 'FILE' },
    engine: engineFlag,

    subscribers: { type: 'string', description: 'subscribers CSV (with planId)', placeholder: 'FILE' },
    plans: { type: 'string', description: 'tariff plans JSON', placeholder: 'FILE' },
    period: { type: 'string', description: 'bill cycle, the month it starts in', placeholder: 'YYYY-MM' },
    'cycle-start-day': {
      type: 'string',
      description: 'day of the month cycles start on',
      default: '1',
      placeholder: 'N',
    },
    'band-boundary': {
      type: 'string',
      description: "calls crossing bands: 'start' or 'split'",
      default: 'start',
      placeholder: 'MODE',
    },
    promotions: {
      type: 'string',
      description: 'promotions JSON (one or a list) to apply',
      placeholder: 'FILE',
    },
    out: { type: 'string', description: 'invoice lines CSV to write', placeholder: 'FILE' },
  },
  async run(flags, io) {
    checkCallSource(flags);
    const period = stringFlag(flags, 'period');
    const out = stringFlag(flags, 'out');
    const bandBoundary = flags['band-boundary'];
    if (bandBoundary !== 'start' && bandBoundary !== 'split')
      throw new UsageError(`--band-boundary must be 'start' or 'split', received '${String(bandBoundary)}'`);
    const plans = await readPlansFile(stringFlag(flags, 'plans'));
    const promotions =
      typeof flags.promotions === 'string' ? await readPromotionsFile(flags.promotions, 'promotions') : [];
    const { rows: subscribers } = await readSubscribers(stringFlag(flags, 'subscribers'));
    const calls = await withCallSource(flags, encodedCallsByChunk);
    const bill = runBillCycle({
      calls,
      subscribers,
      plans,
      period,
      promotions,
      cycleStartDay: integerFlag(flags, 'cycle-start-day', 1, 28),
      bandBoundary,
    });
    const lines = [
      csvLine([
        'subscriberId',
        'planId',
        'period',
        'line',
        'kind',
        'description',
        'service',
        'direction',
        'zone',
        'quantity',
        'amount',
      ]),
    ];
    for (const invoice of bill.invoices) {
      invoice.lines.forEach((line, index) => {
        lines.push(
          csvLine([
            invoice.subscriberId,
            invoice.planId,
            period,
            index + 1,
            line.kind,
            line.description,
            line.service,
            line.direction,
            line.zone,
            line.quantity,
            money(line.amount),
          ]),
        );
      });
      lines.push(
        csvLine([
          invoice.subscriberId,
          invoice.planId,
          period,
          invoice.lines.length + 1,
          'total',
          'invoice total',
          '',
          '',
          '',
          '',
          money(invoice.total),
        ]),
      );
    }
    await writeFile(out, `${lines.join('\n')}\n`);
    const table = [['plan', 'invoices', 'fees', 'usage', 'discounts', 'tax', 'total']];
    for (const row of [...bill.totals.byPlan, bill.totals.revenue]) {
      table.push([
        row.key,
        String(row.invoices),
        money(row.fees),
        money(row.usage),
        money(row.discounts),
        money(row.tax),
        money(row.total),
      ]);
    }
    const text = textTable(table);
    io.stdout.write(
      `bill ${bill.periodStart} .. ${bill.periodEnd} (exclusive): ${bill.invoices.length} invoices written to ${out}\n${text}\n`,
    );
  },
};
