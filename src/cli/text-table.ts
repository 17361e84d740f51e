/**
 * Rows as aligned text columns for the terminal: the first column left-aligned, the rest
 * right-aligned (numbers), two spaces apart; with `rule`, a dashed line under the first row (the
 * header). No trailing newline.
 */
export function textTable(
  rows: readonly (readonly string[])[],
  options: { readonly rule?: boolean } = {},
): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  const lines = rows.map(line);
  if (options.rule === true) lines.splice(1, 0, line(widths.map((width) => '-'.repeat(width))));
  return lines.join('\n');
}
