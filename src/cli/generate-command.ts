import { streamOperator } from '../data/synthetic/generate-operator.js';
import { writeOperatorFiles } from '../data/synthetic/write-operator-files.js';
import { type CliCommand, integerFlag, stringFlag } from './command.js';
import { createProgress } from './progress.js';

/** `telco-analytics generate`: writes the seeded synthetic operator to a folder. */
export const generateCommand: CliCommand = {
  name: 'generate',
  usage: 'generate [--subscribers N] [--months N] [--seed N] --out DIR',
  summary:
    'Generate a seeded synthetic mobile operator: subscribers.csv, calls.csv, payments.csv, plans.json and truth.json (the planted segments, churners and fraud).',
  flags: {
    subscribers: { type: 'string', description: 'number of subscribers', default: '2000', placeholder: 'N' },
    months: { type: 'string', description: 'months of usage', default: '3', placeholder: 'N' },
    seed: {
      type: 'string',
      description: 'random seed (same seed, identical files)',
      default: '42',
      placeholder: 'N',
    },
    start: {
      type: 'string',
      description: 'first day of the period (first of a month)',
      default: '2024-01-01',
      placeholder: 'DATE',
    },
    'churn-rate': {
      type: 'string',
      description: 'expected share of churners',
      default: '0.15',
      placeholder: 'SHARE',
    },
    out: { type: 'string', description: 'output folder (created if missing)', placeholder: 'DIR' },
  },
  async run(flags, io) {
    const churnRate = Number(flags['churn-rate']);
    const operator = streamOperator({
      subscribers: integerFlag(flags, 'subscribers', 1, 50_000_000),
      months: integerFlag(flags, 'months', 1, 120),
      seed: integerFlag(flags, 'seed', 0, Number.MAX_SAFE_INTEGER),
      start: String(flags.start),
      churnRate: Number.isFinite(churnRate) ? churnRate : Number.NaN,
    });
    const out = stringFlag(flags, 'out');
    const progress = createProgress(io.stderr, 'generate');
    const summary = await writeOperatorFiles(operator, out, { onProgress: progress.update });
    progress.finish();
    io.stdout.write(
      `wrote ${summary.subscribers} subscribers, ${summary.calls} calls, ${summary.payments} payments to ${summary.directory}\n`,
    );
  },
};
