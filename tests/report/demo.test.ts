import { mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { chromiumArguments, chromiumAvailable, chromiumPath } from '../support/headless-browser.js';

const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const sectionIds = [
  'overview',
  'rfm',
  'segmentation',
  'churn',
  'value',
  'association',
  'simulation',
  'fraud',
  'olap',
];
let folder: string;
let first: { code: number; stdout: string; stderr: string; html: string };

async function demo(
  out: string,
  extra: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string; html: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on('data', (chunk: Buffer) => chunks.stdout.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.stderr.push(chunk));
  const code = await runCli(
    ['demo', '--subscribers', '800', '--months', '4', '--seed', '7', '--out', out, ...extra],
    {
      stdout,
      stderr,
    },
  );
  return {
    code,
    stdout: Buffer.concat(chunks.stdout).toString(),
    stderr: Buffer.concat(chunks.stderr).toString(),
    html: code === 0 ? readFileSync(out, 'utf8') : '',
  };
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'telco-demo-'));
  first = await demo(join(folder, 'a.html'));
}, 240_000);
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('telco-analytics demo', () => {
  it('runs every analysis, prints a summary line per analysis and progress on stderr', () => {
    expect(first.code).toBe(0);
    for (const step of [
      'overview:',
      'segmentation:',
      'churn:',
      'association rules:',
      'promotion simulation:',
      'fraud rules:',
      'OLAP roll-ups:',
    ])
      expect(first.stdout).toContain(step);
    expect(first.stderr).toMatch(/\[1\/\d\] overview/);
    for (const id of sectionIds) expect(first.html).toContain(`<section id="${id}">`);
  });

  it('writes the same report for the same seed', async () => {
    const second = await demo(join(folder, 'b.html'));
    expect(second.html).toBe(first.html);
  }, 240_000);

  it('documents every flag in --help and rejects bad flags with exit code 2', async () => {
    const stdout = new PassThrough();
    const text: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => text.push(chunk));
    expect(await runCli(['demo', '--help'], { stdout, stderr: new PassThrough() })).toBe(0);
    for (const flag of ['--subscribers', '--months', '--seed', '--engine', '--data', '--out'])
      expect(Buffer.concat(text).toString()).toContain(flag);
    expect(
      await runCli(['demo', '--months', '2'], { stdout: new PassThrough(), stderr: new PassThrough() }),
    ).toBe(2);
  });

  it('runs the same analysis with the CDRs in DuckDB (--engine) and prints the same summary', async () => {
    const sample = join(folder, 'sample');
    const quiet = { stdout: new PassThrough(), stderr: new PassThrough() };
    const generated = await runCli(
      ['generate', '--subscribers', '800', '--months', '4', '--seed', '7', '--out', sample],
      quiet,
    );
    expect(generated).toBe(0);
    const fromEngine = await demo(join(folder, 'engine.html'), [
      '--engine',
      `duckdb:${join(sample, 'calls.csv')}`,
    ]);
    expect(fromEngine.stderr).toContain('CDRs from duckdb');
    const lines = (text: string) =>
      text.split('\n').filter((line) => line !== '' && !line.startsWith('report written'));
    expect(lines(fromEngine.stdout)).toEqual(lines(first.stdout));
    for (const id of sectionIds) expect(fromEngine.html).toContain(`<section id="${id}">`);
    expect(fromEngine.html).toContain('CDRs aggregated in duckdb');
    // A ClickHouse engine has no files beside it to take the small tables from.
    expect(
      await runCli(
        ['demo', '--engine', 'clickhouse:http://127.0.0.1:9/', '--out', join(folder, 'x.html')],
        quiet,
      ),
    ).toBe(2);
  }, 240_000);

  it.skipIf(!chromiumAvailable())(
    'opens in headless Chromium with no console error, no network request, every section and charts with marks',
    async () => {
      const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArguments });
      try {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        const errors: string[] = [];
        const requests: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('request', (request) => requests.push(request.url()));
        const url = pathToFileURL(join(folder, 'a.html')).href;
        await page.goto(url);
        expect(errors).toEqual([]);
        expect(requests).toEqual([url]);
        for (const id of sectionIds) expect(await page.locator(`section#${id}`).count()).toBe(1);
        const charts = page.locator('figure.chart svg');
        const count = await charts.count();
        expect(count).toBeGreaterThanOrEqual(8);
        for (let i = 0; i < count; i++) {
          expect(await charts.nth(i).locator('path, line').count(), `chart ${i}`).toBeGreaterThan(0);
        }
        mkdirSync(artifacts, { recursive: true });
        await page.screenshot({ path: join(artifacts, 'demo-report.png'), fullPage: true });
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
