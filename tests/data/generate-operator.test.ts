import { type CallRecord, generateOperator, OptionError, streamOperator } from 'telco-analytics/data';
import { beforeAll, describe, expect, it } from 'vitest';

type Operator = ReturnType<typeof generateOperator>;
const subscriberCount = 3000;
let operator: Operator;
const callsBySubscriber = new Map<string, CallRecord[]>();
const dayMs = 86_400_000;

beforeAll(() => {
  operator = generateOperator({ subscribers: subscriberCount, months: 4, seed: 42 });
  for (const call of operator.calls) {
    const list = callsBySubscriber.get(call.subscriberId) ?? [];
    list.push(call);
    callsBySubscriber.set(call.subscriberId, list);
  }
});

const callsOf = (id: string): CallRecord[] => callsBySubscriber.get(id) ?? [];
const truthOf = (pattern: string) => operator.truth.filter((t) => t.fraud === pattern);

describe('generateOperator: shape and calendar', () => {
  it('describes the period and returns one subscriber and one truth row per line', () => {
    expect(operator.start).toBe('2024-01-01');
    expect(operator.end).toBe('2024-05-01');
    expect(operator.subscribers).toHaveLength(subscriberCount);
    expect(operator.truth.map((t) => t.subscriberId)).toEqual(
      operator.subscribers.map((s) => s.subscriberId),
    );
    expect(new Set(operator.subscribers.map((s) => s.subscriberId)).size).toBe(subscriberCount);
  });

  it('keeps every CDR inside the period, in time order per subscriber, with non-negative charges', () => {
    const start = Date.UTC(2024, 0, 1);
    const end = Date.UTC(2024, 4, 1);
    const problems: string[] = [];
    for (const [id, calls] of callsBySubscriber) {
      for (let i = 0; i < calls.length; i++) {
        const call = calls[i]!;
        if (!(call.start >= start && call.start < end))
          problems.push(`${id}: start ${call.start} outside the period`);
        if (i > 0 && call.start < calls[i - 1]!.start) problems.push(`${id}: call ${i} out of time order`);
        if (!(call.charge !== undefined && call.charge >= 0)) problems.push(`${id}: charge ${call.charge}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('never has usage before activation or after the churn date', () => {
    const problems: string[] = [];
    for (const [index, subscriber] of operator.subscribers.entries()) {
      const truth = operator.truth[index]!;
      const activation = Date.parse(`${String(subscriber.activationDate)}T00:00:00Z`);
      const churn =
        truth.churnDate === null ? Number.POSITIVE_INFINITY : Date.parse(`${truth.churnDate}T00:00:00Z`);
      const calls = callsOf(subscriber.subscriberId);
      const first = calls[0]?.start ?? Number.POSITIVE_INFINITY;
      const last = calls.at(-1)?.start ?? Number.NEGATIVE_INFINITY;
      if (first < activation || last >= churn) problems.push(`${subscriber.subscriberId}: ${first}..${last}`);
    }
    expect(problems).toEqual([]);
  });

  it('uses only the documented services, directions and zones', () => {
    const services = new Set(operator.calls.map((c) => c.service));
    const zones = new Set(operator.calls.map((c) => c.destination));
    expect([...services].sort()).toEqual(['data', 'mms', 'sms', 'voice']);
    expect([...zones].sort()).toEqual(['international', 'local', 'national', 'premium', 'roaming']);
    expect(new Set(operator.calls.map((c) => c.direction))).toEqual(new Set(['in', 'out']));
  });
});

describe('generateOperator: planted structure', () => {
  it('draws churners at the configured rate (0.15 ± 0.03; binomial sd 0.0065)', () => {
    const rate = operator.truth.filter((t) => t.churned).length / subscriberCount;
    expect(Math.abs(rate - 0.15)).toBeLessThan(0.03);
    expect(operator.subscribers.filter((s) => s.churned).length).toBe(
      operator.truth.filter((t) => t.churned).length,
    );
  });

  it('mixes ordinary subscribers from the five latent segments at their declared shares (± 0.03)', () => {
    const ordinary = operator.truth.filter((t) => t.fraud === null);
    for (const segment of operator.segments) {
      const share = ordinary.filter((t) => t.segment === segment.name).length / ordinary.length;
      expect(Math.abs(share - segment.share), segment.name).toBeLessThan(0.03);
    }
  });

  it('plants exactly round(share x subscribers) subscribers of each fraud pattern', () => {
    expect(truthOf('sim-box')).toHaveLength(9);
    expect(truthOf('revenue-share')).toHaveLength(9);
    expect(truthOf('subscription')).toHaveLength(12);
  });

  it('makes SIM-boxes: many short outgoing calls to distinct numbers, almost no incoming, one cell', () => {
    for (const truth of truthOf('sim-box')) {
      const calls = callsOf(truth.subscriberId);
      const out = calls.filter((c) => c.service === 'voice' && c.direction === 'out');
      const incoming = calls.filter((c) => c.direction === 'in');
      const activeDays = new Set(out.map((c) => Math.floor(c.start / dayMs))).size;
      expect(out.length / activeDays).toBeGreaterThan(30);
      expect(incoming.length / out.length).toBeLessThan(0.01);
      expect(new Set(out.map((c) => c.calledNumber)).size / out.length).toBeGreaterThan(0.95);
      const meanDuration = out.reduce((sum, c) => sum + (c.durationSec ?? 0), 0) / out.length;
      expect(meanDuration).toBeLessThan(90);
      expect(new Set(out.map((c) => c.cellId)).size).toBe(1);
    }
  });

  it('makes revenue-share fraud: night bursts of 25+ long premium calls in one day', () => {
    for (const truth of truthOf('revenue-share')) {
      const premium = callsOf(truth.subscriberId).filter((c) => c.destination === 'premium');
      const perDay = new Map<number, number>();
      for (const call of premium)
        perDay.set(Math.floor(call.start / dayMs), (perDay.get(Math.floor(call.start / dayMs)) ?? 0) + 1);
      expect(Math.max(0, ...perDay.values())).toBeGreaterThanOrEqual(25);
      const night = premium.filter((c) => new Date(c.start).getUTCHours() < 6).length;
      expect(night / premium.length).toBeGreaterThan(0.9);
    }
    // Ordinary subscribers almost never call premium numbers: at most a few calls on any day.
    const ordinaryPremiumDays = new Map<string, number>();
    for (const truth of operator.truth.filter((t) => t.fraud === null)) {
      for (const call of callsOf(truth.subscriberId)) {
        if (call.destination !== 'premium') continue;
        const key = `${truth.subscriberId}:${Math.floor(call.start / dayMs)}`;
        ordinaryPremiumDays.set(key, (ordinaryPremiumDays.get(key) ?? 0) + 1);
      }
    }
    expect(Math.max(0, ...ordinaryPremiumDays.values())).toBeLessThan(5);
  });

  it('makes subscription fraud: new lines, heavy international use right after activation, then arrears', () => {
    for (const truth of truthOf('subscription')) {
      const subscriber = operator.subscribers.find((s) => s.subscriberId === truth.subscriberId)!;
      expect(String(subscriber.activationDate) >= operator.start).toBe(true);
      expect(subscriber.contract).not.toBe('prepaid');
      const calls = callsOf(truth.subscriberId);
      const activation = Date.parse(`${String(subscriber.activationDate)}T00:00:00Z`);
      expect(Math.max(...calls.map((c) => c.start)) - activation).toBeLessThan(41 * dayMs);
      const out = calls.filter((c) => c.service === 'voice' && c.direction === 'out');
      const abroad = out.filter((c) => c.destination === 'international' || c.destination === 'premium');
      expect(abroad.length / out.length).toBeGreaterThan(0.5);
      expect(operator.payments.some((p) => p.customerId === truth.subscriberId)).toBe(false);
    }
    const withBills = truthOf('subscription').map(
      (t) => operator.subscribers.find((s) => s.subscriberId === t.subscriberId)!.arrearsDays ?? 0,
    );
    expect(withBills.filter((days) => days > 0).length).toBeGreaterThan(withBills.length / 2);
  });

  it('makes churners fade: usage in the last 30 days before the churn is below 60% of the earlier rate', () => {
    const ratios: number[] = [];
    for (const truth of operator.truth.filter((t) => t.churned && !t.silentChurner)) {
      const churn = Date.parse(`${truth.churnDate}T00:00:00Z`);
      const calls = callsOf(truth.subscriberId);
      const subscriber = operator.subscribers.find((s) => s.subscriberId === truth.subscriberId)!;
      const from = Math.max(
        Date.UTC(2024, 0, 1),
        Date.parse(`${String(subscriber.activationDate)}T00:00:00Z`),
      );
      const earlyDays = (churn - 30 * dayMs - from) / dayMs;
      if (earlyDays < 20) continue;
      const late = calls.filter((c) => c.start >= churn - 30 * dayMs).length / 30;
      const early = calls.filter((c) => c.start < churn - 30 * dayMs).length / earlyDays;
      if (early > 0) ratios.push(late / early);
    }
    ratios.sort((a, b) => a - b);
    expect(ratios.length).toBeGreaterThan(100);
    expect(ratios[Math.floor(ratios.length / 2)]!).toBeLessThan(0.6);
  });

  it('gives churners more complaints than others', () => {
    const mean = (flag: boolean) => {
      const rows = operator.subscribers.filter((s) => s.churned === flag);
      return rows.reduce((sum, s) => sum + Number(s.complaints), 0) / rows.length;
    };
    expect(mean(true)).toBeGreaterThan(4 * mean(false));
  });

  it('plants roaming voice with roaming data among business travellers', () => {
    const share = (segment: string) => {
      const members = operator.truth.filter((t) => t.segment === segment && t.fraud === null);
      const both = members.filter((t) => {
        const calls = callsOf(t.subscriberId);
        return (
          calls.some((c) => c.service === 'voice' && c.destination === 'roaming') &&
          calls.some((c) => c.service === 'data' && c.destination === 'roaming')
        );
      });
      return both.length / members.length;
    };
    expect(share('business-traveller')).toBeGreaterThan(0.8);
    expect(share('light-user')).toBeLessThan(0.1);
  });

  it("bills postpaid good payers exactly the fee plus the month's CDR charges", () => {
    const plans = new Map(operator.plans.map((plan) => [plan.planId, plan]));
    let checked = 0;
    for (const [index, subscriber] of operator.subscribers.entries()) {
      const truth = operator.truth[index]!;
      const plan = plans.get(String(subscriber.planId))!;
      if (plan.kind !== 'postpaid' || truth.badPayer || truth.fraud !== null) continue;
      if (String(subscriber.activationDate) >= '2024-01-01' || truth.churned) continue;
      const januaryCents = callsOf(subscriber.subscriberId)
        .filter((c) => c.start < Date.UTC(2024, 1, 1))
        .reduce((sum, c) => sum + Math.round((c.charge ?? 0) * 100), 0);
      const payment = operator.payments.find(
        (p) =>
          p.customerId === subscriber.subscriberId &&
          p.date >= Date.UTC(2024, 1, 1) &&
          p.date < Date.UTC(2024, 1, 22),
      );
      expect(payment, subscriber.subscriberId).toBeDefined();
      expect(Math.round(payment!.amount * 100)).toBe(plan.monthlyFeeCents + januaryCents);
      if (++checked === 50) break;
    }
    expect(checked).toBe(50);
  });
});

describe('generateOperator: determinism and options', () => {
  it('gives identical data for the same seed whatever the chunk size, and different data for another seed', () => {
    const small = { subscribers: 300, months: 2, seed: 7 };
    const a = generateOperator({ ...small, chunkSize: 1000 });
    const b = generateOperator({ ...small, chunkSize: 7 });
    const c = generateOperator({ ...small, seed: 8 });
    expect(b.calls).toEqual(a.calls);
    expect(b.payments).toEqual(a.payments);
    expect(b.subscribers).toEqual(a.subscribers);
    expect(c.calls.length).not.toBe(a.calls.length);
  });

  it('streams chunks of at most chunkSize subscribers, identical on a second pass', () => {
    const stream = streamOperator({ subscribers: 250, months: 1, seed: 3, chunkSize: 100 });
    const sizes = [...stream.chunks()].map((chunk) => chunk.subscribers.length);
    expect(sizes).toEqual([100, 100, 50]);
    const first = [...stream.chunks()][2]!.calls;
    expect([...stream.chunks()][2]!.calls).toEqual(first);
  });

  it.each([
    [{ subscribers: 0 }, 'subscribers'],
    [{ subscribers: 10.5 }, 'subscribers'],
    [{ months: 0 }, 'months'],
    [{ seed: 0.5 }, 'seed'],
    [{ churnRate: 1.5 }, 'churnRate'],
    [{ churnRate: Number.NaN }, 'churnRate'],
    [{ start: '2024-01-15' }, 'start'],
    [{ start: 'soon' }, 'start'],
    [{ fraud: { 'sim-box': -0.1 } }, 'fraud.sim-box'],
    [{ fraud: { phishing: 0.1 } as never }, 'fraud.phishing'],
  ])('rejects %o naming the option', (options, option) => {
    const error = (() => {
      try {
        streamOperator(options);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(OptionError);
    expect((error as OptionError).option).toBe(option);
    expect((error as OptionError).code).toBe('INVALID_OPTION');
  });
});
