import { writeFile } from 'node:fs/promises';
import { readPayments } from '../data/read-records.js';
import { formatDate } from '../data/timestamp.js';
import { csvLine } from '../data/write-csv.js';
import { rfm } from '../rfm/rfm.js';
import type { RfmScoring } from '../rfm/rfm-options.js';
import type { RfmResult } from '../rfm/rfm-result.js';
import type { SegmentPreset } from '../rfm/segment-schemes.js';
import type { SegmentSummary } from '../rfm/segment-summary.js';
import { type CliCommand, integerFlag, stringFlag } from './command.js';
import { textTable } from './text-table.js';
import { UsageError } from './usage-error.js';

const scorings: readonly RfmScoring[] = ['quantile', 'rank', 'rfmPackage'];
const presets: Readonly<Record<string, SegmentPreset>> = { default: 'default', 'rfm-package': 'rfmPackage' };

function choice<T extends string>(
  flags: Readonly<Record<string, string | boolean | undefined>>,
  name: string,
  allowed: readonly T[],
): T {
  const raw = flags[name];
  if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, received '${String(raw)}'`);
}

function formatNumber(value: number | null, digits: number): string {
  return value === null ? '-' : value.toFixed(digits);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** The segment summary as an aligned text table. */
function summaryTable(segments: readonly SegmentSummary[]): string {
  const header = [
    'segment',
    'customers',
    'share',
    'revenue',
    'rev. share',
    'mean R days',
    'mean F',
    'mean M',
  ];
  const rows = segments.map((row) => [
    row.segment,
    String(row.customers),
    percent(row.customerShare),
    row.revenue.toFixed(2),
    percent(row.revenueShare),
    formatNumber(row.meanRecencyDays, 1),
    formatNumber(row.meanFrequency, 2),
    formatNumber(row.meanMonetary, 2),
  ]);
  return `${textTable([header, ...rows], { rule: true })}\n`;
}

function customersCsv(result: RfmResult): string {
  const columns = [
    'customerId',
    'recencyDays',
    'frequency',
    'monetary',
    'r',
    'f',
    'm',
    'cell',
    'score',
    'segment',
  ];
  const lines = [csvLine(columns)];
  for (const row of result.customers) {
    lines.push(
      csvLine([
        row.customerId,
        row.recencyDays,
        row.frequency,
        row.monetary,
        row.r,
        row.f,
        row.m,
        row.cell,
        row.score,
        row.segment,
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `telco-analytics rfm`: scores the customers of a payments file and prints the segment summary. */
export const rfmCommand: CliCommand = {
  name: 'rfm',
  usage: 'rfm --payments FILE [--as-of DATE] [--bins 5] [--scoring quantile] [--out FILE.csv|FILE.json]',
  summary:
    'Score customers by recency, frequency and monetary value from a payments CSV (customerId,date,amount) and print the segment summary.',
  flags: {
    payments: {
      type: 'string',
      description: 'payments CSV with columns customerId,date,amount',
      placeholder: 'FILE',
    },
    'as-of': {
      type: 'string',
      description: 'analysis date (default: the day after the latest payment)',
      placeholder: 'DATE',
    },
    bins: { type: 'string', description: 'scores per measure (2..9)', default: '5', placeholder: 'N' },
    scoring: {
      type: 'string',
      description: 'quantile, rank or rfmPackage (R rfm package rule)',
      default: 'quantile',
      placeholder: 'RULE',
    },
    frequency: {
      type: 'string',
      description: 'events, activeDays or activeMonths',
      default: 'events',
      placeholder: 'MEASURE',
    },
    monetary: { type: 'string', description: 'sum or mean', default: 'sum', placeholder: 'MEASURE' },
    segments: {
      type: 'string',
      description: 'segment scheme: default or rfm-package',
      default: 'default',
      placeholder: 'SCHEME',
    },
    out: {
      type: 'string',
      description: 'write the scored customers (.csv) or the whole result (.json)',
      placeholder: 'FILE',
    },
  },
  async run(flags, io) {
    const path = stringFlag(flags, 'payments');
    const bins = integerFlag(flags, 'bins', 2, 9);
    const scoring = choice(flags, 'scoring', scorings);
    const frequency = choice(flags, 'frequency', ['events', 'activeDays', 'activeMonths'] as const);
    const monetary = choice(flags, 'monetary', ['sum', 'mean'] as const);
    const scheme = choice(flags, 'segments', Object.keys(presets));
    const out = typeof flags.out === 'string' ? flags.out : undefined;
    if (out !== undefined && !/\.(csv|json)$/i.test(out))
      throw new UsageError(`--out must end in .csv or .json, received '${out}'`);
    const asOf = typeof flags['as-of'] === 'string' ? flags['as-of'] : undefined;
    const { rows } = await readPayments(path);
    const result = rfm(rows, {
      asOf,
      bins,
      scoring,
      frequency,
      monetary,
      segments: presets[scheme],
      otherSegment: scheme === 'rfm-package' ? 'Others' : undefined,
    });
    io.stdout.write(
      `${result.customers.length} customers scored as of ${formatDate(result.asOf)} (${result.scoring}, ${result.bins} bins)\n\n`,
    );
    io.stdout.write(summaryTable(result.segments));
    const { breakpoints, collapsedBins } = result;
    io.stdout.write(
      `\nbreakpoints (${breakpoints.closed}-closed): recency days ${breakpoints.recency.join(' | ')}; frequency ${breakpoints.frequency.join(' | ')}; monetary ${breakpoints.monetary.join(' | ')}\n`,
    );
    const collapsed = (['recency', 'frequency', 'monetary'] as const)
      .filter((measure) => collapsedBins[measure].length > 0)
      .map((measure) => `${measure} ${collapsedBins[measure].join(', ')}`);
    if (collapsed.length > 0)
      io.stdout.write(`collapsed bins (scores nobody received, from ties): ${collapsed.join('; ')}\n`);
    if (out !== undefined) {
      await writeFile(
        out,
        out.toLowerCase().endsWith('.json') ? `${JSON.stringify(result)}\n` : customersCsv(result),
      );
      io.stdout.write(`wrote ${out}\n`);
    }
  },
};
