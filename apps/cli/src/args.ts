/** Parses argv against a command's option table and renders help from the same table. */
import { parseArgs } from 'node:util';
import { CLIError } from './cliError';
import type { Command, OptionSpec, ParsedOptions } from './command';

export const globalOptions: Readonly<Record<string, OptionSpec>> = {
  help: { type: 'boolean', short: 'h', description: 'Show help for this command.' },
};

export function parseCommandArgs(
  command: Command,
  argv: readonly string[],
): { options: ParsedOptions; positionals: string[] } {
  const table: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries({ ...globalOptions, ...command.options })) {
    table[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  // `--seed -1`: node's parser takes `-1` for an option; join a negative number to its flag so the
  // command's own validation can say what is wrong with the value.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const next = argv[i + 1];
    const spec = flag.startsWith('--') ? table[flag.slice(2)] : undefined;
    if (spec?.type === 'string' && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      args.push(`${flag}=${next}`);
      i++;
    } else args.push(flag);
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options: table, allowPositionals: true, strict: true });
  } catch (error) {
    const e = error as Error & { code?: string };
    const unknown = /^Unknown option '([^']+)'/.exec(e.message ?? '');
    const message =
      e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown
        ? `unknown option ${unknown[1]}`
        : (e.message ?? String(error)).split('\n')[0]!.replace(/\.$/, '');
    throw new CLIError(`eou ${command.name}: ${message} (see \`eou ${command.name} --help\`)`);
  }
  const options: ParsedOptions = { ...(parsed.values as ParsedOptions) };
  for (const [name, spec] of Object.entries(command.options)) {
    if (options[name] === undefined && spec.default !== undefined) options[name] = spec.default;
  }
  if (!options.help) {
    const specs = command.positionals ?? [];
    const required = specs.filter((p) => p.required).length;
    if (parsed.positionals.length < required) {
      const missing = specs[parsed.positionals.length]?.name ?? 'argument';
      throw new CLIError(`eou ${command.name}: missing ${missing} (see \`eou ${command.name} --help\`)`);
    }
    if (parsed.positionals.length > specs.length && !specs[specs.length - 1]?.variadic) {
      throw new CLIError(
        `eou ${command.name}: unexpected argument '${parsed.positionals[specs.length]}' (see \`eou ${command.name} --help\`)`,
      );
    }
  }
  return { options, positionals: parsed.positionals };
}

export function renderCommandHelp(command: Command, programName = 'eou'): string {
  const positionals = (command.positionals ?? []).map((p) => (p.required ? p.name : `[${p.name}]`)).join(' ');
  const lines = [
    `Usage: ${programName} ${command.name}${positionals ? ' ' + positionals : ''} [options]`,
    '',
    command.description,
    '',
  ];
  if (command.subcommands && Object.keys(command.subcommands).length) {
    lines.push('Subcommands:');
    for (const name of Object.keys(command.subcommands))
      lines.push(`  ${programName} ${command.name} ${name} --help`);
    lines.push('');
  }
  if (command.positionals?.length) {
    lines.push('Arguments:');
    for (const p of command.positionals) lines.push(`  ${p.name.padEnd(26)}${p.description}`);
    lines.push('');
  }
  lines.push('Options:');
  for (const [name, spec] of Object.entries({ ...command.options, ...globalOptions })) {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
    const dflt =
      spec.default !== undefined && spec.default !== false ? ` (default: ${String(spec.default)})` : '';
    lines.push(`  ${flag.padEnd(30)}${spec.description}${dflt}`);
  }
  if (command.examples?.length) {
    lines.push('', 'Examples:');
    for (const e of command.examples) lines.push(`  ${e}`);
  }
  return lines.join('\n') + '\n';
}
