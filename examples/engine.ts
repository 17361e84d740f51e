/**
 * Scaling out: the CDRs stay in their file (CSV here; Parquet files and globs work the same) and
 * DuckDB aggregates them; the small per-subscriber tables come back for training and scoring in
 * process, and per-subscriber work streams the CDRs in subscriber-partitioned chunks.
 * Run: npm run build && node --import tsx examples/engine.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainChurnModel } from 'telco-analytics/churn';
import { readOperatorFiles, streamOperator, writeOperatorFiles } from 'telco-analytics/data';
import {
  connect,
  engineCube,
  engineRfmValues,
  engineSubscriberFeatures,
  streamCalls,
} from 'telco-analytics/engine';
import { evaluateRules, standardRules } from 'telco-analytics/fraud';
import { rfmFromValues } from 'telco-analytics/rfm';

const folder = await mkdtemp(join(tmpdir(), 'telco-engine-example-'));
const engine = await connect({ kind: 'duckdb' }); // npm install @duckdb/node-api
try {
  await writeOperatorFiles(streamOperator({ subscribers: 1500, months: 4, seed: 42 }), folder);
  const operator = await readOperatorFiles(folder); // subscribers, payments, truth; the CDRs stay on disk
  const calls = await engine.registerCalls(operator.callsFile);
  const total = await engineCube(calls, {
    dimensions: ['service'],
    measures: { cdrs: 'count', revenue: 'sum:charge' },
  });
  console.table(
    total.rows.map((row) => ({
      service: row.service,
      cdrs: row.cdrs,
      revenue: Number(row.revenue).toFixed(2),
    })),
  );

  // Churn features as of the first day of the last month, pushed down; the model trains in process.
  const asOf = '2024-04-01';
  const churnDate = new Map(operator.truth.map((row) => [row.subscriberId, row.churnDate]));
  const rows = (await engineSubscriberFeatures(calls, operator.subscribers, { asOf }))
    .filter((row) => (churnDate.get(String(row.subscriberId)) ?? '9999') >= asOf)
    .map((row) => ({ ...row, churned: churnDate.get(String(row.subscriberId)) != null }));
  const model = await trainChurnModel(rows, {
    target: 'churned',
    features: [
      { name: 'voiceMinutesTrend', type: 'numeric' },
      { name: 'daysSinceLastActivity', type: 'numeric', transform: 'log1p' },
      { name: 'activeDays', type: 'numeric' },
    ],
  });
  if (model.model.kind === 'logistic') console.log(model.model.formula);

  // RFM totals summed in the engine, scored in process.
  const rfm = rfmFromValues(await engineRfmValues(calls));
  console.log(`RFM: ${rfm.customers.length} subscribers scored, ${rfm.segments[0]?.customers} Champions`);

  // Fraud rules over CDRs larger than memory: each chunk holds every call of its subscribers.
  let alerts = 0;
  for await (const chunk of streamCalls(calls, { rowsPerChunk: 100_000 }))
    alerts += evaluateRules(chunk, standardRules).length;
  console.log(`${alerts} fraud alerts, evaluated chunk by chunk`);
} finally {
  await engine.close();
  await rm(folder, { recursive: true, force: true });
}
