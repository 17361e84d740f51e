// Runs every benchmark in bench/ one after another, each in its own process (so peak memory and
// JIT state do not leak between them). Pass --quick for small sizes. Never part of `npm test`.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('./', import.meta.url));
const only = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
const benches = readdirSync(folder)
  .filter((name) => name.endsWith('.ts') && !['run.ts', 'machine.ts'].includes(name))
  .filter((name) => only.length === 0 || only.includes(name.replace(/\.ts$/, '')));
for (const name of benches) {
  console.log(`\n### bench/${name}`);
  execFileSync(
    process.execPath,
    ['--import', 'tsx', '--max-old-space-size=16384', `${folder}${name}`, ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
}
