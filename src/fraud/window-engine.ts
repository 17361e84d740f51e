import type { CallRecord, Payment, Subscriber } from '../data/records.js';
import { toEpochMilliseconds } from '../data/timestamp.js';
import {
  callFlags,
  incomingFlag,
  internationalFlag,
  nightFlag,
  outgoingSeconds,
  premiumFlag,
  voiceFlag,
} from './call-fields.js';
import {
  addDistinct,
  addDistinctTo,
  clearDistinct,
  createDistinctValues,
  type DistinctValues,
  distinctCount,
} from './distinct-values.js';
import type { CompiledRule, Severity } from './fraud-rule.js';
import { paneOf, paneStart, type WindowSpec } from './rule-window.js';
import {
  accountMetricOffset,
  baselineSourceIndex,
  fraudMetrics,
  metricIndex,
  zScoreOffset,
} from './usage-metrics.js';

/** One rule match: a subscriber, a rule and one occurrence of the rule's window. */
export interface FraudAlert {
  readonly subscriberId: string;
  readonly ruleId: string;
  readonly severity: Severity;
  /** The rule's window, as a label: `'24h'`, `'cycle'`, `'24h/1h'` (sliding). */
  readonly window: string;
  /** Start of the window occurrence, epoch ms UTC (inclusive). */
  readonly windowStart: number;
  /** End of the window occurrence, epoch ms UTC (exclusive). */
  readonly windowEnd: number;
  readonly department?: string;
  /** The value of every metric the rule's condition reads (`null` when unavailable). */
  readonly evidence: Readonly<Record<string, number | null>>;
}

/** Metrics of one subscriber in one window occurrence. Internal hook for usageAggregates. */
export type WindowListener = (
  subscriberId: string,
  window: string,
  windowStart: number,
  windowEnd: number,
  metrics: Float64Array,
) => void;

const dayMs = 86_400_000;

interface Pane {
  events: number;
  calls: number;
  incoming: number;
  outSeconds: number;
  internationalSeconds: number;
  premiumSeconds: number;
  nightCalls: number;
  spend: number;
  readonly numbers: DistinctValues | null;
  readonly cells: DistinctValues | null;
}

function emptyPane(numbers: boolean, cells: boolean): Pane {
  return {
    events: 0,
    calls: 0,
    incoming: 0,
    outSeconds: 0,
    internationalSeconds: 0,
    premiumSeconds: 0,
    nightCalls: 0,
    spend: 0,
    numbers: numbers ? createDistinctValues() : null,
    cells: cells ? createDistinctValues() : null,
  };
}

function clearPane(pane: Pane): void {
  pane.events = 0;
  pane.calls = 0;
  pane.incoming = 0;
  pane.outSeconds = 0;
  pane.internationalSeconds = 0;
  pane.premiumSeconds = 0;
  pane.nightCalls = 0;
  pane.spend = 0;
  if (pane.numbers !== null) clearDistinct(pane.numbers);
  if (pane.cells !== null) clearDistinct(pane.cells);
}

/** Everything a window spec needs, shared by all subscribers. */
export interface SpecPlan {
  readonly spec: WindowSpec;
  readonly rules: readonly CompiledRule[];
  readonly numbers: boolean;
  readonly cells: boolean;
  readonly zScores: boolean;
  /** The z-scores (0-based among the baseline metrics) a rule or the listener reads. */
  readonly zScoreSlots: Int32Array;
  readonly account: boolean;
}

interface SpecState {
  current: number;
  currentStart: number;
  currentEnd: number;
  lastNonEmpty: number;
  readonly panes: Pane[];
  retiredSpend: number;
  readonly baseline: Float64Array;
  baselineCount: number;
  baselineNext: number;
}

/** Per-subscriber state: bounded (fixed rings of panes and baselines, sets of one window). */
export interface SubscriberState {
  subscriberId: string;
  firstCall: number;
  lastCall: number;
  readonly specs: SpecState[];
  /** The monitor's schedule bucket holding this state (NaN: none). */
  bucket: number;
}

interface AccountInfo {
  readonly arrearsDays: number;
  readonly activation: number;
}

interface PaymentHistory {
  readonly dates: Float64Array;
  readonly cumulative: Float64Array;
}

/** Options shared by the batch evaluator, the monitor and the aggregates. */
export interface EngineOptions {
  readonly subscribers?: readonly Subscriber[] | undefined;
  readonly payments?: readonly Payment[] | undefined;
  readonly baselineWindows?: number | undefined;
  readonly minimumBaselineWindows?: number | undefined;
  readonly stateTtlMs?: number | undefined;
}

/** The shared, read-only side of the engine. */
export interface Engine {
  readonly plans: readonly SpecPlan[];
  readonly baselineWindows: number;
  readonly minimumBaselineWindows: number;
  readonly ttl: number;
  readonly accounts: ReadonlyMap<string, AccountInfo> | null;
  readonly payments: ReadonlyMap<string, PaymentHistory> | null;
  readonly metrics: Float64Array;
  readonly emit: (alert: FraudAlert) => void;
  readonly listener: WindowListener | null;
}

const zCount = baselineSourceIndex.length;
const distinctIndex = metricIndex.get('distinctCalledNumbers')!;
const distinctShareIndex = metricIndex.get('distinctCalledShare')!;
const cellIndex = metricIndex.get('cellCount')!;

function activationOf(subscriber: Subscriber): number {
  const raw = subscriber.activationDate;
  if (typeof raw === 'string' || typeof raw === 'number') {
    const time = toEpochMilliseconds(raw);
    if (!Number.isNaN(time)) return time;
  }
  return Number.NaN;
}

/** Builds the engine; `rules` are compiled, options resolved by the caller. */
export function createEngine(
  rules: readonly CompiledRule[],
  options: EngineOptions,
  emit: (alert: FraudAlert) => void,
  listener: WindowListener | null = null,
  extraSpecs: readonly WindowSpec[] = [],
): Engine {
  const byLabel = new Map<string, { spec: WindowSpec; rules: CompiledRule[] }>();
  for (const spec of extraSpecs) byLabel.set(spec.label, { spec, rules: [] });
  for (const rule of rules) {
    const entry = byLabel.get(rule.window.label) ?? { spec: rule.window, rules: [] };
    entry.rules.push(rule);
    byLabel.set(rule.window.label, entry);
  }
  const plans: SpecPlan[] = [...byLabel.values()].map(({ spec, rules: specRules }) => {
    const reads = (index: number): boolean =>
      listener !== null || specRules.some((rule) => rule.metrics.includes(index));
    const zDistinct = metricIndex.get('distinctCalledNumbersZScore')!;
    const zScoreSlots = Int32Array.from(
      [...baselineSourceIndex.keys()].filter((z) => reads(zScoreOffset + z)),
    );
    return {
      spec,
      rules: specRules,
      numbers: reads(distinctIndex) || reads(distinctShareIndex) || reads(zDistinct),
      cells: reads(cellIndex),
      zScores: zScoreSlots.length > 0,
      zScoreSlots,
      account: fraudMetrics.some(
        (_, index) => index >= accountMetricOffset && index < zScoreOffset && reads(index),
      ),
    };
  });
  const baselineWindows = options.baselineWindows ?? 14;
  const minimumBaselineWindows = options.minimumBaselineWindows ?? 7;
  const ttl =
    options.stateTtlMs ?? Math.max(dayMs, ...plans.map((plan) => plan.spec.sizeMs * (baselineWindows + 1)));
  let accounts: Map<string, AccountInfo> | null = null;
  if (options.subscribers !== undefined) {
    accounts = new Map();
    for (const subscriber of options.subscribers) {
      accounts.set(subscriber.subscriberId, {
        arrearsDays: subscriber.arrearsDays ?? 0,
        activation: activationOf(subscriber),
      });
    }
  }
  let payments: Map<string, PaymentHistory> | null = null;
  if (options.payments !== undefined) {
    const grouped = new Map<string, Payment[]>();
    for (const payment of options.payments) {
      const list = grouped.get(payment.customerId);
      if (list === undefined) grouped.set(payment.customerId, [payment]);
      else list.push(payment);
    }
    payments = new Map();
    for (const [id, list] of grouped) {
      const sorted = [...list].sort((a, b) => a.date - b.date);
      const dates = new Float64Array(sorted.length);
      const cumulative = new Float64Array(sorted.length);
      let total = 0;
      sorted.forEach((payment, index) => {
        total += payment.amount;
        dates[index] = payment.date;
        cumulative[index] = total;
      });
      payments.set(id, { dates, cumulative });
    }
  }
  return {
    plans,
    baselineWindows,
    minimumBaselineWindows,
    ttl,
    accounts,
    payments,
    metrics: new Float64Array(fraudMetrics.length),
    emit,
    listener,
  };
}

// Specs whose rules read no z-score never touch their baseline.
const noBaseline = new Float64Array(0);

/** A fresh state for a subscriber whose first (or first after expiry) call is at `time`. */
export function createState(engine: Engine, subscriberId: string, time: number): SubscriberState {
  return {
    subscriberId,
    firstCall: time,
    lastCall: time,
    bucket: Number.NaN,
    specs: engine.plans.map((plan) => {
      const current = paneOf(plan.spec, time);
      return {
        current,
        currentStart: paneStart(plan.spec, current),
        currentEnd: paneStart(plan.spec, current + 1),
        lastNonEmpty: Number.NEGATIVE_INFINITY,
        panes: Array.from({ length: plan.spec.panes }, () => emptyPane(plan.numbers, plan.cells)),
        retiredSpend: 0,
        baseline: plan.zScores ? new Float64Array(engine.baselineWindows * zCount) : noBaseline,
        baselineCount: 0,
        baselineNext: 0,
      };
    }),
  };
}

/**
 * Makes a spent state (after {@link finishState}) fresh again for another subscriber or a restart:
 * the batch path walks subscribers one at a time and reuses one state instead of allocating.
 */
export function resetState(
  engine: Engine,
  subscriber: SubscriberState,
  subscriberId: string,
  time: number,
): void {
  subscriber.subscriberId = subscriberId;
  subscriber.firstCall = time;
  subscriber.lastCall = time;
  subscriber.bucket = Number.NaN;
  for (let i = 0; i < engine.plans.length; i++) {
    const spec = engine.plans[i]!.spec;
    const state = subscriber.specs[i]!;
    state.current = paneOf(spec, time);
    state.currentStart = paneStart(spec, state.current);
    state.currentEnd = paneStart(spec, state.current + 1);
    state.lastNonEmpty = Number.NEGATIVE_INFINITY;
    for (const pane of state.panes) clearPane(pane);
    state.retiredSpend = 0;
    // Baseline slots are rewritten before they are read again.
    state.baselineCount = 0;
    state.baselineNext = 0;
  }
}

function paymentsBefore(history: PaymentHistory | undefined, time: number): number {
  if (history === undefined) return 0;
  let low = 0;
  let high = history.dates.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (history.dates[middle]! < time) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? 0 : history.cumulative[low - 1]!;
}

function pushBaseline(engine: Engine, state: SpecState, metrics: Float64Array | null): void {
  const offset = state.baselineNext * zCount;
  for (let z = 0; z < zCount; z++)
    state.baseline[offset + z] = metrics === null ? 0 : metrics[baselineSourceIndex[z]!]!;
  state.baselineNext = (state.baselineNext + 1) % engine.baselineWindows;
  state.baselineCount++;
}

function closeWindow(
  engine: Engine,
  plan: SpecPlan,
  subscriber: SubscriberState,
  state: SpecState,
  end: number,
): void {
  const metrics = engine.metrics;
  const spec = plan.spec;
  const windowStart = paneStart(spec, end - spec.panes + 1);
  const windowEnd = paneStart(spec, end + 1);
  let events = 0;
  let calls = 0;
  let incoming = 0;
  let outSeconds = 0;
  let internationalSeconds = 0;
  let premiumSeconds = 0;
  let nightCalls = 0;
  let spend = 0;
  for (const pane of state.panes) {
    events += pane.events;
    calls += pane.calls;
    incoming += pane.incoming;
    outSeconds += pane.outSeconds;
    internationalSeconds += pane.internationalSeconds;
    premiumSeconds += pane.premiumSeconds;
    nightCalls += pane.nightCalls;
    spend += pane.spend;
  }
  let distinct = Number.NaN;
  let cells = Number.NaN;
  if (plan.numbers) distinct = unionCount(state.panes, (pane) => pane.numbers!);
  if (plan.cells) cells = unionCount(state.panes, (pane) => pane.cells!);
  const outMinutes = outSeconds / 60;
  metrics[0] = events;
  metrics[1] = calls;
  metrics[2] = incoming;
  metrics[3] = outMinutes;
  metrics[4] = distinct;
  metrics[5] = calls === 0 ? 0 : distinct / calls;
  metrics[6] = internationalSeconds / 60;
  metrics[7] = premiumSeconds / 60;
  metrics[8] = outSeconds === 0 ? 0 : internationalSeconds / outSeconds;
  metrics[9] = outSeconds === 0 ? 0 : premiumSeconds / outSeconds;
  metrics[10] = calls === 0 ? 0 : incoming / calls;
  metrics[11] = calls === 0 ? 0 : outSeconds / calls;
  metrics[12] = calls === 0 ? 0 : nightCalls / calls;
  metrics[13] = cells;
  metrics[14] = spend;
  if (plan.account) accountMetrics(engine, state, subscriber, metrics, spend, windowEnd);
  if (plan.zScores) zScores(engine, plan, state, metrics);
  engine.listener?.(subscriber.subscriberId, spec.label, windowStart, windowEnd, metrics);
  for (const compiled of plan.rules) {
    if (!compiled.test(metrics)) continue;
    emitAlert(engine, compiled, subscriber.subscriberId, spec.label, windowStart, windowEnd, metrics);
  }
  if (plan.zScores) pushBaseline(engine, state, metrics);
}

function unionCount(panes: readonly Pane[], values: (pane: Pane) => DistinctValues): number {
  if (panes.length === 1) return distinctCount(values(panes[0]!));
  const union = new Set<string>();
  for (const pane of panes) addDistinctTo(union, values(pane));
  return union.size;
}

function accountMetrics(
  engine: Engine,
  state: SpecState,
  subscriber: SubscriberState,
  metrics: Float64Array,
  spend: number,
  windowEnd: number,
): void {
  const account = engine.accounts?.get(subscriber.subscriberId);
  metrics[accountMetricOffset] = engine.accounts === null ? Number.NaN : (account?.arrearsDays ?? 0);
  metrics[accountMetricOffset + 1] =
    engine.payments === null
      ? Number.NaN
      : Math.max(
          0,
          state.retiredSpend +
            spend -
            paymentsBefore(engine.payments.get(subscriber.subscriberId), windowEnd),
        );
  metrics[accountMetricOffset + 2] =
    account === undefined ? Number.NaN : (windowEnd - account.activation) / dayMs;
  metrics[accountMetricOffset + 3] = (windowEnd - subscriber.firstCall) / dayMs;
}

// Only the z-scores something reads are worked out; the others are left unavailable.
function zScores(engine: Engine, plan: SpecPlan, state: SpecState, metrics: Float64Array): void {
  metrics.fill(Number.NaN, zScoreOffset, zScoreOffset + zCount);
  const available = Math.min(state.baselineCount, engine.baselineWindows);
  if (available < engine.minimumBaselineWindows || available === 0) return;
  for (const z of plan.zScoreSlots) {
    let sum = 0;
    let squares = 0;
    for (let slot = 0; slot < available; slot++) sum += state.baseline[slot * zCount + z]!;
    const mean = sum / available;
    for (let slot = 0; slot < available; slot++) {
      const deviation = state.baseline[slot * zCount + z]! - mean;
      squares += deviation * deviation;
    }
    // The deviation is floored at one unit (call, minute, currency unit) so a flat history does not divide by zero.
    const deviation = Math.max(1, Math.sqrt(squares / available));
    metrics[zScoreOffset + z] = (metrics[baselineSourceIndex[z]!]! - mean) / deviation;
  }
}

function emitAlert(
  engine: Engine,
  compiled: CompiledRule,
  subscriberId: string,
  window: string,
  windowStart: number,
  windowEnd: number,
  metrics: Float64Array,
): void {
  {
    const evidence: Record<string, number | null> = {};
    for (const index of compiled.metrics) {
      const value = metrics[index]!;
      evidence[fraudMetrics[index]!] = Number.isNaN(value) ? null : value;
    }
    const rule = compiled.rule;
    engine.emit(
      rule.department === undefined
        ? { subscriberId, ruleId: rule.id, severity: rule.severity, window, windowStart, windowEnd, evidence }
        : {
            subscriberId,
            ruleId: rule.id,
            severity: rule.severity,
            window,
            windowStart,
            windowEnd,
            department: rule.department,
            evidence,
          },
    );
  }
}

/** Closes every window of one spec that ends before pane `target`, then makes `target` current. */
function advanceSpec(
  engine: Engine,
  plan: SpecPlan,
  subscriber: SubscriberState,
  state: SpecState,
  target: number,
): void {
  const panes = plan.spec.panes;
  while (state.current < target) {
    const end = state.current;
    if (end > state.lastNonEmpty + panes - 1) {
      // Every remaining window is empty: they only feed zeros to the baseline.
      const zeros = plan.zScores ? Math.min(target - end, engine.baselineWindows) : 0;
      for (let i = 0; i < zeros; i++) pushBaseline(engine, state, null);
      for (const pane of state.panes) {
        state.retiredSpend += pane.spend;
        clearPane(pane);
      }
      state.current = target;
      break;
    }
    closeWindow(engine, plan, subscriber, state, end);
    const retired = state.panes[(end + 1) % panes]!;
    state.retiredSpend += retired.spend;
    clearPane(retired);
    state.current = end + 1;
  }
  state.currentStart = paneStart(plan.spec, state.current);
  state.currentEnd = paneStart(plan.spec, state.current + 1);
}

/** Moves every spec of a subscriber to the pane holding `time` (windows ending before it close). */
export function advanceTo(engine: Engine, subscriber: SubscriberState, time: number): void {
  for (let i = 0; i < engine.plans.length; i++) {
    const plan = engine.plans[i]!;
    const state = subscriber.specs[i]!;
    if (time < state.currentEnd) continue;
    advanceSpec(engine, plan, subscriber, state, paneOf(plan.spec, time));
  }
}

/** Closes every window holding a call of this subscriber (the state is then spent). */
export function finishState(engine: Engine, subscriber: SubscriberState): void {
  for (let i = 0; i < engine.plans.length; i++) {
    const plan = engine.plans[i]!;
    const state = subscriber.specs[i]!;
    if (state.lastNonEmpty === Number.NEGATIVE_INFINITY) continue;
    const target = state.lastNonEmpty + plan.spec.panes;
    if (target > state.current) advanceSpec(engine, plan, subscriber, state, target);
  }
}

/**
 * The earliest time at which a window holding one of this subscriber's calls ends, or `Infinity`
 * when every such window is closed.
 */
export function nextWindowEnd(engine: Engine, subscriber: SubscriberState): number {
  let due = Number.POSITIVE_INFINITY;
  for (let i = 0; i < engine.plans.length; i++) {
    const state = subscriber.specs[i]!;
    if (state.current <= state.lastNonEmpty + engine.plans[i]!.spec.panes - 1 && state.currentEnd < due) {
      due = state.currentEnd;
    }
  }
  return due;
}

/** `true` when `time` falls in a window this subscriber already closed. */
export function isLate(subscriber: SubscriberState, time: number): boolean {
  for (const state of subscriber.specs) if (time < state.currentStart) return true;
  return false;
}

/** Adds one call (not late, not past the TTL) to a subscriber's windows. */
export function addCall(engine: Engine, subscriber: SubscriberState, call: CallRecord): void {
  const flags = callFlags(call);
  addCallFields(
    engine,
    subscriber,
    call.start,
    flags,
    outgoingSeconds(call, flags),
    call.charge ?? 0,
    (flags & (voiceFlag | incomingFlag)) === voiceFlag ? call.calledNumber : undefined,
    call.cellId,
  );
}

/**
 * {@link addCall} on a call already decoded (see call-fields.ts): the batch path decodes calls
 * into columns first. `number` is the called number of an outgoing voice call, else undefined.
 */
export function addCallFields(
  engine: Engine,
  subscriber: SubscriberState,
  time: number,
  flags: number,
  seconds: number,
  charge: number,
  number: string | undefined,
  cell: string | undefined,
): void {
  if (time > subscriber.lastCall) subscriber.lastCall = time;
  if (time < subscriber.firstCall) subscriber.firstCall = time;
  const plans = engine.plans;
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i]!;
    const state = subscriber.specs[i]!;
    if (time >= state.currentEnd) advanceSpec(engine, plan, subscriber, state, paneOf(plan.spec, time));
    const panes = plan.spec.panes;
    const pane = state.panes[panes === 1 ? 0 : ((state.current % panes) + panes) % panes]!;
    state.lastNonEmpty = state.current;
    pane.events++;
    pane.spend += charge;
    if (cell !== undefined && pane.cells !== null) addDistinct(pane.cells, cell);
    if ((flags & voiceFlag) === 0) continue;
    if ((flags & incomingFlag) !== 0) {
      pane.incoming++;
      continue;
    }
    pane.calls++;
    pane.outSeconds += seconds;
    if ((flags & internationalFlag) !== 0) pane.internationalSeconds += seconds;
    else if ((flags & premiumFlag) !== 0) pane.premiumSeconds += seconds;
    if ((flags & nightFlag) !== 0) pane.nightCalls++;
    if (number !== undefined && pane.numbers !== null) addDistinct(pane.numbers, number);
  }
}
