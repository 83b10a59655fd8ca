/**
 * A multi-utterance audio corpus: clips joined with silences into streams, each stream's manifest
 * line listing its utterances with their text and where their speech starts and ends. The gate's
 * check for such a corpus is that decoding goes on after each end of utterance (every utterance gets
 * its words and its own EOU); the research this toolkit generalises met hosts that stop at the
 * first EOU.
 */
import fs from 'node:fs';
import path from 'node:path';
import { encodeWav, readAudioFile } from '@eou/frontend';
import { writeAtomic } from './writeAtomic';

/** One clip to join. Times are seconds within the clip. */
export interface StreamClip {
  readonly audioPath: string;
  readonly text: string;
  /** Where the clip's speech starts and ends (default: its whole length). */
  readonly speechStart?: number;
  readonly speechEnd?: number;
}

/** Options of {@link writeMultiUtteranceCorpus}. */
export interface MultiUtteranceCorpusOptions {
  /** Each stream: its id and the clips it joins, in order. */
  readonly streams: readonly { readonly id: string; readonly clips: readonly StreamClip[] }[];
  /** Silence between clips, seconds (default 2.5: more than the 1.28 s EOU debounce plus its latency). */
  readonly gapSeconds?: number;
  readonly sampleRate?: number;
  /** Where `<id>.wav` and `manifest.jsonl` go (created). */
  readonly outDir: string;
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Writes the streams (16-bit WAV) and a NeMo manifest whose lines carry `utterances: [{ text,
 * speech_start, speech_end }]` in stream time.
 * @returns the manifest path
 * @throws the `FrontendError` of a clip that cannot be read (naming it)
 */
export async function writeMultiUtteranceCorpus(options: MultiUtteranceCorpusOptions): Promise<string> {
  const rate = options.sampleRate ?? 16000;
  const gap = Math.round((options.gapSeconds ?? 2.5) * rate);
  if (!(gap >= 0)) throw new RangeError(`\`gapSeconds\` must be >= 0, got ${options.gapSeconds}`);
  fs.mkdirSync(options.outDir, { recursive: true });
  const lines: string[] = [];
  for (const stream of options.streams) {
    const parts: Float32Array[] = [];
    const utterances: { text: string; speech_start: number; speech_end: number }[] = [];
    let at = 0;
    for (const [i, clip] of stream.clips.entries()) {
      const audio = await readAudioFile(clip.audioPath, { sampleRate: rate });
      if (i > 0) {
        parts.push(new Float32Array(gap));
        at += gap;
      }
      const offset = at / rate;
      utterances.push({
        text: clip.text,
        speech_start: r3(offset + (clip.speechStart ?? 0)),
        speech_end: r3(offset + (clip.speechEnd ?? audio.durationSeconds)),
      });
      parts.push(audio.samples);
      at += audio.samples.length;
    }
    const samples = new Float32Array(at);
    let o = 0;
    for (const p of parts) {
      samples.set(p, o);
      o += p.length;
    }
    const file = `${stream.id}.wav`;
    writeAtomic(path.join(options.outDir, file), encodeWav(samples, rate, 's16le'));
    lines.push(
      JSON.stringify({
        id: stream.id,
        audio_filepath: file,
        text: utterances.map((u) => u.text).join(' '),
        duration: r3(at / rate),
        utterances,
      }),
    );
  }
  const manifest = path.join(options.outDir, 'manifest.jsonl');
  writeAtomic(manifest, lines.join('\n') + '\n');
  return manifest;
}
