import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README's examples live in examples/ and must keep running: each is executed against the
// built package (imports resolve to dist/ through package.json "exports", as in a user's project).
const root = fileURLToPath(new URL('../', import.meta.url));
const examples = readdirSync(join(root, 'examples')).filter(
  (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
);

describe('examples', () => {
  it.each(examples)('%s runs to completion', (name) => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', join('examples', name)], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    expect(output.length).toBeGreaterThan(0);
  });
});
