/**
 * `eou convert MODEL --to onnx|mlpackage [--out PATH]`: a CoreML ML Program (`.mlmodelc` or
 * `.mlpackage`) to ONNX (runs on ONNX Runtime anywhere) or rewritten as an `.mlpackage`. The
 * output is written atomically; stdout holds its path.
 */
import { convertModel, FusionError } from '@eou/fusion';
import { resolve } from 'node:path';
import { CLIError } from '../cliError';
import { defineCommand } from '../command';

const TARGETS = ['onnx', 'mlpackage'] as const;

export default defineCommand({
  name: 'convert',
  description: 'Convert a CoreML .mlmodelc/.mlpackage to ONNX, or rewrite it as an .mlpackage.',
  positionals: [{ name: 'MODEL', description: 'An .mlmodelc or .mlpackage directory.', required: true }],
  options: {
    to: { type: 'string', valueName: 'FORMAT', description: 'Target format: onnx or mlpackage.' },
    out: {
      type: 'string',
      valueName: 'PATH',
      description: 'Output path (default: MODEL with the new extension, next to it).',
    },
  },
  examples: [
    'eou convert silero-vad.mlmodelc --to onnx',
    'eou convert decoder.mlmodelc --to mlpackage --out /tmp/decoder.mlpackage',
  ],
  async run(ctx) {
    const to = ctx.options.to;
    if (typeof to !== 'string')
      throw new CLIError(`eou convert: missing --to (one of ${TARGETS.join(', ')})`);
    if (!(TARGETS as readonly string[]).includes(to))
      throw new CLIError(`eou convert: --to must be one of ${TARGETS.join(', ')}, got '${to}'`);
    const out = typeof ctx.options.out === 'string' ? resolve(ctx.cwd, ctx.options.out) : undefined;
    let written: string;
    try {
      written = convertModel(resolve(ctx.cwd, ctx.positionals[0]!), {
        to: to as 'onnx' | 'mlpackage',
        ...(out !== undefined ? { out } : {}),
      });
    } catch (error) {
      if (error instanceof FusionError)
        throw new CLIError(`eou convert: ${error.message.split('\n')[0]}`, 'E_BAD_INPUT', { cause: error });
      throw error;
    }
    ctx.stdout.write(`${written}\n`);
    return 0;
  },
});
