import type { CallRecord } from '../data/records.js';
import type { TableInput } from '../data/table-input.js';
import { validateCalls } from '../data/validate-records.js';
import { type CustomerTotals, type EventFields, totalsOfEvents } from './customer-totals.js';
import { activityOf } from './rfm.js';
import { type RfmOptions, resolveRfmOptions } from './rfm-options.js';
import type { RfmResult } from './rfm-result.js';
import { scoreCustomers } from './score-customers.js';

/**
 * Call records as {@link rfmFromCalls} takes them: normalised {@link CallRecord}s, or any table the
 * data layer's `validateCalls` reads.
 *
 * @example
 * const input: CallInput = [{ subscriberId: '4477', start: '2024-05-01T08:30:00Z', service: 'voice', charge: '0.25' }];
 */
export type CallInput = readonly CallRecord[] | TableInput;

const callFields: EventFields = { id: 'subscriberId', time: 'start', amount: 'charge', amountOptional: true };

/**
 * {@link rfm} from usage records alone, for an operator without a payments feed: each subscriber
 * is a customer, monetary value is the `charge` of their events (0 where absent) and frequency
 * counts distinct active days by default. Every record counts, whatever its direction or service.
 *
 * @throws {@link DataError} for a record without `subscriberId`, `start` or `service`, an
 * unreadable timestamp or a negative charge, naming the row and column (records that are not yet
 * normalised go through `validateCalls`, so unknown services are errors too).
 * {@link OptionError} for an invalid option. {@link TelcoAnalyticsError} `EMPTY_INPUT` for no records.
 *
 * @example
 * const result = rfmFromCalls([
 *   { subscriberId: 'a', start: Date.UTC(2024, 4, 1, 9), service: 'voice', charge: 0.5 },
 *   { subscriberId: 'a', start: Date.UTC(2024, 4, 1, 17), service: 'sms', charge: 0.1 },
 *   { subscriberId: 'b', start: Date.UTC(2024, 4, 3, 8), service: 'data', charge: 2 },
 * ], { bins: 2 });
 * result.customers.map((row) => [row.customerId, row.frequency, row.monetary]); // => [['a', 1, 0.6], ['b', 1, 2]]
 */
export function rfmFromCalls(calls: CallInput, options: RfmOptions = {}): RfmResult {
  const resolved = resolveRfmOptions(options, 'activeDays', 'rfmFromCalls');
  const activity = activityOf(resolved.frequency);
  let totals: CustomerTotals | undefined;
  if (Array.isArray(calls)) totals = totalsOfEvents(calls, callFields, activity, resolved.threads);
  if (totals === undefined) {
    const { rows } = validateCalls(calls as TableInput, {});
    totals = totalsOfEvents(rows, callFields, activity, resolved.threads)!;
  }
  return scoreCustomers(totals, resolved, 'rfmFromCalls');
}
