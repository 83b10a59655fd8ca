/**
 * Builds the real-speech audio manifest of the zipformer gate into OUT_DIR, deterministically:
 * - the fixture's 2 LibriSpeech clips (`../shared/fixtures/zipformer-kws-gigaspeech-3.3M/test_wavs`,
 *   16 kHz, references from `trans.txt`);
 * - the 150 Asterisk prompts of `packages/tiny-eou-model/sets/asterisk/manifest.jsonl`, from their
 *   8 kHz originals in Debian `asterisk-core-sounds-en-wav` (/usr/share/asterisk/sounds/en),
 *   resampled once to 16 kHz with the toolkit's resampler (`@eou/frontend`, libsamplerate sinc-best)
 *   and written as 16-bit WAV; the references are that manifest's normalised `text`;
 * - the 5 LibriVox utterances of Debian `pocketsphinx-testdata`
 *   (/usr/share/pocketsphinx/test/data/librivox, 16 kHz; Sphinx `transcription`, `<s> ... </s> (id)`).
 * Every clip is copied (or resampled) into OUT_DIR/audio, so the manifest is self-contained and the
 * same bytes are fed to every recogniser. Writes OUT_DIR/manifest.jsonl (NeMo JSONL) and
 * OUT_DIR/sources.json (where each clip came from, with the sha256 of the source file).
 *
 * Run from the repository root:
 *   node --conditions=@eou/source --import tsx tools/real-speech/build-manifest.ts OUT_DIR
 * Environment: EOU_SHARED_FIXTURES, ASTERISK_SOUNDS, LIBRIVOX_DIR override the three source folders.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav, readAudioFile, resample } from '@eou/frontend';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = process.argv[2];
if (out === undefined) {
  console.error('usage: build-manifest.ts OUT_DIR');
  process.exit(2);
}
const fixtures = resolve(process.env['EOU_SHARED_FIXTURES'] ?? join(repo, '..', 'shared', 'fixtures'));
const zipformerWavs = join(fixtures, 'zipformer-kws-gigaspeech-3.3M', 'test_wavs');
const asterisk = process.env['ASTERISK_SOUNDS'] ?? '/usr/share/asterisk/sounds/en';
const librivox = process.env['LIBRIVOX_DIR'] ?? '/usr/share/pocketsphinx/test/data/librivox';
for (const [dir, fix] of [
  [zipformerWavs, 'the shared fixtures (EOU_SHARED_FIXTURES)'],
  [asterisk, 'apt-get install asterisk-core-sounds-en-wav (or ASTERISK_SOUNDS)'],
  [librivox, 'apt-get install pocketsphinx-testdata (or LIBRIVOX_DIR)'],
] as const) {
  if (!existsSync(dir)) {
    console.error(`build-manifest: ${dir} not found: ${fix}`);
    process.exit(2);
  }
}

const audioDir = join(out, 'audio');
mkdirSync(audioDir, { recursive: true });
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const lines: string[] = [];
const sources: { id: string; set: string; source: string; sha256: string; resampled: boolean }[] = [];

/** The words of a reference, lower case, as the gate's harness normaliser would compare them. */
const words = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

async function add(set: string, id: string, source: string, text: string): Promise<void> {
  const bytes = new Uint8Array(readFileSync(source));
  const read = await readAudioFile(source);
  let samples = read.samples;
  if (read.sampleRate !== 16000) samples = await resample(samples, read.sampleRate, 16000, 'best');
  const file = `audio/${set}-${id}.wav`;
  const wav = read.sampleRate === 16000 ? bytes : encodeWav(samples, 16000, 's16le');
  writeFileSync(join(out, file), wav);
  const duration = Math.round((samples.length / 16000) * 1000) / 1000;
  lines.push(JSON.stringify({ id: `${set}-${id}`, audio_filepath: file, text: words(text), duration, set }));
  sources.push({ id: `${set}-${id}`, set, source, sha256: sha(bytes), resampled: read.sampleRate !== 16000 });
}

// 1. The fixture's LibriSpeech clips.
for (const line of readFileSync(join(zipformerWavs, 'trans.txt'), 'utf8').trim().split('\n')) {
  const cut = line.indexOf(' ');
  const name = line.slice(0, cut);
  await add('librispeech', name.replace(/\.wav$/, ''), join(zipformerWavs, name), line.slice(cut + 1));
}
// 2. The Asterisk prompts the tiny model's recipe uses.
const asteriskManifest = join(repo, 'packages', 'tiny-eou-model', 'sets', 'asterisk', 'manifest.jsonl');
for (const line of readFileSync(asteriskManifest, 'utf8').trim().split('\n')) {
  const e = JSON.parse(line) as { id: string; text: string; source: string };
  const name = e.source.slice(e.source.indexOf(':') + 1);
  await add('asterisk', e.id, join(asterisk, name), e.text);
}
// 3. pocketsphinx-testdata's LibriVox utterances (Sphinx transcription format).
for (const line of readFileSync(join(librivox, 'transcription'), 'utf8').trim().split('\n')) {
  const m = /^<s>\s*(.*?)\s*<\/s>\s*\(([^)]+)\)\s*$/.exec(line.trim());
  if (m === null) throw new Error(`${join(librivox, 'transcription')}: not a Sphinx transcription line: ${line}`);
  await add('librivox', m[2]!, join(librivox, `${m[2]}.wav`), m[1]!);
}

const write = (name: string, text: string) => {
  const tmp = join(out, `.${name}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, join(out, name));
};
write('sources.json', JSON.stringify(sources, null, 2) + '\n');
write('manifest.jsonl', lines.join('\n') + '\n');
console.log(`build-manifest: ${lines.length} clips into ${resolve(out)} (manifest.jsonl, audio/, sources.json)`);
