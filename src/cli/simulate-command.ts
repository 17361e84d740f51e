import { readSubscribers } from '../data/read-records.js';
import type { Subscriber } from '../data/records.js';
import { encodedCallsByChunk } from '../report/sections/calls-by-chunk.js';
import { type GridParameter, optimizePromotion } from '../simulation/optimize-promotion.js';
import { simulatePromotion } from '../simulation/simulate-promotion.js';
import { readJson, readPlansFile, readPromotionsFile } from './bill-command.js';
import { checkCallSource, engineFlag, withCallSource } from './call-source.js';
import { type CliCommand, integerFlag, numberFlag, stringFlag } from './command.js';
import { textTable } from './text-table.js';
import { UsageError } from './usage-error.js';

const money = (minor: number): string => (minor / 100).toFixed(2);

/** `telco-analytics simulate`: Monte-Carlo revenue of a promotion, printed as summary tables. */
export const simulateCommand: CliCommand = {
  name: 'simulate',
  usage:
    'simulate (--calls FILE | --engine SPEC) --subscribers FILE --plans FILE --promotion FILE --period YYYY-MM',
  summary:
    'Simulate a promotion: bill the observed cycle with and without it, then Monte-Carlo take-up and churn over the coming cycles; prints revenue per cycle with 90% intervals, the dilution / uplift / retention split and the break-even uptake.',
  flags: {
    calls: { type: 'string', description: 'calls CSV', placeholder: 'FILE' },
    engine: engineFlag,

    subscribers: { type: 'string', description: 'subscribers CSV (with planId)', placeholder: 'FILE' },
    plans: { type: 'string', description: 'tariff plans JSON', placeholder: 'FILE' },
    promotion: { type: 'string', description: 'promotion JSON', placeholder: 'FILE' },
    period: { type: 'string', description: 'observed bill cycle', placeholder: 'YYYY-MM' },
    cycles: { type: 'string', description: 'cycles to simulate', default: '6', placeholder: 'N' },
    uptake: {
      type: 'string',
      description: 'mean take-up among customers who save',
      default: '0.3',
      placeholder: 'SHARE',
    },
    elasticity: {
      type: 'string',
      description: 'usage elasticity to the price cut',
      default: '0',
      placeholder: 'X',
    },
    churn: {
      type: 'string',
      description: 'churn probability per cycle (all subscribers)',
      default: '0',
      placeholder: 'P',
    },
    'churn-column': {
      type: 'string',
      description: 'subscriber column holding each churn probability (overrides --churn)',
      placeholder: 'NAME',
    },
    retention: {
      type: 'string',
      description: 'share of churn a taker avoids',
      default: '0',
      placeholder: 'SHARE',
    },
    runs: { type: 'string', description: 'Monte-Carlo runs', default: '200', placeholder: 'N' },
    seed: { type: 'string', description: 'random seed', default: '0', placeholder: 'N' },
    grid: {
      type: 'string',
      description: 'JSON list of { path, values } to optimise the promotion over (ranks the candidates)',
      placeholder: 'FILE',
    },
  },
  async run(flags, io) {
    checkCallSource(flags);
    const plans = await readPlansFile(stringFlag(flags, 'plans'));
    const promotions = await readPromotionsFile(stringFlag(flags, 'promotion'), 'promotion');
    if (promotions.length !== 1)
      throw new UsageError(`--promotion must hold one promotion, found ${promotions.length}`);
    const churn = numberFlag(flags, 'churn', 0, 1);
    const column = flags['churn-column'];
    const churnProbability =
      typeof column === 'string'
        ? (subscriber: Subscriber): number => Number(subscriber[column])
        : (): number => churn;
    const { rows: subscribers } = await readSubscribers(stringFlag(flags, 'subscribers'));
    const calls = await withCallSource(flags, encodedCallsByChunk);
    const input = {
      calls,
      subscribers,
      plans,
      promotion: promotions[0]!,
      period: stringFlag(flags, 'period'),
      cycles: integerFlag(flags, 'cycles', 1, 120),
      uptake: numberFlag(flags, 'uptake', 0, 1),
      usageElasticity: numberFlag(flags, 'elasticity', -10, 10),
      churnProbability,
      retentionEffect: numberFlag(flags, 'retention', 0, 1),
      runs: integerFlag(flags, 'runs', 1, 100_000),
      seed: integerFlag(flags, 'seed', 0, Number.MAX_SAFE_INTEGER),
    };
    if (typeof flags.grid === 'string') {
      const grid = (await readJson(flags.grid, 'grid')) as GridParameter[];
      const { candidates } = optimizePromotion({ ...input, grid });
      const rows = [['rank', 'parameters', 'objective', 'net 5%', 'net 95%', 'loss possible']];
      for (const candidate of candidates) {
        rows.push([
          String(candidate.rank),
          JSON.stringify(candidate.parameters),
          money(candidate.objective),
          money(candidate.net.low),
          money(candidate.net.high),
          candidate.lossPossible ? 'yes' : 'no',
        ]);
      }
      io.stdout.write(
        `promotion ${input.promotion.promotionId}: ${candidates.length} candidates, ${input.runs} runs each\n${textTable(rows)}\n`,
      );
      return;
    }
    const result = simulatePromotion(input);
    const interval = (value: { mean: number; low: number; high: number }): string =>
      `${money(value.mean)} [${money(value.low)}, ${money(value.high)}]`;
    const perCycle = [['cycle', 'baseline', 'promoted', 'net (mean [5%, 95%])']];
    for (const row of result.perCycle)
      perCycle.push([
        String(row.cycle),
        money(row.baseline.mean),
        money(row.promoted.mean),
        interval(row.net),
      ]);
    perCycle.push([
      'total',
      money(result.total.baseline.mean),
      money(result.total.promoted.mean),
      interval(result.total.net),
    ]);
    const effects = [
      ['effect', 'mean [5%, 95%]'],
      ['dilution', interval(result.effects.dilution)],
      ['uplift', interval(result.effects.uplift)],
      ['retention', interval(result.effects.retention)],
    ];
    const groupTable = (label: string, groups: typeof result.byPlan): string[][] => [
      [label, 'subscribers', 'eligible', 'net (mean [5%, 95%])'],
      ...groups.map((row) => [
        row.key,
        String(row.subscribers),
        String(row.eligible),
        interval(row.netInterval),
      ]),
    ];
    const byPlan = groupTable('plan', result.byPlan);
    const bySegment = groupTable('segment', result.bySegment);
    const bridge = [['component (eligible, one cycle)', 'baseline', 'promoted', 'change']];
    for (const row of result.bridge) {
      const show = row.kind === 'revenue' ? money : String;
      bridge.push([row.component, show(row.baseline), show(row.promoted), show(row.change)]);
    }
    const { customers } = result;
    io.stdout.write(
      [
        `promotion ${result.promotionId}: ${result.runs} runs x ${result.cycles} cycles from ${result.period}`,
        textTable(perCycle),
        '',
        textTable(effects),
        '',
        textTable(byPlan),
        '',
        textTable(bySegment),
        '',
        textTable(bridge),
        '',
        `eligible ${customers.eligible}: ${customers.betterOff} better off, ${customers.worseOff} worse off, ${customers.unchanged} unchanged`,
        `break-even uptake: ${result.breakEvenUptake === null ? 'none (loses at any uptake)' : result.breakEvenUptake.toFixed(3)}`,
        '',
      ].join('\n'),
    );
  },
};
