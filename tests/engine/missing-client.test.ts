import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The optional peer dependencies are imported only on connect; on a machine without them (here:
// a child process whose module resolution refuses them) importing the engine works and connect
// fails with an error naming the package to install.
const root = fileURLToPath(new URL('../../', import.meta.url));
const hide = fileURLToPath(new URL('./hide-client-packages.mjs', import.meta.url));

function connectWithoutClients(options: object): { code: string; message: string } {
  const script = `
    const { connect } = await import('./src/engine/index.ts');
    try { await connect(${JSON.stringify(options)}); process.stdout.write('{"code":"none","message":"connected"}'); }
    catch (error) { process.stdout.write(JSON.stringify({ code: error.code, message: error.message })); }`;
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--import', hide, '--input-type=module', '-e', script],
    { cwd: root, encoding: 'utf8' },
  );
  return JSON.parse(output) as { code: string; message: string };
}

describe('a missing optional client', () => {
  it('is an UNSUPPORTED error naming the package to install, raised by connect, not by the import', () => {
    const duckdb = connectWithoutClients({ kind: 'duckdb' });
    expect(duckdb.code).toBe('UNSUPPORTED');
    expect(duckdb.message).toContain('npm install @duckdb/node-api');
    const clickhouse = connectWithoutClients({ kind: 'clickhouse', url: 'http://127.0.0.1:1' });
    expect(clickhouse.code).toBe('UNSUPPORTED');
    expect(clickhouse.message).toContain('npm install @clickhouse/client');
  });
});
