/**
 * What a command is: a name, a description, a table of typed options (from which parsing, validation
 * and `--help` are all generated, so they cannot drift) and a `run` that returns the exit code. A
 * command's `run` receives its options already parsed into their types.
 */
import type { Writable } from 'node:stream';

interface BaseSpec {
  readonly description: string;
  /** Value name shown in help, e.g. `DIR`. */
  readonly valueName?: string;
  readonly short?: string;
  /** Missing is a usage error: `eou <command>: missing --flag VALUE (<missingHint>)`. */
  readonly required?: boolean;
  /** What the missing-option message says in parentheses (default: the choices, or see `--help`). */
  readonly missingHint?: string;
}

/** `--flag`: true when given. */
export interface BooleanSpec extends BaseSpec {
  readonly type: 'boolean';
}

/** `--flag TEXT`, or with `multiple` repeatable (`--rule A --rule B`). */
export interface StringSpec extends BaseSpec {
  readonly type: 'string';
  readonly default?: string;
  readonly multiple?: boolean;
}

/** `--flag N`: a whole number (no exponent, no fraction) within [min, max]. */
export interface IntegerSpec extends BaseSpec {
  readonly type: 'integer';
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
  /** What error messages say is expected, when not the generated `an integer >= min`. */
  readonly expected?: string;
}

/** `--flag X`: a finite number within [min, max]. */
export interface NumberSpec extends BaseSpec {
  readonly type: 'number';
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
  readonly expected?: string;
}

/** `--flag V`: one of `choices`. */
export interface EnumSpec<C extends string = string> extends BaseSpec {
  readonly type: 'enum';
  readonly choices: readonly C[];
  readonly default?: C;
  /** What error messages say is expected, when not the generated `one of a, b`. */
  readonly expected?: string;
}

/** `--flag A,B`: comma-separated, trimmed, empty items dropped. */
export interface ListSpec extends BaseSpec {
  readonly type: 'list';
  readonly default?: readonly string[];
}

/** `--flag TEXT` turned into a value by `parse`, which throws for text it does not accept. */
export interface CustomSpec<T = unknown> extends BaseSpec {
  readonly type: 'custom';
  readonly parse: (text: string) => T;
  /** What error messages say is expected. */
  readonly expected: string;
}

export type OptionSpec =
  BooleanSpec | StringSpec | IntegerSpec | NumberSpec | EnumSpec | ListSpec | CustomSpec;
export type OptionType = OptionSpec['type'];
export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** The parsed value of one option of spec `S`. */
export type OptionValue<S> = S extends BooleanSpec
  ? boolean
  : S extends IntegerSpec | NumberSpec
    ? number
    : S extends EnumSpec<infer C>
      ? C
      : S extends ListSpec
        ? string[]
        : S extends CustomSpec<infer T>
          ? T
          : S extends { readonly multiple: true }
            ? string[]
            : string;

/** Booleans, repeatable strings, and options with a default or `required` always have a value. */
type AlwaysSet<S> = S extends BooleanSpec
  ? true
  : S extends { readonly multiple: true }
    ? true
    : S extends { readonly default: unknown }
      ? true
      : S extends { readonly required: true }
        ? true
        : false;

/** The parsed options of a table: each typed by its spec, `undefined` only when it may be absent. */
export type OptionValues<T extends OptionTable> = {
  readonly [K in keyof T]: AlwaysSet<T[K]> extends true ? OptionValue<T[K]> : OptionValue<T[K]> | undefined;
} & { readonly help?: boolean };

export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  /** The last positional may take any number of values. */
  readonly variadic?: boolean;
}

export interface CommandContext<O = OptionValues<OptionTable>> {
  readonly options: O;
  readonly positionals: readonly string[];
  /** The arguments `eou` was given, command name included: the command line for provenance. */
  readonly argv: readonly string[];
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** True when stderr is an interactive terminal (progress bars only then). */
  readonly stderrIsTTY: boolean;
  /** Working directory against which relative paths resolve. */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface Command<T extends OptionTable = OptionTable> {
  readonly name: string;
  readonly description: string;
  readonly options: T;
  readonly positionals?: readonly PositionalSpec[];
  /** Extra help text printed after the option table. */
  readonly examples?: readonly string[];
  /** Subcommands (e.g. `wer-gate merge`), looked up before positionals are parsed. */
  readonly subcommands?: Readonly<Record<string, () => Promise<Command>>>;
  /**
   * How a bad option value reads: `must-be` (default): `eou <command>: --flag must be ..., got 'v'`;
   * `expected`: `--flag: expected ..., got 'v'` (the form `eou wer-gate` has always printed).
   */
  readonly flagErrors?: 'must-be' | 'expected';
  /**
   * What goes before the message of an `@eou/*` package error (default `eou <command>: `). `eou
   * wer-gate` prints the gate's messages as they are: each starts with the file it names.
   */
  readonly errorPrefix?: string;
  run(ctx: CommandContext<OptionValues<T>>): Promise<number>;
}

/** Keeps the literal option table, so `run` sees each option with its parsed type. */
export function defineCommand<const T extends OptionTable>(command: Command<T>): Command<T> {
  return command;
}

/** @deprecated The untyped view of a command's options; use {@link OptionValues} of its table. */
export type ParsedOptions = OptionValues<OptionTable>;
