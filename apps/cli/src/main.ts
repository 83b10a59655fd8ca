/**
 * `runMain(argv, io)`: the whole CLI as a function, so tests never touch `process`. Returns the exit
 * code: 0 success/pass, 1 gate failed, 2 bad usage or bad input (one line on stderr).
 */
import type { Writable } from 'node:stream';
import { parseCommandArgs, renderCommandHelp } from './args';
import { CLIError, ExitCode } from './cliError';
import type { Command } from './command';
import { commands } from './commands/index';

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
    io.stderr.write(`eou: unknown command '${name}' (run \`eou --help\` for the list)\n`);
    return ExitCode.badInput;
  }
  let command: Command = await entry.load();
  let args = rest;
  while (command.subcommands && args[0] !== undefined && args[0] in command.subcommands) {
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
      stdout: io.stdout,
      stderr: io.stderr,
      stderrIsTTY: io.stderrIsTTY ?? false,
      cwd: io.cwd ?? process.cwd(),
      env: io.env ?? process.env,
    });
  } catch (error) {
    if (error instanceof CLIError) {
      io.stderr.write(`${error.message.split('\n')[0]}\n`);
      return ExitCode.badInput;
    }
    const fsReason = fileSystemReason(error);
    if (fsReason) {
      io.stderr.write(`eou ${command.name}: ${fsReason}\n`);
      return ExitCode.badInput;
    }
    throw error;
  }
}

const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, expected a file',
  ENOTDIR: 'is not a directory (or a parent of it is a file)',
  EEXIST: 'already exists and is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

/**
 * A file-system failure on a path the user gave (a directory where a file belongs, a file where an
 * output directory belongs...) is bad input, reported as one line, not an internal error.
 */
function fileSystemReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof path !== 'string' || !(code in FS_REASONS)) return undefined;
  return `${path}: ${FS_REASONS[code]}`;
}
