// The batch path decodes calls into columns grouped by subscriber and counts distinct numbers
// and cells in short in-place lists that turn into Sets past 16 entries; these tests pin the
// results that layout must not change.
import fc from 'fast-check';
import { type CallRecord, createRng } from 'telco-analytics/data';
import { evaluateRules, type FraudRule, usageAggregates } from 'telco-analytics/fraud';
import { describe, expect, it } from 'vitest';

const hour = 3_600_000;
const day = 24 * hour;
const t0 = Date.UTC(2024, 0, 1);

function outgoing(subscriberId: string, start: number, calledNumber: string, cellId: string): CallRecord {
  return {
    subscriberId,
    start,
    service: 'voice',
    direction: 'out',
    durationSec: 60,
    destination: 'local',
    calledNumber,
    cellId,
    charge: 0.25,
  };
}

describe('distinct counts past the in-place list', () => {
  // 40 distinct numbers, each called twice (minutes 0-39, then 40-79), over 20 cells each used
  // four times: by hand, 80 calls, 40 distinct numbers, 20 cells, distinct share 40 / 80 = 0.5.
  const calls = Array.from({ length: 80 }, (_, minute) =>
    outgoing('A', t0 + minute * 60_000, `N${minute % 40}`, `C${minute % 20}`),
  );

  it('counts every distinct number and cell of a day', () => {
    const [row] = usageAggregates(calls, { window: '24h' });
    expect(row).toMatchObject({
      callCount: 80,
      distinctCalledNumbers: 40,
      distinctCalledShare: 0.5,
      cellCount: 20,
    });
  });

  it('unions panes of a sliding window, a pane holding more than 16 values', () => {
    // Day two repeats numbers N0-N9 and adds N40-N44 from the same cells: the 48h window over
    // both days holds 45 distinct numbers and 20 cells.
    const dayTwo = Array.from({ length: 15 }, (_, k) =>
      outgoing('A', t0 + day + k * 60_000, `N${k < 10 ? k : 30 + k}`, `C${k % 20}`),
    );
    const rows = usageAggregates([...calls, ...dayTwo], { window: { size: '48h', step: '24h' } });
    const both = rows.find((row) => row.windowStart === t0);
    expect(both).toMatchObject({ callCount: 95, distinctCalledNumbers: 45, cellCount: 20 });
  });

  it('starts each day afresh after a day that overflowed', () => {
    const next = [outgoing('A', t0 + day, 'N0', 'C0'), outgoing('A', t0 + day + 1, 'N1', 'C0')];
    const rows = usageAggregates([...calls, ...next], { window: '24h' });
    expect(rows.map((row) => [row.distinctCalledNumbers, row.cellCount])).toEqual([
      [40, 20],
      [2, 1],
    ]);
  });
});

describe('evaluateRules ignores the order of the input', () => {
  const rules: FraudRule[] = [
    {
      id: 'busy',
      description: '',
      severity: 'low',
      window: '24h',
      when: {
        all: [
          { metric: 'callCount', op: '>=', value: 2 },
          { metric: 'distinctCalledNumbersZScore', op: '>=', value: 0 },
        ],
      },
    },
    {
      id: 'cells',
      description: '',
      severity: 'low',
      window: { size: '12h', step: '4h' },
      when: { metric: 'cellCount', op: '>=', value: 2 },
    },
  ];

  it('for interleaved subscribers in any order (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 10 * day }), { maxLength: 150 }),
        fc.integer(),
        (offsets, seed) => {
          const rng = createRng(seed);
          // Starts are distinct, so the time order is unique and sums add up in one order.
          const calls = offsets.map((offset) =>
            outgoing(`S${rng.integer(4)}`, t0 + offset, `N${rng.integer(30)}`, `C${rng.integer(3)}`),
          );
          const options = { baselineWindows: 3, minimumBaselineWindows: 1 };
          const inOrder = [...calls].sort((a, b) => a.start - b.start);
          expect(evaluateRules(rng.shuffle([...calls]), rules, options)).toEqual(
            evaluateRules(inOrder, rules, options),
          );
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });
});
