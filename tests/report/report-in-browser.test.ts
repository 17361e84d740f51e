import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { buildReport, type ReportSection, vegaLiteSchema } from 'telco-analytics/report';
import { describe, expect, it } from 'vitest';
import { chromiumArguments, chromiumAvailable, chromiumPath } from '../support/headless-browser.js';

const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

const sections: ReportSection[] = [
  {
    id: 'revenue',
    title: 'Revenue by plan <& escaped>',
    summary: 'Postpaid plans bring most revenue.',
    keyFigures: [
      { label: 'subscribers', value: 5000 },
      { label: 'ARPU', value: 23.456 },
    ],
    charts: [
      {
        title: 'Revenue by plan',
        spec: {
          $schema: vegaLiteSchema,
          data: {
            values: [
              { plan: 'PRE-PAYG', revenue: 120 },
              { plan: 'POST-M', revenue: 340 },
            ],
          },
          mark: 'bar',
          encoding: { x: { field: 'plan', type: 'nominal' }, y: { field: 'revenue', type: 'quantitative' } },
        },
      },
    ],
    tables: [{ title: 'Top plans', rows: [{ plan: 'POST-M', revenue: 340, share: 0.739 }] }],
    method: 'Sum of charges per plan.',
  },
  {
    id: 'trend',
    title: 'Trend',
    charts: [
      {
        title: 'Calls per month',
        spec: {
          $schema: vegaLiteSchema,
          data: {
            values: [
              { month: '2024-01', calls: 3 },
              { month: '2024-02', calls: 5 },
            ],
          },
          mark: { type: 'line', point: true },
          encoding: { x: { field: 'month', type: 'ordinal' }, y: { field: 'calls', type: 'quantitative' } },
        },
      },
    ],
    method: 'Count of CDRs per month.',
  },
];

describe.skipIf(!chromiumAvailable())('the HTML report in a real headless Chromium', () => {
  it('has no console errors, makes no network request, and shows every section and chart', async () => {
    const html = await buildReport(sections, { title: 'Browser check' });
    mkdirSync(artifacts, { recursive: true });
    const file = join(artifacts, 'report-browser-check.html');
    writeFileSync(file, html);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArguments });
    try {
      const page = await browser.newPage();
      const consoleErrors: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(error.message));
      page.on('request', (request) => requests.push(request.url()));
      const url = pathToFileURL(file).href;
      await page.goto(url);
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([url]);
      expect(await page.locator('section').count()).toBe(2);
      expect(await page.locator('h2').first().textContent()).toBe('Revenue by plan <& escaped>');
      const charts = page.locator('figure.chart svg');
      expect(await charts.count()).toBe(2);
      for (let i = 0; i < 2; i++) {
        expect(
          await charts.nth(i).locator('.mark-rect path, .mark-line path, .mark-symbol path').count(),
        ).toBeGreaterThan(0);
      }
      await page.screenshot({ path: join(artifacts, 'report-browser-check.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
