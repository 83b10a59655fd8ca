/**
 * `eou transcribe`: audio files (or an audio manifest) through a model's whole streaming loop
 * (`@eou/frontend`'s transcriber, the model opened by `@eou/gate`'s `openAudioModel`): text, tokens
 * with their times, EOU times and per-file RTFx. A file that cannot be read is a failed entry with
 * its one-line reason; the rest go on, and the exit code is 2 when any failed.
 */
import path from 'node:path';
import { transcribeFiles, type FileTranscript } from '@eou/frontend';
import { createEouDetector, openAudioModel, readAudioManifest, resolveEouDetector } from '@eou/gate';
import { variantNames } from '@eou/rnnt-decode';
import { audioModelDir, eouDetectorFlags, eouDetectorFrom, existingPath, scheduleFlags } from '../audioFlags';
import { CLIError, ExitCode } from '../cliError';
import { defineCommand } from '../command';
import { createProgress, progressSettings } from '../progress';

export default defineCommand({
  name: 'transcribe',
  description:
    "Transcribe audio files with a model's streaming loop: text, tokens with times, EOU times and RTFx per file. A file that cannot be read is reported with its reason and the others go on; the exit code is then 2.",
  positionals: [{ name: 'FILE', description: 'Audio files (WAV or FLAC).', variadic: true }],
  options: {
    model: {
      type: 'string',
      valueName: 'DIR',
      description:
        'Model directory with a streaming encoder in its model.json (default: the embedded tiny EOU model).',
    },
    manifest: {
      type: 'string',
      valueName: 'M',
      description:
        'Transcribe the files of an audio manifest (NeMo JSONL, Kaldi wav.scp or data dir) instead.',
    },
    variant: {
      type: 'enum',
      choices: variantNames,
      default: 'ref',
      valueName: 'V',
      description: 'Decoder variant.',
    },
    ...scheduleFlags,
    ...eouDetectorFlags,
    'pad-silence-ms': {
      type: 'number',
      min: 0,
      valueName: 'MS',
      default: 0,
      description:
        'Stream MS of silence after each file, as a microphone would (a pending EOU confirms only while audio arrives); counted in the audio seconds.',
    },
    json: {
      type: 'boolean',
      description:
        'Print one JSON document: {"schedule","files":[{"file","text","tokens","tokenTimesMs","eouTimesMs","audioSeconds","rtfx",...}]}.',
    },
  },
  examples: [
    'eou transcribe clip.wav other.flac',
    'eou transcribe --model model/ --manifest test.jsonl --schedule production --json',
  ],
  async run(ctx) {
    const o = ctx.options;
    if (o.manifest !== undefined && ctx.positionals.length > 0)
      throw new CLIError('eou transcribe: give audio files or --manifest, not both');
    const files =
      o.manifest !== undefined
        ? readAudioManifest(existingPath(o.manifest, '--manifest', ctx, 'transcribe')).entries.map(
            (e) => e.audioPath,
          )
        : ctx.positionals.map((f) => path.resolve(ctx.cwd, f));
    if (files.length === 0)
      throw new CLIError('eou transcribe: missing FILE... or --manifest M (see `eou transcribe --help`)');
    const modelDir = await audioModelDir(o.model, [o.variant], ctx, 'transcribe');
    const model = await openAudioModel(modelDir, { variant: o.variant });
    const detector = eouDetectorFrom(o);
    const spec = detector === undefined ? undefined : resolveEouDetector(detector);
    const bar = createProgress(ctx.stderr, files.length, {
      ...progressSettings(ctx),
      ...(files.length > 1 ? {} : { mode: 'off' as const }),
      label: 'eou transcribe',
    });
    let results: FileTranscript[];
    let schedule: string;
    try {
      // An unknown schedule is a usage error naming the flag.
      try {
        schedule = model.transcriberOptions(o.schedule).schedule.name;
      } catch (error) {
        if (error instanceof RangeError) throw new CLIError(`eou transcribe: --schedule: ${error.message}`);
        throw error;
      }
      results = await transcribeFiles(files, model, {
        schedule,
        resample: o.resample,
        padSilenceMs: o['pad-silence-ms'],
        resetDecoderOnEndOfUtterance: o['reset-on-eou'],
        ...(spec === undefined ? {} : { endOfUtterance: () => createEouDetector(spec) }),
        onFile: (_, i) => bar.tick(i + 1),
      });
    } finally {
      bar.finish();
      await model.close();
    }
    const vocab = model.decoder.vocab;
    const failed = results.filter((r) => !r.ok);
    for (const r of failed) ctx.stderr.write(`eou transcribe: ${r.error.message.split('\n')[0]}\n`);
    if (o.json) {
      ctx.stdout.write(
        JSON.stringify({
          schedule,
          files: results.map((r) =>
            r.ok
              ? {
                  file: r.file,
                  text: r.transcript.text,
                  tokens: r.transcript.tokens,
                  pieces: r.transcript.tokens.map((t) => vocab.get(t) ?? null),
                  tokenTimesMs: r.transcript.tokenTimesMs,
                  eouTimesMs: r.transcript.eouTimesMs,
                  eouSignalTimesMs: r.transcript.eouSignalTimesMs,
                  utterances: r.transcript.utterances.map((u) => ({
                    text: u.text,
                    endMs: u.endMs,
                    endedBy: u.endedBy,
                  })),
                  audioSeconds: r.transcript.audioSeconds,
                  rtfx: round(r.rtfx, 1),
                  timingMs: roundAll(r.transcript.timing),
                }
              : { file: r.file, error: r.error.message.split('\n')[0], code: r.error.code },
          ),
          failed: failed.length,
        }) + '\n',
      );
    } else {
      for (const r of results) {
        if (!r.ok) {
          ctx.stdout.write(`${r.file}: FAILED (${r.error.message.split('\n')[0]})\n`);
          continue;
        }
        const t = r.transcript;
        ctx.stdout.write(
          `${r.file}  ${t.audioSeconds.toFixed(2)} s  RTFx ${round(r.rtfx, 1)}  (${t.schedule}; features ${round(t.timing.featuresMs, 1)} ms, encoder ${round(t.timing.encoderMs, 1)} ms, decode ${round(t.timing.decodeMs, 1)} ms)\n`,
        );
        ctx.stdout.write(`  text: ${t.text}\n`);
        ctx.stdout.write(
          `  tokens: ${t.tokens.map((tok, i) => `${vocab.get(tok) ?? tok}@${t.tokenTimesMs[i]}`).join(' ') || '(none)'}\n`,
        );
        ctx.stdout.write(
          `  EOU: ${t.eouTimesMs.length ? t.eouTimesMs.map((m) => `${m} ms`).join(', ') : 'none confirmed'} (model signals: ${t.eouSignalTimesMs.length ? t.eouSignalTimesMs.map((m) => `${m}`).join(', ') + ' ms' : 'none'}; ${t.endOfUtterance})\n`,
        );
      }
      if (results.length > 1)
        ctx.stdout.write(
          `${results.length - failed.length}/${results.length} files transcribed${failed.length ? `, ${failed.length} failed` : ''}\n`,
        );
    }
    return failed.length > 0 ? ExitCode.badInput : ExitCode.ok;
  },
});

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
const roundAll = (t: Record<string, number>) =>
  Object.fromEntries(Object.entries(t).map(([k, v]) => [k, round(v, 3)]));
