/**
 * `eou synth-corpus`: `@eou/gate`'s `writeSynthCorpus` on a synthetic model directory: a corpus
 * (manifest.jsonl + frames/*.npy) whose greedy decode reproduces the reference texts except on the
 * low-margin frames asked for.
 */
import { join, resolve } from 'node:path';
import { writeSynthCorpus } from '@eou/gate';
import { defineCommand } from '../command';
import { writeFailureAsBadInput } from '../errors';
import { createProgress, progressSettings } from '../progress';

export default defineCommand({
  name: 'synth-corpus',
  description: 'Write a synthetic corpus (manifest.jsonl, frames/*.npy) matching a synthetic model.',
  options: {
    model: {
      type: 'string',
      required: true,
      valueName: 'DIR',
      description: 'Model directory written by `eou synth-model`.',
    },
    out: {
      type: 'string',
      required: true,
      valueName: 'DIR',
      description: 'Corpus directory to write (created if missing).',
    },
    files: { type: 'integer', min: 1, required: true, valueName: 'N', description: 'Number of utterances.' },
    seed: { type: 'integer', min: 0, default: 1, valueName: 'N', description: 'Corpus seed.' },
    'frames-per-file': {
      type: 'integer',
      min: 12,
      default: 92,
      valueName: 'N',
      description: 'Target encoder frames per utterance (92 is ~7.4 s).',
    },
    'low-margin-share': {
      type: 'number',
      min: 0,
      max: 1,
      default: 0,
      valueName: 'X',
      description: 'Share of token frames built with a near-zero margin.',
    },
    json: { type: 'boolean', description: 'Print one JSON summary on stdout.' },
  },
  examples: [
    'eou synth-corpus --model model/ --out corpus/ --files 2620',
    'eou synth-corpus --model model/ --out flips/ --files 100 --low-margin-share 0.05',
  ],
  async run(ctx) {
    const { files } = ctx.options;
    const dir = resolve(ctx.cwd, ctx.options.out);
    const started = performance.now();
    const progress = createProgress(ctx.stderr, files, {
      ...progressSettings(ctx),
      label: 'eou synth-corpus',
    });
    let written;
    try {
      written = writeSynthCorpus(resolve(ctx.cwd, ctx.options.model), dir, {
        files,
        seed: ctx.options.seed,
        framesPerFile: ctx.options['frames-per-file'],
        lowMarginShare: ctx.options['low-margin-share'],
        onFile: (done) => progress.tick(done),
      });
    } catch (error) {
      writeFailureAsBadInput('synth-corpus', dir, error);
    } finally {
      progress.finish();
    }
    const summary = {
      dir,
      files,
      frames: written.frames,
      tokens: written.tokens,
      framesPerToken: written.framesPerToken,
      lowMarginFrames: written.lowMarginFrames,
      predictedFlips: written.predictedFlips,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
    if (ctx.options.json) ctx.stdout.write(JSON.stringify(summary) + '\n');
    else ctx.stdout.write(`wrote ${join(dir, 'manifest.jsonl')} and ${files} frame files\n`);
    ctx.stderr.write(
      `eou synth-corpus: ${files} files, ${summary.frames} frames, ${summary.framesPerToken} frames/token, ${summary.lowMarginFrames} low-margin frames (${summary.predictedFlips} predicted to flip), ${summary.seconds} s\n`,
    );
    return 0;
  },
});
