import type { CallRecord } from '../data/records.js';
import { compileTariff } from './compile-tariff.js';
import { type EncodedCalls, encodeCalls } from './encode-calls.js';
import type { TariffPlan } from './tariff-plan.js';
import { tariffIssues } from './validate-tariff.js';

/** One finding of {@link lintTariff}. */
export interface TariffFinding {
  readonly kind:
    | 'invalid-plan'
    | 'overlapping-bands'
    | 'uncovered-hours'
    | 'allowance-without-rate'
    | 'unmatched-call'
    | 'unused-rate'
    | 'unused-allowance'
    | 'unused-band';
  readonly message: string;
  /** 1-based row of the sample call (`unmatched-call`). */
  readonly row?: number;
  /** Rate, allowance or band id concerned. */
  readonly id?: string;
}

/** Result of {@link lintTariff}: `findings` in the order of the kinds above. */
export interface TariffLint {
  readonly planId: string;
  readonly findings: readonly TariffFinding[];
  /** Sample calls checked, and how many each rate matched (by rate id). */
  readonly calls: number;
  readonly rateHits: Readonly<Record<string, number>>;
}

const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const maxUnmatched = 100;

/**
 * Finds the wiring mistakes of a tariff before it rates real traffic: validation problems (with
 * overlapping bands reported as their own kind), hours of the week in no band, allowances covering a
 * zone that no rate prices in any band (their units there can never be drawn), sample CDRs no rate
 * matches (unknown service or zone, a band without a rate; incoming calls without a rate are free,
 * not findings; at most 100 are listed), and rates, allowances and bands the sample never uses.
 * Never throws on a bad plan: it reports it.
 *
 * @example
 * lintTariff(plan, sampleCalls).findings;
 * // => [{ kind: 'unmatched-call', row: 3, message: "row 3: no rate for voice/out/premium in band 'peak'" },
 * //     { kind: 'unused-rate', id: 'voice-night', message: "rate 'voice-night' matched none of the 120 sample calls" }]
 */
export function lintTariff(plan: TariffPlan, sampleCalls: readonly CallRecord[] | EncodedCalls): TariffLint {
  const planId =
    plan !== null && typeof plan === 'object' && typeof plan.planId === 'string' ? plan.planId : '';
  const issues = tariffIssues(plan);
  if (issues.length > 0) {
    const findings = issues.map(
      (issue): TariffFinding => ({
        kind: issue.reason.includes('overlaps band') ? 'overlapping-bands' : 'invalid-plan',
        message: `${issue.column}: ${issue.reason}`,
      }),
    );
    return { planId, findings, calls: 0, rateHits: {} };
  }
  const compiled = compileTariff(plan);
  const findings: TariffFinding[] = [];
  if (compiled.bandCount > 0) {
    for (let day = 0; day < 7; day++) {
      let from = -1;
      for (let hour = 0; hour <= 24; hour++) {
        const uncovered = hour < 24 && compiled.weekBand[day * 24 + hour]! < 0;
        if (uncovered && from < 0) from = hour;
        if (!uncovered && from >= 0) {
          findings.push({
            kind: 'uncovered-hours',
            message: `${weekdayNames[day]} ${from}:00-${hour}:00 is in no time band: calls then cannot be rated`,
          });
          from = -1;
        }
      }
    }
  }
  // Units of an allowance over a zone that no rate prices are never drawn (outgoing calls there fail
  // to rate, incoming ones are free): the allowance is dead there whatever the traffic.
  (plan.allowances ?? []).forEach((allowance) => {
    const service = compiled.serviceNames.indexOf(allowance.service);
    const direction = allowance.direction === 'in' ? 1 : 0;
    const unpriced = allowance.zones.filter((zone) => {
      const row =
        ((service * 2 + direction) * compiled.zoneCount + compiled.zoneNames.indexOf(zone)) *
        compiled.bandCount;
      for (let band = 0; band < compiled.bandCount; band++)
        if (compiled.rateTable[row + band]! >= 0) return false;
      return true;
    });
    if (unpriced.length > 0)
      findings.push({
        kind: 'allowance-without-rate',
        id: allowance.id,
        message: `allowance '${allowance.id}' covers ${allowance.service}/${allowance.direction ?? 'out'} in zone${unpriced.length > 1 ? 's' : ''} ${unpriced.map((zone) => `'${zone}'`).join(', ')} that no rate prices in any band: its units there are never drawn`,
      });
  });
  const calls =
    'kind' in sampleCalls && sampleCalls.kind === 'encoded-calls'
      ? sampleCalls
      : encodeCalls(sampleCalls as readonly CallRecord[]);
  const serviceIndex = new Map(compiled.serviceNames.map((name, index) => [name, index]));
  const zoneIndex = new Map(compiled.zoneNames.map((name, index) => [name, index]));
  const rateHits = new Float64Array(plan.rates.length);
  const allowanceHits = new Float64Array((plan.allowances ?? []).length);
  const bandHits = new Float64Array(compiled.bandCount);
  let unmatched = 0;
  const report = (row: number, message: string): void => {
    unmatched += 1;
    if (unmatched <= maxUnmatched)
      findings.push({ kind: 'unmatched-call', row, message: `row ${row}: ${message}` });
  };
  for (let i = 0; i < calls.count; i++) {
    const serviceName = calls.serviceNames[calls.service[i]!]!;
    const service = serviceIndex.get(serviceName);
    if (service === undefined) {
      report(i + 1, `service '${serviceName}' is not in the plan`);
      continue;
    }
    const zoneName = calls.zone[i]! < 0 ? undefined : calls.zoneNames[calls.zone[i]!]!;
    const zone = zoneName === undefined ? undefined : zoneIndex.get(zoneName);
    if (zone === undefined) {
      report(i + 1, zoneName === undefined ? 'no destination zone' : `zone '${zoneName}' is not in the plan`);
      continue;
    }
    const local = calls.start[i]! + compiled.offsetMs;
    const day = Math.floor(local / 86_400_000);
    const date = new Date(day * 86_400_000);
    const band = compiled.holidayDays.has(day)
      ? compiled.holidayBand
      : compiled.weekBand[date.getUTCDay() * 24 + Math.floor((local - day * 86_400_000) / 3_600_000)]!;
    if (band < 0) {
      report(i + 1, `${new Date(calls.start[i]!).toISOString()} falls in no time band`);
      continue;
    }
    bandHits[band]! += 1;
    const key = service * 2 + calls.direction[i]!;
    const rate = compiled.rateTable[(key * compiled.zoneCount + zone) * compiled.bandCount + band]!;
    const allowance = compiled.allowanceTable[key * compiled.zoneCount + zone]!;
    if (rate < 0) {
      if (calls.direction[i] === 0)
        report(i + 1, `no rate for ${serviceName}/out/${zoneName} in band '${compiled.bandNames[band]}'`);
      continue;
    }
    rateHits[rate]! += 1;
    if (allowance >= 0) allowanceHits[allowance]! += 1;
  }
  if (unmatched > maxUnmatched)
    findings.push({
      kind: 'unmatched-call',
      message: `${unmatched - maxUnmatched} more unmatched calls not listed`,
    });
  const hits: Record<string, number> = {};
  plan.rates.forEach((rate, index) => {
    hits[rate.id] = rateHits[index]!;
    if (rateHits[index] === 0)
      findings.push({
        kind: 'unused-rate',
        id: rate.id,
        message: `rate '${rate.id}' matched none of the ${calls.count} sample calls`,
      });
  });
  (plan.allowances ?? []).forEach((allowance, index) => {
    if (allowanceHits[index] === 0) {
      findings.push({
        kind: 'unused-allowance',
        id: allowance.id,
        message: `allowance '${allowance.id}' covered none of the ${calls.count} sample calls`,
      });
    }
  });
  compiled.bandNames.forEach((band, index) => {
    if (bandHits[index] === 0 && calls.count > 0)
      findings.push({
        kind: 'unused-band',
        id: band,
        message: `band '${band}' holds none of the ${calls.count} sample calls`,
      });
  });
  return { planId, findings, calls: calls.count, rateHits: hits };
}
