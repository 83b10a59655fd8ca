export { CLIError, ExitCode } from './cliError';
export { defineCommand } from './command';
export type {
  Command,
  CommandContext,
  OptionSpec,
  OptionTable,
  OptionType,
  OptionValue,
  OptionValues,
  ParsedOptions,
  PositionalSpec,
} from './command';
export { badInputLine, isPackageError, packageErrors } from './errors';
export { renderMainHelp, runMain } from './main';
export type { MainIO } from './main';
