import type { CustomerValue, ValueTiersResult } from '../../value/index.js';
import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { chartFrame } from './chart-frame.js';

/**
 * The value pyramid: each tier's share of customers beside its share of predicted value.
 *
 * @example
 * valueTierChart(valueTiers(customerLifetimeValue(summary, { transactions, value })));
 */
export function valueTierChart(result: ValueTiersResult): VegaLiteSpec {
  const values = result.tiers.flatMap((tier) => [
    { tier: tier.tier, measure: 'customers', share: tier.customerShare },
    { tier: tier.tier, measure: 'predicted value', share: tier.valueShare },
  ]);
  return chartFrame(
    'Value tiers: share of customers and of predicted value',
    {
      data: { values },
      mark: 'bar',
      encoding: {
        y: { field: 'tier', type: 'nominal', title: null, sort: null },
        x: { field: 'share', type: 'quantitative', axis: { format: '%' } },
        yOffset: { field: 'measure' },
        color: { field: 'measure', type: 'nominal', scale: { range: ['#9aa3b2', '#1f5fa8'] } },
      },
    },
    420,
    220,
  );
}

/**
 * How sure the model is that each customer is still active: customers per tenth of P(alive),
 * side by side per group the caller supplies (e.g. known leavers in a back-test), on a symlog
 * scale so that small groups stay visible beside the mass of active customers.
 *
 * @example
 * probabilityAliveChart(customers, (row) => (churned.has(row.customerId) ? 'churned' : 'stayed'));
 */
export function probabilityAliveChart(
  customers: readonly CustomerValue[],
  groupOf: (customer: CustomerValue) => string = () => 'customers',
): VegaLiteSpec {
  const counts = new Map<string, { bin: string; group: string; customers: number }>();
  for (const customer of customers) {
    const tenth = Math.min(9, Math.floor(customer.probabilityAlive * 10));
    const bin = `${(tenth / 10).toFixed(1)}–${((tenth + 1) / 10).toFixed(1)}`;
    const group = groupOf(customer);
    const key = `${bin}|${group}`;
    const cell = counts.get(key) ?? { bin, group, customers: 0 };
    cell.customers += 1;
    counts.set(key, cell);
  }
  const values = [...counts.values()].sort(
    (a, b) => a.bin.localeCompare(b.bin) || a.group.localeCompare(b.group),
  );
  const bins = Array.from(
    { length: 10 },
    (_, tenth) => `${(tenth / 10).toFixed(1)}–${((tenth + 1) / 10).toFixed(1)}`,
  );
  return chartFrame(
    'Probability that the customer is still active (BG/NBD)',
    {
      data: { values },
      mark: 'bar',
      encoding: {
        x: { field: 'bin', type: 'ordinal', title: 'P(alive)', sort: bins, scale: { domain: bins } },
        xOffset: { field: 'group' },
        y: { field: 'customers', type: 'quantitative', scale: { type: 'symlog' } },
        color: { field: 'group', type: 'nominal', title: null, scale: { range: ['#c0392b', '#1f5fa8'] } },
      },
    },
    420,
    220,
  );
}
