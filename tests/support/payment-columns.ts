import type { Payment } from '../../src/data/index.js';

/** The same payments as normalised columns, the fast input form of `rfm`. */
export function columnsOf(payments: readonly Payment[]) {
  return {
    customerId: payments.map((payment) => payment.customerId),
    date: Float64Array.from(payments, (payment) => payment.date),
    amount: Float64Array.from(payments, (payment) => payment.amount),
  };
}
