import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parse } from 'csv-parse';
import {
  type AssociationRule,
  associationRules,
  type BasketGrouping,
  type FrequentItemsets,
  fpGrowth,
} from '../association/index.js';
import { readSubscribers } from '../data/read-records.js';
import { csvLine } from '../data/write-csv.js';
import { engineFlag, withCallSource } from './call-source.js';
import { type CliCommand, integerFlag, numberFlag } from './command.js';
import { UsageError } from './usage-error.js';

/** Baskets from a file, one per line, items separated by commas; re-readable, so FP-growth streams it twice. */
function basketFile(path: string): AsyncIterable<readonly string[]> {
  return {
    async *[Symbol.asyncIterator]() {
      const input = createReadStream(path);
      const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
      // pipe() does not forward a read error (a missing file); without this the parser would wait forever.
      input.on('error', (error) => parser.destroy(error));
      input.pipe(parser);
      for await (const record of parser) yield (record as string[]).filter((item) => item.length > 0);
    },
  };
}

const ruleColumns = [
  'antecedent',
  'consequent',
  'count',
  'support',
  'confidence',
  'lift',
  'leverage',
  'conviction',
  'zhang',
  'jaccard',
  'certainty',
  'kulczynski',
  'antecedentSupport',
  'consequentSupport',
  'fisherPValue',
] as const;

function rulesToCsv(rules: readonly AssociationRule[]): string {
  const lines = [csvLine(ruleColumns)];
  for (const rule of rules) {
    lines.push(
      csvLine(
        ruleColumns.map((column) =>
          column === 'antecedent' || column === 'consequent' ? rule[column].join(' & ') : rule[column],
        ),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

function formatRule(rule: AssociationRule): string {
  const fixed = (value: number, digits: number): string =>
    Number.isFinite(value) ? value.toFixed(digits) : 'inf';
  return `{${rule.antecedent.join(', ')}} => {${rule.consequent.join(', ')}}  support ${fixed(rule.support, 4)}  confidence ${fixed(rule.confidence, 3)}  lift ${fixed(rule.lift, 2)}`;
}

/** `telco-analytics rules`: mines association rules from CDRs or a basket file. */
export const rulesCommand: CliCommand = {
  name: 'rules',
  usage:
    'rules (--calls FILE | --engine SPEC [--subscribers FILE] [--by subscriber] | --baskets FILE) [--min-support 0.01] [--min-confidence 0.5] [--out FILE]',
  summary:
    'Mine association rules (FP-growth) from call detail records itemised into usage baskets, or from a basket file; writes rules as CSV (or JSON for a .json file) or prints the strongest by lift.',
  flags: {
    calls: { type: 'string', description: 'calls CSV (as written by generate)', placeholder: 'FILE' },
    engine: engineFlag,

    subscribers: {
      type: 'string',
      description: 'subscribers CSV: plan, region and age become items',
      placeholder: 'FILE',
    },
    by: {
      type: 'string',
      description: 'basket per subscriber, subscriber-month or subscriber-day',
      default: 'subscriber',
      placeholder: 'GROUPING',
    },
    baskets: {
      type: 'string',
      description: 'one basket per line, items comma-separated (blank lines skipped)',
      placeholder: 'FILE',
    },
    'min-support': {
      type: 'string',
      description: 'minimum support (share of baskets)',
      default: '0.01',
      placeholder: 'SHARE',
    },
    'min-confidence': {
      type: 'string',
      description: 'minimum confidence',
      default: '0.5',
      placeholder: 'SHARE',
    },
    'min-lift': { type: 'string', description: 'minimum lift', default: '0', placeholder: 'LIFT' },
    'max-length': { type: 'string', description: 'largest itemset mined', default: '10', placeholder: 'N' },
    'max-consequent': { type: 'string', description: 'largest consequent', default: '1', placeholder: 'N' },
    consequent: {
      type: 'string',
      description: 'only these items as consequents (comma-separated)',
      placeholder: 'ITEMS',
    },
    'prune-redundant': { type: 'boolean', description: 'drop rules a more general rule matches or beats' },
    fisher: { type: 'boolean', description: 'add the Fisher exact test p-value' },
    top: {
      type: 'string',
      description: 'rules printed when no --out is given',
      default: '20',
      placeholder: 'N',
    },
    out: {
      type: 'string',
      description: 'output file: CSV, or JSON when it ends in .json',
      placeholder: 'FILE',
    },
  },
  async run(flags, io) {
    const fromCalls = typeof flags.calls === 'string' || typeof flags.engine === 'string';
    const basketsPath = typeof flags.baskets === 'string' ? flags.baskets : undefined;
    if (fromCalls === (basketsPath !== undefined)) {
      throw new UsageError('give exactly one of --calls FILE, --engine SPEC or --baskets FILE');
    }
    if (basketsPath !== undefined && flags.subscribers !== undefined) {
      throw new UsageError('--subscribers goes with --calls or --engine, not --baskets');
    }
    const by = String(flags.by);
    if (by !== 'subscriber' && by !== 'subscriber-month' && by !== 'subscriber-day') {
      throw new UsageError(`--by must be subscriber, subscriber-month or subscriber-day, received '${by}'`);
    }
    const mining = {
      minSupport: numberFlag(flags, 'min-support', Number.MIN_VALUE, 1),
      maxLength: integerFlag(flags, 'max-length', 1, 1000),
    };
    const consequent =
      typeof flags.consequent === 'string'
        ? {
            only: flags.consequent
              .split(',')
              .map((item) => item.trim())
              .filter((item) => item.length > 0),
          }
        : undefined;
    const ruleOptions = {
      minConfidence: numberFlag(flags, 'min-confidence', 0, 1),
      minLift: numberFlag(flags, 'min-lift', 0, Number.MAX_VALUE),
      maxConsequent: integerFlag(flags, 'max-consequent', 1, 1000),
      pruneRedundant: flags['prune-redundant'] === true,
      fisherTest: flags.fisher === true,
      consequent,
    };
    const out = typeof flags.out === 'string' ? flags.out : undefined;
    const top = out === undefined ? integerFlag(flags, 'top', 1, 1_000_000) : 0;
    let itemsets: FrequentItemsets;
    if (fromCalls) {
      const subscribers =
        typeof flags.subscribers === 'string' ? (await readSubscribers(flags.subscribers)).rows : undefined;
      const baskets = await withCallSource(flags, (calls) =>
        calls.callBaskets({ by: by as BasketGrouping, ...(subscribers ? { subscribers } : {}) }),
      );
      itemsets = fpGrowth(
        baskets.map((basket) => basket.items),
        mining,
      );
    } else {
      itemsets = await fpGrowth(basketFile(basketsPath!), mining);
    }
    const rules = associationRules(itemsets, ruleOptions);
    const summary = `${itemsets.transactionCount} baskets, ${itemsets.itemsets.length} frequent itemsets, ${rules.length} rules`;
    if (out === undefined) {
      io.stdout.write(`${summary}\n`);
      for (const rule of rules.slice(0, top)) io.stdout.write(`${formatRule(rule)}\n`);
      return;
    }
    const text = out.endsWith('.json')
      ? `${JSON.stringify(
          rules.map((rule) => ({
            ...rule,
            conviction: Number.isFinite(rule.conviction) ? rule.conviction : 'Infinity',
          })),
          null,
          2,
        )}\n`
      : rulesToCsv(rules);
    await writeFile(out, text);
    io.stdout.write(`${summary}; wrote ${out}\n`);
  },
};
