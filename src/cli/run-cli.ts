import { TelcoAnalyticsError } from '../data/errors.js';
import { billCommand } from './bill-command.js';
import { churnCommand } from './churn-command.js';
import { type CliCommand, type CliIo, commandHelp, parseCommandFlags } from './command.js';
import { demoCommand } from './demo-command.js';
import { fraudCommand } from './fraud-command.js';
import { generateCommand } from './generate-command.js';
import { olapCommand } from './olap-command.js';
import { rfmCommand } from './rfm-command.js';
import { rulesCommand } from './rules-command.js';
import { segmentCommand } from './segment-command.js';
import { simulateCommand } from './simulate-command.js';
import { UsageError } from './usage-error.js';
import { valueCommand } from './value-command.js';

const commands: readonly CliCommand[] = [
  demoCommand,
  generateCommand,
  rfmCommand,
  valueCommand,
  segmentCommand,
  churnCommand,
  rulesCommand,
  billCommand,
  simulateCommand,
  fraudCommand,
  olapCommand,
];

function mainHelp(): string {
  const lines = ['Usage: telco-analytics <command> [options]', '', 'Commands:'];
  for (const command of commands) lines.push(`  ${command.name.padEnd(12)}${command.summary.split('. ')[0]}`);
  lines.push('', "Run 'telco-analytics <command> --help' for a command's options.");
  return `${lines.join('\n')}\n`;
}

/**
 * Runs the CLI and returns the exit code: 0 on success, 2 on a usage error or bad input (one line
 * on stderr; the stack only with `--debug`), 1 on an unexpected failure.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug');
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  try {
    if (command === undefined)
      throw new UsageError(`unknown command '${name}' (see: telco-analytics --help)`);
    if (command.runArgv) {
      await command.runArgv(rest, io);
      return 0;
    }
    const flags = parseCommandFlags(command, rest);
    if (flags.help === true) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    await command.run(flags, io);
    return 0;
  } catch (error) {
    const expected = error instanceof UsageError || error instanceof TelcoAnalyticsError;
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`telco-analytics${command ? ` ${command.name}` : ''}: ${message.split('\n')[0]}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return expected ? 2 : 1;
  }
}
