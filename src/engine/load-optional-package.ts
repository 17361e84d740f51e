import { TelcoAnalyticsError } from '../data/errors.js';

/**
 * Imports an optional peer dependency when an engine first needs it, so `telco-analytics/engine`
 * never loads a database client the caller does not use. A missing package is a clear error
 * naming what to install. @internal
 */
export async function loadOptionalPackage<T>(name: string, purpose: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new TelcoAnalyticsError(
        'UNSUPPORTED',
        `${purpose} needs the optional package '${name}': install it with \`npm install ${name}\``,
      );
    }
    throw error;
  }
}
