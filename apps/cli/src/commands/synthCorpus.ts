/**
 * `eou synth-corpus`: writes a corpus (manifest.jsonl + frames/*.npy) matching a synthetic model,
 * whose greedy decode reproduces the reference texts except on the low-margin frames asked for.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FusionError, loadSynthModelDirectory, SynthCorpusGenerator } from '@eou/fusion';
import { encodeNpy } from '@eou/rnnt-decode';
import { CLIError } from '../cliError';
import { defineCommand } from '../command';
import { parseIntegerFlag } from './synthModel';

function writeAtomic(path: string, bytes: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw cause;
  }
}

export default defineCommand({
  name: 'synth-corpus',
  description: 'Write a synthetic corpus (manifest.jsonl, frames/*.npy) matching a synthetic model.',
  options: {
    model: { type: 'string', valueName: 'DIR', description: 'Model directory written by `eou synth-model`.' },
    out: { type: 'string', valueName: 'DIR', description: 'Corpus directory to write (created if missing).' },
    files: { type: 'string', valueName: 'N', description: 'Number of utterances.' },
    seed: { type: 'string', valueName: 'N', description: 'Corpus seed (default 1).' },
    'frames-per-file': {
      type: 'string',
      valueName: 'N',
      description: 'Target encoder frames per utterance (default 92, ~7.4 s).',
    },
    'low-margin-share': {
      type: 'string',
      valueName: 'X',
      description: 'Share of token frames built with a near-zero margin (default 0).',
    },
    json: { type: 'boolean', description: 'Print one JSON summary on stdout.' },
  },
  examples: [
    'eou synth-corpus --model model/ --out corpus/ --files 2620',
    'eou synth-corpus --model model/ --out flips/ --files 100 --low-margin-share 0.05',
  ],
  async run(ctx) {
    const { model, out } = ctx.options;
    if (typeof model !== 'string')
      throw new CLIError('eou synth-corpus: missing --model DIR (see `eou synth-corpus --help`)');
    if (typeof out !== 'string') throw new CLIError('eou synth-corpus: missing --out DIR');
    if (ctx.options.files === undefined) throw new CLIError('eou synth-corpus: missing --files N');
    const files = parseIntegerFlag(ctx.options.files, '--files', 0, 1);
    const seed = parseIntegerFlag(ctx.options.seed, '--seed', 1);
    const framesPerFile = parseIntegerFlag(ctx.options['frames-per-file'], '--frames-per-file', 92, 12);
    const shareText = ctx.options['low-margin-share'];
    const lowMarginShare = shareText === undefined ? 0 : Number(shareText);
    if (typeof shareText === 'boolean' || !(lowMarginShare >= 0 && lowMarginShare <= 1)) {
      throw new CLIError(`--low-margin-share must be a number in [0, 1], got ${JSON.stringify(shareText)}`);
    }
    let synth;
    try {
      synth = loadSynthModelDirectory(resolve(ctx.cwd, model));
    } catch (error) {
      if (error instanceof FusionError)
        throw new CLIError(`eou synth-corpus: ${error.message}`, 'E_BAD_INPUT', { cause: error });
      throw error;
    }
    const dir = resolve(ctx.cwd, out);
    mkdirSync(join(dir, 'frames'), { recursive: true });
    const gen = new SynthCorpusGenerator(synth, { seed, framesPerFile, lowMarginShare });
    const E = synth.joint.encoderDim;
    const frameSeconds = Number(synth.modelJson['frameMs']) / 1000;
    const lines: string[] = [];
    let frames = 0;
    let tokens = 0;
    let lowMarginFrames = 0;
    let mismatches = 0;
    const started = performance.now();
    for (let i = 0; i < files; i++) {
      const u = gen.utterance(i);
      const rel = `frames/${u.id}.npy`;
      writeAtomic(join(dir, rel), encodeNpy(u.frames, [u.frameCount, E]));
      lines.push(
        JSON.stringify({
          id: u.id,
          text: u.text,
          frames: rel,
          duration: Math.round(u.frameCount * frameSeconds * 1000) / 1000,
          eouFrame: u.eouFrame,
          lowMarginFrames: u.lowMarginFrames,
        }),
      );
      frames += u.frameCount;
      tokens += u.tokens.length;
      lowMarginFrames += u.lowMarginFrames;
      mismatches += u.referenceMismatches;
      if (ctx.stderrIsTTY && (i % 50 === 49 || i === files - 1))
        ctx.stderr.write(`\reou synth-corpus: ${i + 1}/${files}`);
    }
    if (ctx.stderrIsTTY) ctx.stderr.write('\n');
    // The manifest last: a corpus directory with a manifest is complete.
    writeAtomic(join(dir, 'manifest.jsonl'), lines.join('\n') + '\n');
    const summary = {
      dir,
      files,
      frames,
      tokens,
      framesPerToken: Math.round((frames / tokens) * 100) / 100,
      lowMarginFrames,
      predictedFlips: mismatches,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
    if (ctx.options.json) ctx.stdout.write(JSON.stringify(summary) + '\n');
    else ctx.stdout.write(`wrote ${join(dir, 'manifest.jsonl')} and ${files} frame files\n`);
    ctx.stderr.write(
      `eou synth-corpus: ${files} files, ${frames} frames, ${summary.framesPerToken} frames/token, ${lowMarginFrames} low-margin frames (${mismatches} predicted to flip), ${summary.seconds} s\n`,
    );
    return 0;
  },
});
