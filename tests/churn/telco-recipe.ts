import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { FeatureRow, FeatureSpec } from 'telco-analytics/churn';

/**
 * The feature recipe of the Telco tests, identical to tests/reference/churn-telco-glm.R:
 * the 11 rows with a blank TotalCharges (tenure 0, never billed) are dropped; the internet add-ons and
 * MultipleLines become yes/no booleans ("No internet service" / "No phone service" count as no, since
 * their one-hot form is exactly collinear with InternetService / PhoneService); gender, Contract,
 * InternetService and PaymentMethod are categorical with the first sorted level as reference.
 */
export const telcoFeatures: readonly FeatureSpec[] = [
  { name: 'SeniorCitizen', type: 'boolean' },
  { name: 'Partner', type: 'boolean' },
  { name: 'Dependents', type: 'boolean' },
  { name: 'tenure', type: 'numeric' },
  { name: 'PhoneService', type: 'boolean' },
  { name: 'MultipleLines', type: 'boolean' },
  { name: 'OnlineSecurity', type: 'boolean' },
  { name: 'OnlineBackup', type: 'boolean' },
  { name: 'DeviceProtection', type: 'boolean' },
  { name: 'TechSupport', type: 'boolean' },
  { name: 'StreamingTV', type: 'boolean' },
  { name: 'StreamingMovies', type: 'boolean' },
  { name: 'PaperlessBilling', type: 'boolean' },
  { name: 'MonthlyCharges', type: 'numeric' },
  { name: 'TotalCharges', type: 'numeric' },
  { name: 'gender', type: 'categorical' },
  { name: 'Contract', type: 'categorical' },
  { name: 'InternetService', type: 'categorical' },
  { name: 'PaymentMethod', type: 'categorical' },
];

const addOns = [
  'MultipleLines',
  'OnlineSecurity',
  'OnlineBackup',
  'DeviceProtection',
  'TechSupport',
  'StreamingTV',
  'StreamingMovies',
];

/** Reads the Telco CSV and applies the recipe; returns the rows and how many were dropped. */
export function readTelco(path: string): { rows: FeatureRow[]; dropped: number } {
  const raw = parse(readFileSync(path), { columns: true }) as Record<string, string>[];
  const kept = raw.filter((row) => (row.TotalCharges ?? '').trim() !== '');
  const rows = kept.map((row) => {
    const prepared: Record<string, string | boolean> = { ...row };
    for (const name of addOns) prepared[name] = row[name] === 'Yes';
    return prepared;
  });
  return { rows, dropped: raw.length - kept.length };
}
