/**
 * What a command is: a name, a description, a table of options (from which both parsing and
 * `--help` are generated, so they cannot drift) and a `run` that returns the exit code.
 */
import type { Writable } from 'node:stream';

export type OptionType = 'string' | 'boolean';

export interface OptionSpec {
  readonly type: OptionType;
  readonly description: string;
  /** Value name shown in help, e.g. `DIR`. */
  readonly valueName?: string;
  readonly short?: string;
  readonly default?: string | boolean;
  readonly multiple?: boolean;
}

export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  /** The last positional may take any number of values. */
  readonly variadic?: boolean;
}

export type ParsedOptions = Record<string, string | boolean | string[] | undefined>;

export interface CommandContext {
  readonly options: ParsedOptions;
  readonly positionals: readonly string[];
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** True when stderr is an interactive terminal (progress bars only then). */
  readonly stderrIsTTY: boolean;
  /** Working directory against which relative paths resolve. */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface Command {
  readonly name: string;
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly positionals?: readonly PositionalSpec[];
  /** Extra help text printed after the option table. */
  readonly examples?: readonly string[];
  /** Subcommands (e.g. `wer-gate merge`), looked up before positionals are parsed. */
  readonly subcommands?: Readonly<Record<string, () => Promise<Command>>>;
  run(ctx: CommandContext): Promise<number>;
}

/** Identity helper that keeps the literal option table type-checked. */
export function defineCommand(command: Command): Command {
  return command;
}
