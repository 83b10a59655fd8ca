/**
 * The variants a `--model` directory serves, for the commands' flag checks: its layout's built-ins,
 * its model.json (read or derived) `variants`, and the user's `--variant NAME=FILE,FILE`
 * declarations. Without `--model` (the embedded model) or for a directory that cannot be read, the
 * eou layout's built-ins, and the loader reports what is wrong with the directory.
 */
import path from 'node:path';
import { readModelDirectory } from '@eou/model-dir';
import { modelVariants, parseVariantArgument, variantNames, type VariantSpec } from '@eou/rnnt-decode';
import { CLIError } from './cliError';

export interface ModelVariants {
  /** Every name `--ref`, `--candidates` or `--variants` may use. */
  readonly names: readonly string[];
  /** The parsed `--variant` declarations. */
  readonly declared: readonly VariantSpec<string>[];
}

/**
 * @param model the `--model` value (relative to `cwd`), if any
 * @param declarations the `--variant NAME=FILES` values
 * @throws CLIError naming the flag for a bad declaration
 */
export function modelVariantNames(
  command: string,
  cwd: string,
  model: string | undefined,
  declarations: readonly string[] = [],
): ModelVariants {
  let md;
  try {
    md = model === undefined ? undefined : readModelDirectory(path.resolve(cwd, model));
  } catch {
    md = undefined;
  }
  const layout = md?.config.layout ?? 'eou';
  const declared = declarations.map((text) => {
    try {
      return parseVariantArgument(text, layout);
    } catch (error) {
      throw new CLIError(`eou ${command}: --variant: ${(error as Error).message}`, 'E_BAD_INPUT');
    }
  });
  if (md === undefined) {
    if (declared.length > 0 && model === undefined)
      throw new CLIError(
        `eou ${command}: --variant declares files of a --model directory; give --model`,
        'E_BAD_INPUT',
      );
    return { names: [...variantNames, ...declared.map((d) => d.name)], declared };
  }
  try {
    return { names: modelVariants(md.config, md.description.file, declared).names, declared };
  } catch (error) {
    throw new CLIError(`eou ${command}: --variant: ${(error as Error).message}`, 'E_BAD_INPUT');
  }
}
