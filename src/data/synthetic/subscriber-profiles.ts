import type { Rng } from '../random.js';
import { operatorPlans } from './operator-plans.js';
import { ageBands, usageSegments } from './usage-segments.js';

/** Planted fraud patterns. */
export const fraudPatterns = ['sim-box', 'revenue-share', 'subscription'] as const;
export type FraudPattern = (typeof fraudPatterns)[number];

export const regions = ['Capital', 'North', 'South', 'East', 'West'] as const;
const regionWeights = [0.3, 0.2, 0.2, 0.15, 0.15];

/** Plan weights per usage segment, over {@link operatorPlans}. */
const planMixBySegment: readonly (readonly number[])[] = [
  [0.5, 0.05, 0.35, 0.08, 0.02],
  [0.1, 0.45, 0.1, 0.3, 0.05],
  [0.4, 0.1, 0.25, 0.2, 0.05],
  [0.02, 0.02, 0.06, 0.4, 0.5],
  [0.2, 0.3, 0.3, 0.17, 0.03],
];
const postpaidContracts = ['12-month', '24-month', 'month-to-month'] as const;

/** Everything decided about a subscriber before any usage is drawn (internal to the generator). */
export interface SubscriberProfile {
  readonly index: number;
  readonly subscriberId: string;
  readonly segment: number;
  readonly fraud: FraudPattern | null;
  readonly plan: number;
  readonly contract: string;
  readonly region: number;
  readonly ageBand: string;
  readonly device: 'smartphone' | 'feature-phone';
  /** Day of activation relative to the period start (negative: before the period). */
  readonly activationDay: number;
  /** First day without usage: the churn day, the end of a fraud, or the period length. */
  readonly lastDayExclusive: number;
  readonly churned: boolean;
  /** Churners whose usage does not decline beforehand (about 15%): the ones no model can see coming. */
  readonly silentChurner: boolean;
  readonly badPayer: boolean;
  readonly complaints: number;
  /** First day of the fraudulent behaviour (fraud subscribers only). */
  readonly fraudStartDay: number;
}

export interface ProfileOptions {
  readonly subscribers: number;
  readonly days: number;
  readonly churnRate: number;
  readonly newSubscriberShare: number;
  readonly badPayerShare: number;
  readonly fraudShares: Readonly<Record<FraudPattern, number>>;
}

const averageDaysPerMonth = 30.44;

/** `S0000001`-style ids, sortable as text. */
export function subscriberIdOf(index: number): string {
  return `S${String(index + 1).padStart(7, '0')}`;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The intercept shift that makes the mean churn probability equal `target` (bisection; the mean is monotone in it). */
function calibrateOffset(logits: Float64Array, target: number): number {
  let low = -30;
  let high = 30;
  for (let iteration = 0; iteration < 80; iteration++) {
    const middle = (low + high) / 2;
    let sum = 0;
    for (let i = 0; i < logits.length; i++) sum += sigmoid(logits[i]! + middle);
    if (sum / logits.length < target) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

function fraudCount(share: number, subscribers: number): number {
  if (share <= 0) return 0;
  // A small operator still gets one case of each enabled pattern, so rules always have a positive to find.
  return Math.max(subscribers >= 200 ? 1 : 0, Math.round(share * subscribers));
}

/**
 * Draws every subscriber's profile. Churn is decided by a logistic model of contract, tenure,
 * payment behaviour and segment, with the intercept calibrated so that the expected share of
 * churners equals `churnRate`.
 */
export function drawSubscriberProfiles(options: ProfileOptions, rng: Rng): SubscriberProfile[] {
  const { subscribers: count, days } = options;
  const segmentShares = usageSegments.map((segment) => segment.share);

  interface Draft {
    segment: number;
    plan: number;
    contract: string;
    region: number;
    ageBand: string;
    device: 'smartphone' | 'feature-phone';
    activationDay: number;
    badPayer: boolean;
    fraud: FraudPattern | null;
    fraudStartDay: number;
  }
  const drafts: Draft[] = [];
  for (let i = 0; i < count; i++) {
    const segment = rng.categorical(segmentShares);
    const definition = usageSegments[segment]!;
    const plan = rng.categorical(planMixBySegment[segment]!);
    const postpaid = operatorPlans[plan]!.kind === 'postpaid';
    const contract = postpaid ? postpaidContracts[rng.categorical([0.35, 0.35, 0.3])]! : 'prepaid';
    const isNew = rng.bernoulli(options.newSubscriberShare) && days > 40;
    const activationDay = isNew
      ? rng.integer(days - 30)
      : -Math.floor((1 + rng.gamma(1.6, 18)) * averageDaysPerMonth) - rng.integer(30);
    const featurePhoneChance = segment === 0 ? 0.45 : 0.04;
    drafts.push({
      segment,
      plan,
      contract,
      region: rng.categorical(regionWeights),
      ageBand: ageBands[rng.categorical(definition.ageMix)]!,
      device: rng.bernoulli(featurePhoneChance) ? 'feature-phone' : 'smartphone',
      activationDay,
      badPayer: postpaid && rng.bernoulli(options.badPayerShare),
      fraud: null,
      fraudStartDay: days,
    });
  }

  // Fraud is planted on distinct subscribers, and reshapes their plan and activation to fit the pattern.
  const order = rng.permutation(count);
  let next = 0;
  for (const pattern of fraudPatterns) {
    const planted = Math.min(fraudCount(options.fraudShares[pattern], count), count - next);
    for (let j = 0; j < planted; j++) {
      const draft = drafts[order[next++]!]!;
      draft.fraud = pattern;
      draft.badPayer = false;
      if (pattern === 'sim-box') {
        draft.plan = 0;
        draft.contract = 'prepaid';
        draft.fraudStartDay = rng.integer(Math.max(1, days - 28));
        draft.activationDay = draft.fraudStartDay - rng.integer(20);
      } else if (pattern === 'subscription') {
        draft.plan = rng.bernoulli(0.5) ? 3 : 4;
        draft.contract = postpaidContracts[rng.integer(2)]!;
        draft.activationDay = rng.integer(Math.max(1, days - 45));
        draft.fraudStartDay = draft.activationDay;
      } else {
        draft.fraudStartDay =
          Math.floor(days / 3) + rng.integer(Math.max(1, days - Math.floor(days / 3) - 3));
      }
    }
  }

  const logits = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const draft = drafts[i]!;
    const tenureMonths = Math.max(0, (days - draft.activationDay) / averageDaysPerMonth);
    const flexible = draft.contract === 'prepaid' || draft.contract === 'month-to-month' ? 1 : 0;
    logits[i] =
      1.1 * flexible -
      0.03 * Math.min(tenureMonths, 72) +
      1.2 * (draft.badPayer ? 1 : 0) +
      (draft.segment === 0 ? 0.3 : 0) -
      (draft.segment === 3 ? 0.4 : 0);
  }
  const offset = calibrateOffset(logits, options.churnRate);

  const profiles: SubscriberProfile[] = [];
  const earliestChurnDay = Math.min(60, Math.floor(days / 3));
  for (let i = 0; i < count; i++) {
    const draft = drafts[i]!;
    const firstPossible = Math.max(earliestChurnDay, draft.activationDay + 30);
    const canChurn = draft.fraud === null && firstPossible < days - 1;
    const churned = canChurn && rng.bernoulli(sigmoid(logits[i]! + offset));
    const silentChurner = churned && rng.bernoulli(0.15);
    let lastDayExclusive = days;
    if (churned) lastDayExclusive = firstPossible + rng.integer(days - 1 - firstPossible);
    if (draft.fraud === 'subscription')
      lastDayExclusive = Math.min(days, draft.activationDay + 20 + rng.integer(21));
    if (draft.fraud === 'sim-box')
      lastDayExclusive = Math.min(days, draft.fraudStartDay + 30 + rng.integer(60));
    const complaintRate = churned ? (silentChurner ? 0.4 : 1.4) : 0.15;
    profiles.push({
      index: i,
      subscriberId: subscriberIdOf(i),
      segment: draft.segment,
      fraud: draft.fraud,
      plan: draft.plan,
      contract: draft.contract,
      region: draft.region,
      ageBand: draft.ageBand,
      device: draft.device,
      activationDay: draft.activationDay,
      lastDayExclusive,
      churned,
      silentChurner,
      badPayer: draft.badPayer,
      complaints: rng.poisson(complaintRate),
      fraudStartDay: draft.fraudStartDay,
    });
  }
  return profiles;
}
