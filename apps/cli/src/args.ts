/**
 * Parses argv against a command's option table once: `node:util` parseArgs splits the words, then
 * every value is turned into its type (integer, number, enum, list, custom) and checked, with one
 * error line naming the flag, what it takes and what it got. Help is rendered from the same table.
 */
import { parseArgs } from 'node:util';
import { CLIError } from './cliError';
import type { Command, OptionSpec, OptionTable, OptionValues } from './command';
import { didYouMean } from './suggest';

export const globalOptions: OptionTable = {
  help: { type: 'boolean', short: 'h', description: 'Show help for this command.' },
};

/** What a spec's values must be, in words (`an integer >= 1`, `one of a, b`, `a number in [0, 1]`). */
export function expectation(spec: OptionSpec): string {
  switch (spec.type) {
    case 'integer':
    case 'number': {
      if (spec.expected) return spec.expected;
      const what = spec.type === 'integer' ? 'an integer' : 'a number';
      if (spec.min !== undefined && spec.max !== undefined) return `${what} in [${spec.min}, ${spec.max}]`;
      if (spec.min !== undefined) return `${what} >= ${spec.min}`;
      if (spec.max !== undefined) return `${what} <= ${spec.max}`;
      return what;
    }
    case 'enum':
      return spec.expected ?? `one of ${spec.choices.join(', ')}`;
    case 'custom':
      return spec.expected;
    case 'list':
      return 'a comma-separated list';
    default:
      return 'a value';
  }
}

function badValue(command: Command, flag: string, spec: OptionSpec, text: string): CLIError {
  const expected = expectation(spec);
  const hint = spec.type === 'enum' ? didYouMean(text, spec.choices) : '';
  return new CLIError(
    command.flagErrors === 'expected'
      ? `--${flag}: expected ${expected}, got '${text}'${hint}`
      : `eou ${command.name}: --${flag} must be ${expected}, got '${text}'${hint}`,
  );
}

/** `text` as the value of `spec`, or undefined when it is not one. */
function convert(spec: OptionSpec, text: string): { value: unknown } | undefined {
  switch (spec.type) {
    case 'integer': {
      if (!/^[+-]?\d+$/.test(text.trim())) return undefined;
      const n = Number(text);
      const ok =
        Number.isSafeInteger(n) &&
        !(spec.min !== undefined && n < spec.min) &&
        !(spec.max !== undefined && n > spec.max);
      return ok ? { value: n } : undefined;
    }
    case 'number': {
      const n = Number(text);
      const ok =
        text.trim() !== '' &&
        Number.isFinite(n) &&
        !(spec.min !== undefined && n < spec.min) &&
        !(spec.max !== undefined && n > spec.max);
      return ok ? { value: n } : undefined;
    }
    case 'enum':
      return spec.choices.includes(text) ? { value: text } : undefined;
    case 'list':
      return {
        value: text
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      };
    case 'custom':
      try {
        return { value: spec.parse(text) };
      } catch {
        return undefined;
      }
    default:
      return { value: text };
  }
}

/**
 * Parses `argv` (the words after the command name) into typed options and positionals.
 * @throws {CLIError} one line naming the command and the flag: an unknown option, a value of the
 *   wrong type or out of range, a missing required option or positional, an extra positional.
 */
export function parseCommandArgs<T extends OptionTable>(
  command: Command<T>,
  argv: readonly string[],
): { options: OptionValues<T>; positionals: string[] } {
  const specs: Record<string, OptionSpec> = { ...globalOptions, ...command.options };
  const table: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    table[name] = {
      type: spec.type === 'boolean' ? 'boolean' : 'string',
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.type === 'string' && spec.multiple ? { multiple: true } : {}),
    };
  }
  // `--seed -1`: node's parser takes `-1` for an option; join a negative number to its flag so the
  // value check can say what is wrong with it.
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
    const flags = Object.keys(table).map((f) => `--${f}`);
    const typed = unknown?.[1]?.split('=')[0] ?? '';
    const message =
      e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown
        ? `unknown option ${unknown[1]}${didYouMean(typed, flags)}`
        : (e.message ?? String(error)).split('\n')[0]!.replace(/\.$/, '');
    throw new CLIError(`eou ${command.name}: ${message} (see \`eou ${command.name} --help\`)`);
  }
  const raw = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const options: Record<string, unknown> = { help: raw.help === true };
  for (const [name, spec] of Object.entries(command.options)) {
    const given = raw[name];
    if (spec.type === 'boolean') options[name] = given === true;
    else if (spec.type === 'string' && spec.multiple) options[name] = given ?? [];
    else if (typeof given === 'string') {
      const converted = convert(spec, given);
      if (!converted) throw badValue(command, name, spec, given);
      options[name] = converted.value;
    } else if ('default' in spec && spec.default !== undefined)
      options[name] = spec.type === 'list' ? [...spec.default] : spec.default;
  }
  if (!options.help) {
    for (const [name, spec] of Object.entries(command.options)) {
      if (!spec.required || options[name] !== undefined) continue;
      const hint = spec.missingHint
        ? `(${spec.missingHint})`
        : spec.type === 'enum'
          ? `(one of ${spec.choices.join(', ')})`
          : `(see \`eou ${command.name} --help\`)`;
      throw new CLIError(
        `eou ${command.name}: missing --${name}${spec.valueName ? ` ${spec.valueName}` : ''} ${hint}`,
      );
    }
    const positionals = command.positionals ?? [];
    const required = positionals.filter((p) => p.required).length;
    if (parsed.positionals.length < required) {
      const missing = positionals[parsed.positionals.length]?.name ?? 'argument';
      throw new CLIError(`eou ${command.name}: missing ${missing} (see \`eou ${command.name} --help\`)`);
    }
    if (parsed.positionals.length > positionals.length && !positionals[positionals.length - 1]?.variadic) {
      throw new CLIError(
        `eou ${command.name}: unexpected argument '${parsed.positionals[positionals.length]}' (see \`eou ${command.name} --help\`)`,
      );
    }
  }
  return { options: options as OptionValues<T>, positionals: parsed.positionals };
}

function valueName(spec: OptionSpec): string {
  if (spec.valueName) return spec.valueName;
  if (spec.type === 'integer') return 'N';
  if (spec.type === 'number') return 'X';
  if (spec.type === 'enum') return spec.choices.join('|');
  if (spec.type === 'list') return 'A,B';
  return 'VALUE';
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
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'boolean' ? '' : ` ${valueName(spec)}`}`;
    const dflt =
      'default' in spec && spec.default !== undefined
        ? ` (default: ${Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default)})`
        : '';
    lines.push(`  ${flag.padEnd(30)}${spec.description}${spec.required ? ' Required.' : ''}${dflt}`);
  }
  if (command.examples?.length) {
    lines.push('', 'Examples:');
    for (const e of command.examples) lines.push(`  ${e}`);
  }
  return lines.join('\n') + '\n';
}
