/**
 * `runMain(argv, io)`: the whole CLI as a function, so tests never touch `process`. Returns the exit
 * code: 0 success/pass, 1 gate failed, 2 bad usage or bad input (one line on stderr).
 */
import type { Writable } from 'node:stream';
import { parseCommandArgs, renderCommandHelp } from './args';
import { ExitCode } from './cliError';
import type { Command } from './command';
import { commands } from './commands/index';
import { badInputLine } from './errors';
import { didYouMean } from './suggest';

export interface MainIO {
  stdout: Writable;
  stderr: Writable;
  stderrIsTTY?: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function renderMainHelp(): string {
  const lines = ['Usage: eou <command> [options]', '', 'Commands:'];
  for (const [name, entry] of Object.entries(commands))
    lines.push(`  ${name.padEnd(14)}${entry.description}`);
  lines.push('', 'Run `eou <command> --help` for the options of a command.');
  lines.push('Exit codes: 0 success or gate passed, 1 gate failed, 2 bad usage or bad input.');
  return lines.join('\n') + '\n';
}

export async function runMain(argv: readonly string[], io: MainIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(renderMainHelp());
    return ExitCode.badInput;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(renderMainHelp());
    return ExitCode.ok;
  }
  const entry = commands[name === '--version' || name === '-v' ? 'version' : name];
  if (!entry) {
    const hint = didYouMean(name, Object.keys(commands), (c) => `\`eou ${c}\``);
    io.stderr.write(`eou: unknown command '${name}'${hint} (run \`eou --help\` for the list)\n`);
    return ExitCode.badInput;
  }
  let command: Command = await entry.load();
  let args = rest;
  while (command.subcommands && args[0] !== undefined && Object.hasOwn(command.subcommands, args[0])) {
    const sub = command.subcommands[args[0]];
    args = args.slice(1);
    command = await sub!();
  }
  try {
    const { options, positionals } = parseCommandArgs(command, args);
    if (options.help) {
      io.stdout.write(renderCommandHelp(command));
      return ExitCode.ok;
    }
    return await command.run({
      options,
      positionals,
      argv,
      stdout: io.stdout,
      stderr: io.stderr,
      stderrIsTTY: io.stderrIsTTY ?? false,
      cwd: io.cwd ?? process.cwd(),
      env: io.env ?? process.env,
    });
  } catch (error) {
    const line = badInputLine(error, command);
    if (line === undefined) throw error;
    io.stderr.write(`${line}\n`);
    return ExitCode.badInput;
  }
}
