import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

/** A flag of a command: its type, default and one line of help. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly description: string;
  readonly default?: string;
  readonly placeholder?: string;
}

/** A CLI command: its flags, its help text and what it does. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  run(flags: Readonly<Record<string, string | boolean | undefined>>, io: CliIo): Promise<void>;
  /** For commands with subcommands (`churn train ...`): receives the raw arguments instead of parsed flags. */
  readonly runArgv?: (argv: readonly string[], io: CliIo) => Promise<void>;
}

/** Where a command writes; tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Help text of a command, listing every flag with its default. */
export function commandHelp(command: CliCommand): string {
  const lines = [`Usage: telco-analytics ${command.usage}`, '', command.summary, '', 'Options:'];
  const entries = Object.entries(command.flags).concat([
    ['help', { type: 'boolean', description: 'show this help' }],
    ['debug', { type: 'boolean', description: 'print stack traces of errors' }],
  ]);
  for (const [name, spec] of entries) {
    const left = spec.type === 'string' ? `--${name} ${spec.placeholder ?? 'VALUE'}` : `--${name}`;
    const fallback = spec.default === undefined ? '' : ` (default: ${spec.default})`;
    lines.push(`  ${left.padEnd(28)}${spec.description}${fallback}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Parses argv for a command; unknown flags and stray arguments are usage errors. */
export function parseCommandFlags(
  command: CliCommand,
  argv: readonly string[],
): Readonly<Record<string, string | boolean | undefined>> {
  const options: Record<string, { type: 'string' | 'boolean'; default?: string }> = {
    help: { type: 'boolean' },
    debug: { type: 'boolean' },
  };
  for (const [name, spec] of Object.entries(command.flags)) {
    options[name] =
      spec.default === undefined ? { type: spec.type } : { type: spec.type, default: spec.default };
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    return values;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`${message} (see: telco-analytics ${command.name} --help)`);
  }
}

/** Reads an integer flag within bounds, or throws a usage error naming the flag. */
export function integerFlag(
  flags: Readonly<Record<string, string | boolean | undefined>>,
  name: string,
  min: number,
  max: number,
): number {
  const raw = flags[name];
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer in ${min}..${max}, received '${String(raw)}'`);
  }
  return value;
}

/** Reads a finite number flag within bounds, or throws a usage error naming the flag. */
export function numberFlag(
  flags: Readonly<Record<string, string | boolean | undefined>>,
  name: string,
  min: number,
  max: number,
): number {
  const raw = flags[name];
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a number in ${min}..${max}, received '${String(raw)}'`);
  }
  return value;
}

/** Reads a required string flag, or throws a usage error naming it. */
export function stringFlag(
  flags: Readonly<Record<string, string | boolean | undefined>>,
  name: string,
): string {
  const raw = flags[name];
  if (typeof raw !== 'string' || raw.length === 0) throw new UsageError(`--${name} is required`);
  return raw;
}
