import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import wavefile from 'wavefile';
import { afterAll, describe, expect, it } from 'vitest';
import { packageDir } from '../test/paths';
import {
  decodeAudio,
  decodeFlac,
  decodeRawPcm,
  decodeWav,
  readAudioFile,
  readAudioFiles,
  resample,
} from '../src/index';

const fixtures = join(packageDir, 'test', 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'eou-frontend-audio-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A WAV written by wavefile (the independent oracle) from integer or float samples. */
function wavefileBytes(channels: number, rate: number, bitDepth: string, samples: number[][]): Uint8Array {
  const w = new wavefile.WaveFile();
  w.fromScratch(channels, rate, bitDepth, channels === 1 ? samples[0]! : samples);
  return w.toBuffer();
}

const scale: Record<string, number> = { '16': 32768, '24': 8388608, '32': 2147483648 };

describe(decodeWav, () => {
  it('property: decodes what wavefile writes (8/16/24/32-bit PCM, 32/64-bit float, 1-3 channels)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('8', '16', '24', '32', '32f', '64'),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer(),
        (depth, channels, n, seed) => {
          let s = seed | 0;
          const next = () => (s = (s * 1103515245 + 12345) | 0) / 2 ** 31; // [-1, 1)
          const ints = depth === '8' ? 128 : scale[depth];
          const chans = Array.from({ length: channels }, () =>
            Array.from({ length: n }, () =>
              ints === undefined
                ? next()
                : depth === '8'
                  ? 128 + Math.floor(next() * 127)
                  : Math.floor(next() * (ints - 1)),
            ),
          );
          const got = decodeWav(wavefileBytes(channels, 16000, depth, chans), 'x.wav');
          expect(got.channels).toBe(channels);
          expect(got.samples.length).toBe(n);
          for (let i = 0; i < n; i++) {
            let sum = 0;
            for (const ch of chans)
              sum +=
                depth === '8'
                  ? (ch[i]! - 128) / 128
                  : ints !== undefined
                    ? ch[i]! / ints
                    : depth === '32f'
                      ? Math.fround(ch[i]!)
                      : ch[i]!;
            expect(got.samples[i]).toBe(Math.fround(channels === 1 ? sum : sum / channels));
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('reads WAVE_FORMAT_EXTENSIBLE (sox writes it for 24-bit stereo)', () => {
    const got = decodeWav(readFileSync(join(fixtures, 'stereo-22k-24bit.wav')), 'stereo.wav');
    expect([got.extensible, got.encoding, got.channels, got.sampleRate, got.samples.length]).toEqual([
      true,
      's24le',
      2,
      22050,
      4410,
    ]);
    const w = new wavefile.WaveFile(readFileSync(join(fixtures, 'stereo-22k-24bit.wav')));
    const ref = w.getSamples(true, Float64Array);
    for (let i = 0; i < 4410; i += 97)
      expect(got.samples[i]).toBe(Math.fround((ref[2 * i]! + ref[2 * i + 1]!) / 2 / 8388608));
  });

  const good = readFileSync(join(fixtures, 'chirp-16k.wav'));
  it.each([
    [
      'truncated data',
      good.subarray(0, 5001),
      'x.wav: truncated: the data chunk declares 8000 bytes, the file holds 4957',
    ],
    ['a header only', good.subarray(0, 30), 'x.wav: truncated: the fmt chunk runs past the end of the file'],
    ['no data chunk', good.subarray(0, 36), 'x.wav: no data chunk (truncated?)'],
    ['not RIFF', Buffer.from('RIFX....WAVEfmt '), 'x.wav: not a RIFF/WAVE file (starts with "RIFX")'],
    [
      'an odd data size',
      (() => {
        const b = Buffer.from(good);
        b.writeUInt32LE(7999, 40);
        return b;
      })(),
      'x.wav: data chunk is 7999 bytes, not a whole number of 2-byte frames',
    ],
    [
      'a bad blockAlign',
      (() => {
        const b = Buffer.from(good);
        b.writeUInt16LE(4, 32);
        return b;
      })(),
      'x.wav: fmt blockAlign is 4, expected channels*bytesPerSample = 2',
    ],
  ])('EXPECTED FAILURE - %s is E_AUDIO_CORRUPT, one line', (_, bytes, message) => {
    expect(() => decodeWav(bytes, 'x.wav')).toThrow(
      expect.objectContaining({ name: 'FrontendError', code: 'E_AUDIO_CORRUPT', file: 'x.wav', message }),
    );
  });

  it('EXPECTED FAILURE - compressed WAV is E_AUDIO_FORMAT', () => {
    const b = Buffer.from(good);
    b.writeUInt16LE(2, 20);
    expect(() => decodeWav(b, 'adpcm.wav')).toThrow(
      expect.objectContaining({
        code: 'E_AUDIO_FORMAT',
        message: 'adpcm.wav: Microsoft ADPCM WAV is not supported (PCM integer or IEEE float only)',
      }),
    );
  });

  it('EXPECTED FAILURE - NaN float samples are E_NON_FINITE naming the sample', () => {
    const bytes = wavefileBytes(1, 16000, '32f', [[0, 0.5, NaN, 0]]);
    expect(() => decodeWav(bytes, 'nan.wav')).toThrow(
      expect.objectContaining({
        code: 'E_NON_FINITE',
        message: 'nan.wav: sample 2 is NaN (NaN and infinite samples are refused)',
      }),
    );
  });
});

describe(decodeFlac, () => {
  it.each(['chirp-16k', 'stereo-22k-24bit'])(
    'decodes %s.flac to exactly the samples of its WAV twin',
    async (name) => {
      const flac = await decodeFlac(readFileSync(join(fixtures, `${name}.flac`)), `${name}.flac`);
      const wav = decodeWav(readFileSync(join(fixtures, `${name}.wav`)), `${name}.wav`);
      expect([flac.sampleRate, flac.channels]).toEqual([wav.sampleRate, wav.channels]);
      expect(Array.from(flac.samples)).toEqual(Array.from(wav.samples));
    },
  );

  it('EXPECTED FAILURE - a truncated FLAC is E_AUDIO_CORRUPT with the counts', async () => {
    const bytes = readFileSync(join(fixtures, 'chirp-16k.flac')).subarray(0, 2500);
    await expect(decodeFlac(bytes, 'cut.flac')).rejects.toMatchObject({
      code: 'E_AUDIO_CORRUPT',
      message: expect.stringMatching(
        /^cut\.flac: corrupt or truncated FLAC: decoded \d+ of the 4000 samples STREAMINFO declares$/,
      ),
    });
  });

  it('EXPECTED FAILURE - garbage frames are E_AUDIO_CORRUPT', async () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'chirp-16k.flac')));
    bytes.fill(0x5a, 1200, 2400);
    await expect(decodeFlac(bytes, 'bad.flac')).rejects.toMatchObject({
      name: 'FrontendError',
      code: 'E_AUDIO_CORRUPT',
    });
  });
});

describe(decodeRawPcm, () => {
  it('decodes s16le and f32be and refuses a partial frame', () => {
    const b = Buffer.alloc(8);
    b.writeInt16LE(-32768, 0);
    b.writeInt16LE(16384, 2);
    b.writeInt16LE(0, 4);
    b.writeInt16LE(32767, 6);
    expect(
      Array.from(decodeRawPcm(b, { encoding: 's16le', sampleRate: 8000, channels: 2 }, 'a.raw')),
    ).toEqual([-0.25, 32767 / 65536]);
    const f = Buffer.alloc(4);
    f.writeFloatBE(0.125, 0);
    expect(Array.from(decodeRawPcm(f, { encoding: 'f32be', sampleRate: 8000 }, 'b.raw'))).toEqual([0.125]);
    expect(() => decodeRawPcm(b.subarray(0, 7), { encoding: 's16le', sampleRate: 8000 }, 'c.raw')).toThrow(
      'c.raw: 7 bytes is not a whole number of 2-byte s16le x1 frames (truncated, or the wrong format)',
    );
  });

  it('BAD CALL - an unknown encoding is a RangeError naming the field', () => {
    expect(() => decodeRawPcm(new Uint8Array(2), { encoding: 's12' as 's8', sampleRate: 1 }, 'x')).toThrow(
      new RangeError(
        'format.encoding must be one of u8, s8, s16le, s16be, s24le, s24be, s32le, s32be, f32le, f32be, f64le, f64be, got "s12"',
      ),
    );
  });
});

describe(resample, () => {
  it('keeps a tone and gives round(n * to / from) samples', async () => {
    const x = Float32Array.from({ length: 8000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 8000));
    const y = await resample(x, 8000, 16000);
    expect(y.length).toBe(16000);
    let err = 0;
    for (let i = 2000; i < 14000; i++)
      err = Math.max(err, Math.abs(y[i]! - 0.5 * Math.sin((2 * Math.PI * 440 * i) / 16000)));
    expect(err).toBeLessThan(1e-3);
    expect((await resample(x, 8000, 11025, 'fastest')).length).toBe(11025);
  });
});

describe(readAudioFile, () => {
  it('recognises WAV and FLAC by their bytes, resamples when allowed', async () => {
    const wav = await readAudioFile(join(fixtures, 'stereo-22k-24bit.wav'), {
      sampleRate: 16000,
      resample: true,
    });
    expect([
      wav.format,
      wav.sourceSampleRate,
      wav.sampleRate,
      wav.channels,
      wav.samples.length,
      wav.resampledWith,
    ]).toEqual(['wav s24le (extensible)', 22050, 16000, 2, 3200, 'libsamplerate sinc-medium 22050->16000']);
    const flac = await readAudioFile(join(fixtures, 'chirp-16k.flac'), { sampleRate: 16000 });
    expect([flac.format, flac.durationSeconds, flac.resampledWith]).toEqual(['flac 16-bit', 0.25, undefined]);
  });

  it('EXPECTED FAILURE - a wrong sample rate without resampling is E_SAMPLE_RATE', async () => {
    const file = join(fixtures, 'stereo-22k-24bit.wav');
    await expect(readAudioFile(file, { sampleRate: 16000 })).rejects.toMatchObject({
      code: 'E_SAMPLE_RATE',
      message: `${file}: sample rate is 22050 Hz, the model takes 16000 Hz (allow resampling, or convert the file)`,
    });
  });

  it('EXPECTED FAILURE - missing files and unknown formats', async () => {
    await expect(readAudioFile(join(tmp, 'nope.wav'))).rejects.toMatchObject({
      code: 'E_MISSING_FILE',
      message: `${join(tmp, 'nope.wav')}: no such file`,
    });
    writeFileSync(join(tmp, 'x.ogg'), 'OggS....');
    await expect(readAudioFile(join(tmp, 'x.ogg'))).rejects.toMatchObject({ code: 'E_AUDIO_FORMAT' });
    await expect(decodeAudio(new Uint8Array(0), 'empty.wav')).rejects.toMatchObject({
      code: 'E_AUDIO_CORRUPT',
      message: 'empty.wav: empty file',
    });
  });

  it('a batch goes on past bad files, each failure one line naming its file', async () => {
    writeFileSync(join(tmp, 'cut.wav'), readFileSync(join(fixtures, 'chirp-16k.wav')).subarray(0, 100));
    const files = [
      join(fixtures, 'chirp-16k.wav'),
      join(tmp, 'cut.wav'),
      join(tmp, 'missing.wav'),
      join(fixtures, 'chirp-16k.flac'),
    ];
    const results = await readAudioFiles(files, { sampleRate: 16000 });
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'ok',
      'E_AUDIO_CORRUPT',
      'E_MISSING_FILE',
      'ok',
    ]);
    for (const r of results)
      if (!r.ok)
        expect(r.error.message).toMatch(
          new RegExp(`^${r.file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: [^\n]+$`),
        );
  });
});
