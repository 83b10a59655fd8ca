/**
 * `eou convert MODEL --to onnx|mlpackage [--out PATH]`: a CoreML ML Program (`.mlmodelc` or
 * `.mlpackage`) to ONNX (runs on ONNX Runtime anywhere) or rewritten as an `.mlpackage`. The
 * output is written atomically; stdout holds its path (or, with --json, input, format, output
 * and size).
 */
import { convertModel } from '@eou/coreml-format';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineCommand } from '../command';

const TARGETS = ['onnx', 'mlpackage'] as const;

export default defineCommand({
  name: 'convert',
  description: 'Convert a CoreML .mlmodelc/.mlpackage to ONNX, or rewrite it as an .mlpackage.',
  positionals: [{ name: 'MODEL', description: 'An .mlmodelc or .mlpackage directory.', required: true }],
  options: {
    to: { type: 'enum', choices: TARGETS, required: true, description: 'Target format: onnx or mlpackage.' },
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
    const { to } = ctx.options;
    const out = ctx.options.out !== undefined ? resolve(ctx.cwd, ctx.options.out) : undefined;
    const input = resolve(ctx.cwd, ctx.positionals[0]!);
    // A CoreMLFormatError names the file; `eou` prints it as `eou convert: ...`, exit 2.
    const written = convertModel(input, { to, ...(out !== undefined ? { out } : {}) });
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
