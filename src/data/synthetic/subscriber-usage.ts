import type { Rng } from '../random.js';
import type { CallRecord, Payment, Subscriber } from '../records.js';
import {
  type AllowanceState,
  chargeData,
  chargeSmsOut,
  chargeVoiceIn,
  chargeVoiceOut,
  type OperatorPlan,
  operatorPlans,
  zoneInternational,
  zoneLocal,
  zoneNames,
  zoneNational,
  zonePremium,
  zoneRoaming,
} from './operator-plans.js';
import { regions, type SubscriberProfile } from './subscriber-profiles.js';
import { type UsageSegment, usageSegments } from './usage-segments.js';

/** The calendar of the generated period (internal). */
export interface PeriodCalendar {
  readonly startMs: number;
  readonly days: number;
  /** Day index at which each month starts, plus the period length at the end (length months + 1). */
  readonly monthStartDays: Int32Array;
  readonly monthOfDay: Int32Array;
  readonly weekendDay: Uint8Array;
}

const secondsPerDay = 86_400;
const millisecondsPerSecond = 1000;
const kindVoiceOut = 0;
const kindVoiceIn = 1;
const kindSmsOut = 2;
const kindSmsIn = 3;
const kindData = 4;
const kindMmsOut = 5;
// Sort keys pack (second of period, event index): 2^21 events per subscriber and 2^31 seconds fit in 2^53.
const indexSpan = 2 ** 21;

const daytimeProfile = [
  0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.2, 1.4, 1.5, 1.5, 1.5, 1.4, 1.4, 1.4, 1.5, 1.7, 1.9, 2, 1.8,
  1.4, 0.9, 0.5,
];
const nightHours = new Set([22, 23, 0, 1, 2, 3, 4, 5]);

function cumulative(weights: readonly number[]): Float64Array {
  const result = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    total += weights[i]!;
    result[i] = total;
  }
  return result;
}

function hourProfile(nightShare: number): Float64Array {
  const daytimeTotal = daytimeProfile.reduce((sum, weight) => sum + weight, 0);
  const weights = daytimeProfile.map(
    (weight, hour) =>
      ((1 - nightShare) * weight) / daytimeTotal + (nightHours.has(hour) ? nightShare / 8 : 0),
  );
  return cumulative(weights);
}

const segmentHourProfiles = usageSegments.map((segment) => hourProfile(segment.nightShare));
const uniformHours = (from: number, to: number): Float64Array =>
  cumulative(Array.from({ length: 24 }, (_, hour) => (hour >= from && hour < to ? 1 : 0)));
const simBoxHours = uniformHours(6, 24);
const burstHours = uniformHours(0, 6);

/** Index of the first cumulative weight above `target` (binary search). */
function pick(cumulativeWeights: Float64Array, length: number, target: number): number {
  let low = 0;
  let high = length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulativeWeights[middle]! > target) high = middle;
    else low = middle + 1;
  }
  return low;
}

const internationalPrefixes = ['+1', '+91', '+234', '+63', '+48', '+52', '+90', '+55'];
// International revenue share fraud terminates on a few high-cost ranges that the fraud ring rents.
const revenueShareNumbers = Array.from(
  { length: 12 },
  (_, i) => `+88213${String(400_117 + i * 7919).padStart(6, '0')}`,
);
const regionCodes = ['CAP', 'NTH', 'STH', 'EST', 'WST'];
const cellsPerRegion = 40;
const cellIds = regionCodes.map((code) =>
  Array.from({ length: cellsPerRegion }, (_, cell) => `${code}-${String(cell).padStart(3, '0')}`),
);

function nationalNumber(rng: Rng): string {
  return `+447${String(100_000_000 + rng.integer(899_999_999))}`;
}

/** Reusable per-event columns, grown on demand, so the generator allocates per chunk, not per event. */
class EventBuffer {
  size = 0;
  second = new Int32Array(1024);
  kind = new Uint8Array(1024);
  zone = new Uint8Array(1024);
  duration = new Int32Array(1024);
  volume = new Float64Array(1024);
  contact = new Int32Array(1024);
  keys = new Float64Array(1024);

  push(second: number, kind: number, zone: number, duration: number, volume: number, contact: number): void {
    if (this.size === this.second.length) this.grow();
    const i = this.size++;
    this.second[i] = second;
    this.kind[i] = kind;
    this.zone[i] = zone;
    this.duration[i] = duration;
    this.volume[i] = volume;
    this.contact[i] = contact;
  }

  private grow(): void {
    const capacity = this.second.length * 2;
    const grow = <T extends Int32Array | Uint8Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const fresh = make(capacity);
      fresh.set(old);
      return fresh;
    };
    this.second = grow(this.second, (n) => new Int32Array(n));
    this.kind = grow(this.kind, (n) => new Uint8Array(n));
    this.zone = grow(this.zone, (n) => new Uint8Array(n));
    this.duration = grow(this.duration, (n) => new Int32Array(n));
    this.volume = grow(this.volume, (n) => new Float64Array(n));
    this.contact = grow(this.contact, (n) => new Int32Array(n));
    this.keys = new Float64Array(capacity);
  }

  /** Event indexes in time order (ties by insertion order). */
  sortedOrder(): Float64Array {
    const keys = this.keys.subarray(0, this.size);
    for (let i = 0; i < this.size; i++) keys[i] = this.second[i]! * indexSpan + i;
    keys.sort();
    return keys;
  }
}

/** The generated records of one subscriber. */
export interface SubscriberOutput {
  readonly subscriber: Subscriber;
  readonly calls: CallRecord[];
  readonly payments: Payment[];
  readonly arrearsDays: number;
}

interface StreamRates {
  voiceOut: number;
  voiceIn: number;
  smsOut: number;
  smsIn: number;
  data: number;
  mms: number;
}

const buffer = new EventBuffer();

/**
 * Draws one subscriber's CDRs, rates them under the subscriber's plan (see operator-plans.ts),
 * and derives the payments (postpaid bills paid or not; prepaid top-ups) and the arrears at the
 * end of the period.
 */
export function generateSubscriberUsage(
  profile: SubscriberProfile,
  calendar: PeriodCalendar,
  rng: Rng,
): SubscriberOutput {
  const segment = usageSegments[profile.segment]!;
  const plan = operatorPlans[profile.plan]!;
  const { days } = calendar;
  const firstDay = Math.max(0, profile.activationDay);
  const lastDay = profile.lastDayExclusive;

  // Per-day activity weights: weekly rhythm, and a decline over the weeks before a churn.
  const dayWeights = new Float64Array(days);
  const declineDays = profile.churned && !profile.silentChurner ? 30 + rng.integer(46) : 0;
  const flatWeek = profile.fraud === 'sim-box' || profile.fraud === 'subscription';
  const usageFrom = profile.fraud === 'sim-box' ? profile.fraudStartDay : firstDay;
  let totalWeight = 0;
  for (let day = Math.max(0, usageFrom); day < lastDay; day++) {
    let weight = flatWeek || calendar.weekendDay[day] === 0 ? 1 : segment.weekendFactor;
    if (declineDays > 0 && day >= lastDay - declineDays)
      weight *= 1 - (0.8 * (day - (lastDay - declineDays))) / declineDays;
    totalWeight += weight;
    dayWeights[day] = totalWeight;
  }
  // Days before usage starts keep cumulative 0 and are never picked; days after keep the total.
  for (let day = lastDay; day < days; day++) dayWeights[day] = totalWeight;

  const roamingDays = new Uint8Array(days);
  if (profile.fraud === null || profile.fraud === 'revenue-share') {
    const trips = rng.poisson(segment.tripsPerMonth * (days / 30.44));
    for (let trip = 0; trip < trips; trip++) {
      const from = rng.integer(days);
      const length = 2 + rng.integer(4);
      for (let day = from; day < Math.min(days, from + length); day++) roamingDays[day] = 1;
    }
  }

  const rates = streamRates(profile, segment, rng);
  const contacts = Math.max(2, Math.round(segment.contacts * rng.logNormal(0, 0.4)));
  const contactCumulative = cumulative(Array.from({ length: contacts }, (_, rank) => 1 / (rank + 1)));
  const contactTotal = contactCumulative[contacts - 1]!;
  const foreignContacts = 1 + rng.integer(3);
  const foreignPrefix = internationalPrefixes[rng.integer(internationalPrefixes.length)]!;
  const hours = profile.fraud === 'sim-box' ? simBoxHours : segmentHourProfiles[profile.segment]!;
  const zoneMix = cumulative(
    profile.fraud === 'subscription' ? [0.15, 0.15, 0.55, 0.15] : segment.voiceZoneMix,
  );
  const medianCall =
    profile.fraud === 'sim-box' ? 40 : profile.fraud === 'subscription' ? 420 : segment.medianCallSeconds;
  const callSigma = profile.fraud === 'sim-box' ? 0.6 : 0.9;
  const medianMb = profile.fraud === 'subscription' ? 150 : segment.medianSessionMb;
  const foreignSmsShare = profile.segment === 2 ? 0.3 : 0.02;
  const foreignCallerShare = profile.segment === 2 ? 0.4 : 0.05;

  buffer.size = 0;
  const drawSecond = (): number => {
    const day = pick(dayWeights, days, rng.uniform() * totalWeight);
    const hour = pick(hours, 24, rng.uniform() * hours[23]!);
    return day * secondsPerDay + hour * 3600 + rng.integer(3600);
  };
  const drawContact = (): number => pick(contactCumulative, contacts, rng.uniform() * contactTotal);
  const isRoaming = (second: number): boolean => roamingDays[Math.floor(second / secondsPerDay)] === 1;

  if (totalWeight > 0) {
    const voiceOut = rng.poisson(rates.voiceOut * totalWeight);
    for (let i = 0; i < voiceOut; i++) {
      const second = drawSecond();
      const zone = isRoaming(second) ? zoneRoaming : pick(zoneMix, 4, rng.uniform() * zoneMix[3]!);
      const duration = Math.max(1, Math.round(medianCall * Math.exp(callSigma * rng.normal())));
      // -1: a number outside the contact circle (SIM-boxes call strangers).
      const contact =
        profile.fraud === 'sim-box'
          ? -1
          : zone === zoneInternational
            ? rng.integer(foreignContacts)
            : drawContact();
      buffer.push(second, kindVoiceOut, zone, duration, 0, contact);
    }
    const voiceIn = rng.poisson(rates.voiceIn * totalWeight);
    for (let i = 0; i < voiceIn; i++) {
      const second = drawSecond();
      const zone = isRoaming(second)
        ? zoneRoaming
        : rng.bernoulli(foreignCallerShare)
          ? zoneInternational
          : rng.bernoulli(0.35)
            ? zoneNational
            : zoneLocal;
      const duration = Math.max(1, Math.round(medianCall * Math.exp(callSigma * rng.normal())));
      buffer.push(
        second,
        kindVoiceIn,
        zone,
        duration,
        0,
        zone === zoneInternational ? rng.integer(foreignContacts) : drawContact(),
      );
    }
    const smsOut = rng.poisson(rates.smsOut * totalWeight);
    for (let i = 0; i < smsOut; i++) {
      const second = drawSecond();
      const zone = isRoaming(second)
        ? zoneRoaming
        : rng.bernoulli(foreignSmsShare)
          ? zoneInternational
          : zoneLocal;
      buffer.push(
        second,
        kindSmsOut,
        zone,
        0,
        0,
        zone === zoneInternational ? rng.integer(foreignContacts) : drawContact(),
      );
    }
    const smsIn = rng.poisson(rates.smsIn * totalWeight);
    for (let i = 0; i < smsIn; i++) {
      const second = drawSecond();
      buffer.push(second, kindSmsIn, isRoaming(second) ? zoneRoaming : zoneLocal, 0, 0, drawContact());
    }
    const sessions = rng.poisson(rates.data * totalWeight);
    for (let i = 0; i < sessions; i++) {
      const second = drawSecond();
      const volume = Math.max(0.001, Math.round(medianMb * Math.exp(rng.normal()) * 1000) / 1000);
      buffer.push(second, kindData, isRoaming(second) ? zoneRoaming : zoneLocal, 0, volume, -1);
    }
    const mms = rng.poisson(rates.mms * totalWeight);
    for (let i = 0; i < mms; i++) {
      const second = drawSecond();
      buffer.push(second, kindMmsOut, isRoaming(second) ? zoneRoaming : zoneLocal, 0, 0, drawContact());
    }
  }
  if (profile.fraud === 'revenue-share') plantRevenueShareBursts(profile, dayWeights, days, rng);

  return rateAndBill(profile, plan, calendar, rng, contacts, foreignPrefix);
}

function streamRates(profile: SubscriberProfile, segment: UsageSegment, rng: Rng): StreamRates {
  const factor = (): number => rng.logNormal(0, 0.3);
  const dataFactor = profile.device === 'feature-phone' ? 0.05 : 1;
  if (profile.fraud === 'sim-box') {
    return { voiceOut: 60 * factor(), voiceIn: 0.1, smsOut: 0, smsIn: 0, data: 0, mms: 0 };
  }
  if (profile.fraud === 'subscription') {
    return { voiceOut: 14 * factor(), voiceIn: 0.5, smsOut: 3, smsIn: 0.3, data: 3, mms: 0.1 };
  }
  return {
    voiceOut: segment.voiceOutPerDay * factor(),
    voiceIn: segment.voiceInPerDay * factor(),
    smsOut: segment.smsOutPerDay * factor(),
    smsIn: segment.smsInPerDay * factor(),
    data: segment.dataSessionsPerDay * factor() * dataFactor,
    mms: profile.device === 'smartphone' ? 0.01 : 0,
  };
}

function plantRevenueShareBursts(
  profile: SubscriberProfile,
  dayWeights: Float64Array,
  days: number,
  rng: Rng,
): void {
  const bursts = 1 + rng.integer(3);
  const span = Math.max(1, Math.min(days, profile.lastDayExclusive) - profile.fraudStartDay);
  const numbers = 2 + rng.integer(3);
  const firstNumber = rng.integer(revenueShareNumbers.length);
  for (let burst = 0; burst < bursts; burst++) {
    const day = Math.min(days - 1, profile.fraudStartDay + rng.integer(span));
    if (day > 0 && dayWeights[day] === dayWeights[day - 1]) continue; // the line is not in use that day
    const calls = 25 + rng.integer(40);
    for (let i = 0; i < calls; i++) {
      const hour = pick(burstHours, 24, rng.uniform() * 6);
      const duration = Math.max(60, Math.round(900 * Math.exp(0.5 * rng.normal())));
      // Contacts >= 1,000,000 encode the fraud ring's numbers.
      const contact = 1_000_000 + ((firstNumber + rng.integer(numbers)) % revenueShareNumbers.length);
      buffer.push(
        day * secondsPerDay + hour * 3600 + rng.integer(3600),
        kindVoiceOut,
        zonePremium,
        duration,
        0,
        contact,
      );
    }
  }
}

function rateAndBill(
  profile: SubscriberProfile,
  plan: OperatorPlan,
  calendar: PeriodCalendar,
  rng: Rng,
  contacts: number,
  foreignPrefix: string,
): SubscriberOutput {
  const { days, startMs, monthStartDays, monthOfDay } = calendar;
  const months = monthStartDays.length - 1;
  const subscriberId = profile.subscriberId;
  const regionName = regions[profile.region]!;
  const regionCells = cellIds[profile.region]!;
  const homeCell = regionCells[rng.integer(cellsPerRegion)]!;
  const workCell = regionCells[rng.integer(cellsPerRegion)]!;
  const wanderShare = profile.segment === 3 ? 0.3 : 0.1;

  // Contact numbers are fixed per subscriber and drawn from its own stream.
  const nationalNumbers = Array.from({ length: contacts }, () => nationalNumber(rng));
  const foreignNumbers = Array.from(
    { length: 3 },
    () => `${foreignPrefix}${String(200_000_000 + rng.integer(700_000_000))}`,
  );
  const premiumNumber = `+44909${String(rng.integer(1_000_000)).padStart(6, '0')}`;

  const usageCents = new Float64Array(months);
  const allowance: AllowanceState = { minutes: 0, sms: 0, mb: 0 };
  let currentMonth = -1;
  const calls: CallRecord[] = new Array(buffer.size);
  const order = buffer.sortedOrder();
  for (let position = 0; position < order.length; position++) {
    const i = order[position]! % indexSpan;
    const second = buffer.second[i]!;
    const month = monthOfDay[Math.floor(second / secondsPerDay)]!;
    if (month !== currentMonth) {
      currentMonth = month;
      allowance.minutes = plan.includedMinutes;
      allowance.sms = plan.includedSms;
      allowance.mb = plan.includedMb;
    }
    const kind = buffer.kind[i]!;
    const zone = buffer.zone[i]!;
    const roaming = zone === zoneRoaming;
    const start = startMs + second * millisecondsPerSecond;
    const cellId = roaming
      ? 'ROAM'
      : profile.fraud === 'sim-box'
        ? homeCell
        : rng.uniform() < wanderShare
          ? regionCells[rng.integer(cellsPerRegion)]!
          : rng.uniform() < 0.72
            ? homeCell
            : workCell;
    const region = roaming ? 'abroad' : regionName;
    const contact = buffer.contact[i]!;
    let cents: number;
    let record: CallRecord;
    if (kind === kindData) {
      cents = chargeData(plan, roaming, buffer.volume[i]!, allowance);
      record = {
        subscriberId,
        start,
        service: 'data',
        direction: 'out',
        volumeMb: buffer.volume[i]!,
        destination: roaming ? 'roaming' : 'national',
        cellId,
        region,
        charge: cents / 100,
      };
    } else {
      const calledNumber =
        contact < 0
          ? nationalNumber(rng)
          : contact >= 1_000_000
            ? revenueShareNumbers[contact - 1_000_000]!
            : zone === zonePremium
              ? premiumNumber
              : zone === zoneInternational
                ? foreignNumbers[contact]!
                : nationalNumbers[contact]!;
      if (kind === kindVoiceOut || kind === kindVoiceIn) {
        const seconds = buffer.duration[i]!;
        cents =
          kind === kindVoiceOut
            ? chargeVoiceOut(plan, zone, seconds, allowance)
            : chargeVoiceIn(plan, roaming, seconds);
        record = {
          subscriberId,
          start,
          service: 'voice',
          direction: kind === kindVoiceOut ? 'out' : 'in',
          durationSec: seconds,
          destination: zoneNames[zone]!,
          calledNumber,
          cellId,
          region,
          charge: cents / 100,
        };
      } else {
        const outgoing = kind !== kindSmsIn;
        cents =
          kind === kindMmsOut ? plan.rates.mmsPerMessage : outgoing ? chargeSmsOut(plan, zone, allowance) : 0;
        record = {
          subscriberId,
          start,
          service: kind === kindMmsOut ? 'mms' : 'sms',
          direction: outgoing ? 'out' : 'in',
          destination: zoneNames[zone]!,
          calledNumber,
          cellId,
          region,
          charge: cents / 100,
        };
      }
    }
    usageCents[month] = usageCents[month]! + cents;
    calls[position] = record;
  }

  const { payments, arrearsDays } =
    plan.kind === 'postpaid'
      ? postpaidPayments(profile, plan, calendar, usageCents, rng)
      : prepaidTopUps(profile, plan, calendar, usageCents, rng);
  const endDay = Math.min(days, profile.lastDayExclusive);
  const subscriber: Subscriber = {
    subscriberId,
    planId: plan.planId,
    contract: profile.contract,
    tenureMonths: Math.max(0, Math.floor((endDay - profile.activationDay) / 30.44)),
    activationDate: new Date(startMs + profile.activationDay * 86_400_000).toISOString().slice(0, 10),
    region: regionName,
    ageBand: profile.ageBand,
    device: profile.device,
    complaints: profile.complaints,
    arrearsDays,
    churned: profile.churned,
  };
  return { subscriber, calls, payments, arrearsDays };
}

function activeInMonth(profile: SubscriberProfile, monthStart: number, monthEnd: number): boolean {
  return profile.activationDay < monthEnd && profile.lastDayExclusive > monthStart;
}

function paymentAt(
  profile: SubscriberProfile,
  calendar: PeriodCalendar,
  day: number,
  cents: number,
  rng: Rng,
): Payment {
  const date =
    calendar.startMs + day * 86_400_000 + (9 + rng.integer(12)) * 3_600_000 + rng.integer(3600) * 1000;
  return { customerId: profile.subscriberId, date, amount: cents / 100 };
}

/**
 * Postpaid: the bill for month m (fee + usage) is issued on the first day of month m + 1 and due
 * 14 days later. Good payers pay 3-20 days after issue; bad payers pay 25-74 days late (55%) or not
 * at all (45%); subscription fraudsters never pay. Arrears at the end of the period are the days
 * past due of the oldest bill still unpaid then.
 */
function postpaidPayments(
  profile: SubscriberProfile,
  plan: OperatorPlan,
  calendar: PeriodCalendar,
  usageCents: Float64Array,
  rng: Rng,
): { payments: Payment[]; arrearsDays: number } {
  const { days, monthStartDays } = calendar;
  const payments: Payment[] = [];
  let arrearsDays = 0;
  for (let month = 0; month < usageCents.length; month++) {
    const monthStart = monthStartDays[month]!;
    const issueDay = monthStartDays[month + 1]!;
    if (issueDay >= days || !activeInMonth(profile, monthStart, issueDay)) continue;
    const cents = plan.monthlyFeeCents + usageCents[month]!;
    let payDay: number;
    if (profile.fraud === 'subscription') payDay = Number.POSITIVE_INFINITY;
    else if (profile.badPayer)
      payDay = rng.bernoulli(0.55) ? issueDay + 25 + rng.integer(50) : Number.POSITIVE_INFINITY;
    else payDay = issueDay + 3 + rng.integer(18);
    if (payDay < days) payments.push(paymentAt(profile, calendar, payDay, cents, rng));
    else arrearsDays = Math.max(arrearsDays, days - (issueDay + 14));
  }
  return { payments, arrearsDays };
}

const topUpSizes = [500, 1000, 2000, 3000, 5000];

/**
 * Prepaid: each month's spend (fee + usage) is covered by top-ups of one size (the one closest to
 * half the month's spend, at least 5.00), on days drawn uniformly over the active part of the month.
 */
function prepaidTopUps(
  profile: SubscriberProfile,
  plan: OperatorPlan,
  calendar: PeriodCalendar,
  usageCents: Float64Array,
  rng: Rng,
): { payments: Payment[]; arrearsDays: number } {
  const { monthStartDays } = calendar;
  const payments: Payment[] = [];
  for (let month = 0; month < usageCents.length; month++) {
    const from = Math.max(monthStartDays[month]!, profile.activationDay);
    const to = Math.min(monthStartDays[month + 1]!, profile.lastDayExclusive);
    if (to <= from) continue;
    const spend = plan.monthlyFeeCents + usageCents[month]!;
    if (spend <= 0) continue;
    let size = topUpSizes[0]!;
    for (const candidate of topUpSizes)
      if (Math.abs(candidate - spend / 2) < Math.abs(size - spend / 2)) size = candidate;
    const count = Math.ceil(spend / size);
    const topUpDays = Array.from({ length: count }, () => from + rng.integer(to - from)).sort(
      (a, b) => a - b,
    );
    for (const day of topUpDays) payments.push(paymentAt(profile, calendar, day, size, rng));
  }
  return { payments, arrearsDays: 0 };
}
