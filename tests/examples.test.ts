import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README's examples live in examples/ and must keep running: each is executed against the
// built package (imports resolve to dist/ through package.json "exports", as in a user's project).
const root = fileURLToPath(new URL('../', import.meta.url));
const examples = readdirSync(join(root, 'examples')).filter(
  (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
);

/** The notebook's ```ts cells as one ES module (import declarations may stand anywhere in a module). */
function notebookScript(): string {
  const markdown = readFileSync(join(root, 'examples', 'notebook.md'), 'utf8');
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!).join('\n');
}

describe('examples', () => {
  it('notebook.md: its code cells run in order against the built package', () => {
    const folder = mkdtempSync(join(root, 'examples', '.notebook-'));
    try {
      const script = join(folder, 'notebook.ts');
      writeFileSync(script, notebookScript());
      const output = execFileSync(process.execPath, ['--import', 'tsx', script], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 180_000,
      });
      expect(output).toContain('held-out ROC AUC');
      expect(output).toContain('trend chart as SVG');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

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
