import { TelcoAnalyticsError } from '../data/errors.js';
import type { VegaLiteSpec } from './vega-lite-spec.js';

/**
 * Renders a Vega-Lite spec to an SVG string on the server, with the `vega` and `vega-lite`
 * packages (no browser, no canvas: text widths are estimated). Both are imported on first use, so
 * importing the report module stays cheap. The SVG has no external references.
 *
 * @example
 * const svg = await renderSvg({
 *   $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
 *   data: { values: [{ plan: 'POST-S', revenue: 10 }] },
 *   mark: 'bar',
 *   encoding: { x: { field: 'plan', type: 'nominal' }, y: { field: 'revenue', type: 'quantitative' } },
 * });
 * svg.startsWith('<svg'); // => true
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  let compiled: ReturnType<typeof vegaLite.compile>;
  try {
    compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]);
  } catch (error) {
    throw new TelcoAnalyticsError(
      'INVALID_OPTION',
      `renderSvg: not a valid Vega-Lite spec: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
