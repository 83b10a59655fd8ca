/**
 * `eou model-json DIR`: writes the model.json `@eou/model-dir` derives for a directory without one
 * (a sherpa-onnx / icefall transducer, a FluidAudio Parakeet folder), so it becomes an ordinary
 * toolkit model directory. Atomic (temp file + rename); `--out -` prints it instead.
 */
import { resolve } from 'node:path';
import { modelJsonText, readModelDirectory, writeModelJson } from '@eou/model-dir';
import { defineCommand } from '../command';

export default defineCommand({
  name: 'model-json',
  description:
    'Write the model.json derived for a sherpa-onnx or FluidAudio model directory, making it a normal toolkit model dir.',
  positionals: [{ name: 'DIR', description: 'The model directory.', required: true }],
  options: {
    out: {
      type: 'string',
      valueName: 'FILE',
      description: 'Where to write it (default DIR/model.json; `-` prints it on stdout).',
    },
    encoder: {
      type: 'string',
      valueName: 'FILE',
      description: 'The encoder of a sherpa-onnx directory that holds several (encoder-*.onnx).',
    },
  },
  examples: [
    'eou model-json ../shared/fixtures/zipformer-kws-gigaspeech-3.3M --out zipformer.model.json',
    'eou model-json sherpa-onnx-streaming-zipformer-en/ --encoder encoder-epoch-99-avg-1.int8.onnx',
  ],
  async run(ctx) {
    const dir = resolve(ctx.cwd, ctx.positionals[0]!);
    const md = readModelDirectory(
      dir,
      ctx.options.encoder === undefined ? {} : { encoder: ctx.options.encoder },
    );
    if (ctx.options.out === '-') {
      ctx.stdout.write(modelJsonText(md));
      return 0;
    }
    const out = writeModelJson(
      md,
      ctx.options.out === undefined ? undefined : resolve(ctx.cwd, ctx.options.out),
    );
    ctx.stderr.write(
      `eou model-json: wrote ${out} (${md.layout === 'model.json' ? 'read from model.json' : `derived from ${md.derivedFrom.join(', ')}`})\n`,
    );
    return 0;
  },
});
