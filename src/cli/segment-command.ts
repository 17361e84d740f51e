import { readFile, writeFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { DataError } from '../data/errors.js';
import { csvLine } from '../data/write-csv.js';
import { evaluateK } from '../segmentation/evaluate-k.js';
import { applyScaler, type FeatureScaler, fitScaler } from '../segmentation/feature-scaler.js';
import { kmeans } from '../segmentation/kmeans.js';
import { profileSegments } from '../segmentation/profile-segments.js';
import type { SegmentModel } from '../segmentation/segment-model.js';
import { suggestK } from '../segmentation/suggest-k.js';
import { type CliCommand, integerFlag, stringFlag } from './command.js';
import { UsageError } from './usage-error.js';

const scalings = ['standard', 'robust', 'minmax', 'none'] as const;

interface FeatureTable {
  readonly ids: string[];
  readonly idColumn: string | null;
  readonly names: string[];
  readonly rows: number[][];
}

/** Reads a features CSV: one id column (kept aside) and numeric feature columns. */
async function readFeatureTable(path: string, idFlag: string | undefined): Promise<FeatureTable> {
  const text = await readFile(path, 'utf8');
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  const header = Object.keys(records[0] ?? {});
  if (records.length === 0) throw new UsageError(`--features: ${path} has no data rows`);
  if (idFlag !== undefined && !header.includes(idFlag)) {
    throw new UsageError(
      `--id-column: '${idFlag}' is not a column of ${path} (columns: ${header.join(', ')})`,
    );
  }
  const idColumn = idFlag ?? (header.includes('subscriberId') ? 'subscriberId' : null);
  const names = header.filter((name) => name !== idColumn);
  if (names.length === 0) throw new UsageError(`--features: ${path} has no feature columns besides the id`);
  const rows = records.map((record, index) =>
    names.map((name) => {
      const raw = record[name] ?? '';
      const value = raw === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(value)) {
        // Row numbers are 1-based data records; the header is line 1, so the record is on line index + 2.
        throw new DataError('segment', [
          { row: index + 1, column: name, reason: `not a finite number: '${raw}'`, line: index + 2 },
        ]);
      }
      return value;
    }),
  );
  const ids = records.map((record, index) =>
    idColumn === null ? String(index + 1) : (record[idColumn] ?? ''),
  );
  return { ids, idColumn, names, rows };
}

/** `telco-analytics segment`: k-means segments of a features table, with profiles in words. */
export const segmentCommand: CliCommand = {
  name: 'segment',
  usage: 'segment --features FILE.csv --k N|auto [--seed N] [--scale standard] [--log1p COLS] --out FILE.csv',
  summary:
    "Segment subscribers with k-means on a features table (one id column, numeric features). Writes each row's segment, prints a profile of every segment, and with --k auto picks k from the inertia knee and the silhouette.",
  flags: {
    features: {
      type: 'string',
      description: 'CSV with a header: an id column and numeric features',
      placeholder: 'FILE',
    },
    k: {
      type: 'string',
      description: "number of segments, or 'auto' to choose it (2..--k-max)",
      placeholder: 'N|auto',
    },
    'k-max': { type: 'string', description: 'largest k tried by --k auto', default: '10', placeholder: 'N' },
    seed: {
      type: 'string',
      description: 'random seed (same seed, same segments)',
      default: '42',
      placeholder: 'N',
    },
    scale: {
      type: 'string',
      description: 'scaling: standard, robust, minmax or none',
      default: 'standard',
      placeholder: 'METHOD',
    },
    log1p: {
      type: 'string',
      description: 'comma-separated heavy-tailed columns to log1p before scaling',
      placeholder: 'COLS',
    },
    'id-column': {
      type: 'string',
      description: "id column (default: 'subscriberId' when present, else row numbers)",
      placeholder: 'NAME',
    },
    out: { type: 'string', description: 'output CSV: id,segment', placeholder: 'FILE' },
    model: {
      type: 'string',
      description: 'also write the model (with its scaler) as JSON',
      placeholder: 'FILE',
    },
  },
  async run(flags, io) {
    const featuresPath = stringFlag(flags, 'features');
    const out = stringFlag(flags, 'out');
    const kFlag = stringFlag(flags, 'k');
    const seed = integerFlag(flags, 'seed', 0, Number.MAX_SAFE_INTEGER);
    const scale = String(flags.scale);
    if (!(scalings as readonly string[]).includes(scale)) {
      throw new UsageError(`--scale must be one of ${scalings.join(', ')}, received '${scale}'`);
    }
    const idFlag = typeof flags['id-column'] === 'string' ? flags['id-column'] : undefined;
    const table = await readFeatureTable(featuresPath, idFlag);
    const log1p =
      typeof flags.log1p === 'string' && flags.log1p.trim() !== ''
        ? flags.log1p.split(',').map((name) => name.trim())
        : [];
    for (const name of log1p) {
      if (!table.names.includes(name))
        throw new UsageError(`--log1p: '${name}' is not a feature column (${table.names.join(', ')})`);
    }
    let scaler: FeatureScaler | undefined;
    if (scale !== 'none') {
      scaler = fitScaler(table.rows, scale as 'standard', { log1p, featureNames: table.names });
    } else if (log1p.length > 0) {
      throw new UsageError('--log1p needs a --scale other than none');
    }
    const matrix = scaler === undefined ? table.rows : applyScaler(scaler, table.rows);
    let k: number;
    if (kFlag === 'auto') {
      const kMax = integerFlag(flags, 'k-max', 3, 100);
      const suggestion = suggestK(evaluateK(matrix, { kMin: 2, kMax, seed }));
      k = suggestion.suggested;
      io.stdout.write(`k = ${k}: ${suggestion.explanation}\n`);
    } else {
      k = integerFlag(flags, 'k', 1, table.rows.length);
    }
    const result = kmeans(matrix, { k, seed, featureNames: table.names });
    const idHeader = table.idColumn ?? 'row';
    const lines = [csvLine([idHeader, 'segment'])];
    table.ids.forEach((id, index) => {
      lines.push(csvLine([id, result.labels[index]!]));
    });
    await writeFile(out, `${lines.join('\n')}\n`);
    if (typeof flags.model === 'string') {
      const model: SegmentModel = scaler === undefined ? result.model : { ...result.model, scaler };
      await writeFile(flags.model, `${JSON.stringify(model, null, 2)}\n`);
    }
    const profiles = profileSegments(table.rows, result.labels, { features: table.names });
    io.stdout.write(
      `${table.rows.length} rows, ${table.names.length} features, k = ${k}, inertia ${result.inertia.toFixed(4)}\n`,
    );
    for (const profile of profiles) {
      io.stdout.write(
        `segment ${profile.segment}: ${profile.size} (${(profile.share * 100).toFixed(1)}%) ${profile.description}\n`,
      );
    }
    io.stdout.write(`wrote ${out}${typeof flags.model === 'string' ? ` and ${flags.model}` : ''}\n`);
  },
};
