import { writeFile } from 'node:fs/promises';
import { generateOperator } from '../data/index.js';
import { buildReport } from '../report/build-report.js';
import { operatorReport } from '../report/operator-report.js';
import { type CliCommand, integerFlag, stringFlag } from './command.js';

/** `telco-analytics demo`: the main job — generate the operator, run every analysis, write the HTML report. */
export const demoCommand: CliCommand = {
  name: 'demo',
  usage: 'demo [--subscribers N] [--months N] [--seed N] [--out report.html]',
  summary:
    'Run the whole analysis on the seeded synthetic operator (segmentation, churn, association rules, ...) and write one self-contained HTML report.',
  flags: {
    subscribers: { type: 'string', description: 'number of subscribers', default: '5000', placeholder: 'N' },
    months: {
      type: 'string',
      description: 'months of usage (at least 4: churn looks back 3 months)',
      default: '6',
      placeholder: 'N',
    },
    seed: {
      type: 'string',
      description: 'seed of the data and of every model',
      default: '42',
      placeholder: 'N',
    },
    out: {
      type: 'string',
      description: 'the HTML report to write',
      default: 'report.html',
      placeholder: 'FILE',
    },
  },
  async run(flags, io) {
    const subscribers = integerFlag(flags, 'subscribers', 200, 1_000_000);
    const months = integerFlag(flags, 'months', 4, 60);
    const seed = integerFlag(flags, 'seed', 0, Number.MAX_SAFE_INTEGER);
    const out = stringFlag(flags, 'out');
    const started = Date.now();
    const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
    io.stderr.write(`generating ${subscribers} subscribers x ${months} months (seed ${seed})\n`);
    const operator = generateOperator({ subscribers, months, seed });
    const report = await operatorReport(operator, {
      seed,
      onStep: (step, index, total) => io.stderr.write(`[${index + 1}/${total}] ${step} (${elapsed()})\n`),
    });
    const html = await buildReport(report.sections, {
      title: 'Operator analytics report',
      subtitle: `Synthetic operator: ${subscribers.toLocaleString('en-US')} subscribers, ${months} months from ${operator.start}, seed ${seed}`,
    });
    await writeFile(out, html);
    for (const { step, summary } of report.summary) io.stdout.write(`${step}: ${summary}\n`);
    io.stdout.write(`report written to ${out} (${elapsed()})\n`);
  },
};
