/**
 * The latent usage segments the synthetic operator draws its subscribers from. They are returned as
 * ground truth so that segmentation can be scored (adjusted Rand index) against them.
 *
 * Rates are expected events per active day before the subscriber's own multipliers. Each subscriber
 * multiplies every rate by an independent log-normal factor exp(N(0, 0.3²)) per stream, so segments
 * overlap a little, as real ones do.
 */
export interface UsageSegment {
  readonly name: UsageSegmentName;
  readonly description: string;
  /** Share of ordinary (non-fraud) subscribers drawn from this segment. */
  readonly share: number;
  /** Outgoing and incoming voice calls per day. */
  readonly voiceOutPerDay: number;
  readonly voiceInPerDay: number;
  /** Median call length in seconds (log-normal, sigma 0.9). */
  readonly medianCallSeconds: number;
  /** Outgoing voice destination mix over local, national, international, premium (roaming comes from trips). */
  readonly voiceZoneMix: readonly [local: number, national: number, international: number, premium: number];
  readonly smsOutPerDay: number;
  readonly smsInPerDay: number;
  /** Data sessions per day and their median volume in MB (log-normal, sigma 1.0). */
  readonly dataSessionsPerDay: number;
  readonly medianSessionMb: number;
  /** Share of events between 22:00 and 06:00 UTC. */
  readonly nightShare: number;
  /** Activity multiplier on Saturdays and Sundays. */
  readonly weekendFactor: number;
  /** Expected trips abroad per month (each 2-5 days, all usage roaming). */
  readonly tripsPerMonth: number;
  /** Size of the circle of regular contacts. */
  readonly contacts: number;
  /** Age band weights over {@link ageBands}. */
  readonly ageMix: readonly number[];
}

/** The latent usage segments' names, in the order of {@link usageSegments}. */
export const usageSegmentNames = [
  'light-user',
  'data-streamer',
  'international-caller',
  'business-traveller',
  'social-texter',
] as const;
export type UsageSegmentName = (typeof usageSegmentNames)[number];

/** The age bands subscribers are drawn into. */
export const ageBands = ['18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;

/** The five segments, in the order of {@link usageSegmentNames}. */
export const usageSegments: readonly UsageSegment[] = [
  {
    name: 'light-user',
    description: 'few short local calls, almost no data; mostly older subscribers',
    share: 0.25,
    voiceOutPerDay: 0.5,
    voiceInPerDay: 0.6,
    medianCallSeconds: 100,
    voiceZoneMix: [0.75, 0.245, 0.004, 0.001],
    smsOutPerDay: 0.1,
    smsInPerDay: 0.2,
    dataSessionsPerDay: 0.1,
    medianSessionMb: 3,
    nightShare: 0.02,
    weekendFactor: 1.1,
    tripsPerMonth: 0.03,
    contacts: 8,
    ageMix: [0.02, 0.05, 0.1, 0.18, 0.3, 0.35],
  },
  {
    name: 'data-streamer',
    description: 'heavy mobile data, little voice; mostly young subscribers',
    share: 0.25,
    voiceOutPerDay: 0.3,
    voiceInPerDay: 0.3,
    medianCallSeconds: 60,
    voiceZoneMix: [0.6, 0.38, 0.018, 0.002],
    smsOutPerDay: 0.5,
    smsInPerDay: 0.5,
    dataSessionsPerDay: 2,
    medianSessionMb: 45,
    nightShare: 0.22,
    weekendFactor: 1.25,
    tripsPerMonth: 0.05,
    contacts: 15,
    ageMix: [0.4, 0.35, 0.15, 0.06, 0.03, 0.01],
  },
  {
    name: 'international-caller',
    description: 'long calls abroad (family overseas), moderate data',
    share: 0.2,
    voiceOutPerDay: 1,
    voiceInPerDay: 0.6,
    medianCallSeconds: 240,
    voiceZoneMix: [0.25, 0.2, 0.548, 0.002],
    smsOutPerDay: 0.2,
    smsInPerDay: 0.2,
    dataSessionsPerDay: 0.4,
    medianSessionMb: 12,
    nightShare: 0.1,
    weekendFactor: 1.3,
    tripsPerMonth: 0.08,
    contacts: 12,
    ageMix: [0.08, 0.3, 0.3, 0.18, 0.1, 0.04],
  },
  {
    name: 'business-traveller',
    description: 'many national calls, frequent trips abroad with roaming voice and data',
    share: 0.12,
    voiceOutPerDay: 1.6,
    voiceInPerDay: 1.2,
    medianCallSeconds: 150,
    voiceZoneMix: [0.35, 0.55, 0.098, 0.002],
    smsOutPerDay: 0.2,
    smsInPerDay: 0.2,
    dataSessionsPerDay: 0.8,
    medianSessionMb: 20,
    nightShare: 0.04,
    weekendFactor: 0.5,
    tripsPerMonth: 1.2,
    contacts: 60,
    ageMix: [0.02, 0.2, 0.35, 0.28, 0.13, 0.02],
  },
  {
    name: 'social-texter',
    description: 'heavy SMS and late-night voice within a wide circle of friends',
    share: 0.18,
    voiceOutPerDay: 0.7,
    voiceInPerDay: 0.7,
    medianCallSeconds: 80,
    voiceZoneMix: [0.7, 0.29, 0.008, 0.002],
    smsOutPerDay: 1.5,
    smsInPerDay: 1.5,
    dataSessionsPerDay: 0.4,
    medianSessionMb: 8,
    nightShare: 0.35,
    weekendFactor: 1.2,
    tripsPerMonth: 0.05,
    contacts: 40,
    ageMix: [0.45, 0.3, 0.13, 0.07, 0.04, 0.01],
  },
];
