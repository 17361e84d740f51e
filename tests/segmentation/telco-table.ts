import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/**
 * The IBM Telco customer churn table's numeric columns (tenure, MonthlyCharges, TotalCharges).
 * TotalCharges is blank for the 11 customers with tenure 0 (not yet billed): those rows are dropped,
 * leaving 7,032 of 7,043.
 */
export function telcoNumericColumns(path: string): { rows: number[][]; dropped: number } {
  const records = parse(readFileSync(path), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
  const rows: number[][] = [];
  let dropped = 0;
  for (const record of records) {
    const total = record.TotalCharges?.trim() ?? '';
    if (total === '') {
      dropped++;
      continue;
    }
    rows.push([Number(record.tenure), Number(record.MonthlyCharges), Number(total)]);
  }
  return { rows, dropped };
}
