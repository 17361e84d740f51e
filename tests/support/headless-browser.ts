import { existsSync } from 'node:fs';

/** Debian's Chromium, which `.ci/run` installs; tests that need it are skipped with a printed reason without it. */
export const chromiumPath = '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  process.stderr.write(`skipped: no browser at ${chromiumPath} (apt-get install chromium; .ci/run does)\n`);
  return false;
}

/** Flags for a quiet headless Chromium on a machine without network: no background requests at all. */
export const chromiumArguments = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
];
