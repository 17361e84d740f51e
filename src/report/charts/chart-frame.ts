import { type VegaLiteSpec, vegaLiteSchema } from '../vega-lite-spec.js';

/** Size and title every chart of the package shares, so the report reads as one document. */
export function chartFrame(
  title: string,
  body: Readonly<Record<string, unknown>>,
  width = 420,
  height = 260,
): VegaLiteSpec {
  return {
    $schema: vegaLiteSchema,
    title,
    width,
    height,
    config: { view: { stroke: '#d9dde5' }, axis: { labelFontSize: 11, titleFontSize: 12 } },
    ...body,
  };
}
