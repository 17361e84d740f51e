import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string): string => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

// Tests import the public entry points (`telco-analytics/rfm`), resolved here to the TypeScript
// sources; tests/package/built-package.test.ts imports the built `dist/` the way a user would.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^telco-analytics$/, replacement: source('index.ts') },
      { find: /^telco-analytics\/(.+)$/, replacement: source('$1/index.ts') },
    ],
  },
  test: {
    include: ['tests/**/*.test.ts', 'examples/**/*.test.ts'],
    setupFiles: ['tests/setup/fail-on-console.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    coverage: { provider: 'v8', include: ['src/**'] },
  },
});
