/** The Vega-Lite JSON schema every chart of the package declares. */
export const vegaLiteSchema = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * A Vega-Lite specification as plain JSON: what a notebook displays as
 * `application/vnd.vegalite+json`, and what {@link renderSvg} turns into SVG. Typed loosely on
 * purpose, so that callers need not depend on `vega-lite`'s own types.
 */
export interface VegaLiteSpec {
  readonly $schema: string;
  readonly [property: string]: unknown;
}
