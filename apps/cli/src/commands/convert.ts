/**
 * `eou convert MODEL --to onnx|mlpackage [--out PATH]`: a CoreML ML Program (`.mlmodelc` or
 * `.mlpackage`) to ONNX (runs on ONNX Runtime anywhere) or rewritten as an `.mlpackage`. The
 * output is written atomically; stdout holds its path (or, with --json, input, format, output
 * and size).
 */
import { convertModel } from '@eou/coreml-format';
import { GraphError } from '@eou/graph';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
    json: { type: 'boolean', description: 'Print one JSON document: input, to, output, bytes.' },
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
    const input = resolve(ctx.cwd, ctx.positionals[0]!);
    let written: string;
    try {
      written = convertModel(input, {
        to: to as 'onnx' | 'mlpackage',
        ...(out !== undefined ? { out } : {}),
      });
    } catch (error) {
      if (error instanceof GraphError)
        throw new CLIError(`eou convert: ${error.message.split('\n')[0]}`, 'E_BAD_INPUT', { cause: error });
      throw error;
    }
    if (ctx.options.json)
      ctx.stdout.write(JSON.stringify({ input, to, output: written, bytes: sizeOf(written) }) + '\n');
    else ctx.stdout.write(`${written}\n`);
    return 0;
  },
});

/** Bytes of a file, or of every file under a directory (an .mlpackage is a directory). */
function sizeOf(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const entry of readdirSync(path)) total += sizeOf(join(path, entry));
  return total;
}
