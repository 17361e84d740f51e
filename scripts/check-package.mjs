// Packs the package as npm would publish it and lints the tarball: publint (package.json fields,
// exports, files) and arethetypeswrong (types resolve for ESM consumers). Run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const folder = mkdtempSync(join(tmpdir(), 'telco-pack-'));
try {
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', folder], { encoding: 'utf8' });
  const [{ filename, files }] = JSON.parse(output);
  const tarball = join(folder, filename);
  const testFiles = files.filter((file) => /(^|\/)tests?\//.test(file.path));
  if (testFiles.length > 0) throw new Error(`the tarball contains test files: ${testFiles[0].path}`);
  console.log(`packed ${filename}: ${files.length} files`);
  execFileSync('npx', ['publint', 'run', tarball, '--strict'], { stdio: 'inherit' });
  execFileSync('npx', ['attw', tarball, '--profile', 'esm-only'], { stdio: 'inherit' });
} finally {
  rmSync(folder, { recursive: true, force: true });
}
