import type { FraudRule } from './fraud-rule.js';

/**
 * A starter rule base, tuned on the synthetic operator (`generateOperator`, seed 1) and checked on
 * another seed (see tests/fraud/standard-rules.test.ts). Copy it, change thresholds to your
 * traffic, and backtest with `backtestRules` before going live.
 *
 * - `sim-box` (24h): a SIM-box (GSM gateway) turns international traffic into local calls — many
 *   short outgoing calls, nearly all to numbers not called before that day, from one or two cells,
 *   with almost nothing incoming.
 * - `irsf-premium-burst` (24h): international revenue share fraud — hours of premium-rate minutes
 *   in one day, mostly at night, that the fraudster collects a share of.
 * - `call-velocity` (1h): more outgoing calls in an hour than a person can make by hand.
 * - `usage-spike` (24h): outgoing minutes far above the subscriber's own trailing baseline.
 * - `subscription-fraud` (7d): a line younger than 60 days with heavy international or premium use
 *   — the profile of a line opened with no intention to pay. Needs `subscribers` with
 *   `activationDate`.
 * - `arrears-risk` (cycle): a subscriber already 30+ days in arrears still using the service
 *   (for collections, not the fraud team). Needs `subscribers` with `arrearsDays`.
 *
 * @example
 * const alerts = evaluateRules(calls, standardRules, { subscribers, payments });
 */
export const standardRules: readonly FraudRule[] = [
  {
    id: 'sim-box',
    description:
      'SIM-box: 30+ short outgoing calls a day to new numbers from at most 2 cells, almost no incoming calls',
    severity: 'high',
    department: 'fraud',
    window: '24h',
    when: {
      all: [
        { metric: 'callCount', op: '>=', value: 30 },
        { metric: 'distinctCalledShare', op: '>=', value: 0.9 },
        { metric: 'incomingOutgoingRatio', op: '<=', value: 0.1 },
        { metric: 'meanCallSeconds', op: '<=', value: 180 },
        { metric: 'cellCount', op: '<=', value: 2 },
      ],
    },
  },
  {
    id: 'irsf-premium-burst',
    description: 'International revenue share fraud: 200+ premium-rate minutes in a day, mostly at night',
    severity: 'critical',
    department: 'fraud',
    window: '24h',
    when: {
      all: [
        { metric: 'premiumMinutes', op: '>=', value: 200 },
        { metric: 'premiumShare', op: '>=', value: 0.75 },
        { metric: 'nightShare', op: '>=', value: 0.5 },
      ],
    },
  },
  {
    id: 'call-velocity',
    description: 'Call velocity: 10+ outgoing calls in one hour',
    severity: 'medium',
    department: 'fraud',
    window: '1h',
    when: { metric: 'callCount', op: '>=', value: 10 },
  },
  {
    id: 'usage-spike',
    description:
      "Usage spike: 120+ outgoing minutes in a day and 8+ standard deviations above the subscriber's own last 14 days",
    severity: 'medium',
    department: 'fraud',
    window: '24h',
    when: {
      all: [
        { metric: 'outgoingMinutes', op: '>=', value: 120 },
        { metric: 'outgoingMinutesZScore', op: '>=', value: 8 },
      ],
    },
  },
  {
    id: 'subscription-fraud',
    description:
      'Subscription fraud: a line active for under 60 days with 300+ outgoing minutes in a week of long calls, much of it international or premium (but not a premium-only burst)',
    severity: 'high',
    department: 'fraud',
    window: '7d',
    when: {
      all: [
        { metric: 'tenureDays', op: '<=', value: 60 },
        { metric: 'outgoingMinutes', op: '>=', value: 300 },
        { metric: 'meanCallSeconds', op: '>=', value: 300 },
        { metric: 'premiumShare', op: '<=', value: 0.6 },
        {
          any: [
            { metric: 'internationalMinutes', op: '>=', value: 200 },
            { metric: 'premiumMinutes', op: '>=', value: 100 },
          ],
        },
      ],
    },
  },
  {
    id: 'arrears-risk',
    description: 'Arrears risk: 30+ days in arrears and still spending in the billing cycle',
    severity: 'low',
    department: 'collections',
    window: 'cycle',
    when: {
      all: [
        { metric: 'arrearsDays', op: '>=', value: 30 },
        { metric: 'spend', op: '>', value: 0 },
      ],
    },
  },
];
