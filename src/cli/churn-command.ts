import { readFile, writeFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { type ChurnModel, predictChurn, trainChurnModel } from '../churn/churn-model.js';
import { churnRiskList } from '../churn/churn-risk-list.js';
import { isMissing, parseBoolean, parseNumber } from '../churn/encode-features.js';
import { evaluateClassifier } from '../churn/evaluate-classifier.js';
import type { FeatureRow, FeatureSpec } from '../churn/feature-row.js';
import { loadModel, saveModel } from '../churn/model-file.js';
import { trainTestSplit } from '../churn/train-test-split.js';
import { csvLine } from '../data/write-csv.js';
import {
  type CliCommand,
  type CliIo,
  commandHelp,
  integerFlag,
  parseCommandFlags,
  stringFlag,
} from './command.js';
import { UsageError } from './usage-error.js';

type Flags = Readonly<Record<string, string | boolean | undefined>>;

async function readRows(path: string): Promise<Record<string, string>[]> {
  const text = await readFile(path, 'utf8');
  return parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
}

/**
 * Feature types from the data: all-numeric columns numeric, yes/no columns boolean, columns with up to
 * 50 distinct values categorical; identifier-like columns (more distinct values) are left out.
 */
export function inferFeatures(
  rows: readonly Record<string, string>[],
  exclude: readonly string[],
): FeatureSpec[] {
  const first = rows[0];
  if (first === undefined) throw new UsageError('--data has no rows');
  const spec: FeatureSpec[] = [];
  for (const name of Object.keys(first)) {
    if (exclude.includes(name)) continue;
    const values = rows.map((row) => row[name]).filter((value) => !isMissing(value));
    const missing = values.length < rows.length ? 'impute' : 'error';
    if (values.length === 0) continue;
    if (values.every((value) => Number.isFinite(parseNumber(value)))) {
      const distinct = new Set(values);
      if (distinct.size === 2 && values.every((value) => value === '0' || value === '1'))
        spec.push({ name, type: 'boolean', missing });
      else spec.push({ name, type: 'numeric', standardise: true, missing });
    } else if (values.every((value) => parseBoolean(value) !== undefined)) {
      spec.push({ name, type: 'boolean', missing });
    } else if (new Set(values).size <= 50) {
      spec.push({ name, type: 'categorical', missing, unseen: 'reference' });
    }
  }
  return spec;
}

function parseFeatureFlag(text: string): FeatureSpec[] {
  return text.split(',').map((item) => {
    const [name, type = 'numeric'] = item.split(':').map((part) => part.trim());
    if (!name) throw new UsageError(`--features: empty feature name in '${text}'`);
    if (type === 'numeric') return { name, type: 'numeric', standardise: true };
    if (type === 'categorical') return { name, type: 'categorical', unseen: 'reference' };
    if (type === 'boolean') return { name, type: 'boolean' };
    throw new UsageError(
      `--features: type of '${name}' must be numeric, categorical or boolean, received '${type}'`,
    );
  });
}

function fixed(value: number, digits = 4): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

function printMetrics(
  io: CliIo,
  label: string,
  yTrue: readonly FeatureRow[],
  target: string,
  probabilities: Float64Array,
): void {
  const evaluation = evaluateClassifier(
    yTrue.map((row) => parseBoolean(row[target]) ?? Number.NaN),
    probabilities,
  );
  io.stdout.write(
    `${label}: rows ${evaluation.count}, churners ${evaluation.churners}, ROC AUC ${fixed(evaluation.rocAuc)}, average precision ${fixed(evaluation.averagePrecision)}, log loss ${fixed(evaluation.logLoss)}, Brier ${fixed(evaluation.brier)}, accuracy@0.5 ${fixed(evaluation.accuracy)}, best F1 ${fixed(evaluation.bestThreshold.value)} at ${fixed(evaluation.bestThreshold.threshold)}\n`,
  );
}

function printModel(io: CliIo, model: ChurnModel): void {
  const inner = model.model;
  if (inner.kind === 'logistic') {
    io.stdout.write(`${inner.formula}\n\n`);
    const header = `${'term'.padEnd(40)}${'estimate'.padStart(12)}${'std error'.padStart(12)}${'z'.padStart(9)}${'p-value'.padStart(12)}${'odds ratio'.padStart(12)}\n`;
    io.stdout.write(header);
    for (const c of [inner.intercept, ...inner.coefficients]) {
      io.stdout.write(
        `${c.name.padEnd(40)}${fixed(c.estimate).padStart(12)}${fixed(c.stdError).padStart(12)}${fixed(c.z, 2).padStart(9)}${c.pValue.toExponential(2).padStart(12)}${fixed(c.oddsRatio).padStart(12)}\n`,
      );
    }
    io.stdout.write(
      `\nnull deviance ${fixed(inner.nullDeviance, 2)}, residual deviance ${fixed(inner.residualDeviance, 2)}, AIC ${fixed(inner.aic, 2)}, McFadden R² ${fixed(inner.mcFaddenR2)}, ${inner.iterations} iterations\n`,
    );
  } else {
    const last = inner.history.at(-1);
    io.stdout.write(
      `neural network ${[inner.featureNames.length, ...inner.hidden, 1].join('-')} on backend ${inner.backend}: ${inner.epochsRun} epochs, kept epoch ${inner.bestEpoch}, last loss ${fixed(last?.loss ?? Number.NaN)}${last?.validationLoss === undefined ? '' : `, validation loss ${fixed(last.validationLoss)}`}\n`,
    );
  }
}

const trainCommand: CliCommand = {
  name: 'churn train',
  usage: 'churn train --data FILE --target COLUMN [--model logistic|neural] [--seed N] --out model.json',
  summary:
    'Train a churn model on a CSV file: a seeded stratified split holds out --test-fraction of the rows, the model is trained on the rest, the coefficient table (logistic) or training summary (neural) and the held-out metrics are printed, and the model is written as JSON (same data and seed, byte-identical file).',
  flags: {
    data: { type: 'string', description: 'CSV file with a header row', placeholder: 'FILE' },
    target: {
      type: 'string',
      description: 'the 0/1 or yes/no column to predict',
      default: 'churned',
      placeholder: 'COLUMN',
    },
    model: { type: 'string', description: 'logistic or neural', default: 'logistic', placeholder: 'KIND' },
    features: {
      type: 'string',
      description: 'name:type,... (numeric|categorical|boolean); inferred when absent',
      placeholder: 'LIST',
    },
    id: {
      type: 'string',
      description: 'identifier column, never a feature',
      default: 'subscriberId',
      placeholder: 'COLUMN',
    },
    seed: {
      type: 'string',
      description: 'random seed of the split and the neural model',
      default: '42',
      placeholder: 'N',
    },
    'test-fraction': {
      type: 'string',
      description: 'share of rows held out for the metrics (0 to train on all)',
      default: '0.3',
      placeholder: 'SHARE',
    },
    epochs: { type: 'string', description: 'neural model: training epochs', default: '30', placeholder: 'N' },
    backend: {
      type: 'string',
      description: 'neural model: auto, tensorflow, wasm or cpu',
      default: 'auto',
      placeholder: 'NAME',
    },
    out: { type: 'string', description: 'where to write the model JSON', placeholder: 'FILE' },
  },
  async run(flags: Flags, io: CliIo) {
    const rows = await readRows(stringFlag(flags, 'data'));
    const target = stringFlag(flags, 'target');
    const out = stringFlag(flags, 'out');
    const kind = String(flags.model);
    if (kind !== 'logistic' && kind !== 'neural')
      throw new UsageError(`--model must be logistic or neural, received '${kind}'`);
    const seed = integerFlag(flags, 'seed', 0, Number.MAX_SAFE_INTEGER);
    const testFraction = Number(flags['test-fraction']);
    if (!(testFraction >= 0 && testFraction < 1))
      throw new UsageError(`--test-fraction must be in [0, 1), received '${String(flags['test-fraction'])}'`);
    if (rows[0] !== undefined && !(target in rows[0]))
      throw new UsageError(`--target '${target}' is not a column of --data`);
    const features =
      typeof flags.features === 'string'
        ? parseFeatureFlag(flags.features)
        : inferFeatures(rows, [target, String(flags.id)]);
    const split =
      testFraction > 0 ? trainTestSplit(rows, { testFraction, seed, stratify: target }) : undefined;
    const trainRows = split?.trainRows ?? rows;
    const backend = String(flags.backend);
    if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(backend))
      throw new UsageError(`--backend must be auto, tensorflow, wasm or cpu, received '${backend}'`);
    const model =
      kind === 'neural'
        ? await trainChurnModel(trainRows, {
            target,
            features,
            kind: 'neural',
            seed,
            epochs: integerFlag(flags, 'epochs', 1, 100_000),
            backend: backend as 'auto',
            onEpoch: () => {},
          })
        : await trainChurnModel(trainRows, { target, features });
    printModel(io, model);
    printMetrics(io, 'training', trainRows, target, predictChurn(model, trainRows));
    if (split) printMetrics(io, 'held out', split.testRows, target, predictChurn(model, split.testRows));
    await writeFile(out, saveModel(model));
    io.stdout.write(`wrote ${out}\n`);
  },
};

const scoreCommand: CliCommand = {
  name: 'churn score',
  usage: 'churn score --model model.json --data FILE --out scores.csv',
  summary:
    'Score every row of a CSV file with a saved churn model: writes id, probability, risk band and the top three reasons, highest risk first.',
  flags: {
    model: { type: 'string', description: 'model JSON from churn train', placeholder: 'FILE' },
    data: { type: 'string', description: 'CSV file with the model features', placeholder: 'FILE' },
    id: { type: 'string', description: 'identifier column', default: 'subscriberId', placeholder: 'COLUMN' },
    out: { type: 'string', description: 'CSV file to write', placeholder: 'FILE' },
  },
  async run(flags: Flags, io: CliIo) {
    const model = loadModel(await readFile(stringFlag(flags, 'model'), 'utf8'));
    const rows = await readRows(stringFlag(flags, 'data'));
    const out = stringFlag(flags, 'out');
    const list = churnRiskList(model, rows, { idColumn: String(flags.id) });
    const lines = [csvLine([String(flags.id), 'probability', 'band', 'reason1', 'reason2', 'reason3'])];
    for (const item of list)
      lines.push(csvLine([item.subscriberId, item.probability, item.band, ...item.reasons]));
    await writeFile(out, `${lines.join('\n')}\n`);
    const high = list.filter((item) => item.band === 'high').length;
    io.stdout.write(`scored ${list.length} rows (${high} high risk) to ${out}\n`);
  },
};

const evaluateCommand: CliCommand = {
  name: 'churn evaluate',
  usage: 'churn evaluate --model model.json --data FILE [--target COLUMN] [--threshold P]',
  summary:
    'Evaluate a saved churn model on a labelled CSV file: ROC AUC, average precision, log loss, Brier, confusion matrix, deciles and calibration.',
  flags: {
    model: { type: 'string', description: 'model JSON from churn train', placeholder: 'FILE' },
    data: { type: 'string', description: 'labelled CSV file', placeholder: 'FILE' },
    target: {
      type: 'string',
      description: 'label column (default: the model target)',
      placeholder: 'COLUMN',
    },
    threshold: {
      type: 'string',
      description: 'probability threshold of the confusion matrix',
      default: '0.5',
      placeholder: 'P',
    },
  },
  async run(flags: Flags, io: CliIo) {
    const model = loadModel(await readFile(stringFlag(flags, 'model'), 'utf8'));
    const rows = await readRows(stringFlag(flags, 'data'));
    const target = typeof flags.target === 'string' ? flags.target : model.target;
    const threshold = Number(flags.threshold);
    const evaluation = evaluateClassifier(
      rows.map((row) => parseBoolean(row[target]) ?? Number.NaN),
      predictChurn(model, rows),
      { threshold },
    );
    const c = evaluation.confusion;
    io.stdout.write(
      `rows ${evaluation.count}, churners ${evaluation.churners}\nROC AUC ${fixed(evaluation.rocAuc)}\naverage precision ${fixed(evaluation.averagePrecision)}\nlog loss ${fixed(evaluation.logLoss)}\nBrier ${fixed(evaluation.brier)}\n` +
        `at ${threshold}: accuracy ${fixed(evaluation.accuracy)}, precision ${fixed(evaluation.precision)}, recall ${fixed(evaluation.recall)}, F1 ${fixed(evaluation.f1)} (TP ${c.truePositive}, FP ${c.falsePositive}, TN ${c.trueNegative}, FN ${c.falseNegative})\n` +
        `best F1 ${fixed(evaluation.bestThreshold.value)} at threshold ${fixed(evaluation.bestThreshold.threshold)}\n\ndecile  churn rate  lift  cumulative gain\n`,
    );
    for (const d of evaluation.deciles) {
      io.stdout.write(
        `${String(d.decile).padStart(6)}  ${fixed(d.churnRate).padStart(10)}  ${fixed(d.lift, 2).padStart(4)}  ${fixed(d.cumulativeGain).padStart(15)}\n`,
      );
    }
  },
};

const subcommands: readonly CliCommand[] = [trainCommand, scoreCommand, evaluateCommand];

/**
 * `telco-analytics churn train|score|evaluate`. The generic `CliCommand` parses flags before `run`
 * and rejects positional arguments, so it cannot carry subcommands: `runArgv(argv, io)` takes the
 * argv after `churn` and dispatches itself (runCli should call it for this command), and
 * `subcommands` lists the three for help and tests.
 */
export const churnCommand: CliCommand & {
  readonly subcommands: readonly CliCommand[];
  runArgv(argv: readonly string[], io: CliIo): Promise<void>;
} = {
  name: 'churn',
  usage: 'churn <train|score|evaluate> [options]',
  summary:
    'Train, score and evaluate churn models (logistic regression with its statistics, or a neural network). Subcommands: train, score, evaluate.',
  flags: {},
  subcommands,
  async run(_flags: Flags, io: CliIo) {
    io.stdout.write(
      `Usage: telco-analytics churn <train|score|evaluate> [options]\n\n${subcommands.map((command) => `  ${command.name.padEnd(16)}${command.summary.split('. ')[0]}`).join('\n')}\n`,
    );
  },
  async runArgv(argv: readonly string[], io: CliIo) {
    const [name, ...rest] = argv;
    const command = subcommands.find((candidate) => candidate.name === `churn ${name}`);
    if (command === undefined) {
      if (name === undefined || name === '--help') return this.run({}, io);
      throw new UsageError(`unknown churn subcommand '${name}' (use train, score or evaluate)`);
    }
    const flags = parseCommandFlags(command, rest);
    if (flags.help === true) {
      io.stdout.write(commandHelp(command));
      return;
    }
    await command.run(flags, io);
  },
};
