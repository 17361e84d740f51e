import { afterEach, beforeEach, vi } from 'vitest';

// Library code must never write to the console; a test that expects output mocks it itself.
// Skipped-test reasons are printed with `process.stderr.write` by tests/support/shared-data.ts.
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;

beforeEach(() => {
  for (const method of methods) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      throw new Error(`unexpected console.${method} in a test: ${args.map(String).join(' ')}`);
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});
