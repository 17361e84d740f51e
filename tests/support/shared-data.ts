import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `../shared/data` beside the project: present in CI and on developers' machines, absent in a user's clone. */
export const sharedDataDirectory = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/**
 * The path of a real public data set, or `undefined` with the reason printed once, so the
 * caller can `describe.skipIf(path === undefined)`.
 */
export function sharedDataFile(name: string): string | undefined {
  const path = `${sharedDataDirectory}${name}`;
  if (existsSync(path)) return path;
  process.stderr.write(
    `skipped: ${name} not found at ${path} (../shared/data is absent outside the project's CI)\n`,
  );
  return undefined;
}
