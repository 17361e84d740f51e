import type { OperatorPlan } from '../data/synthetic/operator-plans.js';
import type { TariffAllowance, TariffPlan, TariffRate } from './tariff-plan.js';

/**
 * The synthetic operator's plan (`generateOperator(...).plans`) as a {@link TariffPlan} that rates
 * its CDRs exactly as the generator charged them: voice per started minute (`60/60`), local and
 * national minutes and SMS from the monthly allowances first, data per started MB (`1000/1000` KB)
 * from the data allowance at home, roaming data at the roaming rate, international, premium and
 * roaming SMS at the international SMS rate, MMS per message, incoming usage free except incoming
 * voice while roaming; calendar-month cycles (`cycleStartDay: 1`), no tax, one band.
 *
 * @example
 * const plan = tariffFromOperatorPlan(generateOperator({ subscribers: 10 }).plans[2]!);
 * plan.monthlyFee; // => 1500
 * plan.allowances?.[0]; // => { id: 'minutes', service: 'voice', zones: ['local', 'national'], amount: 12000 }
 */
export function tariffFromOperatorPlan(plan: OperatorPlan): TariffPlan {
  const { rates } = plan;
  const minute = { per: 60, increment: '60/60' } as const;
  const megabyte = { per: 1000, increment: '1000/1000' } as const;
  const tariffRates: TariffRate[] = [
    { id: 'voice-local', service: 'voice', zones: ['local'], price: rates.voiceLocalPerMinute, ...minute },
    {
      id: 'voice-national',
      service: 'voice',
      zones: ['national'],
      price: rates.voiceNationalPerMinute,
      ...minute,
    },
    {
      id: 'voice-international',
      service: 'voice',
      zones: ['international'],
      price: rates.voiceInternationalPerMinute,
      ...minute,
    },
    {
      id: 'voice-premium',
      service: 'voice',
      zones: ['premium'],
      price: rates.voicePremiumPerMinute,
      ...minute,
    },
    {
      id: 'voice-roaming',
      service: 'voice',
      zones: ['roaming'],
      price: rates.voiceRoamingPerMinute,
      ...minute,
    },
    {
      id: 'voice-roaming-incoming',
      service: 'voice',
      direction: 'in',
      zones: ['roaming'],
      price: rates.voiceRoamingIncomingPerMinute,
      ...minute,
    },
    { id: 'sms-home', service: 'sms', zones: ['local', 'national'], price: rates.smsPerMessage },
    {
      id: 'sms-international',
      service: 'sms',
      zones: ['international', 'premium', 'roaming'],
      price: rates.smsInternationalPerMessage,
    },
    {
      id: 'mms',
      service: 'mms',
      zones: ['local', 'national', 'international', 'premium', 'roaming'],
      price: rates.mmsPerMessage,
    },
    {
      id: 'data-home',
      service: 'data',
      zones: ['local', 'national', 'international', 'premium'],
      price: rates.dataPerMb,
      ...megabyte,
    },
    { id: 'data-roaming', service: 'data', zones: ['roaming'], price: rates.dataRoamingPerMb, ...megabyte },
  ];
  const allowances: TariffAllowance[] = [];
  if (plan.includedMinutes > 0)
    allowances.push({
      id: 'minutes',
      service: 'voice',
      zones: ['local', 'national'],
      amount: plan.includedMinutes * 60,
    });
  if (plan.includedSms > 0)
    allowances.push({ id: 'sms', service: 'sms', zones: ['local', 'national'], amount: plan.includedSms });
  if (plan.includedMb > 0) {
    allowances.push({
      id: 'data',
      service: 'data',
      zones: ['local', 'national', 'international', 'premium'],
      amount: plan.includedMb * 1000,
    });
  }
  return {
    kind: 'tariff-plan',
    version: 1,
    planId: plan.planId,
    name: plan.name,
    currency: 'EUR',
    monthlyFee: plan.monthlyFeeCents,
    services: [
      { name: 'voice', measure: 'duration' },
      { name: 'sms', measure: 'event' },
      { name: 'mms', measure: 'event' },
      { name: 'data', measure: 'volume' },
    ],
    zones: ['local', 'national', 'international', 'premium', 'roaming'],
    rates: tariffRates,
    allowances,
    taxRateBasisPoints: 0,
    rounding: { mode: 'half-up', scope: 'call' },
  };
}
