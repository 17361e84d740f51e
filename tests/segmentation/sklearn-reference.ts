import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const python = '/usr/bin/python3';
const script = fileURLToPath(new URL('../reference/segmentation-sklearn.py', import.meta.url));

/** `true` when Debian's python3 with scikit-learn is installed; otherwise prints why the tests are skipped. */
export function sklearnAvailable(): boolean {
  if (!existsSync(python)) {
    process.stderr.write(
      `skipped: ${python} not found (install python3-sklearn to compare with scikit-learn)\n`,
    );
    return false;
  }
  const probe = spawnSync(python, ['-c', 'import sklearn'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    process.stderr.write(
      'skipped: scikit-learn is not importable by /usr/bin/python3 (apt-get install python3-sklearn)\n',
    );
    return false;
  }
  return true;
}

/** Runs tests/reference/segmentation-sklearn.py on the given tasks and returns its results in order. */
export function runSklearn<T = Record<string, unknown>>(
  tasks: readonly unknown[],
): { version: string; results: T[] } {
  const child = spawnSync(python, [script], {
    input: JSON.stringify({ tasks }),
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  if (child.status !== 0) throw new Error(`scikit-learn reference failed: ${child.stderr}`);
  const parsed = JSON.parse(child.stdout) as { sklearn: string; results: T[] };
  return { version: parsed.sklearn, results: parsed.results };
}
