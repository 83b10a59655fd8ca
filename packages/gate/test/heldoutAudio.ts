/**
 * The tiny model's held-out audio for the audio-gate tests: the six flite clips committed under
 * `packages/frontend/test/fixtures/heldout/` (their frames ship in `sets/synth-heldout/frames/`),
 * as NeMo manifests, a subset corpus of the shipped frames for the same files, and bad audio.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav } from '@eou/frontend';
import { setDir } from '@eou/tiny-eou-model';

export const gatePackageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const heldoutClipDir = path.resolve(gatePackageDir, '..', 'frontend', 'test', 'fixtures', 'heldout');
export const heldoutIds = [
  'test-00000',
  'test-00004',
  'test-00006',
  'test-00012',
  'test-00015',
  'test-00017',
];

/** A line of the shipped synth-heldout manifest. */
export interface HeldoutLine {
  readonly id: string;
  readonly text: string;
  readonly frames: string;
  readonly duration: number;
  readonly speech_start: number;
  readonly speech_end: number;
  readonly [key: string]: unknown;
}

export function heldoutLines(ids: readonly string[] = heldoutIds): HeldoutLine[] {
  const all = fs
    .readFileSync(path.join(setDir('synth-heldout'), 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as HeldoutLine);
  return ids.map((id) => all.find((l) => l.id === id)!);
}

export const clipPath = (id: string) => path.join(heldoutClipDir, `${id}.flac`);

/** A NeMo audio manifest of the clips (with their known speech ends unless `withSpeechEnd` is false). */
export function writeAudioManifest(
  file: string,
  ids: readonly string[] = heldoutIds,
  options: { withSpeechEnd?: boolean; extra?: readonly Record<string, unknown>[] } = {},
): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const lines = heldoutLines(ids).map((m) => ({
    id: m.id,
    audio_filepath: clipPath(m.id),
    text: m.text,
    duration: m.duration,
    ...(options.withSpeechEnd === false ? {} : { speech_start: m.speech_start, speech_end: m.speech_end }),
  }));
  const all = [...lines, ...(options.extra ?? [])];
  fs.writeFileSync(file, all.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

/**
 * A corpus directory of the shipped frames of `ids` (the manifest lines as shipped; frames copied: the
 * gate refuses frames that resolve outside the corpus, so a symlink to the shipped set would not do).
 */
export function shippedSubset(dir: string, ids: readonly string[] = heldoutIds): string {
  fs.mkdirSync(dir, { recursive: true });
  const lines = heldoutLines(ids);
  for (const l of lines) {
    const frames = (l as { frames: string }).frames;
    fs.mkdirSync(path.dirname(path.join(dir, frames)), { recursive: true });
    fs.copyFileSync(path.join(setDir('synth-heldout'), frames), path.join(dir, frames));
  }
  fs.writeFileSync(path.join(dir, 'manifest.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return dir;
}

/** Bad audio files in `dir`: a truncated WAV, a 22.05 kHz WAV, a float WAV with a NaN, a missing file. */
export function badAudio(dir: string): Record<'corrupt' | 'rate' | 'nan' | 'missing', string> {
  fs.mkdirSync(dir, { recursive: true });
  const tone = Float32Array.from({ length: 8000 }, (_, i) => 0.2 * Math.sin(i / 7));
  const good = encodeWav(tone, 16000, 's16le');
  const corrupt = path.join(dir, 'corrupt.wav');
  fs.writeFileSync(corrupt, good.subarray(0, 44 + 4000));
  const rate = path.join(dir, 'rate-22k.wav');
  fs.writeFileSync(rate, encodeWav(tone, 22050, 's16le'));
  const nan = path.join(dir, 'nan.wav');
  const withNan = tone.slice();
  withNan[100] = NaN;
  fs.writeFileSync(nan, encodeWav(withNan, 16000, 'f32le'));
  return { corrupt, rate, nan, missing: path.join(dir, 'missing.wav') };
}
