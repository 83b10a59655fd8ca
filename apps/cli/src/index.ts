export { CLIError, ExitCode } from './cliError';
export { defineCommand } from './command';
export type { Command, CommandContext, OptionSpec, ParsedOptions, PositionalSpec } from './command';
export { renderMainHelp, runMain } from './main';
export type { MainIO } from './main';
