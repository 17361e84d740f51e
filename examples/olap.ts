// OLAP views of the synthetic operator: a cube by month x region x service with ARPU re-derived at
// every level, a drill-down from region to cell, and a slice.
// Run: npm run build && node --import tsx examples/olap.ts
import { generateOperator } from 'telco-analytics/data';
import { cube, drillDown, slice } from 'telco-analytics/olap';

const operator = generateOperator({ subscribers: 1000, months: 3, seed: 42 });

const byMonth = cube(operator.calls, {
  dimensions: ['month', 'region', 'service'],
  measures: {
    revenue: 'sum:charge',
    minutes: 'sum:durationSec',
    subscribers: 'countDistinct:subscriberId',
    arpu: 'ratio:revenue/subscribers',
  },
});
console.log(`${byMonth.rows.length} rows in ${byMonth.groupingSets.length} grouping sets`);
// Totals per month (region and service rolled up: grouping bits 011 = 3).
console.table(byMonth.rows.filter((row) => row.grouping === 3));

// A region -> cell hierarchy, drilled into one region.
const geography = cube(operator.calls, {
  dimensions: ['region', 'cellId'],
  measures: { revenue: 'sum:charge', calls: 'count', p90Seconds: 'quantile:durationSec:0.9' },
  hierarchies: [['region', 'cellId']],
});
console.table(drillDown(geography, {}, 'region').rows);
console.table(drillDown(geography, { region: 'North' }, 'cellId').rows.slice(0, 5));

// Everything about voice in February.
console.table(slice(byMonth, { month: '2024-02', service: 'voice' }).rows);
