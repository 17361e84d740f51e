import { displayValue, escapeHtml } from './html.js';
import { renderSvg } from './render-svg.js';
import type { VegaLiteSpec } from './vega-lite-spec.js';

/** A headline number of a section. */
export interface KeyFigure {
  readonly label: string;
  readonly value: string | number;
}

/** A table of the top rows of a result. */
export interface ReportTable {
  readonly title: string;
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** Columns to show, in order. @defaultValue the keys of the first row */
  readonly columns?: readonly string[];
}

/** A chart of a section. */
export interface ReportChart {
  readonly title: string;
  readonly spec: VegaLiteSpec;
}

/** One analysis in the report. */
export interface ReportSection {
  /** Anchor id (letters, digits and dashes). */
  readonly id: string;
  readonly title: string;
  /** One or two sentences: what the analysis found. */
  readonly summary?: string;
  readonly keyFigures?: readonly KeyFigure[];
  readonly charts?: readonly ReportChart[];
  readonly tables?: readonly ReportTable[];
  /** What was computed, with which parameters and seed. */
  readonly method: string;
}

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  readonly title: string;
  /** A line under the title (data source, period...). */
  readonly subtitle?: string;
}

const styles = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --accent: #1f5fa8; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #f6f7f9; }
header, main { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 32px; }
h1 { font-size: 28px; margin: 0 0 4px; }
.subtitle { color: var(--muted); margin: 0 0 16px; }
nav ul { display: flex; flex-wrap: wrap; gap: 8px 16px; list-style: none; padding: 0; margin: 0 0 8px; }
nav a { color: var(--accent); text-decoration: none; }
section { background: white; border: 1px solid var(--line); border-radius: 8px; padding: 20px 24px; margin: 20px 0; break-inside: avoid-page; }
h2 { font-size: 21px; margin: 0 0 8px; }
h3 { font-size: 15px; margin: 16px 0 6px; color: var(--muted); }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 140px; }
.figure .value { font-size: 20px; font-weight: 600; }
.figure .label { font-size: 12px; color: var(--muted); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; }
figcaption { font-size: 13px; color: var(--muted); margin-bottom: 4px; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 4px 0 8px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.method { font-size: 13px; color: var(--muted); border-top: 1px dashed var(--line); padding-top: 8px; margin-top: 12px; }
footer { max-width: 1100px; margin: 0 auto 32px; padding: 0 24px; font-size: 12px; color: var(--muted); }
@media print {
  body { background: white; font-size: 11pt; }
  section { border: none; border-top: 1px solid var(--line); border-radius: 0; padding: 12px 0; }
  nav { display: none; }
}
`;

function tableHtml(table: ReportTable): string {
  const columns = table.columns ?? Object.keys(table.rows[0] ?? {});
  const head = columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('');
  const body = table.rows
    .map((row) => {
      const cells = columns.map((column) => {
        const value = row[column];
        const numeric = typeof value === 'number';
        return `<td${numeric ? ' class="number"' : ''}>${escapeHtml(displayValue(value))}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<h3>${escapeHtml(table.title)}</h3>\n<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

async function sectionHtml(section: ReportSection): Promise<string> {
  const parts = [`<section id="${escapeHtml(section.id)}">`, `<h2>${escapeHtml(section.title)}</h2>`];
  if (section.summary) parts.push(`<p>${escapeHtml(section.summary)}</p>`);
  if (section.keyFigures && section.keyFigures.length > 0) {
    const figures = section.keyFigures.map(
      (figure) =>
        `<div class="figure"><div class="value">${escapeHtml(displayValue(figure.value))}</div><div class="label">${escapeHtml(figure.label)}</div></div>`,
    );
    parts.push(`<div class="figures">${figures.join('')}</div>`);
  }
  if (section.charts && section.charts.length > 0) {
    const charts = await Promise.all(
      section.charts.map(
        async (chart) =>
          `<figure class="chart"><figcaption>${escapeHtml(chart.title)}</figcaption>${await renderSvg(chart.spec)}</figure>`,
      ),
    );
    parts.push(`<div class="charts">${charts.join('\n')}</div>`);
  }
  for (const table of section.tables ?? []) parts.push(tableHtml(table));
  parts.push(`<p class="method"><strong>Method.</strong> ${escapeHtml(section.method)}</p>`, '</section>');
  return parts.join('\n');
}

/**
 * Vega numbers gradients with a process-wide counter, so the same report rendered twice in one
 * process would differ; renumbering in order of appearance makes the page depend on its content only.
 */
function renumberSvgIds(html: string): string {
  const numbers = new Map<string, number>();
  return html.replace(/\bgradient_(\d+)\b/g, (_match, id: string) => {
    if (!numbers.has(id)) numbers.set(id, numbers.size);
    return `gradient_${numbers.get(id)}`;
  });
}

/**
 * Builds one self-contained HTML page from report sections: inline CSS and inline SVG charts,
 * no script and no request of any kind, readable when printed. Text is escaped.
 *
 * @example
 * const html = await buildReport(
 *   [{ id: 'rfm', title: 'Customer value', keyFigures: [{ label: 'customers', value: 5000 }], method: 'RFM, 5 bins' }],
 *   { title: 'Operator analytics' },
 * );
 * html.startsWith('<!doctype html>'); // => true
 */
export async function buildReport(
  sections: readonly ReportSection[],
  options: BuildReportOptions,
): Promise<string> {
  const body = [];
  for (const section of sections) body.push(await sectionHtml(section));
  const content = renumberSvgIds(body.join('\n'));
  const navigation = sections
    .map((section) => `<li><a href="#${escapeHtml(section.id)}">${escapeHtml(section.title)}</a></li>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(options.title)}</title>
<style>${styles}</style>
</head>
<body>
<header>
<h1>${escapeHtml(options.title)}</h1>
${options.subtitle ? `<p class="subtitle">${escapeHtml(options.subtitle)}</p>` : ''}
<nav><ul>${navigation}</ul></nav>
</header>
<main>
${content}
</main>
<footer>Generated by telco-analytics. Self-contained: no scripts, no network requests.</footer>
</body>
</html>
`;
}
