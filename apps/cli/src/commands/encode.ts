/**
 * `eou encode`: an audio manifest -> a corpus of cached encoder frames that `eou wer-gate --data`
 * reads, made by `@eou/gate`'s `encodeCorpus` (resumable; provenance with the audio and encoder
 * hashes, features and schedule). Files that cannot be read are listed with their reason, kept in the
 * manifest as failed entries (the gate counts them), and make the exit code 2.
 */
import path from 'node:path';
import { encodeCorpus, type EncodeCorpusResult } from '@eou/gate';
import { audioModelDir, existingPath, scheduleFlags } from '../audioFlags';
import { ExitCode } from '../cliError';
import { defineCommand } from '../command';
import { rangeErrorAsBadInput, writeFailureAsBadInput } from '../errors';
import { availableCores, capped } from '../workerCaps';
import { lazyProgress } from '../progress';
import { packageVersions } from '../versions';

export default defineCommand({
  name: 'encode',
  description:
    'Encode an audio manifest into a corpus of cached encoder frames (manifest.jsonl + .npy) under a named chunk schedule, with provenance; resumable. Files that cannot be read stay in the manifest as failed entries (the gate counts them) and make the exit code 2.',
  options: {
    model: {
      type: 'string',
      valueName: 'DIR',
      description: 'Model directory with a streaming encoder (default: the embedded tiny EOU model).',
    },
    manifest: {
      type: 'string',
      required: true,
      valueName: 'M',
      description:
        'Audio manifest: NeMo JSONL (audio_filepath, text, duration; speech_end or utterances carried over), a Kaldi wav.scp (text beside it) or a Kaldi data directory.',
    },
    out: {
      type: 'string',
      required: true,
      valueName: 'CORPUS',
      description: 'Corpus directory to write (a rerun with the same inputs resumes it).',
    },
    ...scheduleFlags,
    dtype: {
      type: 'enum',
      choices: ['float32', 'float16'],
      default: 'float32',
      valueName: 'T',
      description: 'Frame storage (the tiny model ships float16 frames).',
    },
    vad: {
      type: 'string',
      valueName: 'PATH',
      description:
        'A Silero VAD (.mlmodelc, .mlpackage or .onnx) for the end of speech of lines without speech_end.',
    },
    concurrency: {
      type: 'integer',
      min: 1,
      valueName: 'N',
      default: 2,
      description:
        'Files worked on at a time (reading overlaps encoding; the encoder runs one call at a time); at most the cores available (2 on one core); the JSON says what ran.',
    },
    json: { type: 'boolean', description: 'Print one JSON document (the result, with the provenance).' },
  },
  examples: [
    'eou encode --manifest test.jsonl --out corpus/',
    'eou encode --model model/ --manifest data/test/wav.scp --out corpus/ --schedule production --vad silero-vad.mlmodelc',
  ],
  async run(ctx) {
    const o = ctx.options;
    const manifest = existingPath(o.manifest, '--manifest', ctx, 'encode');
    const modelDir = await audioModelDir(o.model, ['ref'], ctx, 'encode');
    // Two in flight overlap reading with encoding even on one core.
    const concurrency = capped(
      'encode',
      'concurrency',
      o.concurrency,
      ctx.stderr,
      Math.max(2, availableCores()),
    );
    const outDir = path.resolve(ctx.cwd, o.out);
    const progress = lazyProgress(ctx, 'eou encode');
    let result: EncodeCorpusResult;
    try {
      result = await encodeCorpus({
        modelDir,
        manifest,
        outDir,
        ...(o.schedule === undefined ? {} : { schedule: o.schedule }),
        dtype: o.dtype,
        resample: o.resample,
        ...(o.vad === undefined ? {} : { vad: existingPath(o.vad, '--vad', ctx, 'encode') }),
        concurrency,
        versions: packageVersions(),
        onProgress: progress.onProgress,
      });
    } catch (error) {
      if (error instanceof RangeError) rangeErrorAsBadInput('encode', error);
      writeFailureAsBadInput('encode', outDir, error);
    } finally {
      progress.finish();
    }
    for (const f of result.failed) ctx.stderr.write(`eou encode: ${f.reason}\n`);
    if (o.json) ctx.stdout.write(JSON.stringify({ ...result, concurrency }) + '\n');
    else
      ctx.stdout.write(
        `${result.files - result.failed.length}/${result.files} files encoded under schedule ${result.schedule} into ${result.dir} (${result.encodedNow} now, ${result.resumed} resumed${result.failed.length ? `, ${result.failed.length} failed` : ''}; corpus ${result.key.slice(0, 16)})\n`,
      );
    return result.failed.length > 0 ? ExitCode.badInput : ExitCode.ok;
  },
});
