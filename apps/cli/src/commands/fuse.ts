/**
 * `eou fuse`: builds a decoder+joint variant from a model directory's decoder and joint_decision
 * (ONNX, or CoreML `.mlmodelc`/`.mlpackage`) and writes it next to them under its DESIGN.md name
 * (or to `--out`): an ONNX graph, or with `--format mlpackage` an ML Program `.mlpackage`.
 */
import {
  buildableVariantKinds,
  coremlVariantFileNames,
  fuseCoreMLDirectory,
  fuseModelDirectory,
} from '@eou/fusion';
import { GraphError } from '@eou/graph';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
      description: 'Model directory with decoder and joint_decision (.onnx, .mlmodelc or .mlpackage).',
    },
    format: {
      type: 'string',
      valueName: 'F',
      description:
        'Output format: onnx, or mlpackage (CoreML ML Program; pipeline, lean, lean-topk). Default: onnx, or mlpackage when DIR holds only CoreML models.',
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
    'eou fuse --model parakeet-160ms/ --variant lean --format mlpackage',
  ],
  async run(ctx) {
    const model = ctx.options.model;
    const variant = ctx.options.variant;
    if (typeof model !== 'string')
      throw new CLIError('eou fuse: missing --model DIR (see `eou fuse --help`)');
    if (typeof variant !== 'string')
      throw new CLIError(`eou fuse: missing --variant (one of ${buildableVariantKinds.join(', ')})`);
    const out = typeof ctx.options.out === 'string' ? resolve(ctx.cwd, ctx.options.out) : undefined;
    const dir = resolve(ctx.cwd, model);
    const onlyCoreML =
      !existsSync(join(dir, 'decoder.onnx')) &&
      ['decoder.mlmodelc', 'decoder.mlpackage'].some((f) => existsSync(join(dir, f)));
    const format =
      typeof ctx.options.format === 'string' ? ctx.options.format : onlyCoreML ? 'mlpackage' : 'onnx';
    if (format !== 'onnx' && format !== 'mlpackage')
      throw new CLIError(`eou fuse: --format must be onnx or mlpackage, got '${format}'`);
    if (format === 'mlpackage') {
      if (!(variant in coremlVariantFileNames))
        throw new CLIError(
          `eou fuse: --format mlpackage builds ${Object.keys(coremlVariantFileNames).join(', ')}, not '${variant}'`,
        );
      let built;
      try {
        built = fuseCoreMLDirectory(dir, { variant, ...(out !== undefined ? { out } : {}) });
      } catch (error) {
        if (error instanceof GraphError || error instanceof RangeError)
          throw new CLIError(`eou fuse: ${error.message.split('\n')[0]}`, 'E_BAD_INPUT', { cause: error });
        throw error;
      }
      if (ctx.options.json) ctx.stdout.write(JSON.stringify(built) + '\n');
      else ctx.stdout.write(`wrote ${built.path}\n`);
      ctx.stderr.write(
        `eou fuse: ${built.variant} .mlpackage from ${built.sources.decoder} and ${built.sources.joint}\n`,
      );
      return 0;
    }
    let result;
    try {
      result = fuseModelDirectory(dir, {
        variant,
        ...(out !== undefined ? { out } : {}),
      });
    } catch (error) {
      if (error instanceof GraphError || error instanceof RangeError) {
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
