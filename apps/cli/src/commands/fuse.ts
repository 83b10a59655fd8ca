/**
 * `eou fuse`: builds a decoder+joint variant from a model directory's decoder and joint_decision
 * (ONNX, or CoreML `.mlmodelc`/`.mlpackage`) and writes it next to them under its docs/design.md name
 * (or to `--out`): an ONNX graph, or with `--format mlpackage` an ML Program `.mlpackage`.
 */
import {
  buildableVariantKinds,
  coremlVariantFileNames,
  fuseCoreMLDirectory,
  fuseModelDirectory,
} from '@eou/fusion';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLIError } from '../cliError';
import { defineCommand } from '../command';
import { rangeErrorAsBadInput, writeFailureAsBadInput } from '../errors';

export default defineCommand({
  name: 'fuse',
  description:
    'Build a fused decoder+joint variant (pipeline, lean, lean-topk, projected) from a model directory.',
  options: {
    model: {
      type: 'string',
      required: true,
      valueName: 'DIR',
      description: 'Model directory with decoder and joint_decision (.onnx, .mlmodelc or .mlpackage).',
    },
    format: {
      type: 'enum',
      choices: ['onnx', 'mlpackage'],
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
    const { variant } = ctx.options;
    // Named by the variant registry of @eou/fusion, whose message lists the buildable ones.
    if (variant === undefined)
      throw new CLIError(`eou fuse: missing --variant (one of ${buildableVariantKinds.join(', ')})`);
    const out = ctx.options.out !== undefined ? resolve(ctx.cwd, ctx.options.out) : undefined;
    const dir = resolve(ctx.cwd, ctx.options.model);
    const onlyCoreML =
      !existsSync(join(dir, 'decoder.onnx')) &&
      ['decoder.mlmodelc', 'decoder.mlpackage'].some((f) => existsSync(join(dir, f)));
    const format = ctx.options.format ?? (onlyCoreML ? 'mlpackage' : 'onnx');
    if (format === 'mlpackage') {
      if (!(variant in coremlVariantFileNames))
        throw new CLIError(
          `eou fuse: --format mlpackage builds ${Object.keys(coremlVariantFileNames).join(', ')}, not '${variant}'`,
        );
      let built;
      try {
        built = fuseCoreMLDirectory(dir, { variant, ...(out !== undefined ? { out } : {}) });
      } catch (error) {
        if (error instanceof RangeError) rangeErrorAsBadInput('fuse', error);
        writeFailureAsBadInput('fuse', out ?? dir, error);
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
      // The builder names its argument; the user gave a flag.
      if (error instanceof RangeError)
        throw new CLIError(
          `eou fuse: ${error.message.replace(/^fuseModelDirectory: `out`/, '--out')}`,
          'E_USAGE',
          {
            cause: error,
          },
        );
      writeFailureAsBadInput('fuse', out ?? dir, error);
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
