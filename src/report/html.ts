const replacements: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => replacements[character]!);
}

/** A cell value as display text: numbers with at most 4 significant decimals, booleans as yes/no. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    if (Number.isInteger(value)) return value.toLocaleString('en-US');
    // p-values and other tiny numbers: significant digits, not a run of zeros.
    if (Math.abs(value) < 1e-4) return value.toExponential(2);
    return Math.abs(value) >= 1000
      ? value.toLocaleString('en-US', { maximumFractionDigits: 1 })
      : value.toLocaleString('en-US', { maximumSignificantDigits: 4 });
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map(displayValue).join(', ');
  return String(value);
}
