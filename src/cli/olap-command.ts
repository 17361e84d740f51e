import { writeFile } from 'node:fs/promises';
import { readCallBatches } from '../data/read-records.js';
import { csvLine } from '../data/write-csv.js';
import { cube } from '../olap/cube.js';
import type { CubeGrouping, MeasureSpec } from '../olap/cube-options.js';
import { engineFlag, withCallSource } from './call-source.js';
import { type CliCommand, stringFlag } from './command.js';
import { UsageError } from './usage-error.js';

function parseMeasures(text: string): Record<string, MeasureSpec> {
  const measures: Record<string, MeasureSpec> = {};
  for (const part of text.split(',')) {
    const equals = part.indexOf('=');
    if (equals <= 0 || equals === part.length - 1) {
      throw new UsageError(`--measures: '${part}' must be name=op[:field], as in revenue=sum:charge`);
    }
    measures[part.slice(0, equals).trim()] = part.slice(equals + 1).trim();
  }
  return measures;
}

/** `telco-analytics olap`: a cube (roll-up with subtotals) of a calls file, written as CSV. */
export const olapCommand: CliCommand = {
  name: 'olap',
  usage:
    'olap (--calls FILE | --engine SPEC) --dims month,region,service --measures revenue=sum:charge,minutes=sum:durationSec [--grouping cube] --out FILE',
  summary:
    'Roll CDRs up into an OLAP cube: measures for every combination of the dimensions with subtotals (grouping = the SQL GROUPING() bitmask), in one pass over the file.',
  flags: {
    calls: { type: 'string', description: 'calls CSV', placeholder: 'FILE' },
    engine: engineFlag,

    dims: {
      type: 'string',
      description: 'dimensions: fields or time parts (hour, weekday, day, week, month, quarter of start)',
      placeholder: 'LIST',
    },
    measures: {
      type: 'string',
      description:
        'name=op[:field] list: count, sum, mean, min, max, countDistinct, quantile:field:p, ratio:a/b',
      placeholder: 'LIST',
    },
    grouping: { type: 'string', description: 'cube, rollup or none', default: 'cube', placeholder: 'KIND' },
    out: { type: 'string', description: 'CSV to write', placeholder: 'FILE' },
  },
  async run(flags, io) {
    const out = stringFlag(flags, 'out');
    const dimensions = stringFlag(flags, 'dims')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name.length > 0);
    const measures = parseMeasures(stringFlag(flags, 'measures'));
    const grouping = String(flags.grouping ?? 'cube') as CubeGrouping;
    const options = { dimensions, measures, grouping };
    // A calls file is streamed in batches (never held whole); an engine runs the cube in SQL.
    const result =
      typeof flags.calls === 'string' && flags.engine === undefined
        ? await cube(readCallBatches(flags.calls), options)
        : await withCallSource(flags, (calls) => calls.cube(options));
    const columns = [...result.dimensions, ...result.measures, 'grouping'];
    const lines = [csvLine(columns)];
    for (const row of result.rows) lines.push(csvLine(columns.map((column) => row[column])));
    await writeFile(out, `${lines.join('\n')}\n`);
    io.stdout.write(
      `wrote ${result.rows.length} rows (${result.groupingSets.length} grouping sets) to ${out}\n`,
    );
  },
};
