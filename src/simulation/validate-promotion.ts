import { DataError, type DataIssue } from '../data/errors.js';
import type { Promotion, PromotionComponent } from './promotion.js';
import type { TariffPlan } from './tariff-plan.js';
import { parseIncrement } from './validate-tariff.js';

const componentTypes = [
  'rate-override',
  'free-units',
  'percent-off',
  'tiered-pricing',
  'bundle-price',
  'spend-rebate',
  'fixed-discount',
  'group-discount',
] as const;

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

const isMoney = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isPercent = (value: unknown): value is number =>
  typeof value === 'number' &&
  value >= 0 &&
  value <= 100 &&
  Number.isInteger(Math.round(value * 100)) &&
  Math.abs(Math.round(value * 100) - value * 100) < 1e-9;

/** Every problem of a promotion against the plans it may apply to (row = 1-based component, column = its path). */
export function promotionIssues(promotion: Promotion, plans: readonly TariffPlan[]): DataIssue[] {
  const issues: DataIssue[] = [];
  const add = (row: number, column: string, reason: string): void => {
    issues.push({ row, column, reason });
  };
  if (promotion === null || typeof promotion !== 'object')
    return [{ row: 1, column: 'promotion', reason: `must be an object, received ${describe(promotion)}` }];
  if (promotion.kind !== 'promotion')
    add(1, 'kind', `must be 'promotion', received ${describe(promotion.kind)}`);
  if (promotion.version !== 1) add(1, 'version', `must be 1, received ${describe(promotion.version)}`);
  if (typeof promotion.promotionId !== 'string' || promotion.promotionId.length === 0)
    add(1, 'promotionId', 'must be a non-empty string');
  if (promotion.startPeriod !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(promotion.startPeriod)) {
    add(1, 'startPeriod', `must be a month 'YYYY-MM', received ${describe(promotion.startPeriod)}`);
  }
  if (
    promotion.durationCycles !== undefined &&
    !(Number.isInteger(promotion.durationCycles) && promotion.durationCycles > 0)
  ) {
    add(1, 'durationCycles', `must be a positive integer, received ${describe(promotion.durationCycles)}`);
  }
  const planIds = new Set(plans.map((plan) => plan.planId));
  for (const planId of promotion.eligibility?.plans ?? []) {
    if (!planIds.has(planId)) add(1, 'eligibility.plans', `unknown plan ${describe(planId)}`);
  }
  // A component must make sense on every plan the promotion can reach.
  const reach =
    promotion.eligibility?.plans === undefined
      ? plans
      : plans.filter((plan) => promotion.eligibility!.plans!.includes(plan.planId));
  if (!Array.isArray(promotion.components)) {
    add(1, 'components', 'must be a list (possibly empty)');
    return issues;
  }
  promotion.components.forEach((component: PromotionComponent, index) => {
    const row = index + 1;
    const where = `components[${index}]`;
    const label = `${component.type ?? 'component'}`;
    if (!(componentTypes as readonly string[]).includes(component.type)) {
      add(
        row,
        `${where}.type`,
        `must be one of ${componentTypes.join(', ')}, received ${describe(component.type)}`,
      );
      return;
    }
    const checkService = (service: unknown, column: string): void => {
      if (service === undefined) return;
      for (const plan of reach) {
        if (!plan.services.some((candidate) => candidate.name === service)) {
          add(
            row,
            `${where}.${column}`,
            `${label}: plan '${plan.planId}' has no service ${describe(service)}`,
          );
        }
      }
    };
    const checkZones = (zones: unknown): void => {
      if (zones === undefined) return;
      if (!Array.isArray(zones) || zones.length === 0) {
        add(row, `${where}.zones`, `${label}: must list at least one zone, or be left out`);
        return;
      }
      for (const plan of reach)
        for (const zone of zones)
          if (!plan.zones.includes(zone))
            add(row, `${where}.zones`, `${label}: plan '${plan.planId}' has no zone ${describe(zone)}`);
    };
    const checkBands = (bands: unknown): void => {
      if (bands === undefined) return;
      for (const plan of reach) {
        const names = (plan.bands ?? []).length === 0 ? ['all'] : plan.bands!.map((band) => band.name);
        for (const band of bands as string[])
          if (!names.includes(band))
            add(row, `${where}.bands`, `${label}: plan '${plan.planId}' has no band ${describe(band)}`);
      }
    };
    const checkPercent = (value: unknown, column = 'percent'): void => {
      if (!isPercent(value))
        add(
          row,
          `${where}.${column}`,
          `${label}: must be a number 0..100 with at most two decimals, received ${describe(value)}`,
        );
    };
    const checkMoney = (value: unknown, column: string): void => {
      if (!isMoney(value))
        add(
          row,
          `${where}.${column}`,
          `${label}: must be a non-negative integer (minor units), received ${describe(value)}`,
        );
    };
    switch (component.type) {
      case 'rate-override':
        checkService(component.service, 'service');
        checkZones(component.zones);
        checkBands(component.bands);
        checkMoney(component.price, 'price');
        if (component.per !== undefined && !(isMoney(component.per) && component.per > 0))
          add(row, `${where}.per`, `${label}: must be a positive integer`);
        if (component.increment !== undefined && parseIncrement(component.increment) === undefined) {
          add(
            row,
            `${where}.increment`,
            `${label}: must be 'first/next' with two positive integers, received ${describe(component.increment)}`,
          );
        }
        break;
      case 'free-units': {
        checkService(component.service, 'service');
        checkZones(component.zones);
        checkMoney(component.amount, 'amount');
        for (const plan of reach) {
          const covering = new Set<string | undefined>();
          for (const zone of component.zones ?? []) {
            covering.add(
              (plan.allowances ?? []).find(
                (allowance) =>
                  allowance.service === component.service &&
                  (allowance.direction ?? 'out') === (component.direction ?? 'out') &&
                  allowance.zones.includes(zone),
              )?.id,
            );
          }
          if (covering.size > 1) {
            add(
              row,
              `${where}.zones`,
              `${label}: on plan '${plan.planId}' the zones must fall under one allowance or none, found ${[...covering].map(String).join(', ')}`,
            );
          }
        }
        break;
      }
      case 'percent-off':
        checkService(component.service, 'service');
        checkZones(component.zones);
        checkBands(component.bands);
        checkPercent(component.percent);
        break;
      case 'tiered-pricing': {
        checkService(component.service, 'service');
        checkZones(component.zones);
        if (component.mode !== 'all-units' && component.mode !== 'graduated')
          add(
            row,
            `${where}.mode`,
            `${label}: must be 'all-units' or 'graduated', received ${describe(component.mode)}`,
          );
        const tiers = Array.isArray(component.tiers) ? component.tiers : [];
        if (tiers.length === 0) add(row, `${where}.tiers`, `${label}: must list at least one tier`);
        let previous = 0;
        tiers.forEach((tier, position) => {
          checkMoney(tier.price, `tiers[${position}].price`);
          if (tier.per !== undefined && !(isMoney(tier.per) && tier.per > 0))
            add(row, `${where}.tiers[${position}].per`, `${label}: must be a positive integer`);
          const last = position === tiers.length - 1;
          if (last && tier.upTo !== undefined)
            add(row, `${where}.tiers[${position}].upTo`, `${label}: the last tier has no upTo`);
          if (!last && !(isMoney(tier.upTo) && tier.upTo > previous))
            add(
              row,
              `${where}.tiers[${position}].upTo`,
              `${label}: upTo must be an integer above the previous tier's (${previous})`,
            );
          if (!last && typeof tier.upTo === 'number') previous = tier.upTo;
        });
        break;
      }
      case 'bundle-price':
        if (!Array.isArray(component.services) || component.services.length === 0)
          add(row, `${where}.services`, `${label}: must list at least one service`);
        else for (const service of component.services) checkService(service, 'services');
        checkMoney(component.price, 'price');
        break;
      case 'spend-rebate':
        checkMoney(component.threshold, 'threshold');
        if ((component.amount === undefined) === (component.percent === undefined))
          add(row, `${where}.amount`, `${label}: give exactly one of amount and percent`);
        if (component.amount !== undefined) checkMoney(component.amount, 'amount');
        if (component.percent !== undefined) checkPercent(component.percent);
        break;
      case 'fixed-discount':
        checkMoney(component.amount, 'amount');
        break;
      case 'group-discount':
        checkPercent(component.percent);
        if (
          component.minMembers !== undefined &&
          !(Number.isInteger(component.minMembers) && component.minMembers >= 1)
        ) {
          add(
            row,
            `${where}.minMembers`,
            `${label}: must be a positive integer, received ${describe(component.minMembers)}`,
          );
        }
        break;
    }
  });
  return issues;
}

/**
 * Checks a promotion against the plans it may apply to (those in `eligibility.plans`, or all) and
 * returns it unchanged, or throws a {@link DataError} naming the component (`row`, 1-based) and the
 * field (`column`, e.g. `components[0].service`): a service, zone or band a plan lacks, a percent
 * outside 0..100, negative money, tiers out of order, free units straddling two allowances.
 *
 * @example
 * validatePromotion({ kind: 'promotion', version: 1, promotionId: 'tv', components: [{ type: 'percent-off', service: 'video', percent: 10 }] }, [plan]);
 * // throws DataError: "validatePromotion (promotion 'tv'): row 1, column 'components[0].service': percent-off: plan 'basic' has no service 'video'"
 */
export function validatePromotion(promotion: Promotion, plans: readonly TariffPlan[]): Promotion {
  const issues = promotionIssues(promotion, plans);
  if (issues.length > 0) {
    const id =
      promotion !== null && typeof promotion === 'object' && typeof promotion.promotionId === 'string'
        ? ` (promotion '${promotion.promotionId}')`
        : '';
    throw new DataError(`validatePromotion${id}`, issues);
  }
  return promotion;
}
