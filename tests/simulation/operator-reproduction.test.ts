import { formatDate, generateOperator } from 'telco-analytics/data';
import {
  type Invoice,
  lintTariff,
  rateCalls,
  runBillCycle,
  tariffFromOperatorPlan,
  validateTariff,
} from 'telco-analytics/simulation';
import { beforeAll, describe, expect, it } from 'vitest';

// The generator charges every CDR by the reference rating of src/data/synthetic/operator-plans.ts and
// bills postpaid lines fee + month's usage; the converted plans must reproduce both to the cent.
type Operator = ReturnType<typeof generateOperator>;
let operator: Operator;
const planOf = new Map<string, string>();

beforeAll(() => {
  operator = generateOperator({ subscribers: 1500, months: 3, seed: 11 });
  for (const subscriber of operator.subscribers) planOf.set(subscriber.subscriberId, subscriber.planId!);
});

describe('tariffFromOperatorPlan', () => {
  it('converts every plan to a valid tariff', () => {
    for (const plan of operator.plans)
      expect(validateTariff(tariffFromOperatorPlan(plan)).planId).toBe(plan.planId);
    const small = tariffFromOperatorPlan(operator.plans.find((plan) => plan.planId === 'POST-S')!);
    // 200 minutes = 12,000 s; 2000 MB = 2,000,000 KB
    expect(small.allowances).toEqual([
      { id: 'minutes', service: 'voice', zones: ['local', 'national'], amount: 12_000 },
      { id: 'sms', service: 'sms', zones: ['local', 'national'], amount: 100 },
      {
        id: 'data',
        service: 'data',
        zones: ['local', 'national', 'international', 'premium'],
        amount: 2_000_000,
      },
    ]);
  });

  it('rates every generated CDR to exactly the charge the generator wrote', () => {
    let compared = 0;
    let charged = 0;
    for (const plan of operator.plans) {
      const calls = operator.calls.filter((call) => planOf.get(call.subscriberId) === plan.planId);
      const rated = rateCalls(calls, tariffFromOperatorPlan(plan));
      const mismatches: string[] = [];
      for (let i = 0; i < calls.length; i++) {
        const expected = Math.round(calls[i]!.charge! * 100);
        if (expected !== rated.charge[i] && mismatches.length < 5)
          mismatches.push(`${JSON.stringify(calls[i])} -> ${rated.charge[i]}`);
        if (expected > 0) charged += 1;
      }
      expect(mismatches).toEqual([]);
      compared += calls.length;
    }
    expect(compared).toBe(operator.calls.length);
    expect(charged).toBeGreaterThan(10_000);
  });

  it('rates the same CDRs identically after shuffling them', () => {
    const plan = operator.plans.find((candidate) => candidate.planId === 'POST-S')!;
    const calls = operator.calls.filter((call) => planOf.get(call.subscriberId) === plan.planId);
    const reversed = [...calls].reverse();
    const forward = rateCalls(calls, tariffFromOperatorPlan(plan));
    const backward = rateCalls(reversed, tariffFromOperatorPlan(plan));
    expect([...backward.charge].reverse()).toEqual([...forward.charge]);
    expect([...backward.allowanceUnits].reverse()).toEqual([...forward.allowanceUnits]);
  });

  it('lints clean against the generated CDRs (apart from rates the sample never uses)', () => {
    const plan = tariffFromOperatorPlan(operator.plans[3]!);
    const sample = operator.calls
      .filter((call) => planOf.get(call.subscriberId) === plan.planId)
      .slice(0, 20_000);
    const kinds = new Set(lintTariff(plan, sample).findings.map((finding) => finding.kind));
    expect([...kinds].filter((kind) => kind !== 'unused-rate')).toEqual([]);
  });

  it('a bill run reproduces every postpaid bill the generator issued (fee + month usage)', () => {
    const plans = operator.plans.map(tariffFromOperatorPlan);
    const months = ['2024-01', '2024-02', '2024-03'];
    const invoices = new Map<string, Invoice>();
    for (const period of months) {
      const bill = runBillCycle({ calls: operator.calls, subscribers: operator.subscribers, plans, period });
      for (const invoice of bill.invoices) invoices.set(`${invoice.subscriberId}|${period}`, invoice);
      // Lines sum to totals and totals to the period revenue.
      let revenue = 0;
      for (const invoice of bill.invoices) {
        expect(invoice.lines.reduce((sum, line) => sum + line.amount, 0)).toBe(invoice.total);
        revenue += invoice.total;
      }
      expect(bill.totals.revenue.total).toBe(revenue);
    }
    // Good payers pay the bill of month m during month m + 1 (3-20 days after it is issued on the 1st).
    const badPayers = new Set(
      operator.truth
        .filter((truth) => truth.badPayer || truth.fraud !== null)
        .map((truth) => truth.subscriberId),
    );
    let matched = 0;
    for (const payment of operator.payments) {
      const plan = operator.plans.find((candidate) => candidate.planId === planOf.get(payment.customerId))!;
      if (plan.kind !== 'postpaid' || badPayers.has(payment.customerId)) continue;
      const paid = new Date(payment.date);
      const billed = formatDate(Date.UTC(paid.getUTCFullYear(), paid.getUTCMonth() - 1, 1)).slice(0, 7);
      const invoice = invoices.get(`${payment.customerId}|${billed}`);
      expect(invoice, `${payment.customerId} ${billed}`).toBeDefined();
      expect(invoice!.total).toBe(Math.round(payment.amount * 100));
      matched += 1;
    }
    expect(matched).toBeGreaterThan(1000);
  });
});
