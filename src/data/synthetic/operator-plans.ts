/**
 * The synthetic operator's tariff plans, and the simple reference rating the generator uses to
 * write each CDR's `charge`. Money is held in integer cents so that charges, bills and payments add
 * up exactly; CSV files carry them as decimals with two places.
 *
 * Reference rating (what the generator's `charge` column means), per calendar month:
 * - outgoing voice is billed per started minute (60/60); local and national minutes come out of
 *   `includedMinutes` first, in time order; a call that exhausts the allowance pays only for the
 *   minutes beyond it; international, premium and roaming minutes are never included;
 * - outgoing SMS: local and national from `includedSms` first, then per message; international and
 *   roaming SMS per message at the international rate;
 * - data: each session is billed per started MB; home data comes out of `includedMb` first, roaming
 *   data is always charged at the roaming rate;
 * - incoming usage is free, except incoming voice while roaming (per started minute);
 * - the monthly fee is not on any CDR: it is billed (postpaid) or deducted (prepaid) per month.
 */
export interface OperatorPlan {
  readonly planId: string;
  readonly name: string;
  readonly kind: 'prepaid' | 'postpaid';
  /** Monthly fee in cents. */
  readonly monthlyFeeCents: number;
  /** Local + national outgoing voice minutes included per month. */
  readonly includedMinutes: number;
  readonly includedSms: number;
  readonly includedMb: number;
  /** Prices in cents per unit after the allowance. */
  readonly rates: {
    readonly voiceLocalPerMinute: number;
    readonly voiceNationalPerMinute: number;
    readonly voiceInternationalPerMinute: number;
    readonly voicePremiumPerMinute: number;
    readonly voiceRoamingPerMinute: number;
    readonly voiceRoamingIncomingPerMinute: number;
    readonly smsPerMessage: number;
    readonly smsInternationalPerMessage: number;
    readonly mmsPerMessage: number;
    readonly dataPerMb: number;
    readonly dataRoamingPerMb: number;
  };
}

const prepaidRates = {
  voiceLocalPerMinute: 10,
  voiceNationalPerMinute: 12,
  voiceInternationalPerMinute: 60,
  voicePremiumPerMinute: 250,
  voiceRoamingPerMinute: 120,
  voiceRoamingIncomingPerMinute: 40,
  smsPerMessage: 8,
  smsInternationalPerMessage: 25,
  mmsPerMessage: 30,
  dataPerMb: 2,
  dataRoamingPerMb: 50,
} as const;

const postpaidRates = {
  voiceLocalPerMinute: 8,
  voiceNationalPerMinute: 8,
  voiceInternationalPerMinute: 45,
  voicePremiumPerMinute: 250,
  voiceRoamingPerMinute: 90,
  voiceRoamingIncomingPerMinute: 30,
  smsPerMessage: 6,
  smsInternationalPerMessage: 20,
  mmsPerMessage: 25,
  dataPerMb: 1,
  dataRoamingPerMb: 35,
} as const;

/** The five plans of the synthetic operator. */
export const operatorPlans: readonly OperatorPlan[] = [
  {
    planId: 'PRE-PAYG',
    name: 'Prepaid pay as you go',
    kind: 'prepaid',
    monthlyFeeCents: 0,
    includedMinutes: 0,
    includedSms: 0,
    includedMb: 0,
    rates: prepaidRates,
  },
  {
    planId: 'PRE-DATA',
    name: 'Prepaid data pack',
    kind: 'prepaid',
    monthlyFeeCents: 1000,
    includedMinutes: 50,
    includedSms: 50,
    includedMb: 5000,
    rates: prepaidRates,
  },
  {
    planId: 'POST-S',
    name: 'Postpaid small',
    kind: 'postpaid',
    monthlyFeeCents: 1500,
    includedMinutes: 200,
    includedSms: 100,
    includedMb: 2000,
    rates: postpaidRates,
  },
  {
    planId: 'POST-M',
    name: 'Postpaid medium',
    kind: 'postpaid',
    monthlyFeeCents: 3000,
    includedMinutes: 600,
    includedSms: 1000,
    includedMb: 10_000,
    rates: postpaidRates,
  },
  {
    planId: 'POST-L',
    name: 'Postpaid large',
    kind: 'postpaid',
    monthlyFeeCents: 5500,
    includedMinutes: 2000,
    includedSms: 5000,
    includedMb: 50_000,
    rates: {
      ...postpaidRates,
      voiceInternationalPerMinute: 30,
      voiceRoamingPerMinute: 60,
      dataRoamingPerMb: 20,
    },
  },
];

/** Zone codes used inside the generator (index into {@link zoneNames}). */
export const zoneNames = ['local', 'national', 'international', 'premium', 'roaming'] as const;
export const zoneLocal = 0;
export const zoneNational = 1;
export const zoneInternational = 2;
export const zonePremium = 3;
export const zoneRoaming = 4;

/** Remaining monthly allowances of one subscriber; reset at each calendar month. */
export interface AllowanceState {
  minutes: number;
  sms: number;
  mb: number;
}

/** Cents for an outgoing voice call of `seconds` to `zone`, consuming `allowance` in place. */
export function chargeVoiceOut(
  plan: OperatorPlan,
  zone: number,
  seconds: number,
  allowance: AllowanceState,
): number {
  const minutes = Math.ceil(seconds / 60);
  const rates = plan.rates;
  if (zone === zoneLocal || zone === zoneNational) {
    const free = Math.min(minutes, allowance.minutes);
    allowance.minutes -= free;
    const perMinute = zone === zoneLocal ? rates.voiceLocalPerMinute : rates.voiceNationalPerMinute;
    return (minutes - free) * perMinute;
  }
  if (zone === zoneInternational) return minutes * rates.voiceInternationalPerMinute;
  if (zone === zonePremium) return minutes * rates.voicePremiumPerMinute;
  return minutes * rates.voiceRoamingPerMinute;
}

/** Cents for incoming voice: free at home, per started minute while roaming. */
export function chargeVoiceIn(plan: OperatorPlan, roaming: boolean, seconds: number): number {
  return roaming ? Math.ceil(seconds / 60) * plan.rates.voiceRoamingIncomingPerMinute : 0;
}

/** Cents for one outgoing SMS, consuming `allowance` in place. */
export function chargeSmsOut(plan: OperatorPlan, zone: number, allowance: AllowanceState): number {
  if (zone === zoneLocal || zone === zoneNational) {
    if (allowance.sms > 0) {
      allowance.sms -= 1;
      return 0;
    }
    return plan.rates.smsPerMessage;
  }
  return plan.rates.smsInternationalPerMessage;
}

/** Cents for one data session of `megabytes`, consuming `allowance` in place. */
export function chargeData(
  plan: OperatorPlan,
  roaming: boolean,
  megabytes: number,
  allowance: AllowanceState,
): number {
  const billed = Math.ceil(megabytes);
  if (roaming) return billed * plan.rates.dataRoamingPerMb;
  const free = Math.min(billed, allowance.mb);
  allowance.mb -= free;
  return (billed - free) * plan.rates.dataPerMb;
}
