import { OptionError } from '../data/errors.js';
import { type CubeResult, type CubeRow, type CubeValue, compareCubeValues } from '../olap/cube.js';
import { type CubeOptions, type Measure, resolveCubeOptions } from '../olap/cube-options.js';
import { type CallField, type CallTable, callFields, relationOf } from './call-table.js';
import { timePartSql } from './dialect-expressions.js';
import { numberLiteral } from './sql-text.js';

const context = 'engineCube';

function callField(name: string, option: string): CallField {
  if (!(callFields as readonly string[]).includes(name))
    throw new OptionError(
      context,
      option,
      `reads field '${name}', which is not a CallRecord field (${callFields.join(', ')})`,
    );
  return name as CallField;
}

/**
 * {@link cube} of `telco-analytics/olap` over the registered CDRs, computed in the engine: one
 * grouped query per grouping set, with the same options (dimensions, time parts, measures,
 * `cube`/`rollup`/`none`, hierarchies) and the same rows in the same order as `cube(calls,
 * options)` in process. Fields are {@link CallRecord} field names; time parts derive from `start`.
 *
 * @throws {@link OptionError} for invalid options (as `cube`) or a field that is not a CallRecord field.
 * @example
 * const result = await engineCube(calls, {
 *   dimensions: ['month', 'region'],
 *   measures: { revenue: 'sum:charge', subscribers: 'countDistinct:subscriberId', arpu: 'ratio:revenue/subscribers' },
 * });
 */
export async function engineCube(calls: CallTable, options: CubeOptions): Promise<CubeResult> {
  const relation = relationOf(calls, context);
  const resolved = resolveCubeOptions(options);
  const { dialect, field } = relation;
  const dimensions = resolved.dimensions.map((dimension, index) => {
    const source = callField(dimension.field, `dimensions[${index}]`);
    if (dimension.time !== null && source !== 'start')
      throw new OptionError(
        context,
        `dimensions[${index}]`,
        `derives '${dimension.time}' from '${source}'; time parts derive from 'start'`,
      );
    return dimension.time === null ? field[source] : timePartSql(dialect, dimension.time, field.start);
  });
  const aggregates: string[] = [];
  const measureSql = (measure: Measure, index: number): void => {
    const name = `m${index}`;
    if (measure.op === 'ratio') return;
    if (measure.op === 'count') {
      aggregates.push(
        measure.field === null
          ? `count(*) AS ${name}`
          : `count(${field[callField(measure.field, `measures.${measure.name}`)]}) AS ${name}`,
      );
      return;
    }
    const value = field[callField(measure.field, `measures.${measure.name}`)];
    const n = `count(${value}) AS ${name}_n`;
    switch (measure.op) {
      case 'sum':
      case 'mean':
        aggregates.push(`sum(${value}) AS ${name}`, n);
        return;
      case 'min':
      case 'max':
        aggregates.push(`${measure.op}(${value}) AS ${name}`, n);
        return;
      case 'countDistinct':
        aggregates.push(
          dialect === 'duckdb' ? `count(DISTINCT ${value}) AS ${name}` : `uniqExact(${value}) AS ${name}`,
        );
        return;
      default: {
        const p = numberLiteral(measure.p, context, `measures.${measure.name}.p`);
        if (dialect === 'duckdb') aggregates.push(`quantile_cont(${value}, ${p}) AS ${name}`, n);
        else {
          // ClickHouse 18.16 has no interpolating exact quantile: type 7 over the sorted values.
          const sorted = `${name}_sorted`;
          const position = `((length(${sorted}) - 1) * ${p})`;
          const low = `toUInt64(floor(${position}))`;
          const high = `least(${low} + 1, length(${sorted}) - 1)`;
          aggregates.push(
            `arraySort(groupArray(${value})) AS ${sorted}`,
            `if(length(${sorted}) = 0, 0, ${sorted}[${low} + 1] + (${position} - floor(${position})) * (${sorted}[${high} + 1] - ${sorted}[${low} + 1])) AS ${name}`,
            n,
          );
        }
      }
    }
  };
  resolved.measures.forEach(measureSql);
  aggregates.push(`count(*) AS rows_in_group`);

  const d = dimensions.length;
  const rows: CubeRow[] = [];
  for (const mask of resolved.groupingSets) {
    const kept: number[] = [];
    for (let i = 0; i < d; i++) if ((mask & (1 << (d - 1 - i))) === 0) kept.push(i);
    const select = [...kept.map((i) => `${dimensions[i]} AS d${i}`), ...aggregates];
    const groupBy = kept.length === 0 ? '' : ` GROUP BY ${kept.map((i) => dimensions[i]).join(', ')}`;
    const result = await relation.driver.query(`SELECT ${select.join(', ')} FROM ${relation.from}${groupBy}`);
    const setRows: Record<string, CubeValue>[] = [];
    for (const row of result) {
      if (Number(row.rows_in_group) === 0) continue;
      const out: Record<string, CubeValue> = {};
      resolved.dimensions.forEach((dimension, i) => {
        out[dimension.name] = kept.includes(i) ? (row[`d${i}`] ?? null) : null;
      });
      const values = new Map<string, CubeValue>();
      resolved.measures.forEach((measure, index) => {
        const name = `m${index}`;
        if (measure.op === 'ratio') return;
        if (measure.op === 'count' || measure.op === 'countDistinct') {
          values.set(measure.name, Number(row[name]));
          return;
        }
        const n = Number(row[`${name}_n`]);
        if (n === 0) values.set(measure.name, null);
        else if (measure.op === 'mean') values.set(measure.name, Number(row[name]) / n);
        else values.set(measure.name, Number(row[name]));
      });
      for (const measure of resolved.measures) {
        if (measure.op !== 'ratio') continue;
        const numerator = values.get(measure.numerator);
        const denominator = values.get(measure.denominator);
        values.set(
          measure.name,
          typeof numerator === 'number' && typeof denominator === 'number' && denominator !== 0
            ? numerator / denominator
            : null,
        );
      }
      for (const measure of resolved.measures) out[measure.name] = values.get(measure.name) ?? null;
      out.grouping = mask;
      setRows.push(out);
    }
    setRows.sort((a, b) => {
      for (const dimension of resolved.dimensions) {
        const order = compareCubeValues(a[dimension.name] ?? null, b[dimension.name] ?? null);
        if (order !== 0) return order;
      }
      return 0;
    });
    rows.push(...(setRows as CubeRow[]));
  }
  return {
    dimensions: resolved.dimensions.map((dimension) => dimension.name),
    measures: resolved.measures.map((measure) => measure.name),
    groupingSets: resolved.groupingSets,
    rows,
  };
}
