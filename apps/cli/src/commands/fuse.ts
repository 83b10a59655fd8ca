/**
 * `eou fuse`: builds a decoder+joint variant from a model directory's decoder.onnx and
 * joint_decision.onnx and writes it next to them under its DESIGN.md name (or to `--out`).
 */
import { buildableVariantKinds, FusionError, fuseModelDirectory } from '@eou/fusion';
import { resolve } from 'node:path';
import { CLIError } from '../cliError';
import { defineCommand } from '../command';

export default defineCommand({
  name: 'fuse',
  description:
    'Build a fused decoder+joint variant (pipeline, lean, lean-topk, projected) from a model directory.',
  options: {
    model: {
      type: 'string',
      valueName: 'DIR',
      description: 'Model directory with decoder.onnx and joint_decision.onnx.',
    },
    variant: {
      type: 'string',
      valueName: 'V',
      description: `Variant to build: ${buildableVariantKinds.join(', ')}.`,
    },
    out: {
      type: 'string',
      valueName: 'FILE',
      description: 'Output file for single-file variants (default: the standard name in DIR).',
    },
    json: { type: 'boolean', description: 'Print one JSON document on stdout.' },
  },
  examples: [
    'eou fuse --model model/ --variant lean',
    'eou fuse --model model/ --variant pipeline --out /tmp/pipeline.onnx --json',
  ],
  async run(ctx) {
    const model = ctx.options.model;
    const variant = ctx.options.variant;
    if (typeof model !== 'string')
      throw new CLIError('eou fuse: missing --model DIR (see `eou fuse --help`)');
    if (typeof variant !== 'string')
      throw new CLIError(`eou fuse: missing --variant (one of ${buildableVariantKinds.join(', ')})`);
    const out = typeof ctx.options.out === 'string' ? resolve(ctx.cwd, ctx.options.out) : undefined;
    let result;
    try {
      result = fuseModelDirectory(resolve(ctx.cwd, model), {
        variant,
        ...(out !== undefined ? { out } : {}),
      });
    } catch (error) {
      if (error instanceof FusionError || error instanceof RangeError) {
        throw new CLIError(
          `eou fuse: ${error.message.replace(/^fuseModelDirectory: `out`/, '--out')}`,
          'E_BAD_INPUT',
          { cause: error },
        );
      }
      throw error;
    }
    if (ctx.options.json) {
      ctx.stdout.write(JSON.stringify(result) + '\n');
    } else {
      for (const f of result.files)
        ctx.stdout.write(`wrote ${f.path} (${f.bytes} bytes, sha256 ${f.sha256})\n`);
    }
    const d = result.dims;
    ctx.stderr.write(
      `eou fuse: ${result.variant} from V=${d.vocabSize} H=${d.hiddenSize} E=${d.encoderDim} J=${d.jointDim} K=${d.topK}\n`,
    );
    return 0;
  },
});
