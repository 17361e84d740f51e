import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generateOperator, OptionError, readOperatorFiles } from '../data/index.js';
import { parseEngineFlag } from '../engine/index.js';
import { buildReport } from '../report/build-report.js';
import { type OperatorReport, operatorReport } from '../report/operator-report.js';
import { withCallSource } from './call-source.js';
import { type CliCommand, integerFlag, stringFlag } from './command.js';

/** `telco-analytics demo`: the main job — generate the operator, run every analysis, write the HTML report. */
export const demoCommand: CliCommand = {
  name: 'demo',
  usage:
    'demo [--subscribers N] [--months N] [--seed N] [--engine duckdb:FILE_OR_GLOB|clickhouse:URL [--data DIR]] [--out report.html]',
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
    engine: {
      type: 'string',
      description:
        'take the CDRs from an engine instead of generating them: duckdb:FILE_OR_GLOB (CSV or Parquet) or clickhouse:URL[?table=calls&database=...]; aggregations run there, per-subscriber work streams subscriber chunks',
      placeholder: 'SPEC',
    },
    data: {
      type: 'string',
      description:
        "with --engine: the folder `generate` wrote (subscribers.csv, payments.csv, plans.json, truth.json); default: the CDR file's folder for duckdb",
      placeholder: 'DIR',
    },
    out: {
      type: 'string',
      description: 'the HTML report to write',
      default: 'report.html',
      placeholder: 'FILE',
    },
  },
  async run(flags, io) {
    const out = stringFlag(flags, 'out');
    const started = Date.now();
    const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
    const onStep = (step: string, index: number, total: number) =>
      io.stderr.write(`[${index + 1}/${total}] ${step} (${elapsed()})\n`);
    const seed = integerFlag(flags, 'seed', 0, Number.MAX_SAFE_INTEGER);
    let report: OperatorReport;
    let subtitle: string;
    if (flags.engine === undefined) {
      const subscribers = integerFlag(flags, 'subscribers', 200, 1_000_000);
      const months = integerFlag(flags, 'months', 4, 60);
      io.stderr.write(`generating ${subscribers} subscribers x ${months} months (seed ${seed})\n`);
      const operator = generateOperator({ subscribers, months, seed });
      report = await operatorReport(operator, { seed, onStep });
      subtitle = `Synthetic operator: ${subscribers.toLocaleString('en-US')} subscribers, ${months} months from ${operator.start}, seed ${seed}`;
    } else {
      const spec = parseEngineFlag(String(flags.engine));
      const folder =
        flags.data === undefined
          ? typeof spec.source === 'string'
            ? dirname(spec.source)
            : undefined
          : String(flags.data);
      if (folder === undefined)
        throw new OptionError(
          'demo',
          'data',
          'is required with a clickhouse engine: the folder `generate` wrote',
        );
      const operator = await readOperatorFiles(folder);
      io.stderr.write(
        `CDRs from ${spec.options.kind} (${typeof spec.source === 'string' ? spec.source : spec.source.table}); subscribers, payments and truth from ${folder}\n`,
      );
      report = await withCallSource(flags, (calls) => operatorReport(operator, { seed, onStep, calls }));
      subtitle = `Synthetic operator: ${operator.subscribers.length.toLocaleString('en-US')} subscribers, ${operator.months} months from ${operator.start}, seed ${seed}; CDRs aggregated in ${spec.options.kind}`;
    }
    const html = await buildReport(report.sections, { title: 'Operator analytics report', subtitle });
    await writeFile(out, html);
    for (const line of report.summary) io.stdout.write(`${line.step}: ${line.summary}\n`);
    io.stdout.write(`report written to ${out} (${elapsed()})\n`);
  },
};
