import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// These tests use the *built* package (`npm test` builds first), imported by its name the way a
// user's code imports it: Node resolves `telco-analytics/...` through package.json "exports".
const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types: string; default: string }>;
  bin: Record<string, string>;
};
const subpaths = Object.keys(manifest.exports).filter((key) => key !== './package.json');
const specifier = (subpath: string): string =>
  subpath === '.' ? 'telco-analytics' : `telco-analytics${subpath.slice(1)}`;

function importExports(name: string): string[] {
  const script = `const m = await import(${JSON.stringify(name)}); process.stdout.write(JSON.stringify(Object.keys(m)));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[];
}

/** Files reachable from `entry` through static `import`/`export ... from` (dynamic `import()` excluded). */
function staticImportGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  const pattern = /^\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]/gm;
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      const target = match[1]!;
      if (target.startsWith('.')) pending.push(resolve(dirname(file), target));
      else packages.add(target);
    }
  }
  return { files, packages };
}

describe('the built package', () => {
  it('is built', () => {
    expect(existsSync(join(root, 'dist/index.js')), 'run `npm run build` first (npm test does)').toBe(true);
  });

  it('has an exports entry for every capability folder with a public index', () => {
    const folders = readdirSync(join(root, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(root, 'src', entry.name, 'index.ts')))
      .map((entry) => entry.name)
      .filter((name) => name !== 'cli');
    for (const folder of folders)
      expect(subpaths, `missing exports entry for ./${folder}`).toContain(`./${folder}`);
  });

  it.each(subpaths)('imports %s by its public name', (subpath) => {
    const names = importExports(specifier(subpath));
    expect(names.length).toBeGreaterThan(0);
    if (subpath === './data')
      expect(names).toEqual(expect.arrayContaining(['generateOperator', 'createRng', 'DataError']));
  });

  it.each(subpaths)(
    '%s never loads TensorFlow.js or a database client (optional peers) at import, even indirectly',
    (subpath) => {
      const target = manifest.exports[subpath] as { default: string };
      const { packages } = staticImportGraph(join(root, target.default));
      const optional = ['@tensorflow', '@duckdb', '@clickhouse'];
      expect([...packages].filter((name) => optional.some((prefix) => name.startsWith(prefix)))).toEqual([]);
    },
  );

  it('runs the CLI from its bin entry', () => {
    const bin = join(root, manifest.bin['telco-analytics']!);
    const output = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(output).toContain('Usage: telco-analytics <command>');
  });
});

describe('the CLI in a pipe', () => {
  it('exits quietly with code 0 when the reader closes the pipe early (as `| head` does)', () => {
    const bin = join(root, manifest.bin['telco-analytics']!);
    // `true` exits without reading, long before Node has started: every write then meets EPIPE.
    const script = `"${process.execPath}" "${bin}" generate --help | true; echo "exit=\${PIPESTATUS[0]}"`;
    const output = execFileSync('bash', ['-c', script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(output.trim()).toBe('exit=0');
  });
});
