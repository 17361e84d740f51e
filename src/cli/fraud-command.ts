import { readFile, writeFile } from 'node:fs/promises';
import { readPayments, readSubscribers } from '../data/read-records.js';
import { formatTimestamp } from '../data/timestamp.js';
import { csvLine } from '../data/write-csv.js';
import type { FraudRule } from '../fraud/fraud-rule.js';
import { validateRules } from '../fraud/fraud-rule.js';
import { standardRules } from '../fraud/standard-rules.js';
import { fraudAlertsByChunk } from '../report/sections/calls-by-chunk.js';
import { checkCallSource, engineFlag, withCallSource } from './call-source.js';
import { type CliCommand, stringFlag } from './command.js';
import { UsageError } from './usage-error.js';

async function loadRules(path: string): Promise<readonly FraudRule[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--rules ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problem = validateRules(parsed)[0];
  if (problem !== undefined) {
    const name =
      problem.ruleId === null ? `rules[${problem.rule}]` : `rules[${problem.rule}] '${problem.ruleId}'`;
    throw new UsageError(`--rules ${path}: ${name} at '${problem.path || '(rule)'}': ${problem.reason}`);
  }
  return parsed as FraudRule[];
}

/** `telco-analytics fraud`: evaluates a fraud/arrears rule base over a calls file and writes the alerts. */
export const fraudCommand: CliCommand = {
  name: 'fraud',
  usage:
    'fraud (--calls FILE | --engine SPEC) [--rules rules.json] [--subscribers FILE] [--payments FILE] --out alerts.csv',
  summary:
    'Evaluate fraud and arrears rules (the starter rule base, or a JSON rule file) over CDRs and write one alert per subscriber, rule and window occurrence.',
  flags: {
    calls: { type: 'string', description: 'calls CSV', placeholder: 'FILE' },
    engine: engineFlag,

    rules: {
      type: 'string',
      description:
        'rules JSON (an array of { id, description, severity, window, when }); default: the starter rules',
      placeholder: 'FILE',
    },
    subscribers: {
      type: 'string',
      description: 'subscribers CSV (arrearsDays, activationDate)',
      placeholder: 'FILE',
    },
    payments: { type: 'string', description: 'payments CSV (for unpaidBalance)', placeholder: 'FILE' },
    out: { type: 'string', description: 'alerts CSV to write', placeholder: 'FILE' },
  },
  async run(flags, io) {
    checkCallSource(flags);
    const out = stringFlag(flags, 'out');
    const rules = typeof flags.rules === 'string' ? await loadRules(flags.rules) : standardRules;
    const subscribers =
      typeof flags.subscribers === 'string' ? (await readSubscribers(flags.subscribers)).rows : undefined;
    const payments =
      typeof flags.payments === 'string' ? (await readPayments(flags.payments)).rows : undefined;
    const { alerts, callCount } = await withCallSource(flags, (calls) =>
      fraudAlertsByChunk(calls, rules, { subscribers, payments }),
    );
    const lines = [
      csvLine([
        'subscriberId',
        'ruleId',
        'severity',
        'department',
        'window',
        'windowStart',
        'windowEnd',
        'evidence',
      ]),
    ];
    for (const alert of alerts) {
      lines.push(
        csvLine([
          alert.subscriberId,
          alert.ruleId,
          alert.severity,
          alert.department,
          alert.window,
          formatTimestamp(alert.windowStart),
          formatTimestamp(alert.windowEnd),
          JSON.stringify(alert.evidence),
        ]),
      );
    }
    await writeFile(out, `${lines.join('\n')}\n`);
    const counts = new Map<string, number>();
    for (const alert of alerts) counts.set(alert.ruleId, (counts.get(alert.ruleId) ?? 0) + 1);
    const byRule = [...counts].map(([rule, count]) => `${rule} ${count}`).join(', ');
    io.stdout.write(
      `wrote ${alerts.length} alerts${byRule ? ` (${byRule})` : ''} for ${callCount} calls to ${out}\n`,
    );
  },
};
